import { and, count, desc, eq, gt, inArray, lt, or, type SQL } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { categoryFollows, memberFollows } from './follows.schema.js';

export type FollowKind = 'member' | 'category';
export type FollowEntry = { type: FollowKind; id: string; createdAt: Date };
/** Keyset of the "whom I follow" list: created_at (millisecond precision, set by us) then id. */
export type FollowCursor = { at: Date; id: string };

const tableOf = (type: FollowKind) =>
  type === 'member'
    ? { table: memberFollows, target: memberFollows.followedId, follower: memberFollows.followerId }
    : { table: categoryFollows, target: categoryFollows.categoryId, follower: categoryFollows.followerId };

/** The only file that touches the follows tables. */
export function createFollowsRepository() {
  return {
    /** True when the follow is new; an existing one is left as it was (idempotent). */
    async follow(tx: Queryable, type: FollowKind, followerId: string, targetId: string): Promise<boolean> {
      // The time comes from here, at millisecond precision, so a cursor carries it exactly.
      const createdAt = new Date();
      const rows =
        type === 'member'
          ? await tx
              .insert(memberFollows)
              .values({ followerId, followedId: targetId, createdAt })
              .onConflictDoNothing()
              .returning({ id: memberFollows.followedId })
          : await tx
              .insert(categoryFollows)
              .values({ followerId, categoryId: targetId, createdAt })
              .onConflictDoNothing()
              .returning({ id: categoryFollows.categoryId });
      return rows.length > 0;
    },

    async unfollow(tx: Queryable, type: FollowKind, followerId: string, targetId: string): Promise<void> {
      const { table, target, follower } = tableOf(type);
      await tx.delete(table).where(and(eq(follower, followerId), eq(target, targetId)));
    },

    async isFollowing(db: Queryable, type: FollowKind, followerId: string, targetId: string) {
      const { table, target, follower } = tableOf(type);
      const [row] = await db
        .select({ id: target })
        .from(table)
        .where(and(eq(follower, followerId), eq(target, targetId)));
      return row !== undefined;
    },

    async followerCount(db: Queryable, type: FollowKind, targetId: string): Promise<number> {
      const { table, target } = tableOf(type);
      const [row] = await db.select({ n: count() }).from(table).where(eq(target, targetId));
      return Number(row?.n ?? 0);
    },

    async followingCount(db: Queryable, type: FollowKind, followerId: string): Promise<number> {
      const { table, follower } = tableOf(type);
      const [row] = await db.select({ n: count() }).from(table).where(eq(follower, followerId));
      return Number(row?.n ?? 0);
    },

    /** Whom (or which categories) the follower follows, newest first, after a cursor. */
    async following(
      db: Queryable,
      type: FollowKind,
      followerId: string,
      page: { limit: number; after?: FollowCursor | undefined },
    ): Promise<FollowEntry[]> {
      const { table, target, follower } = tableOf(type);
      const conditions: SQL[] = [eq(follower, followerId)];
      if (page.after) {
        conditions.push(
          or(
            lt(table.createdAt, page.after.at),
            and(eq(table.createdAt, page.after.at), lt(target, page.after.id)),
          ) as SQL,
        );
      }
      const rows = await db
        .select({ id: target, createdAt: table.createdAt })
        .from(table)
        .where(and(...conditions))
        .orderBy(desc(table.createdAt), desc(target))
        .limit(page.limit);
      return rows.map((row) => ({ type, id: row.id, createdAt: row.createdAt }));
    },

    /** Every id the follower follows of one kind (the feed's filter; capped by FOLLOWS_MAX). */
    async allFollowed(db: Queryable, type: FollowKind, followerId: string): Promise<string[]> {
      const { table, target, follower } = tableOf(type);
      const rows = await db.select({ id: target }).from(table).where(eq(follower, followerId));
      return rows.map((row) => row.id);
    },

    /** Followers of a member or of any of several categories, in id order after `afterId`. */
    async followersOf(
      db: Queryable,
      targets: { memberId: string; categoryIds: string[] },
      afterId: string | null,
      limit: number,
    ): Promise<string[]> {
      const members = await db
        .selectDistinct({ id: memberFollows.followerId })
        .from(memberFollows)
        .where(
          and(
            eq(memberFollows.followedId, targets.memberId),
            afterId ? gt(memberFollows.followerId, afterId) : undefined,
          ),
        )
        .orderBy(memberFollows.followerId)
        .limit(limit);
      const categories =
        targets.categoryIds.length === 0
          ? []
          : await db
              .selectDistinct({ id: categoryFollows.followerId })
              .from(categoryFollows)
              .where(
                and(
                  inArray(categoryFollows.categoryId, targets.categoryIds),
                  afterId ? gt(categoryFollows.followerId, afterId) : undefined,
                ),
              )
              .orderBy(categoryFollows.followerId)
              .limit(limit);
      // Both lists are sorted; their union's first `limit` ids are exact for this page.
      return [...new Set([...members, ...categories].map((row) => row.id))].sort().slice(0, limit);
    },
  };
}

export type FollowsRepository = ReturnType<typeof createFollowsRepository>;
