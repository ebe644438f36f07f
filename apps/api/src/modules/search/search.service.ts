import type {
  CategoryDetail,
  ListingSummary,
  SavedSearch,
  SearchFacets,
  SearchQuery,
  SearchResult,
  Suggestion,
} from '@souk/contracts';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/http/context.js';
import { platformError } from '../../platform/http/errors.js';
import type { Logger } from '../../platform/logger.js';
import {
  type FacetRow,
  facetsReadAttributes,
  type FacetSpec as ListingFacetSpec,
  type ListingSearch,
  type ListingSearchFilter,
  type ListingSort,
  type SearchHit,
  type SearchPosition,
} from '../listings/index.js';
import type { NotifyInput } from '../notifications/index.js';
import { searchError } from './search.errors.js';
import { type CatalogPort, resolveSearch } from './search.filters.js';
import { createQueryLog } from './search.query-log.js';
import type { SearchRepository } from './search.repository.js';
import type { AlertFrequency, SavedSearchRow } from './search.schema.js';
import {
  buildSuggestionIndex,
  type SuggestionEntry,
  similarEntries,
  trigramPostings,
  trigrams,
} from './search.suggestions.js';

/** Exact totals up to here; above, the planner's estimate. */
export const EXACT_TOTAL_CAP = 10_000;
/** Facets count at most this many matching rows; above it they are scaled estimates. */
export const FACET_SAMPLE = 1_000;
/** An attribute facet lists at most this many values (the most common), besides the chosen ones. */
export const FACET_VALUES = 50;
export const MAX_SAVED_SEARCHES = 50;
/** Stored browse facets older than this are not used; the job refreshes them every 10 minutes. */
export const BROWSE_FACETS_MAX_AGE_MS = 30 * 60_000;
/** A node asks for a refresh of missing or stale browse facets at most this often. */
const BROWSE_REFRESH_ASK_MS = 5 * 60_000;
const RECENTLY_VIEWED_KEEP = 50;
/**
 * A browse's stored count stands for its total (an estimate) when it is this many times the cap:
 * listings do not come and go fast enough to bring it under the cap between two refreshes.
 */
const STORED_COUNT_STANDS = 1.5;

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

/** w and p: the relevance window's start and the part of the order (see SearchPosition). */
type Cursor = { s: ListingSort; k: number | string | null; i: string; w?: string; p?: 1 | 2 };

function encodeCursor(sort: ListingSort, position: SearchPosition): string {
  const cursor: Cursor = { s: sort, k: position.key, i: position.id };
  if (position.window) {
    cursor.w = position.window;
    cursor.p = position.phase ?? 1;
  }
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(raw: string | undefined, sort: ListingSort): SearchPosition | undefined {
  if (raw === undefined) return undefined;
  try {
    const cursor = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Cursor;
    const keyOk =
      cursor.k === null ||
      (typeof cursor.k === 'number' && Number.isFinite(cursor.k)) ||
      (typeof cursor.k === 'string' && !Number.isNaN(Date.parse(cursor.k)));
    const windowOk =
      (cursor.w === undefined && cursor.p === undefined) ||
      (typeof cursor.w === 'string' &&
        !Number.isNaN(Date.parse(cursor.w)) &&
        (cursor.p === 1 || cursor.p === 2) &&
        sort === 'relevance');
    if (
      cursor.s !== sort ||
      !keyOk ||
      !windowOk ||
      typeof cursor.i !== 'string' ||
      !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(cursor.i)
    ) {
      throw new Error('bad cursor');
    }
    if (cursor.w === undefined) return { key: cursor.k, id: cursor.i };
    return { key: cursor.k, id: cursor.i, window: new Date(cursor.w).toISOString(), phase: cursor.p };
  } catch {
    throw searchError('invalid_cursor', 'Start again without a cursor; it may belong to another sort.');
  }
}

/** 1-2-5 steps from 10.00 up: price buckets that read well in any currency. */
const PRICE_BOUNDS = (() => {
  const bounds: number[] = [];
  for (let power = 3; power <= 12; power++) for (const step of [1, 2, 5]) bounds.push(step * 10 ** power);
  return bounds;
})();

function numericBounds(min: number, max: number): number[] {
  const span = max - min;
  const raw = span / 16;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw) ?? raw;
  const bounds: number[] = [];
  for (let value = Math.floor(min / step) * step; value <= max + step; value += step) bounds.push(value);
  return bounds;
}

function histogramBuckets(bounds: number[], rows: { value: string | null; count: number }[]) {
  return rows
    .map((row) => Number(row.value))
    .map((index, position) => ({ index, count: (rows[position] as { count: number }).count }))
    .sort((a, b) => a.index - b.index)
    .map(({ index, count }) => ({
      min: index === 0 ? 0 : (bounds[index - 1] as number),
      max: index >= bounds.length ? null : (bounds[index] as number),
      count,
    }));
}

export function normalizeText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim().slice(0, 200);
}

export function createSearchService(deps: {
  database: Database;
  repository: SearchRepository;
  ports: SearchPorts;
  publicUrl: string;
  /** Enqueues a refresh of the stored browse facets (the module's job). */
  requestBrowseRefresh?: () => Promise<unknown>;
  logger?: Pick<Logger, 'warn'>;
}) {
  const { database, repository, ports } = deps;
  const port = ports.listings.search;
  const queryLog = createQueryLog({
    write: (entries) => repository.logQueries(database.db, entries),
    onError: (err, dropped) =>
      deps.logger?.warn({ err, dropped }, 'search query log: a batch was not written'),
  });

  type SuggestionIndex = {
    entries: SuggestionEntry[];
    postings: ReturnType<typeof trigramPostings>;
  };
  let suggestionIndex: { at: number; index: Promise<SuggestionIndex> } | null = null;
  const suggestionEntries = () => {
    if (!suggestionIndex || Date.now() - suggestionIndex.at > 60_000) {
      suggestionIndex = {
        at: Date.now(),
        index: buildSuggestionIndex(ports.catalog).then((entries) => ({
          entries,
          postings: trigramPostings(entries),
        })),
      };
      suggestionIndex.index.catch(() => {
        suggestionIndex = null;
      });
    }
    return suggestionIndex.index;
  };

  /** The facets a category offers: its filterable enums, and histograms of price and its ranges. */
  function facetSpec(category: CategoryDetail | null) {
    const attributes = category?.attributes.filter((attribute) => attribute.filterable) ?? [];
    const enums = attributes.flatMap((attribute) =>
      attribute.type === 'enum' || attribute.type === 'multi_enum'
        ? [{ key: attribute.key, multi: attribute.type === 'multi_enum', attribute }]
        : [],
    );
    const histograms = [
      { name: 'price', key: null as string | null, label: 'Price', bounds: PRICE_BOUNDS },
      ...attributes.flatMap((attribute) =>
        attribute.type === 'integer' && attribute.min !== undefined && attribute.max !== undefined
          ? [
              {
                name: attribute.key,
                key: attribute.key as string | null,
                label: attribute.label,
                bounds: numericBounds(attribute.min, attribute.max),
              },
            ]
          : [],
      ),
    ];
    return { enums, histograms };
  }
  type FacetSpec = ReturnType<typeof facetSpec>;
  /** What the listings port counts for a facet spec (the keys and bounds, not the labels). */
  const facetColumns = (spec: FacetSpec): ListingFacetSpec => ({
    enums: spec.enums.map(({ key, multi }) => ({ key, multi })),
    histograms: spec.histograms.map(({ name, key, bounds }) => ({ name, key, bounds })),
  });
  /** Facet rows and how many listings they counted; `stored`: the browse facets of the job. */
  type FacetSample = { rows: FacetRow[]; sampled: number; stored?: boolean };
  /** Facet rows with how many listings they were counted over (their `sample` row). */
  const facetSample = (rows: FacetRow[], stored?: true): FacetSample => ({
    rows,
    sampled: rows.find((row) => row.facet === 'sample')?.count ?? 0,
    ...(stored ? { stored } : {}),
  });
  /** The conditions a filter sets (its keys with a value). */
  const conditionsOf = (filter: ListingSearchFilter) =>
    Object.entries(filter).flatMap(([key, value]) => (value === undefined ? [] : [key]));
  /** Whether anything besides the text narrows the search. */
  const narrowsText = (filter: ListingSearchFilter) => conditionsOf(filter).some((key) => key !== 'text');

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

  /** Only a category chosen: a browse, whose facets may come from the stored counts. */
  const isBrowse = (filter: ListingSearchFilter) => conditionsOf(filter).join() === 'categoryIds';

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
   * Facets from a sample: exact up to FACET_SAMPLE matching rows, and above it the counts of the
   * sampled rows scaled to the total (`estimated: true`). Counting every row of a broad search
   * cost ~160 ms at 100k listings, 2,000 rows cost ~10 ms.
   */
  async function facetsOf(
    spec: FacetSpec,
    filter: ListingSearchFilter,
    sample: FacetSample,
    counted: { total: number; exact: boolean },
  ): Promise<SearchFacets> {
    const { enums, histograms } = spec;
    const { rows, sampled } = sample;
    // A sample is scaled up to the total. Stored browse facets counted every listing when they
    // were refreshed: they are scaled to an exact total that has moved since, and otherwise kept
    // (better than scaling them by the planner's estimate); either way they are then estimates.
    const rescale = sample.stored ? counted.exact && counted.total !== sampled : counted.total > sampled;
    const scale = rescale && sampled > 0 ? counted.total / sampled : 1;
    const estimated = sample.stored ? !(counted.exact && counted.total === sampled) : scale !== 1;
    const byFacet = new Map<string, { value: string | null; count: number }[]>();
    for (const row of rows) {
      if (row.facet === 'sample') continue;
      const list = byFacet.get(row.facet) ?? [];
      list.push(scale === 1 ? row : { ...row, count: Math.round(row.count * scale) });
      byFacet.set(row.facet, list);
    }
    const categoryRows = byFacet.get('category') ?? [];
    const refs = await ports.catalog.categoryRefs(categoryRows.map((row) => row.value as string));
    return {
      estimated,
      categories: categoryRows
        .flatMap((row) => {
          const ref = refs.get(row.value as string);
          return ref ? [{ ...ref, count: row.count }] : [];
        })
        .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
      attributes: enums.map(({ key, attribute }) => {
        const labels = new Map(
          'options' in attribute ? attribute.options.map((option) => [option.value, option.label]) : [],
        );
        const values = (byFacet.get(`attr:${key}`) ?? [])
          .filter((row) => row.value !== null)
          .sort((a, b) => b.count - a.count || (a.value as string).localeCompare(b.value as string));
        // A filter panel shows the common values; cars' 600 models were 40 KB of every answer.
        const chosen = new Set(
          filter.attributes?.flatMap((chosenAttribute) =>
            chosenAttribute.key === key && chosenAttribute.kind === 'values' ? chosenAttribute.values : [],
          ),
        );
        const listed = values.filter((row, index) => index < FACET_VALUES || chosen.has(row.value as string));
        return {
          key,
          label: attribute.label,
          values: listed
            .map((row) => ({
              value: row.value as string,
              label: labels.get(row.value as string) ?? (row.value as string),
              count: row.count,
            }))
            .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)),
          otherValues: values.length - listed.length,
        };
      }),
      histograms: histograms.map((histogram) => ({
        key: histogram.name,
        label: histogram.label,
        buckets: histogramBuckets(histogram.bounds, byFacet.get(`hist:${histogram.name}`) ?? []),
      })),
    };
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

  /**
   * A corrected text that finds something with the same filters, word by word; or null. Only
   * when the text alone finds nothing: when it does, the filters emptied the page, not a typo
   * (and looking for close words of "honda" in every title cost 100–350 ms at 1M for nothing).
   */
  async function didYouMean(db: Queryable, filter: ListingSearchFilter): Promise<string | null> {
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
  }

  function toSaved(row: SavedSearchRow): SavedSearch {
    return {
      id: row.id,
      name: row.name,
      query: row.query as SavedSearch['query'],
      alert: row.alert,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  async function ownSaved(ctx: RequestContext, id: string): Promise<SavedSearchRow> {
    const userId = requireUser(ctx);
    const row = await repository.findSaved(database.db, id);
    if (!row || row.userId !== userId) throw searchError('saved_search_not_found');
    return row;
  }

  function searchUrl(query: Record<string, unknown>): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
    }
    return `/search?${params.toString()}`;
  }

  return {
    async search(ctx: RequestContext, query: SearchQuery): Promise<SearchResult> {
      // Search tolerates a little lag: a replica when there is one (decision 029).
      const db = await database.readDb(ctx);
      const { filter, category, stored } = await resolveSearch(
        ports.catalog,
        query as Record<string, unknown>,
      );
      if (filter.text && !(await port.meaningful(db, filter.text))) delete filter.text;
      const sort: ListingSort =
        query.sort === 'relevance' && !filter.text ? 'newest' : (query.sort as ListingSort);
      if (sort === 'distance' && !filter.near) {
        throw searchError('invalid_filter', 'Sorting by distance needs a location or lat/lon.');
      }
      const after = decodeCursor(query.cursor, query.sort as ListingSort);
      const spec = query.facets ? facetSpec(category) : null;
      const storedFacets =
        spec && category && isBrowse(filter) ? await storedBrowseFacets(db, category.id) : null;
      // One EXPLAIN serves the total (exact only when few) and the relevance window of a broad
      // text. A browse whose stored facets counted far more listings than the cap a few minutes
      // ago needs neither: the total is an estimate either way, and that count is a good one.
      const storedCount = storedFacets?.sampled ?? 0;
      const expected =
        storedCount > STORED_COUNT_STANDS * EXACT_TOTAL_CAP ? storedCount : await port.estimate(db, filter);
      let window: string | null = null;
      if (sort === 'relevance' && filter.text) {
        if (after) window = after.window ?? null;
        else {
          // The planner multiplies the text's selectivity by the filters' as if they were
          // independent: "white" (31 % of 111,000 cars at 1M) with cars, mileage and price was
          // expected at 113 rows, so all 10,455 matches were ranked (280 ms). The text alone is
          // estimated well (its word statistics), so the broader of the two picks the window.
          const textOnly = narrowsText(filter) ? await port.estimate(db, { text: filter.text }) : expected;
          window = await port.relevanceWindow(db, Math.max(expected, textOnly));
        }
      }
      let hits: SearchHit[];
      let counted: { total: number; exact: boolean };
      let sample: FacetSample | null;
      if (sort === 'relevance' && filter.text && !after && spec) {
        // The first page of a text by relevance: page, facets and the ranked matches' count in
        // one statement; without a window it counted every match, which is the exact total.
        const ranked = await port.rankedWindow(db, filter, window, query.limit + 1, {
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
          ranked.hits.length > query.limit ||
          !window ||
          (counted.exact && counted.total <= ranked.hits.length)
            ? []
            : await port.page(db, filter, sort, query.limit + 1 - ranked.hits.length, undefined, window, {
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
          port.page(db, filter, sort, query.limit + 1, after, window),
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
          port.page(db, filter, sort, query.limit + 1, after, window),
          // Stored facets counted an earlier state of the category: they cannot stand for its total.
          totalOf(db, filter, expected, window, storedFacets ? null : sampling),
          sampling,
        ]);
      }
      const facets = spec && sample ? await facetsOf(spec, filter, sample, counted) : null;
      const page = hits.slice(0, query.limit);
      const last = page.at(-1);
      const suggestion = counted.total === 0 && filter.text ? await didYouMean(db, filter) : null;
      // A next page is the same search: logged once, on its first page.
      if (!query.cursor) {
        queryLog.add({
          userId: ctx.actor?.userId ?? null,
          text: (query.q ?? '').slice(0, 200),
          normalized: normalizeText(query.q ?? ''),
          filters: Object.fromEntries(Object.entries(stored).filter(([key]) => key !== 'q')),
          resultCount: counted.total,
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
            ? encodeCursor(query.sort as ListingSort, {
                key: last.key,
                id: last.id,
                window: window ?? undefined,
                phase: last.phase,
              })
            : null,
        total: counted.total,
        totalIsEstimate: !counted.exact,
        didYouMean: suggestion,
        facets,
      };
    },

    /**
     * Counts the browse facets of every category over all its active listings and stores them,
     * one category per transaction (the scheduled job; ~the cost of a full scan of the listings
     * per tree level). A category counted less than `olderThanMs` ago is left as it is: the
     * schedule and a browse that asked for a refresh need not both pay for it.
     */
    async refreshBrowseFacets(options: { olderThanMs?: number } = {}): Promise<{ categories: number }> {
      const olderThanMs = options.olderThanMs ?? 5 * 60_000;
      const refs = await ports.catalog.allCategoryRefs();
      const counted = await repository.browseFacetTimes(database.db);
      let refreshed = 0;
      for (const ref of refs) {
        const at = counted.get(ref.id);
        if (at && Date.now() - at.getTime() < olderThanMs) continue;
        const [category, categoryIds] = await Promise.all([
          ports.catalog.categoryById(ref.id),
          ports.catalog.subtreeIds(ref.slug),
        ]);
        if (!category || !categoryIds) continue;
        const refreshedAt = new Date();
        const { rows } = await sampleFacets(database.db, { categoryIds }, facetSpec(category), null, null);
        await database.transaction((tx) => repository.replaceBrowseFacets(tx, ref.id, rows, refreshedAt));
        refreshed++;
      }
      return { categories: refreshed };
    },

    /** Categories, makes and models (from the catalog, in memory) then listing titles. */
    async suggestions(
      _ctx: RequestContext,
      query: { q: string; limit: number },
    ): Promise<{ items: Suggestion[] }> {
      const folded = normalizeText(query.q);
      const { entries, postings } = await suggestionEntries();
      // Typos are matched word against word (a make typed alone against "Toyota Corolla").
      const similar = folded.length >= 3 ? similarEntries(trigrams(folded), entries, postings) : null;
      const scored: { entry: SuggestionEntry; score: number }[] = [];
      entries.forEach((entry, index) => {
        let score = 0;
        if (entry.folded.startsWith(folded)) score = 3;
        else if (entry.words.some((word) => word.startsWith(folded))) score = 2;
        else {
          const similarity = similar?.get(index) ?? 0;
          if (similarity >= 0.35) score = similarity;
        }
        if (score > 0) scored.push({ entry, score });
      });
      scored.sort(
        (a, b) =>
          b.score - a.score || a.entry.rank - b.entry.rank || a.entry.label.localeCompare(b.entry.label),
      );
      const fromCatalog = scored.slice(0, Math.ceil(query.limit / 2)).map(({ entry }) => entry.suggestion);
      const titles = await port.titles(database.db, query.q, query.limit - fromCatalog.length);
      return {
        items: [
          ...fromCatalog,
          ...titles.map((title) => ({ type: 'title' as const, label: title, search: { q: title } })),
        ],
      };
    },

    /** Like a listing the caller may see: a draft or a deleted listing is 404 to anyone else. */
    async similar(
      ctx: RequestContext,
      listingId: string,
      limit: number,
    ): Promise<{ items: ListingSummary[] }> {
      if (!(await ports.listings.isVisibleTo(ctx, listingId))) throw searchError('listing_not_found');
      return { items: await ports.listings.cardsOf(await port.similar(database.db, listingId, limit)) };
    },

    async recordView(ctx: RequestContext, listingId: string): Promise<void> {
      const userId = requireUser(ctx);
      const owner = await port.owner(database.db, listingId);
      if (!owner?.active) throw searchError('listing_not_found');
      await repository.recordView(database.db, userId, listingId);
      await repository.trimViews(database.db, userId, RECENTLY_VIEWED_KEEP);
    },

    async recentlyViewed(ctx: RequestContext, limit: number): Promise<{ items: ListingSummary[] }> {
      const userId = requireUser(ctx);
      const views = await repository.recentViews(database.db, userId, limit);
      const cards = await ports.listings.cardsOf(views.map((view) => view.listingId));
      return { items: cards.filter((card) => card.status === 'active') };
    },

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

    async listSaved(ctx: RequestContext): Promise<{ items: SavedSearch[] }> {
      const userId = requireUser(ctx);
      return { items: (await repository.listSaved(database.db, userId)).map(toSaved) };
    },

    async createSaved(
      ctx: RequestContext,
      input: { name: string; query: Record<string, string | string[]>; alert: AlertFrequency },
    ): Promise<SavedSearch> {
      const userId = requireUser(ctx);
      // The same validation as a search: a saved search that could not run is refused now.
      const { stored } = await resolveSearch(ports.catalog, input.query);
      if ((await repository.countSaved(database.db, userId)) >= MAX_SAVED_SEARCHES) {
        throw searchError('too_many_saved_searches', `At most ${MAX_SAVED_SEARCHES} saved searches.`);
      }
      return toSaved(
        await repository.insertSaved(database.db, {
          userId,
          name: input.name,
          query: stored,
          alert: input.alert,
        }),
      );
    },

    async updateSaved(
      ctx: RequestContext,
      id: string,
      input: { name?: string | undefined; alert?: AlertFrequency | undefined },
    ): Promise<SavedSearch> {
      await ownSaved(ctx, id);
      const values: { name?: string; alert?: AlertFrequency } = {};
      if (input.name !== undefined) values.name = input.name;
      if (input.alert !== undefined) values.alert = input.alert;
      const row = await repository.updateSaved(database.db, id, values);
      if (!row) throw searchError('saved_search_not_found');
      return toSaved(row);
    },

    async deleteSaved(ctx: RequestContext, id: string): Promise<void> {
      await ownSaved(ctx, id);
      await repository.deleteSaved(database.db, id);
    },

    /**
     * A listing was published: record it for every saved search with an alert that it matches
     * (never the seller's own), and notify the instant ones now. Safe to run twice: a pair is
     * recorded once, and the notification has a dedupe key.
     */
    async onListingPublished(event: { listingId: string; sellerId: string }): Promise<number> {
      const owner = await port.owner(database.db, event.listingId);
      if (!owner?.active) return 0;
      let afterId: string | null = null;
      let matched = 0;
      for (;;) {
        const batch = await repository.alerting(database.db, afterId, 200, ['instant', 'daily', 'weekly']);
        if (batch.length === 0) break;
        afterId = (batch.at(-1) as SavedSearchRow).id;
        for (const saved of batch) {
          if (saved.userId === owner.sellerId) continue;
          let filter: ListingSearchFilter;
          try {
            ({ filter } = await resolveSearch(ports.catalog, saved.query));
          } catch {
            continue; // The catalog changed under it (an attribute removed): it matches nothing now.
          }
          if (filter.text && !(await port.meaningful(database.db, filter.text))) delete filter.text;
          const { total } = await port.count(
            database.db,
            { ...filter, listingIds: [event.listingId], excludeSellerId: saved.userId },
            1,
          );
          if (total === 0) continue;
          const instant = saved.alert === 'instant';
          const recorded = await database.transaction(async (tx) => {
            const fresh = await repository.recordMatch(tx, saved.id, event.listingId, instant);
            if (fresh && instant) {
              await ports.notify(tx, {
                userId: saved.userId,
                type: 'saved_search_alert',
                title: `New for "${saved.name}": ${owner.title}`,
                body: `A new listing matches your saved search "${saved.name}".`,
                url: `/listings/${event.listingId}`,
                data: { savedSearchId: saved.id, listingId: event.listingId },
                dedupeKey: `saved-search:${saved.id}:${event.listingId}`,
                // The user chose "instant": its e-mail goes now, not in the digest of chatty
                // news (daily and weekly alerts are digests of their own already).
                emailNow: true,
              });
            }
            return fresh;
          });
          if (recorded) matched += 1;
        }
      }
      return matched;
    },

    /** Writes the query log's waiting entries (the app's close). */
    close: () => queryLog.flush(),

    /** Sends each due daily (or weekly) saved search one notification with its pending matches. */
    async sendDigests(frequency: 'daily' | 'weekly', now = new Date()): Promise<number> {
      const period = (frequency === 'daily' ? 1 : 7) * 86_400_000;
      // A little slack, so a cron that fires a minute early still finds yesterday's digest due.
      const due = await repository.dueDigests(
        database.db,
        frequency,
        new Date(now.getTime() - period + 3_600_000),
      );
      let sent = 0;
      for (const saved of due) {
        const pending = await repository.pendingMatches(database.db, saved.id);
        const cards = (await ports.listings.cardsOf(pending.map((match) => match.listingId))).filter(
          (card) => card.status === 'active',
        );
        await database.transaction(async (tx) => {
          await repository.markSent(
            tx,
            saved.id,
            pending.map((match) => match.listingId),
            now,
          );
          await repository.updateSaved(tx, saved.id, { lastDigestAt: now });
          if (cards.length === 0) return;
          await ports.notify(tx, {
            userId: saved.userId,
            type: 'saved_search_alert',
            title: `${cards.length} new for "${saved.name}"`,
            body: cards
              .slice(0, 10)
              .map((card) => `• ${card.title}`)
              .join('\n'),
            url: searchUrl(saved.query),
            data: { savedSearchId: saved.id, listingIds: cards.map((card) => card.id) },
            dedupeKey: `saved-search-digest:${saved.id}:${now.toISOString().slice(0, 10)}`,
          });
          sent += 1;
        });
      }
      return sent;
    },
  };
}

function requireUser(ctx: RequestContext): string {
  if (!ctx.actor) throw platformError('unauthenticated', 'Sign in first.');
  return ctx.actor.userId;
}

export type SearchService = ReturnType<typeof createSearchService>;
