import { and, desc, eq, inArray, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import {
  type ReviewReportReason,
  type ReviewRow,
  reviewHelpfulVotes,
  reviewReports,
  reviews,
  type SellerRatingRow,
  sellerRatings,
} from './reviews.schema.js';

/** A change to a seller's aggregate: +1 or -1 review of some stars. */
export type RatingDelta = { stars: number; sign: 1 | -1 };

export type ReviewCursor = { id: string; helpful?: number | undefined };

/** The only file that touches the reviews tables. */
export function createReviewsRepository() {
  return {
    /** Null when this reviewer already reviewed this seller (for this listing). */
    async insertReview(
      tx: Queryable,
      values: {
        sellerId: string;
        reviewerId: string;
        listingId: string | null;
        stars: number;
        title: string;
        body: string;
        verifiedBuyer: boolean;
      },
    ): Promise<ReviewRow | null> {
      const [row] = await tx.insert(reviews).values(values).onConflictDoNothing().returning();
      return row ?? null;
    },

    async findOwn(db: Queryable, reviewerId: string, sellerId: string, listingId: string | null) {
      const [row] = await db
        .select({ id: reviews.id })
        .from(reviews)
        .where(
          and(
            eq(reviews.reviewerId, reviewerId),
            eq(reviews.sellerId, sellerId),
            listingId ? eq(reviews.listingId, listingId) : isNull(reviews.listingId),
          ),
        );
      return row !== undefined;
    },

    async findReview(db: Queryable, id: string): Promise<ReviewRow | undefined> {
      const [row] = await db.select().from(reviews).where(eq(reviews.id, id));
      return row;
    },

    /** The review locked until the transaction ends: edits, deletes and responses queue here. */
    async lockReview(tx: Queryable, id: string): Promise<ReviewRow | undefined> {
      const [row] = await tx.select().from(reviews).where(eq(reviews.id, id)).for('update');
      return row;
    },

    async updateReview(
      tx: Queryable,
      id: string,
      patch: Partial<
        Pick<ReviewRow, 'stars' | 'title' | 'body' | 'responseText' | 'respondedAt' | 'responseUpdatedAt'>
      > & {
        updatedAt?: Date;
      },
    ): Promise<ReviewRow> {
      const [row] = await tx.update(reviews).set(patch).where(eq(reviews.id, id)).returning();
      if (!row) throw new Error('review vanished under its lock');
      return row;
    },

    async deleteReview(tx: Queryable, id: string): Promise<void> {
      await tx.delete(reviews).where(eq(reviews.id, id));
    },

    /**
     * Applies deltas to the seller's aggregate in one atomic upsert: concurrent writers each add
     * their own increments under the row lock PostgreSQL takes, so none is lost.
     */
    async bumpRating(tx: Queryable, sellerId: string, deltas: RatingDelta[]): Promise<void> {
      const column = [0, 0, 0, 0, 0];
      let count = 0;
      let total = 0;
      for (const { stars, sign } of deltas) {
        column[stars - 1] = (column[stars - 1] ?? 0) + sign;
        count += sign;
        total += sign * stars;
      }
      if (count === 0 && total === 0 && column.every((value) => value === 0)) return;
      const [s1, s2, s3, s4, s5] = column as [number, number, number, number, number];
      if (column.some((value) => value < 0)) {
        // An edit or a delete: the row exists (its review did). Not an upsert, because PostgreSQL
        // checks the proposed insert row's constraints, negative counts included, before the
        // conflict turns it into an update.
        await tx
          .update(sellerRatings)
          .set({
            reviewCount: sql`${sellerRatings.reviewCount} + ${count}`,
            starsTotal: sql`${sellerRatings.starsTotal} + ${total}`,
            stars1: sql`${sellerRatings.stars1} + ${s1}`,
            stars2: sql`${sellerRatings.stars2} + ${s2}`,
            stars3: sql`${sellerRatings.stars3} + ${s3}`,
            stars4: sql`${sellerRatings.stars4} + ${s4}`,
            stars5: sql`${sellerRatings.stars5} + ${s5}`,
            updatedAt: sql`now()`,
          })
          .where(eq(sellerRatings.sellerId, sellerId));
        return;
      }
      await tx
        .insert(sellerRatings)
        .values({
          sellerId,
          reviewCount: count,
          starsTotal: total,
          stars1: s1,
          stars2: s2,
          stars3: s3,
          stars4: s4,
          stars5: s5,
        })
        .onConflictDoUpdate({
          target: sellerRatings.sellerId,
          set: {
            reviewCount: sql`${sellerRatings.reviewCount} + excluded.review_count`,
            starsTotal: sql`${sellerRatings.starsTotal} + excluded.stars_total`,
            stars1: sql`${sellerRatings.stars1} + excluded.stars_1`,
            stars2: sql`${sellerRatings.stars2} + excluded.stars_2`,
            stars3: sql`${sellerRatings.stars3} + excluded.stars_3`,
            stars4: sql`${sellerRatings.stars4} + excluded.stars_4`,
            stars5: sql`${sellerRatings.stars5} + excluded.stars_5`,
            updatedAt: sql`now()`,
          },
        });
    },

    ratingsOf(db: Queryable, sellerIds: string[]): Promise<SellerRatingRow[]> {
      if (sellerIds.length === 0) return Promise.resolve([]);
      return db.select().from(sellerRatings).where(inArray(sellerRatings.sellerId, sellerIds));
    },

    /** What the aggregate should be, counted from the reviews themselves (tests and repair). */
    async recount(db: Queryable, sellerId: string): Promise<{ count: number; total: number }> {
      const [row] = await db
        .select({
          count: sql<number>`count(*)::int`,
          total: sql<number>`coalesce(sum(${reviews.stars}), 0)::int`,
        })
        .from(reviews)
        .where(eq(reviews.sellerId, sellerId));
      return { count: Number(row?.count ?? 0), total: Number(row?.total ?? 0) };
    },

    /** The new helpful count, or null when this voter had already voted. */
    async addVote(tx: Queryable, reviewId: string, voterId: string): Promise<number | null> {
      const [vote] = await tx
        .insert(reviewHelpfulVotes)
        .values({ reviewId, voterId })
        .onConflictDoNothing()
        .returning({ reviewId: reviewHelpfulVotes.reviewId });
      if (!vote) return null;
      const [row] = await tx
        .update(reviews)
        .set({ helpfulCount: sql`${reviews.helpfulCount} + 1` })
        .where(eq(reviews.id, reviewId))
        .returning({ helpfulCount: reviews.helpfulCount });
      return row?.helpfulCount ?? 0;
    },

    /** The new helpful count, or null when this voter had not voted. */
    async removeVote(tx: Queryable, reviewId: string, voterId: string): Promise<number | null> {
      const [vote] = await tx
        .delete(reviewHelpfulVotes)
        .where(and(eq(reviewHelpfulVotes.reviewId, reviewId), eq(reviewHelpfulVotes.voterId, voterId)))
        .returning({ reviewId: reviewHelpfulVotes.reviewId });
      if (!vote) return null;
      const [row] = await tx
        .update(reviews)
        .set({ helpfulCount: sql`${reviews.helpfulCount} - 1` })
        .where(eq(reviews.id, reviewId))
        .returning({ helpfulCount: reviews.helpfulCount });
      return row?.helpfulCount ?? 0;
    },

    async votedBy(db: Queryable, voterId: string, reviewIds: string[]): Promise<Set<string>> {
      if (reviewIds.length === 0) return new Set();
      const rows = await db
        .select({ reviewId: reviewHelpfulVotes.reviewId })
        .from(reviewHelpfulVotes)
        .where(and(eq(reviewHelpfulVotes.voterId, voterId), inArray(reviewHelpfulVotes.reviewId, reviewIds)));
      return new Set(rows.map((row) => row.reviewId));
    },

    /** Null when this reporter has an open report of this review already. */
    async insertReport(
      tx: Queryable,
      values: {
        reviewId: string;
        reporterId: string;
        reason: ReviewReportReason;
        text: string;
        snapshot: (typeof reviewReports.$inferInsert)['snapshot'];
      },
    ) {
      const [row] = await tx.insert(reviewReports).values(values).onConflictDoNothing().returning();
      return row ?? null;
    },

    async reportsOf(db: Queryable, reviewId: string) {
      return db.select().from(reviewReports).where(eq(reviewReports.reviewId, reviewId));
    },

    /** A page of reviews of a seller (or of a listing), newest or most helpful first. */
    async list(
      db: Queryable,
      filter: { sellerId: string } | { listingId: string },
      sort: 'newest' | 'helpful',
      page: { limit: number; after?: ReviewCursor | undefined },
    ): Promise<ReviewRow[]> {
      const conditions = [
        'sellerId' in filter
          ? eq(reviews.sellerId, filter.sellerId)
          : eq(reviews.listingId, filter.listingId),
      ];
      const after = page.after;
      if (after && sort === 'helpful' && after.helpful !== undefined) {
        conditions.push(
          or(
            lt(reviews.helpfulCount, after.helpful),
            and(eq(reviews.helpfulCount, after.helpful), lt(reviews.id, after.id)),
          ) as SQL,
        );
      } else if (after) {
        conditions.push(lt(reviews.id, after.id));
      }
      return db
        .select()
        .from(reviews)
        .where(and(...conditions))
        .orderBy(
          ...(sort === 'helpful' ? [desc(reviews.helpfulCount), desc(reviews.id)] : [desc(reviews.id)]),
        )
        .limit(page.limit);
    },
  };
}

export type ReviewsRepository = ReturnType<typeof createReviewsRepository>;
