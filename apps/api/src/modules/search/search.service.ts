import type { CategoryDetail, ListingSummary, SearchQuery, SearchResult } from '@souk/contracts';
import { z } from 'zod';
import type { Database, Queryable } from '../../platform/db/database.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import type { Logger } from '../../platform/logger.js';
import type { ListingSearch, ListingSort, SearchPosition } from '../listings/index.js';
import type { NotifyInput } from '../notifications/index.js';
import { createDiscovery } from './search.discovery.js';
import { createPostgresSearchEngine, type SearchEngine } from './search.engine.js';
import { searchError } from './search.errors.js';
import { normalizeText } from './search.facets.js';
import { type CatalogPort, resolveSearch } from './search.filters.js';
import { createQueryLog } from './search.query-log.js';
import type { SearchRepository } from './search.repository.js';
import { createSavedSearches } from './search.saved.js';

export { EXACT_TOTAL_CAP } from './search.engine.js';

export type SearchPorts = {
  catalog: CatalogPort & {
    allCategoryRefs(): Promise<{ id: string; slug: string; name: string }[]>;
    categoryById(id: string): Promise<CategoryDetail | null>;
    categoryRefs(ids: string[]): Promise<Map<string, { id: string; slug: string; name: string }>>;
  };
  listings: {
    search: ListingSearch;
    cardsOf(ids: string[]): Promise<ListingSummary[]>;
    /** Whether the caller may see the listing (GET /listings/:id's rule). */
    isVisibleTo(ctx: RequestContext, listingId: string): Promise<boolean>;
  };
  notify(tx: Queryable, input: NotifyInput): Promise<unknown>;
};

/** A sort key as a cursor carries it: a number, an ISO time, or null (no price...). */
const CursorKey = z.union([
  z.null(),
  z.number(),
  z.string().refine((value) => !Number.isNaN(Date.parse(value))),
]);

type CursorPosition = { s: ListingSort; k: number | string | null; i: string; w?: string; p?: 1 | 2 };

/**
 * Where a page of results stops: `s` the sort (a cursor of another sort is refused), `k` and `i`
 * the last row's sort key and id, and for a relevance page read in a window, `w` the window's
 * start and `p` the part of the order (see SearchPosition). Only relevance has a window.
 */
function cursorSchema(sort: ListingSort): z.ZodType<CursorPosition> {
  const position = z.strictObject({ s: z.literal(sort), k: CursorKey, i: z.guid() });
  if (sort !== 'relevance') return position;
  const windowed = position.extend({
    w: z.string().refine((value) => !Number.isNaN(Date.parse(value))),
    p: z.union([z.literal(1), z.literal(2)]),
  });
  return z.union([position, windowed]);
}
const SearchCursors: Record<ListingSort, z.ZodType<CursorPosition>> = {
  relevance: cursorSchema('relevance'),
  newest: cursorSchema('newest'),
  price_asc: cursorSchema('price_asc'),
  price_desc: cursorSchema('price_desc'),
  distance: cursorSchema('distance'),
  ending_soon: cursorSchema('ending_soon'),
};

function encodeSearchCursor(sort: ListingSort, position: SearchPosition): string {
  return encodeCursor({
    s: sort,
    k: position.key,
    i: position.id,
    ...(position.window ? { w: position.window, p: position.phase ?? 1 } : {}),
  });
}

function decodeSearchCursor(raw: string | undefined, sort: ListingSort): SearchPosition | undefined {
  const cursor = decodeCursor(
    raw,
    SearchCursors[sort],
    'Start again without a cursor; it may belong to another sort.',
  );
  if (!cursor) return undefined;
  if (cursor.w === undefined) return { key: cursor.k, id: cursor.i };
  return { key: cursor.k, id: cursor.i, window: new Date(cursor.w).toISOString(), phase: cursor.p };
}

/**
 * Search: a query becomes a filter (search.filters.ts), the engine runs it (search.engine.ts),
 * and the hits become cards. Saved searches and alerts (search.saved.ts) and suggestions,
 * similar and recently viewed listings (search.discovery.ts) sit beside it on the same engine.
 */
export function createSearchService(deps: {
  database: Database;
  repository: SearchRepository;
  ports: SearchPorts;
  publicUrl: string;
  /** Enqueues a refresh of the stored browse facets (the module's job). */
  requestBrowseRefresh?: () => Promise<unknown>;
  logger?: Pick<Logger, 'warn'>;
  /** Another engine than PostgreSQL's own (tests, or a future search server). */
  engine?: SearchEngine;
}) {
  const { database, repository, ports } = deps;
  const engine =
    deps.engine ??
    createPostgresSearchEngine({
      database,
      repository,
      port: ports.listings.search,
      catalog: ports.catalog,
      requestBrowseRefresh: deps.requestBrowseRefresh,
    });
  const queryLog = createQueryLog({
    write: (entries) => repository.logQueries(database.db, entries),
    onError: (err, dropped) =>
      deps.logger?.warn({ err, dropped }, 'search query log: a batch was not written'),
  });
  const saved = createSavedSearches({
    database,
    repository,
    engine,
    catalog: ports.catalog,
    cardsOf: ports.listings.cardsOf,
    notify: ports.notify,
    requireUser,
  });
  const discovery = createDiscovery({
    database,
    repository,
    engine,
    catalog: ports.catalog,
    listings: ports.listings,
    requireUser,
  });

  return {
    async search(ctx: RequestContext, query: SearchQuery): Promise<SearchResult> {
      // Search tolerates a little lag: a replica when there is one (decision 029).
      const reader = await engine.reader(ctx);
      const resolved = await resolveSearch(ports.catalog, query as Record<string, unknown>);
      const { category, stored } = resolved;
      const filter = await reader.normalize(resolved.filter);
      const sort: ListingSort =
        query.sort === 'relevance' && !filter.text ? 'newest' : (query.sort as ListingSort);
      if (sort === 'distance' && !filter.near) {
        throw searchError('invalid_filter', 'Sorting by distance needs a location or lat/lon.');
      }
      const after = decodeSearchCursor(query.cursor, query.sort as ListingSort);
      const run = await reader.run({
        filter,
        category,
        sort,
        after,
        limit: query.limit,
        facets: query.facets,
      });
      const { hits, window } = run;
      const page = hits.slice(0, query.limit);
      const last = page.at(-1);
      const suggestion = run.total === 0 && filter.text ? await reader.didYouMean(filter) : null;
      // A next page is the same search: logged once, on its first page.
      if (!query.cursor) {
        queryLog.add({
          userId: ctx.actor?.userId ?? null,
          text: (query.q ?? '').slice(0, 200),
          normalized: normalizeText(query.q ?? ''),
          filters: Object.fromEntries(Object.entries(stored).filter(([key]) => key !== 'q')),
          resultCount: run.total,
          createdAt: new Date(),
        });
      }
      const cards = await ports.listings.cardsOf(page.map((hit) => hit.id));
      const distance = new Map(page.map((hit) => [hit.id, hit.distanceKm]));
      return {
        items: cards.map((card) => ({
          ...card,
          distanceKm:
            distance.get(card.id) === null ? null : Math.round((distance.get(card.id) ?? 0) * 10) / 10,
        })),
        nextCursor:
          hits.length > query.limit && last
            ? encodeSearchCursor(query.sort as ListingSort, {
                key: last.key,
                id: last.id,
                window: window ?? undefined,
                phase: last.phase,
              })
            : null,
        total: run.total,
        totalIsEstimate: !run.exact,
        didYouMean: suggestion,
        facets: run.facets,
      };
    },

    refreshBrowseFacets: (options?: { olderThanMs?: number }) => engine.refreshBrowseFacets(options),

    ...discovery,

    async report(_ctx: RequestContext, query: { days: number; limit: number }, zeroOnly: boolean) {
      await queryLog.flush(); // this node's latest searches count too
      const since = new Date(Date.now() - query.days * 86_400_000);
      const rows = await repository.report(database.db, since, query.limit, zeroOnly);
      return {
        items: rows.map((row) => ({
          text: row.text,
          searches: Number(row.searches),
          lastSearchedAt: new Date(row.lastSearchedAt).toISOString(),
        })),
      };
    },

    ...saved,

    /** Writes the query log's waiting entries (the app's close). */
    close: () => queryLog.flush(),
  };
}

export type SearchService = ReturnType<typeof createSearchService>;
