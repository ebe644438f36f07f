import { Param, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { executeNamed } from '../../platform/db/prepared.js';

/**
 * The listings-owned query port of search (docs/decisions/010): the search module says what it
 * wants in these terms and never names a listings column itself. Every shape reads the partial
 * indexes of migration 0006 (`status = 'active' and deleted_at is null`).
 */
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

/**
 * Relevance ranks about this many of the newest matches; older matches follow, newest first.
 * Ranking reads every ranked row from the heap (its tsvector), one page each when matches are
 * spread over the table: "toyota" at 1M listings was 50,000 rows and ~900 ms. A broad text is
 * ranked within the most recent listings that hold about this many of its matches.
 */
export const RELEVANCE_WINDOW = 1000;
/** Distance tie slack: ties of the chord distance beyond this many at a page edge may reorder. */
const DISTANCE_TIE_SLACK = 64;
/** A subtree of at most this many categories is paged one category at a time (see page). */
const MAX_CATEGORY_ARMS = 32;

export type FacetRow = { facet: string; value: string | null; count: number };

/** A facet row as the driver returned it (a count may arrive as a string). */
function toFacetRow(row: { facet: string; value: string | null; count: unknown }): FacetRow {
  return { facet: row.facet, value: row.value, count: Number(row.count) };
}

const ACTIVE = sql`l.status = 'active' and l.deleted_at is null`;
/** earthdistance's `earth()`: the radius its cube points are placed on. */
const EARTH_RADIUS_METRES = 6_378_168;
// souk_ll_to_earth, not earthdistance's ll_to_earth: the point index is built over it so that
// pg_restore can rebuild it (drizzle/0019), and a query reads the index only with the same call.
const EARTH = sql`souk_ll_to_earth(l.latitude, l.longitude)`;

function tsquery(text: string): SQL {
  return sql`websearch_to_tsquery('english', souk_fold(${text}))`;
}

function origin(near: NonNullable<ListingSearchFilter['near']>): SQL {
  return sql`souk_ll_to_earth(${near.latitude}::float8, ${near.longitude}::float8)`;
}

function where(
  filter: ListingSearchFilter,
  photos: (listingId: SQL) => SQL,
  options: { priceIndexed?: boolean } = {},
): SQL {
  const parts: SQL[] = [ACTIVE];
  // `+ 0` keeps a price range off the (category, price) index, for a page that must walk the
  // (category, published) one in order: the planner, misjudging how many listings of a
  // category a price range keeps, otherwise read them all (63,000 electronics) and sorted.
  const price =
    options.priceIndexed === false
      ? sql`(coalesce(l.price_amount, 0) + 0)`
      : sql`coalesce(l.price_amount, 0)`;
  if (filter.text) parts.push(sql`l.search_vector @@ ${tsquery(filter.text)}`);
  if (filter.listingIds) parts.push(sql`l.id = any(${new Param(filter.listingIds)}::uuid[])`);
  if (filter.categoryIds?.length === 1) {
    // A plain equality lets the (category_id, sort key) indexes return rows already in order.
    parts.push(sql`l.category_id = ${filter.categoryIds[0]}::uuid`);
  } else if (filter.categoryIds) {
    parts.push(sql`l.category_id = any(${new Param(filter.categoryIds)}::uuid[])`);
  }
  const documents = containmentDocuments(filter.attributes ?? []);
  if (documents?.length === 0) parts.push(sql`false`);
  else if (documents) {
    // One containment document per combination of the chosen values (make toyota × year 2015
    // … 2020): the GIN index intersects them itself, so only matching rows are read. A year
    // range as a filter on the heap read every Toyota of every category (41,000 rows at 1M).
    parts.push(
      sql`(${sql.join(
        documents.map((document) => sql`l.attributes @> ${JSON.stringify(document)}::jsonb`),
        sql` or `,
      )})`,
    );
  }
  for (const attribute of filter.attributes ?? []) {
    if (documents && attribute.kind !== 'range') continue;
    if (attribute.kind === 'values') {
      // Containment reads the jsonb_path_ops GIN index; one alternative per chosen value.
      const alternatives = attribute.values.map((value) => {
        const document = { [attribute.key]: attribute.multi ? [value] : value };
        return sql`l.attributes @> ${JSON.stringify(document)}::jsonb`;
      });
      parts.push(sql`(${sql.join(alternatives, sql` or `)})`);
    } else if (attribute.kind === 'flag') {
      parts.push(sql`l.attributes @> ${JSON.stringify({ [attribute.key]: attribute.value })}::jsonb`);
    } else {
      const value = sql`(case when jsonb_typeof(l.attributes -> ${attribute.key}) = 'number' then (l.attributes ->> ${attribute.key})::numeric end)`;
      if (attribute.min !== undefined) parts.push(sql`${value} >= ${attribute.min}`);
      if (attribute.max !== undefined) parts.push(sql`${value} <= ${attribute.max}`);
    }
  }
  if (filter.priceMin !== undefined) parts.push(sql`${price} >= ${filter.priceMin}`);
  if (filter.priceMax !== undefined) parts.push(sql`${price} <= ${filter.priceMax}`);
  if (filter.currency) parts.push(sql`l.currency = ${filter.currency}`);
  if (filter.conditions) parts.push(sql`l.condition = any(${new Param(filter.conditions)}::text[])`);
  if (filter.kinds) parts.push(sql`l.kind = any(${new Param(filter.kinds)}::text[])`);
  if (filter.sellerId) parts.push(sql`l.seller_id = ${filter.sellerId}`);
  if (filter.excludeSellerId) parts.push(sql`l.seller_id <> ${filter.excludeSellerId}`);
  if (filter.withPhotos) parts.push(photos(sql`l.id`));
  if (filter.publishedSince)
    parts.push(sql`l.published_at >= ${filter.publishedSince.toISOString()}::timestamptz`);
  if (filter.near) {
    const metres = filter.near.radiusKm * 1000;
    // The cube box reads the GiST index; the exact test trims its corners. A great-circle
    // distance is at most `metres` exactly when the straight line (chord) through the earth is
    // at most this long; comparing the chord skips earth_distance, a SQL function that cost
    // ~2 µs a row (10,001 rows around Colombo: 22 ms → 5 ms, the same rows).
    const chord =
      2 * EARTH_RADIUS_METRES * Math.sin(Math.min(metres / (2 * EARTH_RADIUS_METRES), Math.PI / 2));
    parts.push(sql`l.latitude is not null and l.longitude is not null`);
    parts.push(sql`earth_box(${origin(filter.near)}, ${metres}::float8) @> ${EARTH}`);
    parts.push(sql`(${EARTH} <-> ${origin(filter.near)}) <= ${chord}::float8`);
  }
  return sql.join(parts, sql` and `);
}

/** Short whole-number ranges become value lists (see containmentDocuments). */
const MAX_RANGE_VALUES = 30;
/** Combinations of chosen values beyond this are left to separate conditions. */
const MAX_DOCUMENTS = 64;

/**
 * The attribute filters that containment can answer exactly (enum values, flags, short integer
 * ranges), as the documents a matching listing contains one of; null when there is none or the
 * combinations are too many. Range conditions stay beside them as well (cheap on the rows found,
 * and they keep the planner's estimate).
 */
function containmentDocuments(attributes: AttributeFilter[]): Record<string, unknown>[] | null {
  const choices: { key: string; values: unknown[] }[] = [];
  for (const attribute of attributes) {
    if (attribute.kind === 'values') {
      choices.push({
        key: attribute.key,
        values: attribute.values.map((value) => (attribute.multi ? [value] : value)),
      });
    } else if (attribute.kind === 'flag') {
      choices.push({ key: attribute.key, values: [attribute.value] });
    } else if (
      attribute.integer &&
      attribute.min !== undefined &&
      attribute.max !== undefined &&
      attribute.max - attribute.min < MAX_RANGE_VALUES
    ) {
      const values: number[] = [];
      for (let value = Math.ceil(attribute.min); value <= Math.floor(attribute.max); value++)
        values.push(value);
      choices.push({ key: attribute.key, values });
    }
  }
  if (choices.length === 0) return null;
  let documents: Record<string, unknown>[] = [{}];
  for (const choice of choices) {
    if (choice.values.length === 0) return []; // a range with no whole number in it
    documents = documents.flatMap((document) =>
      choice.values.map((value) => ({ ...document, [choice.key]: value })),
    );
    if (documents.length > MAX_DOCUMENTS) return null;
  }
  return documents;
}

function sortKey(sort: ListingSort, filter: ListingSearchFilter): { key: SQL; direction: 'asc' | 'desc' } {
  switch (sort) {
    case 'relevance':
      return filter.text
        ? { key: sql`ts_rank_cd(l.search_vector, ${tsquery(filter.text)})::float8`, direction: 'desc' }
        : { key: sql`l.published_at`, direction: 'desc' };
    case 'newest':
      return { key: sql`l.published_at`, direction: 'desc' };
    case 'price_asc':
      return { key: sql`coalesce(l.price_amount, 0)`, direction: 'asc' };
    case 'price_desc':
      return { key: sql`coalesce(l.price_amount, 0)`, direction: 'desc' };
    case 'distance':
      if (!filter.near) throw new Error('distance sort needs a point');
      // The straight-line (chord) distance orders like the great-circle one, and `<->` lets the
      // GiST index return the nearest rows first instead of sorting every row in the radius.
      return { key: sql`(${EARTH} <-> ${origin(filter.near)})`, direction: 'asc' };
    case 'ending_soon':
      return { key: sql`l.expires_at`, direction: 'asc' };
  }
}

function keyValue(sort: ListingSort, filter: ListingSearchFilter, key: number | string | null): SQL {
  if (sort === 'newest' || sort === 'ending_soon' || (sort === 'relevance' && !filter.text))
    return sql`${key}::timestamptz`;
  return sql`${key}::float8`;
}

function toKey(raw: unknown): number | string | null {
  if (raw instanceof Date) return raw.toISOString();
  if (typeof raw === 'string' && !/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(raw))
    return new Date(raw).toISOString();
  return raw === null || raw === undefined ? null : Number(raw);
}

async function estimateRows(db: Queryable, statement: SQL): Promise<number> {
  const [plan] = (
    (await db.execute(sql`explain (format json) ${statement}`)) as unknown as {
      rows: { 'QUERY PLAN': unknown }[];
    }
  ).rows;
  const parsed = plan?.['QUERY PLAN'];
  const json = (typeof parsed === 'string' ? JSON.parse(parsed) : parsed) as
    | [{ Plan: { 'Plan Rows': number } }]
    | undefined;
  return Math.round(json?.[0]?.Plan['Plan Rows'] ?? 0);
}

/**
 * The planner's equal-count histogram of `listings.published_at` (pg_stats) as epoch ms, and how
 * many published listings (any status) there are per active one. The histogram counts sold and
 * expired listings too, which are older: the share of *active* listings published since a recent
 * time is the histogram's share times that ratio.
 */
async function publishedStatistics(db: Queryable): Promise<{ bounds: number[]; publishedPerActive: number }> {
  const [row] = (
    (await db.execute(sql`
      select s.histogram_bounds::text as bounds, s.null_frac::float8 as null_frac, c.reltuples::float8 as tuples
      from pg_stats s join pg_class c on c.relname = s.tablename and c.relnamespace = to_regnamespace(s.schemaname)
      where s.schemaname = current_schema() and s.tablename = 'listings' and s.attname = 'published_at'`)) as unknown as {
      rows: { bounds: string | null; null_frac: number; tuples: number }[];
    }
  ).rows;
  if (!row?.bounds) return { bounds: [], publishedPerActive: 1 };
  const bounds = row.bounds
    .replace(/^\{|\}$/g, '')
    .split(',')
    .map((bound) =>
      Date.parse(
        bound
          .replace(/^"|"$/g, '')
          .replace(' ', 'T')
          .replace(/([+-]\d\d)$/, '$1:00'),
      ),
    )
    .filter((time) => Number.isFinite(time));
  const active = await estimateRows(db, sql`select 1 from listings l where ${ACTIVE}`);
  const published = Number(row.tuples) * (1 - Number(row.null_frac));
  return { bounds, publishedPerActive: active > 0 && published > active ? published / active : 1 };
}

/** What facets to count: enum attributes' values, and histograms over fixed bucket bounds. */
export type FacetSpec = {
  enums: { key: string; multi: boolean }[];
  histograms: { name: string; key: string | null; bounds: number[] }[];
};

/** Whether counting these facets reads attribute values out of each row's jsonb. */
export function facetsReadAttributes(spec: FacetSpec): boolean {
  return spec.enums.length > 0 || spec.histograms.some((histogram) => histogram.key !== null);
}

/**
 * The facet counts over a CTE `m` of matching rows: the columns `m` selects from `listings l`
 * and one grouping statement per facet (categories, enum values, histogram buckets), plus the
 * `sample` row (how many rows `m` holds).
 */
function facetParts(spec: FacetSpec): { columns: SQL[]; parts: SQL[] } {
  // Each attribute value and histogram bucket is read out of the row once, into a column of
  // the sample; the facets then group those narrow columns. Grouping `attributes ->> key` per
  // facet instead re-read every sampled jsonb once per facet (~25 % slower for cars' eight).
  const columns: SQL[] = [sql`l.category_id`];
  const parts: SQL[] = [
    sql`select 'sample' as facet, null as value, count(*)::int as count from m`,
    sql`select 'category' as facet, m.category_id::text as value, count(*)::int as count from m group by 2`,
  ];
  spec.enums.forEach((attribute, index) => {
    const column = sql.raw(`e${index}`);
    const facet = `attr:${attribute.key}`;
    if (attribute.multi) {
      columns.push(
        sql`case when jsonb_typeof(l.attributes -> ${attribute.key}) = 'array' then l.attributes -> ${attribute.key} end as ${column}`,
      );
      parts.push(
        sql`select ${facet} as facet, v.value, count(*)::int from m cross join lateral jsonb_array_elements_text(m.${column}) v(value) where m.${column} is not null group by 2`,
      );
    } else {
      columns.push(sql`l.attributes ->> ${attribute.key} as ${column}`);
      parts.push(
        sql`select ${facet} as facet, m.${column} as value, count(*)::int from m where m.${column} is not null group by 2`,
      );
    }
  });
  spec.histograms.forEach((histogram, index) => {
    const column = sql.raw(`h${index}`);
    const value =
      histogram.key === null
        ? sql`coalesce(l.price_amount, 0)::numeric`
        : sql`(case when jsonb_typeof(l.attributes -> ${histogram.key}) = 'number' then (l.attributes ->> ${histogram.key})::numeric end)`;
    columns.push(sql`width_bucket(${value}, ${`{${histogram.bounds.join(',')}}`}::numeric[]) as ${column}`);
    parts.push(
      sql`select ${`hist:${histogram.name}`} as facet, m.${column}::text as value, count(*)::int from m where m.${column} is not null group by 2`,
    );
  });
  return { columns, parts };
}

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
     * One page of ids in sort order, after `after`; ties broken by id the same way. With a
     * `window` (relevance over a broad text, see {@link RELEVANCE_WINDOW}) the order is: matches
     * published at or after the window's start by rank, then the older ones newest first.
     */
    async page(
      db: Queryable,
      filter: ListingSearchFilter,
      sort: ListingSort,
      limit: number,
      after?: SearchPosition,
      window?: string | null,
      /** Only the matches older than the window (the ranked ones were read by rankedWindow). */
      options: { olderOnly?: boolean } = {},
    ): Promise<SearchHit[]> {
      const distance = filter.near ? sql`earth_distance(${origin(filter.near)}, ${EARTH}) / 1000` : sql`null`;
      // No filter but the category, in a stored order: the plan walks an index whatever the values.
      const plannedOnce =
        (sort === 'newest' || sort === 'price_asc' || sort === 'price_desc') &&
        Object.entries(filter).every(([key, value]) => value === undefined || key === 'categoryIds');
      const read = async (
        sortBy: ListingSort,
        extra: SQL[],
        position: SearchPosition | undefined,
        count: number,
      ): Promise<SearchHit[]> => {
        const { key, direction } = sortKey(sortBy, filter);
        const conditions = [...extra];
        // Rows without a key (never published, no expiry) cannot be placed in the order: left out.
        if (sortBy !== 'distance') conditions.push(sql`${key} is not null`);
        if (position) {
          const value = keyValue(sortBy, filter, position.key);
          conditions.push(
            direction === 'desc'
              ? sql`(${key}, l.id) < (${value}, ${position.id}::uuid)`
              : sql`(${key}, l.id) > (${value}, ${position.id}::uuid)`,
          );
        }
        if (sortBy === 'ending_soon') conditions.push(sql`l.expires_at > now()`);
        const order = direction === 'desc' ? sql`desc` : sql`asc`;
        // A named statement's limit is part of its text: with a parameter there, PostgreSQL's
        // generic plan assumes a tenth of the rows and never wins over planning anew.
        const limitSql = plannedOnce ? sql.raw(String(Math.trunc(count))) : sql`${count}`;
        const ids = filter.categoryIds ?? [];
        const perCategory =
          ids.length > 1 &&
          ids.length <= MAX_CATEGORY_ARMS &&
          (sortBy === 'newest' || sortBy === 'price_asc' || sortBy === 'price_desc');
        const matching = (categoryIds = filter.categoryIds) =>
          sql.join(
            [
              where({ ...filter, categoryIds }, deps.photos, { priceIndexed: sortBy !== 'newest' }),
              ...conditions,
            ],
            sql` and `,
          );
        const statement = perCategory
          ? // A category with subcategories ("vehicles"): `category_id = any(…)` cannot walk the
            // (category_id, sort key) indexes in order, so PostgreSQL 15 sorted every listing
            // of the subtree (202,000 electronics, ~900 ms at 1M). Each subcategory walks its
            // own index for one page instead, and the pages are merged.
            sql`
              select * from (${sql.join(
                ids.map(
                  (id) => sql`(
                    select l.id, ${key} as key, ${distance} as distance_km
                    from listings l
                    where ${matching([id])}
                    order by ${key} ${order}, l.id ${order}
                    limit ${limitSql})`,
                ),
                sql` union all `,
              )}) u order by u.key ${order}, u.id ${order} limit ${limitSql}`
          : sortBy === 'distance'
            ? // The GiST index returns rows nearest first (a KNN scan) only when ordered by the
              // distance alone: with ", id" the planner read every row in the radius and sorted
              // them (45,000 rows, 1.3 s around Colombo at 1M). The id order of equal distances
              // (listings at one point) is restored on the nearest rows read, with some slack.
              sql`
              select * from (
                select l.id, ${key} as key, ${distance} as distance_km
                from listings l
                where ${matching()}
                order by ${key} asc
                limit ${count + DISTANCE_TIE_SLACK}
              ) t order by t.key asc, t.id asc limit ${count}`
            : sql`
              select l.id, ${key} as key, ${distance} as distance_km
              from listings l
              where ${matching()}
              order by ${key} ${order}, l.id ${order}
              limit ${limitSql}`;
        type Row = { id: string; key: unknown; distance_km: number | null };
        // A browse's page (no filter but the category) walks the category's index in order
        // whatever the category: its plan is kept per connection instead of made every time.
        const found = plannedOnce
          ? await executeNamed<Row>(db, statement)
          : rowsOf<Row>(await db.execute(statement));
        return found.map((row) => ({
          id: row.id,
          key: toKey(row.key),
          distanceKm: row.distance_km === null ? null : Number(row.distance_km),
        }));
      };

      if (!(sort === 'relevance' && filter.text && window)) return read(sort, [], after, limit);
      const since = sql`${window}::timestamptz`;
      const hits: SearchHit[] = [];
      if (after?.phase !== 2 && !options.olderOnly) {
        const ranked = await read('relevance', [sql`l.published_at >= ${since}`], after, limit);
        hits.push(...ranked.map((hit) => ({ ...hit, phase: 1 as const })));
      }
      if (hits.length < limit) {
        const older = await read(
          'newest',
          [sql`l.published_at < ${since}`],
          after?.phase === 2 ? after : undefined,
          limit - hits.length,
        );
        hits.push(...older.map((hit) => ({ ...hit, phase: 2 as const })));
      }
      return hits;
    },

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
