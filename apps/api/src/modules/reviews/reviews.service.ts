import type {
  CreateReviewBody,
  HelpfulResult,
  Review,
  ReviewReport,
  ReviewReportReason,
  UpdateReviewBody,
} from '@souk/contracts';
import type { Database, Queryable } from '../../platform/db/database.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { platformError } from '../../platform/http/errors.js';
import type { NotifyInput } from '../notifications/index.js';
import { reviewsError } from './reviews.errors.js';
import type { ReviewsRepository } from './reviews.repository.js';
import { createReviewViews, EDIT_WINDOW_MS } from './reviews.views.js';

export { ratingOf } from './reviews.views.js';

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

const oneLine = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/**
 * The reviews service: its writes (write, edit, delete, respond, vote, report), each changing
 * the seller's aggregate in the same transaction, over the reads of reviews.views.ts.
 */
export function createReviewsService(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: ReviewsRepository;
  ports: ReviewsPorts;
  /** The clock, for the edit window (tests move it). */
  now?: () => Date;
}) {
  const { database, repository, ports } = deps;
  const now = deps.now ?? (() => new Date());

  const isModerator = (ctx: RequestContext) =>
    ctx.actor?.roles.some((role) => role === 'admin' || role === 'moderator') ?? false;

  const { toReview, requireSeller, existing, ...reads } = createReviewViews({
    database,
    repository,
    ports,
    now,
  });

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
    ...reads,
  };
}

export type ReviewsService = ReturnType<typeof createReviewsService>;
