import {
  type CreateReviewBody,
  type HelpfulResult,
  REVIEW_EDIT_DAYS,
  type Review,
  type ReviewEligibility,
  type ReviewPage,
  type ReviewReport,
  type ReviewReportReason,
  type ReviewSort,
  type SellerRating,
  type UpdateReviewBody,
} from '@souk/contracts';
import { z } from 'zod';
import type { Database, Queryable } from '../../platform/db/database.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { platformError } from '../../platform/http/errors.js';
import type { NotifyInput } from '../notifications/index.js';
import { reviewsError } from './reviews.errors.js';
import type { ReviewCursor, ReviewsRepository } from './reviews.repository.js';
import type { ReviewRow, SellerRatingRow } from './reviews.schema.js';

const SIGN_IN = 'Sign in to write or rate reviews.';

/** What reviews need from other modules, each reached through its service. */
export type ReviewsPorts = {
  users: (ids: string[]) => Promise<Map<string, { displayName: string; avatarUrl: string | null }>>;
  listings: (ids: string[]) => Promise<Map<string, { sellerId: string; title: string; status: string }>>;
  /** Whether the buyer wrote to the seller about one of the seller's listings (messaging). */
  haveTalked: (buyerId: string, sellerId: string) => Promise<boolean>;
  /**
   * Whether an order between them completed. Orders do not exist yet, so app.ts answers false
   * and no review is marked "verified buyer" (decision record on reviews).
   */
  completedOrder: (buyerId: string, sellerId: string) => Promise<boolean>;
  notify: (tx: Queryable, input: NotifyInput) => Promise<unknown>;
  /** Throws `email_unverified` (403) unless the account confirmed its address (auth). */
  requireVerifiedEmail: (userId: string, action: string) => Promise<void>;
};

const EDIT_WINDOW_MS = REVIEW_EDIT_DAYS * 86_400_000;
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

const oneLine = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export function createReviewsService(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: ReviewsRepository;
  ports: ReviewsPorts;
  /** The clock, for the edit window (tests move it). */
  now?: () => Date;
}) {
  const { database, repository, ports } = deps;
  const db = database.db;
  const now = deps.now ?? (() => new Date());

  const isModerator = (ctx: RequestContext) =>
    ctx.actor?.roles.some((role) => role === 'admin' || role === 'moderator') ?? false;

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
    async create(ctx: RequestContext, input: CreateReviewBody): Promise<Review> {
      const reviewerId = requireUser(ctx, SIGN_IN);
      const sellerId = input.sellerId;
      if (sellerId === reviewerId) throw reviewsError('cannot_review_self');
      await requireSeller(sellerId);
      const listingId = input.listingId ?? null;
      if (listingId) {
        const listing = (await ports.listings([listingId])).get(listingId);
        if (!listing || listing.status === 'draft') throw reviewsError('listing_not_found');
        if (listing.sellerId !== sellerId) throw reviewsError('listing_not_of_seller');
      }
      if (!(await ports.haveTalked(reviewerId, sellerId))) throw reviewsError('no_conversation');
      await ports.requireVerifiedEmail(reviewerId, 'review a seller');
      const verifiedBuyer = await ports.completedOrder(reviewerId, sellerId);
      const reviewer = (await ports.users([reviewerId])).get(reviewerId);
      const row = await database.transaction(async (tx) => {
        const created = await repository.insertReview(tx, {
          sellerId,
          reviewerId,
          listingId,
          stars: input.stars,
          title: input.title,
          body: input.text,
          verifiedBuyer,
        });
        if (!created) throw reviewsError('already_reviewed');
        await repository.bumpRating(tx, sellerId, [{ stars: created.stars, sign: 1 }]);
        await ports.notify(tx, {
          userId: sellerId,
          type: 'review_received',
          title: `${reviewer?.displayName ?? 'A member'} gave you ${created.stars} ${created.stars === 1 ? 'star' : 'stars'}`,
          body: oneLine(`${created.title}: ${created.body}`, 280),
          url: `/u/${sellerId}#review-${created.id}`,
          data: { reviewId: created.id, stars: created.stars },
          dedupeKey: `review:${created.id}`,
        });
        return created;
      });
      return toReview(ctx, row);
    },

    async get(ctx: RequestContext, id: string): Promise<Review> {
      return toReview(ctx, await existing(id));
    },

    async update(ctx: RequestContext, id: string, input: UpdateReviewBody): Promise<Review> {
      const userId = requireUser(ctx, SIGN_IN);
      if (input.stars === undefined && input.title === undefined && input.text === undefined)
        throw platformError('validation_failed', 'Change the stars, the title or the text.');
      const row = await database.transaction(async (tx) => {
        const current = await repository.lockReview(tx, id);
        if (!current) throw reviewsError('review_not_found');
        if (current.reviewerId !== userId) throw reviewsError('not_review_author');
        if (now().getTime() - current.createdAt.getTime() > EDIT_WINDOW_MS)
          throw reviewsError('edit_window_closed');
        if (input.stars !== undefined && input.stars !== current.stars) {
          await repository.bumpRating(tx, current.sellerId, [
            { stars: current.stars, sign: -1 },
            { stars: input.stars, sign: 1 },
          ]);
        }
        return repository.updateReview(tx, id, {
          ...(input.stars !== undefined ? { stars: input.stars } : {}),
          ...(input.title !== undefined ? { title: input.title } : {}),
          ...(input.text !== undefined ? { body: input.text } : {}),
          updatedAt: now(),
        });
      });
      return toReview(ctx, row);
    },

    /** By its author, or by a moderator (the moderation queue). */
    async remove(ctx: RequestContext, id: string): Promise<void> {
      const userId = requireUser(ctx, SIGN_IN);
      await database.transaction(async (tx) => {
        const current = await repository.lockReview(tx, id);
        if (!current) throw reviewsError('review_not_found');
        if (current.reviewerId !== userId && !isModerator(ctx)) throw reviewsError('not_review_author');
        await repository.deleteReview(tx, id);
        await repository.bumpRating(tx, current.sellerId, [{ stars: current.stars, sign: -1 }]);
      });
    },

    /** The seller's one response: the first call writes it, later calls edit it. */
    async respond(ctx: RequestContext, id: string, text: string): Promise<Review> {
      const userId = requireUser(ctx, SIGN_IN);
      // Read before the transaction: PGlite has one connection, a read outside it would wait.
      const seller = (await ports.users([userId])).get(userId);
      const row = await database.transaction(async (tx) => {
        const current = await repository.lockReview(tx, id);
        if (!current) throw reviewsError('review_not_found');
        if (current.sellerId !== userId) throw reviewsError('not_review_seller');
        const at = now();
        const first = current.respondedAt === null;
        const updated = await repository.updateReview(tx, id, {
          responseText: text,
          ...(first ? { respondedAt: at } : { responseUpdatedAt: at }),
        });
        if (first) {
          await ports.notify(tx, {
            userId: current.reviewerId,
            type: 'review_response',
            title: `${seller?.displayName ?? 'The seller'} responded to your review`,
            body: oneLine(text, 280),
            url: `/u/${current.sellerId}#review-${id}`,
            data: { reviewId: id },
            dedupeKey: `review-response:${id}`,
          });
        }
        return updated;
      });
      return toReview(ctx, row);
    },

    async voteHelpful(ctx: RequestContext, id: string, helpful: boolean): Promise<HelpfulResult> {
      const userId = requireUser(ctx, SIGN_IN);
      const row = await existing(id);
      if (row.reviewerId === userId) throw reviewsError('cannot_vote_own_review');
      return database.transaction(async (tx) => {
        const count = helpful
          ? await repository.addVote(tx, id, userId)
          : await repository.removeVote(tx, id, userId);
        // A replayed vote (or un-vote) changes nothing and answers the current state.
        const helpfulCount = count ?? (await repository.findReview(tx, id))?.helpfulCount ?? 0;
        return { helpfulCount, votedHelpful: helpful };
      });
    },

    async report(
      ctx: RequestContext,
      id: string,
      input: { reason: ReviewReportReason; text: string },
    ): Promise<ReviewReport> {
      const userId = requireUser(ctx, SIGN_IN);
      const review = await existing(id);
      const report = await database.transaction((tx) =>
        repository.insertReport(tx, {
          reviewId: id,
          reporterId: userId,
          reason: input.reason,
          text: input.text,
          snapshot: {
            sellerId: review.sellerId,
            reviewerId: review.reviewerId,
            listingId: review.listingId,
            stars: review.stars,
            title: review.title,
            text: review.body,
            response: review.responseText,
            createdAt: review.createdAt.toISOString(),
            updatedAt: review.updatedAt.toISOString(),
          },
        }),
      );
      if (!report) throw reviewsError('already_reported');
      return {
        id: report.id,
        reviewId: id,
        reason: report.reason,
        status: 'open',
        createdAt: report.createdAt.toISOString(),
      };
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

export type ReviewsService = ReturnType<typeof createReviewsService>;
