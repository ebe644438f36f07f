import type { CategoryDetail, ListingImage } from '@souk/contracts';
import type { Database } from '../../platform/db/database.js';
import type { EventPublisher } from '../../platform/events.js';
import type { RequestContext } from '../../platform/http/context.js';
import type { ListingEvents } from './listings.events.js';
import type { CityRef } from './listings.import.js';
import { createListingImport } from './listings.import.js';
import { createListingLifecycle, requireUser } from './listings.lifecycle.js';
import type { ListingsRepository } from './listings.repository.js';
import type { ListingStatus } from './listings.schema.js';
import { createListingViews } from './listings.views.js';

export type { CreateListingInput, UpdateListingInput } from './listings.lifecycle.js';
export { cleanDescription } from './listings.rules.js';

/** What listings need from other modules, each reached through its service. */
export type ListingsPorts = {
  catalog: {
    categoryById(id: string): Promise<CategoryDetail | null>;
    subtreeIds(slug: string): Promise<string[] | null>;
    categoryRefs(ids: string[]): Promise<Map<string, { id: string; slug: string; name: string }>>;
    categoryIdOf(slug: string): Promise<string | null>;
    cities(): Promise<CityRef[]>;
    /** A location's coordinates (a city's centre), null when it has none. */
    locationPoint(id: string): Promise<{ latitude: number; longitude: number } | null>;
    locationRefs(
      ids: string[],
    ): Promise<Map<string, { id: string; name: string; countryCode: string; kind: string }>>;
  };
  sellers: (
    ids: string[],
  ) => Promise<Map<string, { displayName: string; avatarUrl: string | null; memberSince: string }>>;
  images: (listingIds: string[]) => Promise<Map<string, ListingImage[]>>;
  /** Throws `email_unverified` (403) unless the account confirmed its address (auth). */
  requireVerifiedEmail: (userId: string, action: string) => Promise<void>;
};

/**
 * The listings service: its writes (listings.lifecycle.ts), its reads and the two shapes other
 * modules get (listings.views.ts), and imports and exports (listings.import.ts), all deciding by
 * the pure rules of listings.rules.ts.
 */
export function createListingsService(deps: {
  database: Pick<Database, 'db' | 'readDb' | 'transaction'>;
  repository: ListingsRepository;
  events: EventPublisher<ListingEvents>;
  ports: ListingsPorts;
  config: { ttlDays: number };
}) {
  const views = createListingViews(deps);
  const lifecycle = createListingLifecycle({ ...deps, views });
  const imports = createListingImport(deps);
  return {
    ...lifecycle,
    ...imports,
    get: views.get,
    list: views.list,
    mine: (
      ctx: RequestContext,
      query: { limit: number; cursor?: string | undefined; status?: ListingStatus | undefined },
    ) => views.mine(requireUser(ctx), query),
    featured: views.featured,
    cardsOf: views.cardsOf,
    refs: views.refs,
    ref: views.ref,
    feedOf: views.feedOf,
    sellerCounts: views.sellerCounts,
    isVisibleTo: views.isVisibleTo,
  };
}

export type ListingsService = ReturnType<typeof createListingsService>;
