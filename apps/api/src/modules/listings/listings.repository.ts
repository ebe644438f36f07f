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
     *
     * The rows travel as one JSON parameter expanded by `jsonb_to_recordset`: building a
     * 1,000-row VALUES list through the query builder cost ~140 µs of CPU a row, the JSON ~5 µs,
     * and there is no 65,535-parameter limit. Omitted values take the column's default.
     */
    async insertMany(db: Queryable, rows: NewListingRow[]): Promise<number> {
      if (rows.length === 0) return 0;
      const records = rows.map((row) => {
        const record: Record<string, unknown> = {};
        for (const [property, column] of listingColumns) {
          let value = (row as Record<string, unknown>)[property];
          if (value === undefined && column.defaultFn) value = column.defaultFn();
          else if (value === undefined && !is(column.default, SQL)) value = column.default;
          if (value !== undefined && value !== null)
            record[column.name] = value instanceof Date ? value.toISOString() : value;
        }
        return record;
      });
      const result = await db.execute(sql`
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
        from jsonb_to_recordset(${JSON.stringify(records)}::jsonb) as r(${sql.join(
          listingColumns.map(
            ([, column]) => sql`${sql.identifier(column.name)} ${sql.raw(column.getSQLType())}`,
          ),
          sql`, `,
        )})
        on conflict (id) do nothing
        returning id`);
      return (result as unknown as { rows: unknown[] }).rows.length;
    },

    async findById(db: Queryable, id: string): Promise<ListingRow | undefined> {
      const [row] = await selectById(db, { id });
      return row;
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
      filter: { categoryIds?: string[]; sellerId?: string; kind?: string; status?: ListingStatus },
      page: { limit: number; after?: ListingCursor },
    ): Promise<ListingRow[]> {
      const conditions = [notDeleted, eq(listings.status, filter.status ?? 'active')];
      if (filter.categoryIds) conditions.push(inArray(listings.categoryId, filter.categoryIds));
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
