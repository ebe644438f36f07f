import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const reviewsErrors = {
  review_not_found: { status: 404, title: 'No such review' },
  seller_not_found: { status: 404, title: 'No such seller' },
  listing_not_found: { status: 404, title: 'No such listing' },
  listing_not_of_seller: { status: 400, title: 'The listing is not one of this seller’s' },
  cannot_review_self: { status: 400, title: 'You cannot review yourself' },
  no_conversation: {
    status: 403,
    title: 'You can review a seller after you have talked with them about one of their listings',
  },
  already_reviewed: { status: 409, title: 'You already reviewed this seller for this listing' },
  not_review_author: { status: 403, title: 'Only the author of a review can change it' },
  edit_window_closed: {
    status: 409,
    title: 'A review can only be edited in the 30 days after it was written',
  },
  not_review_seller: { status: 403, title: 'Only the reviewed seller can respond to a review' },
  cannot_vote_own_review: { status: 400, title: 'You cannot vote your own review helpful' },
  already_reported: { status: 409, title: 'You already reported this review; it is being looked at' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type ReviewsErrorCode = keyof typeof reviewsErrors;

export const reviewsError = errorFactory(reviewsErrors);
