import type { Database } from '../../platform/db/database.js';
import { createReviewsRepository } from './reviews.repository.js';
import { reviewsRoutes } from './reviews.routes.js';
import { createReviewsService, type ReviewsPorts } from './reviews.service.js';

export type { ReviewsPorts, ReviewsService } from './reviews.service.js';

/**
 * Reviews: a member rates a seller 1-5 stars with a title and text, optionally for one of the
 * seller's listings, once per seller and listing, after a conversation with them. The author
 * edits within 30 days or deletes; the seller responds once (and may edit it); members vote
 * reviews helpful; anyone signed in reports one for the moderation queue.
 *
 * Each seller's aggregate (average, count, distribution) lives in `seller_ratings`, changed by
 * atomic increments in the transaction of every write, so it stays exact under concurrency.
 * `ratingsOf` / `ratingsForListings` serve profiles and search cards in one query.
 */
export function createReviewsModule(deps: { database: Database; ports: ReviewsPorts; now?: () => Date }) {
  const repository = createReviewsRepository();
  const service = createReviewsService({ ...deps, repository });
  return { service, routes: reviewsRoutes(service) };
}

export type ReviewsModule = ReturnType<typeof createReviewsModule>;
