import { eq } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { compareLists, type SharedComparisonRow, sharedComparisons } from './compare.schema.js';

/** The only file that touches the compare tables. */
export function createCompareRepository() {
  return {
    async read(db: Queryable, userId: string): Promise<string[]> {
      const [row] = await db
        .select({ listingIds: compareLists.listingIds })
        .from(compareLists)
        .where(eq(compareLists.userId, userId));
      return row?.listingIds ?? [];
    },

    /** Creates the user's row if needed and locks it for the rest of the transaction. */
    async lock(db: Queryable, userId: string): Promise<string[]> {
      await db.insert(compareLists).values({ userId }).onConflictDoNothing();
      const [row] = await db
        .select({ listingIds: compareLists.listingIds })
        .from(compareLists)
        .where(eq(compareLists.userId, userId))
        .for('update');
      return row?.listingIds ?? [];
    },

    async write(db: Queryable, userId: string, listingIds: string[]): Promise<void> {
      await db
        .update(compareLists)
        .set({ listingIds, updatedAt: new Date() })
        .where(eq(compareLists.userId, userId));
    },

    async insertShare(
      db: Queryable,
      values: { userId: string; token: string; listingIds: string[]; expiresAt: Date },
    ): Promise<SharedComparisonRow> {
      const [row] = await db.insert(sharedComparisons).values(values).returning();
      if (!row) throw new Error('insert returned no row');
      return row;
    },

    async shareByToken(db: Queryable, token: string): Promise<SharedComparisonRow | undefined> {
      const [row] = await db.select().from(sharedComparisons).where(eq(sharedComparisons.token, token));
      return row;
    },
  };
}

export type CompareRepository = ReturnType<typeof createCompareRepository>;
