import { and, asc, eq, isNull, max } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import {
  type CategoryRow,
  categories,
  type LocationRow,
  locations,
  type NewCategoryRow,
  type NewLocationRow,
} from './catalog.schema.js';

/** Every catalog query; the only file that touches the catalog's tables. */
export function createCatalogRepository() {
  const parentIs = (parentId: string | null) =>
    parentId === null ? isNull(categories.parentId) : eq(categories.parentId, parentId);

  return {
    /** The whole taxonomy, siblings in display order; it is small (hundreds of rows). */
    listCategories(db: Queryable): Promise<CategoryRow[]> {
      return db.select().from(categories).orderBy(asc(categories.position), asc(categories.name));
    },

    async findCategoryBySlug(db: Queryable, slug: string): Promise<CategoryRow | undefined> {
      const [row] = await db.select().from(categories).where(eq(categories.slug, slug));
      return row;
    },

    async findCategoryById(db: Queryable, id: string): Promise<CategoryRow | undefined> {
      const [row] = await db.select().from(categories).where(eq(categories.id, id));
      return row;
    },

    /** Locks the row for the rest of the transaction, so concurrent edits of it queue up. */
    async lockCategory(db: Queryable, id: string): Promise<CategoryRow | undefined> {
      const [row] = await db.select().from(categories).where(eq(categories.id, id)).for('update');
      return row;
    },

    childrenOf(db: Queryable, parentId: string | null): Promise<CategoryRow[]> {
      return db
        .select()
        .from(categories)
        .where(parentIs(parentId))
        .orderBy(asc(categories.position), asc(categories.name));
    },

    async nextPosition(db: Queryable, parentId: string | null): Promise<number> {
      const [row] = await db
        .select({ last: max(categories.position) })
        .from(categories)
        .where(parentIs(parentId));
      return (row?.last ?? -1) + 1;
    },

    async insertCategory(db: Queryable, values: NewCategoryRow): Promise<CategoryRow> {
      const [row] = await db.insert(categories).values(values).returning();
      if (!row) throw new Error('insert returned no row');
      return row;
    },

    /** Inserts unless the slug exists; returns the row either way (seeding is idempotent). */
    async ensureCategory(db: Queryable, values: NewCategoryRow): Promise<CategoryRow> {
      const [inserted] = await db
        .insert(categories)
        .values(values)
        .onConflictDoNothing({ target: categories.slug })
        .returning();
      if (inserted) return inserted;
      const [existing] = await db.select().from(categories).where(eq(categories.slug, values.slug));
      if (!existing) throw new Error(`category ${values.slug} vanished during seeding`);
      return existing;
    },

    async updateCategory(db: Queryable, id: string, values: Partial<NewCategoryRow>): Promise<CategoryRow> {
      const [row] = await db
        .update(categories)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(categories.id, id))
        .returning();
      if (!row) throw new Error('update returned no row');
      return row;
    },

    async deleteCategory(db: Queryable, id: string): Promise<void> {
      await db.delete(categories).where(eq(categories.id, id));
    },

    async setPositions(db: Queryable, orderedIds: string[]): Promise<void> {
      for (const [position, id] of orderedIds.entries()) {
        await db.update(categories).set({ position, updatedAt: new Date() }).where(eq(categories.id, id));
      }
    },

    listLocations(db: Queryable, countryCode?: string): Promise<LocationRow[]> {
      return db
        .select()
        .from(locations)
        .where(countryCode ? eq(locations.countryCode, countryCode) : undefined)
        .orderBy(asc(locations.position), asc(locations.name));
    },

    async findLocation(db: Queryable, id: string): Promise<LocationRow | undefined> {
      const [row] = await db.select().from(locations).where(eq(locations.id, id));
      return row;
    },

    async ensureLocation(db: Queryable, values: NewLocationRow): Promise<LocationRow> {
      const [inserted] = await db
        .insert(locations)
        .values(values)
        .onConflictDoNothing({ target: [locations.parentId, locations.slug] })
        .returning();
      if (inserted) return inserted;
      const parentMatch =
        values.parentId == null ? isNull(locations.parentId) : eq(locations.parentId, values.parentId);
      const [existing] = await db
        .select()
        .from(locations)
        .where(and(parentMatch, eq(locations.slug, values.slug)));
      if (!existing) throw new Error(`location ${values.slug} vanished during seeding`);
      return existing;
    },
  };
}

export type CatalogRepository = ReturnType<typeof createCatalogRepository>;
