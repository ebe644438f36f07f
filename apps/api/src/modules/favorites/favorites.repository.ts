import { and, count, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { type FavoriteRow, favorites, type WishlistShareRow, wishlistShares } from './favorites.schema.js';

export type FavoritePosition = { at: Date; listingId: string };

/** The only file that touches the favorites tables. */
export function createFavoritesRepository() {
  return {
    /** True when the row is new; a second add (or a concurrent one) adds nothing. */
    async add(db: Queryable, userId: string, listingId: string): Promise<boolean> {
      const rows = await db
        .insert(favorites)
        .values({ userId, listingId })
        .onConflictDoNothing()
        .returning({ listingId: favorites.listingId });
      return rows.length > 0;
    },

    async remove(db: Queryable, userId: string, listingId: string): Promise<boolean> {
      const rows = await db
        .delete(favorites)
        .where(and(eq(favorites.userId, userId), eq(favorites.listingId, listingId)))
        .returning({ listingId: favorites.listingId });
      return rows.length > 0;
    },

    async clear(db: Queryable, userId: string): Promise<number> {
      const rows = await db
        .delete(favorites)
        .where(eq(favorites.userId, userId))
        .returning({ listingId: favorites.listingId });
      return rows.length;
    },

    /** Newest first, keyset on (created_at, listing_id). */
    page(db: Queryable, userId: string, limit: number, after?: FavoritePosition): Promise<FavoriteRow[]> {
      const conditions = [eq(favorites.userId, userId)];
      if (after) {
        const position = or(
          lt(favorites.createdAt, after.at),
          and(eq(favorites.createdAt, after.at), lt(favorites.listingId, after.listingId)),
        );
        if (position) conditions.push(position);
      }
      return db
        .select()
        .from(favorites)
        .where(and(...conditions))
        .orderBy(desc(favorites.createdAt), desc(favorites.listingId))
        .limit(limit);
    },

    async which(db: Queryable, userId: string, listingIds: string[]): Promise<string[]> {
      if (listingIds.length === 0) return [];
      const rows = await db
        .select({ listingId: favorites.listingId })
        .from(favorites)
        .where(and(eq(favorites.userId, userId), inArray(favorites.listingId, listingIds)));
      return rows.map((row) => row.listingId);
    },

    async countFor(db: Queryable, listingId: string): Promise<number> {
      const [row] = await db.select({ n: count() }).from(favorites).where(eq(favorites.listingId, listingId));
      return row?.n ?? 0;
    },

    /** Who saved a listing, in user id order, one batch after `afterUserId` (event fan-out). */
    async savers(db: Queryable, listingId: string, afterUserId: string | null, limit: number) {
      const conditions = [eq(favorites.listingId, listingId)];
      if (afterUserId) conditions.push(gt(favorites.userId, afterUserId));
      const rows = await db
        .select({ userId: favorites.userId })
        .from(favorites)
        .where(and(...conditions))
        .orderBy(favorites.userId)
        .limit(limit);
      return rows.map((row) => row.userId);
    },

    async insertShare(
      db: Queryable,
      values: { userId: string; token: string; expiresAt: Date },
    ): Promise<WishlistShareRow> {
      const [row] = await db.insert(wishlistShares).values(values).returning();
      if (!row) throw new Error('insert returned no row');
      return row;
    },

    async countOpenShares(db: Queryable, userId: string): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(wishlistShares)
        .where(
          and(
            eq(wishlistShares.userId, userId),
            isNull(wishlistShares.revokedAt),
            gt(wishlistShares.expiresAt, sql`now()`),
          ),
        );
      return row?.n ?? 0;
    },

    listShares(db: Queryable, userId: string): Promise<WishlistShareRow[]> {
      return db
        .select()
        .from(wishlistShares)
        .where(eq(wishlistShares.userId, userId))
        .orderBy(desc(wishlistShares.createdAt), desc(wishlistShares.id))
        .limit(100);
    },

    /** Revokes one of the user's links; undefined when it is not theirs. Revoking twice keeps the first time. */
    async revokeShare(db: Queryable, userId: string, id: string): Promise<WishlistShareRow | undefined> {
      const [row] = await db
        .update(wishlistShares)
        .set({ revokedAt: sql`coalesce(${wishlistShares.revokedAt}, now())` })
        .where(and(eq(wishlistShares.id, id), eq(wishlistShares.userId, userId)))
        .returning();
      return row;
    },

    async shareByToken(db: Queryable, token: string): Promise<WishlistShareRow | undefined> {
      const [row] = await db.select().from(wishlistShares).where(eq(wishlistShares.token, token));
      return row;
    },
  };
}

export type FavoritesRepository = ReturnType<typeof createFavoritesRepository>;
