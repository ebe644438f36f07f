import type { CategoryDetail, SearchFacets } from '@souk/contracts';
import type { Database, Queryable, ReadContext } from '../../platform/db/database.js';
import {
  facetsReadAttributes,
  type ListingSearch,
  type ListingSearchFilter,
  type ListingSort,
  type SearchHit,
  type SearchPosition,
} from '../listings/index.js';
import {
  FACET_SAMPLE,
  type FacetSample,
  type FacetSpec,
  facetCategoryIds,
  facetColumns,
  facetSample,
  facetSpec,
  facetsOf,
  isBrowse,
  narrowsText,
  normalizeText,
} from './search.facets.js';
import type { SearchRepository } from './search.repository.js';

/** Exact totals up to here; above, the planner's estimate. */
export const EXACT_TOTAL_CAP = 10_000;
/** Stored browse facets older than this are not used; the job refreshes them every 10 minutes. */
export const BROWSE_FACETS_MAX_AGE_MS = 30 * 60_000;
/** A node asks for a refresh of missing or stale browse facets at most this often. */
const BROWSE_REFRESH_ASK_MS = 5 * 60_000;
/**
 * A browse's stored count stands for its total (an estimate) when it is this many times the cap:
 * listings do not come and go fast enough to bring it under the cap between two refreshes.
 */
const STORED_COUNT_STANDS = 1.5;

/** One page of a search as the service asks for it, its filter already resolved. */
export type SearchPlan = {
  filter: ListingSearchFilter;
  category: CategoryDetail | null;
  sort: ListingSort;
  after: SearchPosition | undefined;
  limit: number;
  facets: boolean;
};

/** A page's hits (one more than the limit when there is a next page) and what was counted. */
export type SearchRun = {
  hits: SearchHit[];
  total: number;
  exact: boolean;
  facets: SearchFacets | null;
  /** The relevance window the next page continues in (a cursor carries it). */
  window: string | null;
};

/**
 * What search asks of an engine. The PostgreSQL engine below plans over the listings table
 * (decisions 010-021); another engine (a column store, a search server) would implement this.
 */
export type SearchEngine = {
  /**
   * One search's reads, on one handle: a replica when there is one and the caller tolerates a
   * little lag (decision 029); the primary without a caller (alerts, jobs).
   */
  reader(ctx: ReadContext | null): Promise<SearchReader>;
  /** Whether this active listing matches the filter (a saved search's alert). */
  matches(filter: ListingSearchFilter, listingId: string, excludeSellerId: string): Promise<boolean>;
  similar(listingId: string, limit: number): Promise<string[]>;
  titles(text: string, limit: number): Promise<string[]>;
  /** The seller and title of an active listing, or null (not there, or not active). */
  activeListing(listingId: string): Promise<{ sellerId: string; title: string } | null>;
  /** Recounts the stored browse facets (the scheduled job). */
  refreshBrowseFacets(options?: { olderThanMs?: number }): Promise<{ categories: number }>;
};

export type SearchReader = {
  /** The filter as this engine can run it (a text of stop words only is dropped). */
  normalize(filter: ListingSearchFilter): Promise<ListingSearchFilter>;
  run(plan: SearchPlan): Promise<SearchRun>;
  /** A corrected text that finds something with the same filters, or null. */
  didYouMean(filter: ListingSearchFilter): Promise<string | null>;
};

export function createPostgresSearchEngine(deps: {
  database: Pick<Database, 'db' | 'transaction' | 'readDb'>;
  repository: Pick<SearchRepository, 'browseFacets' | 'browseFacetTimes' | 'replaceBrowseFacets'>;
  port: ListingSearch;
  catalog: {
    allCategoryRefs(): Promise<{ id: string; slug: string; name: string }[]>;
    categoryById(id: string): Promise<CategoryDetail | null>;
    categoryRefs(ids: string[]): Promise<Map<string, { id: string; slug: string; name: string }>>;
    subtreeIds(slug: string): Promise<string[] | null>;
  };
  /** Enqueues a refresh of the stored browse facets (the module's job). */
  requestBrowseRefresh?: (() => Promise<unknown>) | undefined;
}): SearchEngine {
  const { database, repository, port, catalog } = deps;

  /**
   * Counts facet values over at most FACET_SAMPLE matching rows (the window's, when there is
   * one). `sampled` is how many rows that was: fewer than FACET_SAMPLE means every match.
   */
  async function sampleFacets(
    db: Queryable,
    filter: ListingSearchFilter,
    spec: FacetSpec,
    window: string | null,
    sample: number | null = FACET_SAMPLE,
  ): Promise<FacetSample> {
    return facetSample(await port.facets(db, filter, { ...facetColumns(spec), sample, window }));
  }

  let lastRefreshAsk = 0;
  /** The category's stored browse facets if fresh enough; otherwise null (and a refresh is asked for). */
  async function storedBrowseFacets(db: Queryable, categoryId: string): Promise<FacetSample | null> {
    const stored = await repository.browseFacets(db, categoryId);
    if (stored && Date.now() - stored.refreshedAt.getTime() <= BROWSE_FACETS_MAX_AGE_MS) {
      return facetSample(stored.rows, true);
    }
    if (deps.requestBrowseRefresh && Date.now() - lastRefreshAsk > BROWSE_REFRESH_ASK_MS) {
      lastRefreshAsk = Date.now();
      deps.requestBrowseRefresh().catch(() => {
        lastRefreshAsk = 0;
      });
    }
    return null;
  }

  /**
   * The total: exact up to EXACT_TOTAL_CAP, an estimate above. Counting reads every match (one
   * heap page each when they are spread out), so it is skipped where something cheaper already
   * knows: the planner expecting far more than the cap; a facet sample that stopped short of its
   * size (it holds every match); and for a windowed text, the window's matches scaled by the
   * window's share of all listings, when that is clearly above the cap.
   */
  async function totalOf(
    db: Queryable,
    filter: ListingSearchFilter,
    expected: number,
    window: string | null,
    sampling: Promise<{ sampled: number }> | null,
    /** The window's matches, when the ranked page counted them already. */
    windowCount?: number,
  ): Promise<{ total: number; exact: boolean }> {
    if (expected > EXACT_TOTAL_CAP) return { total: expected, exact: false };
    if (window) {
      const sampled = sampling ? (await sampling).sampled : FACET_SAMPLE;
      const since =
        filter.publishedSince && filter.publishedSince > new Date(window)
          ? filter.publishedSince
          : new Date(window);
      const inWindow =
        windowCount ??
        (sampled < FACET_SAMPLE
          ? sampled
          : (await port.count(db, { ...filter, publishedSince: since }, EXACT_TOTAL_CAP, 0)).total);
      const share = await port.publishedShare(db, window);
      const scaled = share ? Math.round(inWindow / share) : 0;
      if (scaled > EXACT_TOTAL_CAP) return { total: scaled, exact: false };
    } else if (sampling) {
      const { sampled } = await sampling;
      if (sampled < FACET_SAMPLE) return { total: sampled, exact: true };
    }
    return port.count(db, filter, EXACT_TOTAL_CAP, expected);
  }

  /** The relevance window of a first page by relevance (null: rank every match). */
  async function windowFor(db: Queryable, plan: SearchPlan, expected: number): Promise<string | null> {
    const { filter, sort, after } = plan;
    if (sort !== 'relevance' || !filter.text) return null;
    if (after) return after.window ?? null;
    // The planner multiplies the text's selectivity by the filters' as if they were
    // independent: "white" (31 % of 111,000 cars at 1M) with cars, mileage and price was
    // expected at 113 rows, so all 10,455 matches were ranked (280 ms). The text alone is
    // estimated well (its word statistics), so the broader of the two picks the window.
    const textOnly = narrowsText(filter) ? await port.estimate(db, { text: filter.text }) : expected;
    return port.relevanceWindow(db, Math.max(expected, textOnly));
  }

  async function run(db: Queryable, plan: SearchPlan): Promise<SearchRun> {
    const { filter, category, sort, after, limit } = plan;
    const spec = plan.facets ? facetSpec(category) : null;
    const storedFacets =
      spec && category && isBrowse(filter) ? await storedBrowseFacets(db, category.id) : null;
    // One EXPLAIN serves the total (exact only when few) and the relevance window of a broad
    // text. A browse whose stored facets counted far more listings than the cap a few minutes
    // ago needs neither: the total is an estimate either way, and that count is a good one.
    const storedCount = storedFacets?.sampled ?? 0;
    const expected =
      storedCount > STORED_COUNT_STANDS * EXACT_TOTAL_CAP ? storedCount : await port.estimate(db, filter);
    const window = await windowFor(db, plan, expected);
    let hits: SearchHit[];
    let counted: { total: number; exact: boolean };
    let sample: FacetSample | null;
    if (sort === 'relevance' && filter.text && !after && spec) {
      // The first page of a text by relevance: page, facets and the ranked matches' count in
      // one statement; without a window it counted every match, which is the exact total.
      const ranked = await port.rankedWindow(db, filter, window, limit + 1, {
        ...facetColumns(spec),
        sample: FACET_SAMPLE,
      });
      sample = facetSample(ranked.facets);
      counted = window
        ? await totalOf(db, filter, expected, window, Promise.resolve(sample), ranked.inWindow)
        : { total: ranked.inWindow, exact: true };
      // Older matches fill the page when the window holds less than one; not when the exact
      // total says the window had them all (walking the older listings for none cost 260 ms).
      const older =
        ranked.hits.length > limit || !window || (counted.exact && counted.total <= ranked.hits.length)
          ? []
          : await port.page(db, filter, sort, limit + 1 - ranked.hits.length, undefined, window, {
              olderOnly: true,
            });
      hits = [...ranked.hits, ...older];
    } else if (
      spec &&
      !storedFacets &&
      !window &&
      expected <= EXACT_TOTAL_CAP &&
      !facetsReadAttributes(spec)
    ) {
      // The total will be counted (the planner expects few) and the facets only need cheap
      // columns: one read of the matches for both (a search around a point, a text-free filter).
      const [pageHits, both] = await Promise.all([
        port.page(db, filter, sort, limit + 1, after, window),
        port.countedFacets(db, filter, EXACT_TOTAL_CAP, {
          ...facetColumns(spec),
          sample: FACET_SAMPLE,
        }),
      ]);
      hits = pageHits;
      sample = facetSample(both.facets);
      counted =
        both.counted <= EXACT_TOTAL_CAP
          ? { total: both.counted, exact: true }
          : { total: Math.max(both.counted, expected), exact: false };
    } else {
      const sampling = storedFacets
        ? Promise.resolve(storedFacets)
        : spec
          ? sampleFacets(db, filter, spec, window)
          : null;
      [hits, counted, sample] = await Promise.all([
        port.page(db, filter, sort, limit + 1, after, window),
        // Stored facets counted an earlier state of the category: they cannot stand for its total.
        totalOf(db, filter, expected, window, storedFacets ? null : sampling),
        sampling,
      ]);
    }
    const facets =
      spec && sample
        ? facetsOf(spec, filter, sample, counted, await catalog.categoryRefs(facetCategoryIds(sample)))
        : null;
    return { hits, total: counted.total, exact: counted.exact, facets, window };
  }

  return {
    async reader(ctx) {
      const db = ctx ? await database.readDb(ctx) : database.db;
      return {
        async normalize(filter) {
          if (filter.text && !(await port.meaningful(db, filter.text))) {
            const { text: _dropped, ...rest } = filter;
            return rest;
          }
          return filter;
        },

        run: (plan) => run(db, plan),

        /**
         * Word by word against the listings' titles, only when the text alone finds nothing: when it
         * does, the filters emptied the page, not a typo (and looking for close words of "honda" in
         * every title cost 100–350 ms at 1M for nothing).
         */
        async didYouMean(filter: ListingSearchFilter): Promise<string | null> {
          const text = filter.text;
          if (!text) return null;
          if (narrowsText(filter)) {
            const alone = await port.count(db, { text }, 1);
            if (alone.total > 0) return null;
          }
          const words = text.split(/\s+/).filter(Boolean).slice(0, 6);
          let changed = false;
          const corrected: string[] = [];
          for (const word of words) {
            const bare = word.replace(/^[-"]+|["]+$/g, '');
            if (bare.length < 3 || /^or$/i.test(bare)) {
              corrected.push(word);
              continue;
            }
            const [best] = await port.closestWords(db, bare, 1);
            if (best && best !== normalizeText(bare)) {
              changed = true;
              corrected.push(word.replace(bare, best));
            } else corrected.push(word);
          }
          if (!changed) return null;
          const suggestion = corrected.join(' ');
          const { total } = await port.count(db, { ...filter, text: suggestion }, 1);
          return total > 0 ? suggestion : null;
        },
      };
    },

    async matches(filter, listingId, excludeSellerId) {
      const { total } = await port.count(
        database.db,
        { ...filter, listingIds: [listingId], excludeSellerId },
        1,
      );
      return total > 0;
    },

    similar: (listingId, limit) => port.similar(database.db, listingId, limit),

    titles: (text, limit) => port.titles(database.db, text, limit),

    async activeListing(listingId) {
      const owner = await port.owner(database.db, listingId);
      return owner?.active ? { sellerId: owner.sellerId, title: owner.title } : null;
    },

    /**
     * Counts the browse facets of every category over all its active listings and stores them,
     * one category per transaction (~the cost of a full scan of the listings per tree level). A
     * category counted less than `olderThanMs` ago is left as it is: the schedule and a browse
     * that asked for a refresh need not both pay for it.
     */
    async refreshBrowseFacets(options = {}) {
      const olderThanMs = options.olderThanMs ?? 5 * 60_000;
      const refs = await catalog.allCategoryRefs();
      const counted = await repository.browseFacetTimes(database.db);
      let refreshed = 0;
      for (const ref of refs) {
        const at = counted.get(ref.id);
        if (at && Date.now() - at.getTime() < olderThanMs) continue;
        const [category, categoryIds] = await Promise.all([
          catalog.categoryById(ref.id),
          catalog.subtreeIds(ref.slug),
        ]);
        if (!category || !categoryIds) continue;
        const refreshedAt = new Date();
        const { rows } = await sampleFacets(database.db, { categoryIds }, facetSpec(category), null, null);
        await database.transaction((tx) => repository.replaceBrowseFacets(tx, ref.id, rows, refreshedAt));
        refreshed++;
      }
      return { categories: refreshed };
    },
  };
}
