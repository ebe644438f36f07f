import { and, desc, eq, getTableColumns, gt, inArray, is, isNull, lt, lte, or, SQL, sql } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import type { Queryable } from '../../platform/db/database.js';
import { preparedStatement } from '../../platform/db/prepared.js';
import {
  type ListingRow,
  type ListingStatus,
  listings,
  listingViews,
  type NewListingRow,
} from './listings.schema.js';

export type ListingCursor = { at: Date; id: string };

/** [property, column] of every listings column, for `insertMany`. */
const listingColumns = Object.entries(getTableColumns(listings));
type ColumnEntry = (typeof listingColumns)[number];
/** What an import sets on an existing listing: its content and status, nothing else. */
const IMPORTED = new Set([
  'id',
  'externalId',
  'categoryId',
  'title',
  'description',
  'priceType',
  'priceAmount',
  'currency',
  'condition',
  'quantity',
  'locationId',
  'latitude',
  'longitude',
  'pointFromCity',
  'attributes',
  'features',
  'status',
  'publishedAt',
  'expiresAt',
]);
const importedColumns = listingColumns.filter(([property]) => IMPORTED.has(property));
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Rows as JSON records keyed by column name; omitted values take the column's default. */
function toRecords(rows: NewListingRow[], columns: ColumnEntry[]): Record<string, unknown>[] {
  return rows.map((row) => {
    const record: Record<string, unknown> = {};
    for (const [property, column] of columns) {
      let value = (row as Record<string, unknown>)[property];
      if (value === undefined && column.defaultFn) value = column.defaultFn();
      else if (value === undefined && !is(column.default, SQL)) value = column.default;
      if (value !== undefined && value !== null)
        record[column.name] = value instanceof Date ? value.toISOString() : value;
    }
    return record;
  });
}

const recordsetTypes = (columns: ColumnEntry[]) =>
  sql.join(
    columns.map(([, column]) => sql`${sql.identifier(column.name)} ${sql.raw(column.getSQLType())}`),
    sql`, `,
  );

/**
 * INSERT of many rows. The rows travel as one JSON parameter expanded by `jsonb_to_recordset`:
 * building a 1,000-row VALUES list through the query builder cost ~140 µs of CPU a row, the
 * JSON ~5 µs, and there is no 65,535-parameter limit. Omitted values take the column's default.
 */
function insertFromRecordset(rows: NewListingRow[]): SQL {
  return sql`
    insert into ${listings} (${sql.join(
      listingColumns.map(([, column]) => sql.identifier(column.name)),
      sql`, `,
    )})
    select ${sql.join(
      listingColumns.map(([, column]) =>
        is(column.default, SQL)
          ? sql`coalesce(r.${sql.identifier(column.name)}, ${column.default})`
          : sql`r.${sql.identifier(column.name)}`,
      ),
      sql`, `,
    )}
    from jsonb_to_recordset(${JSON.stringify(toRecords(rows, listingColumns))}::jsonb) as r(${recordsetTypes(listingColumns)})`;
}

/** Keyset paging, newest first: rows strictly before the cursor in (column, id) order. */
function before(column: PgColumn, cursor: ListingCursor): SQL {
  return or(lt(column, cursor.at), and(eq(column, cursor.at), lt(listings.id, cursor.id))) as SQL;
}

// The statements of a listing's page, the most requested read: built once (platform/db/prepared.ts).
const selectById = preparedStatement('listings_by_id', (db, name) =>
  db
    .select()
    .from(listings)
    .where(eq(listings.id, sql.placeholder('id')))
    .prepare(name),
);
// Conversations, cards and imports read listings by a list of ids: one uuid[] parameter.
const selectByIds = preparedStatement('listings_by_ids', (db, name) =>
  db
    .select()
    .from(listings)
    .where(sql`${listings.id} = any(${sql.placeholder('ids')}::uuid[])`)
    .prepare(name),
);
/**
 * What a listing's card shows, and no more: a search page's twenty cards had read every column
 * (the description, five more timestamps, contact and features), which the driver parsed and
 * the ORM mapped for nothing.
 */
const cardColumns = {
  id: listings.id,
  kind: listings.kind,
  status: listings.status,
  title: listings.title,
  categoryId: listings.categoryId,
  locationId: listings.locationId,
  priceType: listings.priceType,
  priceAmount: listings.priceAmount,
  currency: listings.currency,
  condition: listings.condition,
  attributes: listings.attributes,
  publishedAt: listings.publishedAt,
  featuredFrom: listings.featuredFrom,
  featuredUntil: listings.featuredUntil,
  viewCount: listings.viewCount,
};
export type ListingCardRow = Pick<ListingRow, keyof typeof cardColumns>;
const selectCardsByIds = preparedStatement('listing_cards_by_ids', (db, name) =>
  db
    .select(cardColumns)
    .from(listings)
    .where(sql`${listings.id} = any(${sql.placeholder('ids')}::uuid[])`)
    .prepare(name),
);
const insertView = preparedStatement('listing_views_insert', (db, name) =>
  db
    .insert(listingViews)
    .values({
      listingId: sql.placeholder('listingId'),
      viewer: sql.placeholder('viewer'),
      day: sql.placeholder('day'),
    })
    .onConflictDoNothing()
    .returning({ listingId: listingViews.listingId })
    .prepare(name),
);
const countView = preparedStatement('listings_count_view', (db, name) =>
  db
    .update(listings)
    .set({ viewCount: sql`${listings.viewCount} + 1` })
    .where(eq(listings.id, sql.placeholder('id')))
    .prepare(name),
);

/** The only file that touches the listings tables. */
export function createListingsRepository() {
  const notDeleted = isNull(listings.deletedAt);

  return {
    async insert(db: Queryable, values: NewListingRow): Promise<ListingRow> {
      const [row] = await db.insert(listings).values(values).returning();
      if (!row) throw new Error('insert returned no row');
      return row;
    },

    /**
     * Many rows in one INSERT (demo and benchmark data); rows whose id exists already are
     * skipped. Returns how many were inserted.
     */
    async insertMany(db: Queryable, rows: NewListingRow[]): Promise<number> {
      if (rows.length === 0) return 0;
      const result = await db.execute(
        sql`${insertFromRecordset(rows)} on conflict (id) do nothing returning id`,
      );
      return (result as unknown as { rows: unknown[] }).rows.length;
    },

    /**
     * Imported rows in one INSERT; a row that collides with a live listing of the same seller and
     * external id (another import got there first) is skipped. Returns the ids inserted.
     */
    async insertImported(db: Queryable, rows: NewListingRow[]): Promise<Set<string>> {
      if (rows.length === 0) return new Set();
      const result = await db.execute(sql`${insertFromRecordset(rows)} on conflict do nothing returning id`);
      return new Set((result as unknown as { rows: { id: string }[] }).rows.map((row) => row.id));
    },

    /** Many rows' editable columns and status in one UPDATE (imports), each to its full new state. */
    async updateImported(db: Queryable, rows: (NewListingRow & { id: string })[]): Promise<void> {
      if (rows.length === 0) return;
      const assigned = importedColumns.filter(([property]) => property !== 'id');
      await db.execute(sql`
        update ${listings} set ${sql.join(
          assigned.map(
            ([, column]) => sql`${sql.identifier(column.name)} = r.${sql.identifier(column.name)}`,
          ),
          sql`, `,
        )}, updated_at = now()
        from jsonb_to_recordset(${JSON.stringify(toRecords(rows, importedColumns))}::jsonb) as r(${recordsetTypes(importedColumns)})
        where ${listings.id} = r.id`);
    },

    /**
     * A seller's live listings with these external ids, and (to adopt them) listings whose id is
     * one of the external ids and that have none yet: an export names a listing without an
     * external id by its id, so exporting and importing it again finds the same listing.
     */
    async findForImport(db: Queryable, sellerId: string, externalIds: string[]): Promise<ListingRow[]> {
      if (externalIds.length === 0) return [];
      // One index probe per id (a lateral join on both columns of the unique index; `offset 0`
      // keeps the planner from flattening it): a plain `external_id in (...)`, or the join
      // flattened, lets the planner, with statistics stale after a bulk insert, read every
      // listing of the seller instead (190-260 ms a batch at 100,000 listings, not 1 ms).
      const found = await db.execute(sql`
        select l.id from jsonb_array_elements_text(${JSON.stringify(externalIds)}::jsonb) as e(external_id)
        cross join lateral (
          select ${listings.id} as id from ${listings}
          where ${listings.sellerId} = ${sellerId} and ${listings.externalId} = e.external_id
            and ${listings.deletedAt} is null
          offset 0
        ) l`);
      const ids = (found as unknown as { rows: { id: string }[] }).rows.map((row) => row.id);
      const adoptable = externalIds.filter((value) => UUID_PATTERN.test(value));
      const byId = ids.length > 0 ? inArray(listings.id, ids) : undefined;
      const adopted =
        adoptable.length > 0
          ? and(
              inArray(listings.id, adoptable),
              isNull(listings.externalId),
              eq(listings.sellerId, sellerId),
              notDeleted,
            )
          : undefined;
      if (!byId && !adopted) return [];
      return db
        .select()
        .from(listings)
        .where(byId && adopted ? or(byId, adopted) : (byId ?? adopted));
    },

    /** External ids of a seller's active imported listings, a page at a time (a sync's withdrawal). */
    activeExternalIds(
      db: Queryable,
      sellerId: string,
      after: string | null,
      limit: number,
    ): Promise<{ id: string; externalId: string }[]> {
      return db
        .select({ id: listings.id, externalId: sql<string>`${listings.externalId}` })
        .from(listings)
        .where(
          and(
            eq(listings.sellerId, sellerId),
            notDeleted,
            eq(listings.status, 'active'),
            sql`${listings.externalId} is not null`,
            after ? gt(listings.id, after) : undefined,
          ),
        )
        .orderBy(listings.id)
        .limit(limit);
    },

    /** Takes active listings back to draft; returns those that were active. */
    unpublishMany(db: Queryable, ids: string[]): Promise<ListingRow[]> {
      if (ids.length === 0) return Promise.resolve([]);
      return db
        .update(listings)
        .set({ status: 'draft', updatedAt: new Date() })
        .where(and(inArray(listings.id, ids), eq(listings.status, 'active')))
        .returning();
    },

    /** A page of live listings (one seller's, or everyone's) in id order: the export. */
    exportPage(db: Queryable, sellerId: string | null, after: string | null, limit: number) {
      return db
        .select()
        .from(listings)
        .where(
          and(
            notDeleted,
            sellerId ? eq(listings.sellerId, sellerId) : undefined,
            after ? gt(listings.id, after) : undefined,
          ),
        )
        .orderBy(listings.id)
        .limit(limit);
    },

    /** Every attribute key used by the live listings in scope (the export's CSV columns). */
    async attributeKeys(db: Queryable, sellerId: string | null): Promise<string[]> {
      const result = await db.execute(sql`
        select distinct jsonb_object_keys(${listings.attributes}) as key from ${listings}
        where ${listings.deletedAt} is null ${sellerId ? sql`and ${listings.sellerId} = ${sellerId}` : sql``}
        order by 1`);
      return (result as unknown as { rows: { key: string }[] }).rows.map((row) => row.key);
    },

    async findById(db: Queryable, id: string): Promise<ListingRow | undefined> {
      const [row] = await selectById(db, { id });
      return row;
    },

    findByIds(db: Queryable, ids: string[]): Promise<ListingRow[]> {
      return selectByIds(db, { ids });
    },

    /** The card columns of these listings, in no particular order. */
    findCardsByIds(db: Queryable, ids: string[]): Promise<ListingCardRow[]> {
      return selectCardsByIds(db, { ids });
    },

    async lock(db: Queryable, id: string): Promise<ListingRow | undefined> {
      const [row] = await db.select().from(listings).where(eq(listings.id, id)).for('update');
      return row;
    },

    async update(db: Queryable, id: string, values: Partial<NewListingRow>): Promise<ListingRow> {
      const [row] = await db
        .update(listings)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(listings.id, id))
        .returning();
      if (!row) throw new Error('update returned no row');
      return row;
    },

    /** Public list: active, newest first, keyset-paged on (published_at, id). */
    listPublic(
      db: Queryable,
      filter: {
        categoryIds?: string[];
        sellerId?: string;
        kind?: string;
        status?: ListingStatus;
        /** Listings of any of these sellers or in any of these categories (a following feed). */
        anyOf?: { sellerIds: string[]; categoryIds: string[] };
      },
      page: { limit: number; after?: ListingCursor },
    ): Promise<ListingRow[]> {
      const conditions = [notDeleted, eq(listings.status, filter.status ?? 'active')];
      if (filter.categoryIds) conditions.push(inArray(listings.categoryId, filter.categoryIds));
      if (filter.anyOf) {
        const either = [
          ...(filter.anyOf.sellerIds.length > 0 ? [inArray(listings.sellerId, filter.anyOf.sellerIds)] : []),
          ...(filter.anyOf.categoryIds.length > 0
            ? [inArray(listings.categoryId, filter.anyOf.categoryIds)]
            : []),
        ];
        conditions.push(either.length === 1 ? (either[0] as SQL) : (or(...either) as SQL));
      }
      if (filter.sellerId) conditions.push(eq(listings.sellerId, filter.sellerId));
      if (filter.kind) conditions.push(eq(listings.kind, filter.kind as ListingRow['kind']));
      const order = filter.status && filter.status !== 'active' ? listings.updatedAt : listings.publishedAt;
      if (page.after) conditions.push(before(order, page.after));
      return db
        .select()
        .from(listings)
        .where(and(...conditions))
        .orderBy(desc(order), desc(listings.id))
        .limit(page.limit);
    },

    listBySeller(
      db: Queryable,
      sellerId: string,
      status: ListingStatus | undefined,
      page: { limit: number; after?: ListingCursor },
    ): Promise<ListingRow[]> {
      const conditions = [notDeleted, eq(listings.sellerId, sellerId)];
      if (status) conditions.push(eq(listings.status, status));
      if (page.after) conditions.push(before(listings.createdAt, page.after));
      return db
        .select()
        .from(listings)
        .where(and(...conditions))
        .orderBy(desc(listings.createdAt), desc(listings.id))
        .limit(page.limit);
    },

    async countsBySeller(db: Queryable, sellerId: string): Promise<Record<string, number>> {
      const rows = await db
        .select({ status: listings.status, n: sql<number>`count(*)::int` })
        .from(listings)
        .where(and(notDeleted, eq(listings.sellerId, sellerId)))
        .groupBy(listings.status);
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.n)]));
    },

    listFeatured(db: Queryable, now: Date, limit: number): Promise<ListingRow[]> {
      return db
        .select()
        .from(listings)
        .where(
          and(
            notDeleted,
            eq(listings.status, 'active'),
            lte(listings.featuredFrom, now),
            gt(listings.featuredUntil, now),
          ),
        )
        .orderBy(desc(listings.featuredFrom), desc(listings.id))
        .limit(limit);
    },

    /** Marks active listings past their expiry as expired; returns them (for events). */
    expireDue(db: Queryable, now: Date, batch: number): Promise<ListingRow[]> {
      const due = db
        .select({ id: listings.id })
        .from(listings)
        .where(and(eq(listings.status, 'active'), lte(listings.expiresAt, now)))
        .limit(batch)
        .for('update', { skipLocked: true });
      return db
        .update(listings)
        .set({ status: 'expired', updatedAt: now })
        .where(inArray(listings.id, due))
        .returning();
    },

    /** Counts a view once per viewer and day; returns whether it was new. */
    async recordView(db: Queryable, listingId: string, viewer: string, day: string): Promise<boolean> {
      const inserted = await insertView(db, { listingId, viewer, day });
      if (inserted.length === 0) return false;
      await countView(db, { id: listingId });
      return true;
    },
  };
}

export type ListingsRepository = ReturnType<typeof createListingsRepository>;
