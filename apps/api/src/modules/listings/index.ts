import type { Database } from '../../platform/db/database.js';
import type { EventPublisher } from '../../platform/events.js';
import type { Jobs } from '../../platform/jobs.js';
import type { ListingEvents } from './listings.events.js';
import { createListingsRepository } from './listings.repository.js';
import { listingsRoutes } from './listings.routes.js';
import { createListingsService, type ListingsPorts } from './listings.service.js';

export type { ListingEvents, ListingPublishedPayload } from './listings.events.js';
export type {
  CityRef,
  ExportedListing,
  ImportAction,
  ImportPlanRow,
  ImportRowInput,
  PlannedImportRow,
} from './listings.import.js';
/** Plain text kept plain; comments clean their text the same way as descriptions. */
export { cleanDescription } from './listings.rules.js';
export type { ListingsPorts, ListingsService } from './listings.service.js';
export type { ListingCard, ListingRef, ListingRefWithImage } from './listings.views.js';

export const EXPIRE_LISTINGS_QUEUE = 'listings.expire';

/**
 * Listings: the classifieds core. Drafts, publishing with completeness checks, sold, expiry (a
 * scheduled job), renewal, soft deletion, views counted once a viewer a day, and feature windows.
 * Attributes are validated against the category's resolved schema from the catalog.
 */
export function createListingsModule(deps: {
  database: Database;
  events: EventPublisher<ListingEvents>;
  jobs: Pick<Jobs, 'define' | 'schedule'>;
  ports: ListingsPorts;
  ttlDays: number;
}) {
  const repository = createListingsRepository();
  const service = createListingsService({ ...deps, repository, config: { ttlDays: deps.ttlDays } });
  deps.jobs.define(EXPIRE_LISTINGS_QUEUE, async () => {
    await service.expireDue();
  });
  deps.jobs.schedule(EXPIRE_LISTINGS_QUEUE, '*/10 * * * *');
  return { service, routes: listingsRoutes(service) };
}

export type ListingsModule = ReturnType<typeof createListingsModule>;

export {
  type AttributeFilter,
  createListingSearch,
  type FacetRow,
  type FacetSpec,
  facetsReadAttributes,
  type ListingSearch,
  type ListingSearchFilter,
  type ListingSort,
  type SearchHit,
  type SearchPosition,
} from './listings.search.js';
