import { and, asc, desc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { AGE_OFFSET_HOURS, FULL_WEIGHT, GRAVITY } from './showcase.ranking.js';
import { type ShowcasePostRow, showcasePosts, showcaseUpvotes } from './showcase.schema.js';

/** What a post's owner sets (the rest of a post mirrors its listing). */
export type ShowcaseDetails = {
  name: string;
  tagline: string;
  link: string | null;
  tags: string[];
  makerIds: string[];
  launchDate: string | null;
};

export type PostMirror = { listingId: string; ownerId: string; live: boolean; postedAt: Date | null };

async function voteCount(db: Queryable, listingId: string): Promise<number> {
  const [row] = await db
    .select({ voteCount: showcasePosts.voteCount })
    .from(showcasePosts)
    .where(eq(showcasePosts.listingId, listingId));
  return row?.voteCount ?? 0;
}

/** The only file that touches the showcase tables. */
export function createShowcaseRepository() {
  return {
    voteCount,

    async find(db: Queryable, listingId: string): Promise<ShowcasePostRow | undefined> {
      const [row] = await db.select().from(showcasePosts).where(eq(showcasePosts.listingId, listingId));
      return row;
    },

    async findMany(db: Queryable, listingIds: string[]): Promise<ShowcasePostRow[]> {
      if (listingIds.length === 0) return [];
      return db.select().from(showcasePosts).where(inArray(showcasePosts.listingId, listingIds));
    },

    /**
     * Creates the post row if missing and brings its mirror of the listing up to date. The first
     * publish time sticks: a renewal does not relaunch the post into today's feed.
     */
    async sync(db: Queryable, mirror: PostMirror): Promise<void> {
      await db
        .insert(showcasePosts)
        .values(mirror)
        .onConflictDoUpdate({
          target: showcasePosts.listingId,
          set: {
            live: mirror.live,
            postedAt: sql`coalesce(${showcasePosts.postedAt}, excluded.posted_at)`,
          },
        });
    },

    async saveDetails(tx: Queryable, mirror: PostMirror, details: ShowcaseDetails): Promise<ShowcasePostRow> {
      const [row] = await tx
        .insert(showcasePosts)
        .values({ ...mirror, ...details })
        .onConflictDoUpdate({
          target: showcasePosts.listingId,
          set: {
            ...details,
            live: mirror.live,
            postedAt: sql`coalesce(${showcasePosts.postedAt}, excluded.posted_at)`,
            updatedAt: new Date(),
          },
        })
        .returning();
      return row as ShowcasePostRow;
    },

    /**
     * Adds the vote and, only if it was new, the post's counters, in one transaction: the
     * counter row's lock orders concurrent voters, so the count is exact. Returns the count.
     */
    async addVote(tx: Queryable, listingId: string, userId: string, weight: number): Promise<number> {
      const [inserted] = await tx
        .insert(showcaseUpvotes)
        .values({ listingId, userId, weight })
        .onConflictDoNothing()
        .returning({ weight: showcaseUpvotes.weight });
      if (!inserted) return voteCount(tx, listingId);
      const [row] = await tx
        .update(showcasePosts)
        .set({
          voteCount: sql`${showcasePosts.voteCount} + 1`,
          voteWeight: sql`${showcasePosts.voteWeight} + ${inserted.weight}`,
        })
        .where(eq(showcasePosts.listingId, listingId))
        .returning({ voteCount: showcasePosts.voteCount });
      return row?.voteCount ?? 0;
    },

    async removeVote(tx: Queryable, listingId: string, userId: string): Promise<number> {
      const [deleted] = await tx
        .delete(showcaseUpvotes)
        .where(and(eq(showcaseUpvotes.listingId, listingId), eq(showcaseUpvotes.userId, userId)))
        .returning({ weight: showcaseUpvotes.weight });
      if (!deleted) return voteCount(tx, listingId);
      const [row] = await tx
        .update(showcasePosts)
        .set({
          voteCount: sql`${showcasePosts.voteCount} - 1`,
          voteWeight: sql`${showcasePosts.voteWeight} - ${deleted.weight}`,
        })
        .where(eq(showcasePosts.listingId, listingId))
        .returning({ voteCount: showcasePosts.voteCount });
      return row?.voteCount ?? 0;
    },

    /** Which of these posts `userId` upvoted. */
    async votedBy(db: Queryable, userId: string, listingIds: string[]): Promise<Set<string>> {
      if (listingIds.length === 0) return new Set();
      const rows = await db
        .select({ listingId: showcaseUpvotes.listingId })
        .from(showcaseUpvotes)
        .where(and(eq(showcaseUpvotes.userId, userId), inArray(showcaseUpvotes.listingId, listingIds)));
      return new Set(rows.map((row) => row.listingId));
    },

    /**
     * Live posts since `since`, by weighted votes over age with gravity:
     * (weight / 1000) / (age in hours + 2) ^ 1.8, ties by count, then newest.
     */
    async hot(
      db: Queryable,
      since: Date,
      now: Date,
      offset: number,
      limit: number,
    ): Promise<ShowcasePostRow[]> {
      const ageHours = sql`greatest(extract(epoch from (${now.toISOString()}::timestamptz - ${showcasePosts.postedAt})) / 3600.0, 0)`;
      const score = sql`(${showcasePosts.voteWeight}::float8 / ${FULL_WEIGHT}) / power(${ageHours} + ${AGE_OFFSET_HOURS}, ${GRAVITY})`;
      return db
        .select()
        .from(showcasePosts)
        .where(
          and(
            eq(showcasePosts.live, true),
            gte(showcasePosts.postedAt, since),
            lte(showcasePosts.postedAt, now),
          ),
        )
        .orderBy(
          desc(score),
          desc(showcasePosts.voteCount),
          desc(showcasePosts.postedAt),
          asc(showcasePosts.listingId),
        )
        .offset(offset)
        .limit(limit);
    },

    /** Live posts that went live in [from, until), most weighted votes first. */
    async day(
      db: Queryable,
      from: Date,
      until: Date,
      offset: number,
      limit: number,
    ): Promise<ShowcasePostRow[]> {
      return db
        .select()
        .from(showcasePosts)
        .where(
          and(
            eq(showcasePosts.live, true),
            gte(showcasePosts.postedAt, from),
            lt(showcasePosts.postedAt, until),
          ),
        )
        .orderBy(
          desc(showcasePosts.voteWeight),
          desc(showcasePosts.voteCount),
          asc(showcasePosts.postedAt),
          asc(showcasePosts.listingId),
        )
        .offset(offset)
        .limit(limit);
    },
  };
}

export type ShowcaseRepository = ReturnType<typeof createShowcaseRepository>;
