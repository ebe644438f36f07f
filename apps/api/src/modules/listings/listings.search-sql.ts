import { Param, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { executeNamed } from '../../platform/db/prepared.js';
import type {
  AttributeFilter,
  ListingSearchFilter,
  ListingSort,
  SearchHit,
  SearchPosition,
} from './listings.search.js';

/**
 * The SQL of the listings' search port (listings.search.ts): the WHERE builder, sort keys, the
 * planner's estimates and statistics, facet parts, and the page read. Moved here unchanged so
 * the port stays readable; the named statements and plans of decisions 013-021 are the same.
 */

const rowsOfResult = <T>(result: unknown) => (result as { rows: T[] }).rows;

/**
 * Relevance ranks about this many of the newest matches; older matches follow, newest first.
 * Ranking reads every ranked row from the heap (its tsvector), one page each when matches are
 * spread over the table: "toyota" at 1M listings was 50,000 rows and ~900 ms. A broad text is
 * ranked within the most recent listings that hold about this many of its matches.
 */
export const RELEVANCE_WINDOW = 1000;
/** Distance tie slack: ties of the chord distance beyond this many at a page edge may reorder. */
export const DISTANCE_TIE_SLACK = 64;
/** A subtree of at most this many categories is paged one category at a time (see page). */
export const MAX_CATEGORY_ARMS = 32;

export type FacetRow = { facet: string; value: string | null; count: number };

/** A facet row as the driver returned it (a count may arrive as a string). */
export function toFacetRow(row: { facet: string; value: string | null; count: unknown }): FacetRow {
  return { facet: row.facet, value: row.value, count: Number(row.count) };
}

export const ACTIVE = sql`l.status = 'active' and l.deleted_at is null`;
/** earthdistance's `earth()`: the radius its cube points are placed on. */
export const EARTH_RADIUS_METRES = 6_378_168;
// souk_ll_to_earth, not earthdistance's ll_to_earth: the point index is built over it so that
// pg_restore can rebuild it (drizzle/0019), and a query reads the index only with the same call.
export const EARTH = sql`souk_ll_to_earth(l.latitude, l.longitude)`;

export function tsquery(text: string): SQL {
  return sql`websearch_to_tsquery('english', souk_fold(${text}))`;
}

export function origin(near: NonNullable<ListingSearchFilter['near']>): SQL {
  return sql`souk_ll_to_earth(${near.latitude}::float8, ${near.longitude}::float8)`;
}

export function where(
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
export const MAX_RANGE_VALUES = 30;
/** Combinations of chosen values beyond this are left to separate conditions. */
export const MAX_DOCUMENTS = 64;

/**
 * The attribute filters that containment can answer exactly (enum values, flags, short integer
 * ranges), as the documents a matching listing contains one of; null when there is none or the
 * combinations are too many. Range conditions stay beside them as well (cheap on the rows found,
 * and they keep the planner's estimate).
 */
export function containmentDocuments(attributes: AttributeFilter[]): Record<string, unknown>[] | null {
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

export function sortKey(
  sort: ListingSort,
  filter: ListingSearchFilter,
): { key: SQL; direction: 'asc' | 'desc' } {
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

export function keyValue(sort: ListingSort, filter: ListingSearchFilter, key: number | string | null): SQL {
  if (sort === 'newest' || sort === 'ending_soon' || (sort === 'relevance' && !filter.text))
    return sql`${key}::timestamptz`;
  return sql`${key}::float8`;
}

export function toKey(raw: unknown): number | string | null {
  if (raw instanceof Date) return raw.toISOString();
  if (typeof raw === 'string' && !/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(raw))
    return new Date(raw).toISOString();
  return raw === null || raw === undefined ? null : Number(raw);
}

export async function estimateRows(db: Queryable, statement: SQL): Promise<number> {
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
export async function publishedStatistics(
  db: Queryable,
): Promise<{ bounds: number[]; publishedPerActive: number }> {
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
export function facetParts(spec: FacetSpec): { columns: SQL[]; parts: SQL[] } {
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

/**
 * One page of ids in sort order, after `after`; ties broken by id the same way. With a
 * `window` (relevance over a broad text, see {@link RELEVANCE_WINDOW}) the order is: matches
 * published at or after the window's start by rank, then the older ones newest first.
 */
export async function searchPage(
  photos: (listingId: SQL) => SQL,
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
        [where({ ...filter, categoryIds }, photos, { priceIndexed: sortBy !== 'newest' }), ...conditions],
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
      : rowsOfResult<Row>(await db.execute(statement));
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
}
