import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import {
  ACTIVE,
  estimateRows,
  type FacetRow,
  type FacetSpec,
  facetParts,
  facetsReadAttributes,
  publishedStatistics,
  RELEVANCE_WINDOW,
  searchPage,
  sortKey,
  toFacetRow,
  toKey,
  tsquery,
  where,
} from './listings.search-sql.js';

/**
 * The listings-owned query port of search (docs/decisions/010): the search module says what it
 * wants in these terms and never names a listings column itself. Every shape reads the partial
 * indexes of migration 0006 (`status = 'active' and deleted_at is null`).
 */
export {
  type FacetRow,
  type FacetSpec,
  facetsReadAttributes,
  RELEVANCE_WINDOW,
} from './listings.search-sql.js';

export type AttributeFilter =
  | { key: string; kind: 'values'; values: string[]; multi: boolean }
  | {
      key: string;
      kind: 'range';
      min?: number | undefined;
      max?: number | undefined;
      /** Whole numbers only (a year): a short range can be read as a list of values. */
      integer?: boolean | undefined;
    }
  | { key: string; kind: 'flag'; value: boolean };

export type ListingSearchFilter = {
  /** Web-search syntax: quotes, -word, or. Folded (lower case, no accents) before parsing. */
  text?: string | undefined;
  categoryIds?: string[] | undefined;
  attributes?: AttributeFilter[] | undefined;
  /** Minor units. */
  priceMin?: number | undefined;
  priceMax?: number | undefined;
  currency?: string | undefined;
  conditions?: string[] | undefined;
  kinds?: string[] | undefined;
  sellerId?: string | undefined;
  excludeSellerId?: string | undefined;
  withPhotos?: boolean | undefined;
  publishedSince?: Date | undefined;
  near?: { latitude: number; longitude: number; radiusKm: number } | undefined;
  /** Only these listings (alert matching checks one new listing against saved searches). */
  listingIds?: string[] | undefined;
};

export type ListingSort = 'relevance' | 'newest' | 'price_asc' | 'price_desc' | 'distance' | 'ending_soon';

/**
 * Keyset position: the sort key of the last row (a number, an ISO time or null) and its id. A
 * relevance search over many matches also carries its window (see {@link RELEVANCE_WINDOW}): the
 * publication time it starts at, and whether the position is inside it (phase 1, ranked) or
 * past it (phase 2, newest first).
 */
export type SearchPosition = {
  key: number | string | null;
  id: string;
  window?: string | undefined;
  phase?: 1 | 2 | undefined;
};

export type SearchHit = {
  id: string;
  key: number | string | null;
  distanceKm: number | null;
  /** Set when the page was read with a relevance window: the part of the order this row is in. */
  phase?: 1 | 2 | undefined;
};

export function createListingSearch(deps: {
  /** The media module's "this listing has an image" condition (its table, its SQL). */
  photos: (listingId: SQL) => SQL;
}) {
  const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;
  // The histogram changes only when the table is analyzed; a search may read it twice.
  let published: { at: number; statistics: Awaited<ReturnType<typeof publishedStatistics>> } | null = null;
  const histogram = async (db: Queryable) => {
    if (published && Date.now() - published.at < 60_000) return published.statistics;
    const statistics = await publishedStatistics(db);
    // No statistics yet (a fresh database) is not kept: the first ANALYZE should count at once.
    published = statistics.bounds.length >= 2 ? { at: Date.now(), statistics } : null;
    return statistics;
  };

  return {
    /** Does the text parse into anything searchable (not only stop words or punctuation)? */
    async meaningful(db: Queryable, text: string): Promise<boolean> {
      const [row] = rowsOf<{ nodes: number }>(
        await db.execute(sql`select numnode(${tsquery(text)}) as nodes`),
      );
      return (row?.nodes ?? 0) > 0;
    },

    /**
     * One page of ids in sort order, after `after` (see searchPage in listings.search-sql.ts).
     */
    page: (
      db: Queryable,
      filter: ListingSearchFilter,
      sort: ListingSort,
      limit: number,
      after?: SearchPosition,
      window?: string | null,
      options: { olderOnly?: boolean } = {},
    ): Promise<SearchHit[]> => searchPage(deps.photos, db, filter, sort, limit, after, window, options),

    /**
     * The publication time where the relevance window of a text with about `expected` matches
     * starts (null: rank them all). Only a text with more than ten windows' worth of matches
     * gets one; below that, ranking every match costs less than finding the window. Assumes
     * matches are spread evenly over publication times and reads the quantile from the
     * planner's statistics (pg_stats), so it costs no scan; without statistics (a fresh
     * PGlite) every match is ranked.
     */
    async relevanceWindow(db: Queryable, expected: number): Promise<string | null> {
      if (expected <= RELEVANCE_WINDOW * 10) return null;
      const { bounds, publishedPerActive } = await histogram(db);
      if (bounds.length < 2) return null;
      // The histogram splits the published listings into equal parts by publication time: the
      // window starts at the bound above which about RELEVANCE_WINDOW of the matches lie.
      const share = RELEVANCE_WINDOW / expected / publishedPerActive;
      const index = Math.floor((bounds.length - 1) * (1 - share));
      const start = bounds[Math.max(0, Math.min(bounds.length - 2, index))] as number;
      return new Date(start).toISOString();
    },

    /**
     * The share (0-1] of active listings published at or after `since`, read from the planner's
     * histogram of publication times like {@link relevanceWindow} (no scan); null without
     * statistics. Matches found since then, divided by it, estimate all the matches.
     */
    async publishedShare(db: Queryable, since: string): Promise<number | null> {
      const { bounds, publishedPerActive } = await histogram(db);
      if (bounds.length < 2) return null;
      const at = Date.parse(since);
      const buckets = bounds.length - 1;
      let later = 0;
      for (let bucket = 0; bucket < buckets; bucket++) {
        const low = bounds[bucket] as number;
        const high = bounds[bucket + 1] as number;
        if (at <= low) later += 1;
        else if (at < high) later += (high - at) / (high - low);
      }
      return later > 0 ? Math.min(1, (later / buckets) * publishedPerActive) : null;
    },

    /** The planner's estimate of the rows matching `filter` (one EXPLAIN, no rows read). */
    async estimate(db: Queryable, filter: ListingSearchFilter): Promise<number> {
      return estimateRows(db, sql`select 1 from listings l where ${where(filter, deps.photos)}`);
    },

    /**
     * Exact count up to `cap`; above it the planner's estimate, flagged as such. When the
     * planner expects far more than `cap` rows, counting `cap + 1` of them (~45 ms at 10,000)
     * is skipped: the answer would be "more than the cap" anyway.
     */
    async count(
      db: Queryable,
      filter: ListingSearchFilter,
      cap: number,
      /** The planner's estimate when the caller has it already. */
      expected?: number,
    ): Promise<{ total: number; exact: boolean }> {
      const condition = where(filter, deps.photos);
      const estimate = () => estimateRows(db, sql`select 1 from listings l where ${condition}`);
      if (cap >= 1000) {
        // Counting cap + 1 rows spread over the table reads as many heap pages (10,001 cost
        // 250-450 ms at 1M): when the planner expects more than the cap, its estimate stands.
        // Text and category estimates are close; jsonb containment is underestimated, so
        // those are counted (the estimate errs towards counting).
        const planned = expected ?? (await estimate());
        if (planned > cap) return { total: planned, exact: false };
      }
      const [row] = rowsOf<{ n: number }>(
        await db.execute(
          sql`select count(*)::int as n from (select 1 from listings l where ${condition} limit ${cap + 1}) t`,
        ),
      );
      const n = Number(row?.n ?? 0);
      if (n <= cap) return { total: n, exact: true };
      return { total: Math.max(cap + 1, await estimate()), exact: false };
    },

    /**
     * Facet counts over the whole result set in one pass: categories, the values of the given
     * enum attributes, and histograms (price, numeric attributes) over fixed bucket bounds.
     */
    async facets(
      db: Queryable,
      filter: ListingSearchFilter,
      spec: FacetSpec & {
        /** Count over at most this many matching rows (the caller scales them up); null: all. */
        sample: number | null;
        /** Sample the relevance window's rows (the newest matches) instead of the first found. */
        window?: string | null | undefined;
      },
    ): Promise<FacetRow[]> {
      const { columns, parts } = facetParts(spec);
      return rowsOf<{ facet: string; value: string | null; count: number }>(
        await db.execute(sql`
          with m as materialized (
            select ${sql.join(columns, sql`, `)} from listings l where ${where(filter, deps.photos)}
            ${spec.window ? sql`and l.published_at >= ${spec.window}::timestamptz` : sql``}
            ${spec.sample === null ? sql`` : sql`limit ${spec.sample}`}
          )
          ${sql.join(parts, sql` union all `)}`),
      ).map(toFacetRow);
    },

    /**
     * Facets over the first `spec.sample` matches and the count of up to `cap + 1` of them, in one
     * read of the matches: the count reads the sample's rows anyway. Only for facets of cheap
     * columns (categories, price), which cost little to read for every counted row: a search
     * around a point reads both from the point index alone.
     */
    async countedFacets(
      db: Queryable,
      filter: ListingSearchFilter,
      cap: number,
      spec: FacetSpec & { sample: number },
    ): Promise<{ facets: FacetRow[]; counted: number }> {
      if (facetsReadAttributes(spec)) throw new Error('countedFacets counts categories and price only');
      const { columns, parts } = facetParts(spec);
      // The counted rows keep the raw columns; price buckets are worked out for the sample only.
      const rows = rowsOf<{ facet: string; value: string | null; count: number }>(
        await db.execute(sql`
          with c as materialized (
            select l.category_id, l.price_amount from listings l where ${where(filter, deps.photos)} limit ${cap + 1}
          ),
          m as (select ${sql.join(columns, sql`, `)} from c l limit ${spec.sample})
          ${sql.join(parts, sql` union all `)}
          union all select 'counted', null, count(*)::int from c`),
      );
      const counted = Number(rows.find((row) => row.facet === 'counted')?.count ?? 0);
      const facets = rows.filter((row) => row.facet !== 'counted').map(toFacetRow);
      return { facets, counted };
    },

    /**
     * The first page of a text search by relevance, its facets and how many matches were ranked,
     * in one statement: the three read the same rows (the window's matches, see
     * {@link RELEVANCE_WINDOW}, or without a window all of them), and reading them once instead
     * of three times was half of a text search's cost. With a window the page has only the
     * ranked rows; older matches follow through `page` (`olderOnly`).
     */
    async rankedWindow(
      db: Queryable,
      filter: ListingSearchFilter,
      window: string | null,
      limit: number,
      spec: FacetSpec & { sample: number },
    ): Promise<{ hits: SearchHit[]; facets: FacetRow[]; inWindow: number }> {
      const { columns, parts } = facetParts(spec);
      const { key } = sortKey('relevance', filter);
      const rows = rowsOf<{ facet: string; value: string | null; count: number | null; key: number | null }>(
        await db.execute(sql`
          with w as materialized (
            select l.id, ${key} as key, ${sql.join(columns, sql`, `)} from listings l
            where ${where(filter, deps.photos)}
            ${window ? sql`and l.published_at >= ${window}::timestamptz` : sql``}
          ),
          m as (select * from w limit ${spec.sample})
          select f.facet, f.value, f.count, null::float8 as key from (${sql.join(parts, sql` union all `)}) f
          union all
          select 'window', null, count(*)::int, null from w
          union all
          (select 'hit', w.id::text, null, w.key from w order by w.key desc, w.id desc limit ${limit})`),
      );
      const hits: SearchHit[] = [];
      const facets: FacetRow[] = [];
      let inWindow = 0;
      for (const row of rows) {
        if (row.facet === 'hit') {
          const hit: SearchHit = { id: row.value as string, key: toKey(row.key), distanceKm: null };
          hits.push(window ? { ...hit, phase: 1 } : hit);
        } else if (row.facet === 'window') inWindow = Number(row.count);
        else facets.push(toFacetRow(row));
      }
      // `union all` keeps each arm's rows together but not the arms' order within a sort.
      hits.sort((a, b) => (b.key as number) - (a.key as number) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
      return { hits, facets, inWindow };
    },

    /** Words of active titles closest to `word` by trigram similarity ("did you mean"). */
    async closestWords(db: Queryable, word: string, limit = 1): Promise<string[]> {
      const rows = rowsOf<{ word: string }>(
        await db.execute(sql`
          with candidates as (
            select souk_fold(l.title) as title from listings l
            where ${ACTIVE} and souk_fold(${word}) <% souk_fold(l.title)
            limit 200
          )
          select w.word from candidates c, regexp_split_to_table(c.title, '[^[:alnum:]]+') w(word)
          where length(w.word) > 1
          group by w.word
          order by max(similarity(w.word, souk_fold(${word}))) desc, count(*) desc
          limit ${limit}`),
      );
      return rows.map((row) => row.word);
    },

    /** Distinct active titles starting with `prefix` (folded). */
    async titles(db: Queryable, prefix: string, limit: number): Promise<string[]> {
      const folded = sql`souk_fold(${prefix})`;
      const byPrefix = rowsOf<{ title: string }>(
        await db.execute(sql`
          select min(t.title) as title from (
            select l.title, souk_fold(l.title) collate "C" as folded from listings l
            where ${ACTIVE} and souk_fold(l.title) collate "C" like (replace(replace(replace(${folded}, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%')
            order by souk_fold(l.title) collate "C"
            limit ${limit * 5}
          ) t group by t.folded order by t.folded limit ${limit}`),
      ).map((row) => row.title);
      // Typos are caught by the catalog's makes and models (in memory); a trigram scan of every
      // title cost 80-100 ms at 100k listings, too slow for each keystroke.
      return byPrefix;
    },

    /**
     * Active listings like this one: same category, sharing title words (any of them, through
     * the text index), ranked by how many they share, then by the nearest price.
     */
    async similar(db: Queryable, listingId: string, limit: number): Promise<string[]> {
      return rowsOf<{ id: string }>(
        await db.execute(sql`
          with s as (
            select s.id, s.category_id, s.price_amount,
              to_tsquery('english', nullif(array_to_string(array(
                select quote_literal(w) from unnest(tsvector_to_array(to_tsvector('english', souk_fold(s.title)))) w
              ), ' | '), '')) as q
            from listings s where s.id = ${listingId}
          )
          select l.id from s
          join listings l on l.category_id = s.category_id and l.id <> s.id and l.search_vector @@ s.q and ${ACTIVE}
          order by ts_rank_cd(l.search_vector, s.q) desc,
            abs(coalesce(l.price_amount, 0) - coalesce(s.price_amount, 0)), l.id
          limit ${limit}`),
      ).map((row) => row.id);
    },

    /** The published listing's seller and whether it is active (alert matching). */
    async owner(
      db: Queryable,
      listingId: string,
    ): Promise<{ sellerId: string; active: boolean; title: string } | null> {
      const [row] = rowsOf<{ seller_id: string; active: boolean; title: string }>(
        await db.execute(
          sql`select l.seller_id, (${ACTIVE}) as active, l.title from listings l where l.id = ${listingId}`,
        ),
      );
      return row ? { sellerId: row.seller_id, active: row.active, title: row.title } : null;
    },
  };
}

export type ListingSearch = ReturnType<typeof createListingSearch>;
