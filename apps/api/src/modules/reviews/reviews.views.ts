import {
  REVIEW_EDIT_DAYS,
  type Review,
  type ReviewEligibility,
  type ReviewPage,
  type ReviewSort,
  type SellerRating,
} from '@souk/contracts';
import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { reviewsError } from './reviews.errors.js';
import type { ReviewCursor, ReviewsRepository } from './reviews.repository.js';
import type { ReviewRow, SellerRatingRow } from './reviews.schema.js';
import type { ReviewsPorts } from './reviews.service.js';

export const EDIT_WINDOW_MS = REVIEW_EDIT_DAYS * 86_400_000;
const EMPTY_DISTRIBUTION: SellerRating['distribution'] = [0, 0, 0, 0, 0];

/**
 * Where a page of reviews stops. The sort is part of the position, so a cursor of one sort is
 * refused by the other (their keys differ: helpful count then id, or the id alone).
 */
const ReviewCursors = {
  newest: z.object({ sort: z.literal('newest'), id: z.guid() }),
  helpful: z.object({ sort: z.literal('helpful'), helpful: z.number().int().nonnegative(), id: z.guid() }),
} satisfies Record<ReviewSort, z.ZodType>;

function encodeReviewCursor(row: ReviewRow, sort: ReviewSort): string {
  return encodeCursor(
    sort === 'helpful' ? { sort, helpful: row.helpfulCount, id: row.id } : { sort, id: row.id },
  );
}

function decodeReviewCursor(cursor: string | undefined, sort: ReviewSort): ReviewCursor | undefined {
  const position = decodeCursor(cursor, ReviewCursors[sort]);
  if (!position) return undefined;
  return 'helpful' in position ? { helpful: position.helpful, id: position.id } : { id: position.id };
}

export function ratingOf(sellerId: string, row: SellerRatingRow | undefined): SellerRating {
  if (!row || row.reviewCount <= 0)
    return { sellerId, average: null, count: 0, distribution: EMPTY_DISTRIBUTION };
  return {
    sellerId,
    // One decimal is what anyone shows; the exact sum and count stay in the table.
    average: Math.round((row.starsTotal / row.reviewCount) * 100) / 100,
    count: row.reviewCount,
    distribution: [row.stars1, row.stars2, row.stars3, row.stars4, row.stars5],
  };
}

/**
 * Reviews as they are read: pages of a seller's or a listing's reviews, one review, whether the
 * caller may write one, and sellers' ratings (profiles and search cards).
 */
export function createReviewViews(deps: {
  database: Pick<Database, 'db'>;
  repository: ReviewsRepository;
  ports: Pick<ReviewsPorts, 'users' | 'listings' | 'haveTalked'>;
  now: () => Date;
}) {
  const { repository, ports, now } = deps;
  const db = deps.database.db;

  const editable = (ctx: RequestContext, row: ReviewRow) =>
    ctx.actor?.userId === row.reviewerId && now().getTime() - row.createdAt.getTime() <= EDIT_WINDOW_MS;

  async function toReviews(ctx: RequestContext, rows: ReviewRow[]): Promise<Review[]> {
    if (rows.length === 0) return [];
    const listingIds = rows.flatMap((row) => (row.listingId ? [row.listingId] : []));
    const [users, listings, voted] = await Promise.all([
      ports.users(rows.flatMap((row) => [row.sellerId, row.reviewerId])),
      ports.listings(listingIds),
      ctx.actor
        ? repository.votedBy(
            db,
            ctx.actor.userId,
            rows.map((row) => row.id),
          )
        : Promise.resolve(new Set<string>()),
    ]);
    const card = (id: string) => {
      const user = users.get(id);
      return { id, displayName: user?.displayName ?? 'Deleted user', avatarUrl: user?.avatarUrl ?? null };
    };
    return rows.map((row) => {
      const listing = row.listingId ? listings.get(row.listingId) : undefined;
      return {
        id: row.id,
        seller: card(row.sellerId),
        reviewer: card(row.reviewerId),
        listing: row.listingId && listing ? { id: row.listingId, title: listing.title } : null,
        stars: row.stars,
        title: row.title,
        text: row.body,
        verifiedBuyer: row.verifiedBuyer,
        helpfulCount: row.helpfulCount,
        votedHelpful: voted.has(row.id),
        editable: editable(ctx, row),
        response:
          row.responseText !== null && row.respondedAt
            ? {
                text: row.responseText,
                createdAt: row.respondedAt.toISOString(),
                updatedAt: (row.responseUpdatedAt ?? row.respondedAt).toISOString(),
              }
            : null,
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
      };
    });
  }

  async function toReview(ctx: RequestContext, row: ReviewRow): Promise<Review> {
    return (await toReviews(ctx, [row]))[0] as Review;
  }

  async function requireSeller(sellerId: string): Promise<{ displayName: string }> {
    const seller = (await ports.users([sellerId])).get(sellerId);
    if (!seller) throw reviewsError('seller_not_found');
    return seller;
  }

  async function existing(id: string): Promise<ReviewRow> {
    const row = await repository.findReview(db, id);
    if (!row) throw reviewsError('review_not_found');
    return row;
  }

  async function page(
    ctx: RequestContext,
    filter: { sellerId: string } | { listingId: string },
    query: { limit: number; cursor?: string | undefined; sort: ReviewSort },
  ): Promise<ReviewPage> {
    const rows = await repository.list(db, filter, query.sort, {
      limit: query.limit + 1,
      after: decodeReviewCursor(query.cursor, query.sort),
    });
    const items = rows.slice(0, query.limit);
    const last = items.at(-1);
    return {
      items: await toReviews(ctx, items),
      nextCursor: rows.length > query.limit && last ? encodeReviewCursor(last, query.sort) : null,
    };
  }

  async function ratingsOf(sellerIds: string[]): Promise<Map<string, SellerRating>> {
    const unique = [...new Set(sellerIds)];
    const rows = new Map((await repository.ratingsOf(db, unique)).map((row) => [row.sellerId, row]));
    return new Map(unique.map((id) => [id, ratingOf(id, rows.get(id))]));
  }

  return {
    toReview,
    requireSeller,
    existing,

    async get(ctx: RequestContext, id: string): Promise<Review> {
      return toReview(ctx, await existing(id));
    },

    async listForSeller(
      ctx: RequestContext,
      sellerId: string,
      query: { limit: number; cursor?: string | undefined; sort: ReviewSort },
    ): Promise<ReviewPage> {
      await requireSeller(sellerId);
      return page(ctx, { sellerId }, query);
    },

    async listForListing(
      ctx: RequestContext,
      listingId: string,
      query: { limit: number; cursor?: string | undefined; sort: ReviewSort },
    ): Promise<ReviewPage> {
      const listing = (await ports.listings([listingId])).get(listingId);
      if (!listing || listing.status === 'draft' || listing.status === 'removed')
        throw reviewsError('listing_not_found');
      return page(ctx, { listingId }, query);
    },

    /** Whether the caller may review this seller (for this listing) now; the form asks first. */
    async eligibility(ctx: RequestContext, sellerId: string, listingId?: string): Promise<ReviewEligibility> {
      await requireSeller(sellerId);
      if (!ctx.actor) return { eligible: false, reason: 'signed_out' };
      const userId = ctx.actor.userId;
      if (userId === sellerId) return { eligible: false, reason: 'self' };
      if (!(await ports.haveTalked(userId, sellerId))) return { eligible: false, reason: 'no_conversation' };
      const done = await repository.findOwn(db, userId, sellerId, listingId ?? null);
      return done ? { eligible: false, reason: 'already_reviewed' } : { eligible: true, reason: null };
    },

    async rating(sellerId: string): Promise<SellerRating> {
      await requireSeller(sellerId);
      const [row] = await repository.ratingsOf(db, [sellerId]);
      return ratingOf(sellerId, row);
    },

    /** Ratings of several sellers in one query; sellers without reviews get the empty rating. */
    ratingsOf,

    /**
     * The seller rating behind each of these listings (search cards); unknown listings are left
     * out, and so are drafts and deleted ones (their seller is not public: GET /listings/:id's rule).
     */
    async ratingsForListings(listingIds: string[]): Promise<{ listingId: string; rating: SellerRating }[]> {
      const listings = new Map(
        [...(await ports.listings(listingIds))].filter(
          ([, listing]) => listing.status !== 'draft' && listing.status !== 'removed',
        ),
      );
      const sellers = [...new Set([...listings.values()].map((listing) => listing.sellerId))];
      const ratings = await ratingsOf(sellers);
      return [...new Set(listingIds)].flatMap((listingId) => {
        const listing = listings.get(listingId);
        const rating = listing ? ratings.get(listing.sellerId) : undefined;
        return rating ? [{ listingId, rating }] : [];
      });
    },

    /** The exact count and sum from the reviews themselves, to check the aggregate against. */
    recount(sellerId: string) {
      return repository.recount(db, sellerId);
    },
  };
}
