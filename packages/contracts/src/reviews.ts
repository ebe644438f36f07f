import { z } from 'zod';
import { CursorQuery, Id, IsoDateTime, pageOf } from './common.js';
import { UserCard } from './messaging.js';

/** Days after writing a review during which its author may still edit it. */
export const REVIEW_EDIT_DAYS = 30;
export const REVIEW_TITLE_MAX = 120;
export const REVIEW_TEXT_MAX = 4000;
export const REVIEW_RESPONSE_MAX = 2000;
/** Sellers one batch rating lookup may ask about (a page of search cards). */
export const RATING_BATCH_MAX = 100;

export const Stars = z.number().int().min(1).max(5).describe('1 to 5 stars');

/** A seller's aggregate: exact counts, the average of all their reviews' stars. */
export const SellerRating = z
  .object({
    sellerId: Id,
    average: z.number().min(1).max(5).nullable().describe('Null with no reviews'),
    count: z.number().int().min(0),
    /** How many reviews gave 1, 2, 3, 4 and 5 stars (index 0 is one star). */
    distribution: z.tuple([
      z.number().int(),
      z.number().int(),
      z.number().int(),
      z.number().int(),
      z.number().int(),
    ]),
  })
  .meta({ id: 'SellerRating' });
export type SellerRating = z.infer<typeof SellerRating>;

export const ReviewResponse = z.object({
  text: z.string(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});

export const Review = z
  .object({
    id: Id,
    seller: UserCard,
    reviewer: UserCard,
    listing: z.object({ id: Id, title: z.string() }).nullable(),
    stars: Stars,
    title: z.string(),
    text: z.string(),
    verifiedBuyer: z.boolean().describe('An order between them completed (always false until orders exist)'),
    helpfulCount: z.number().int().min(0),
    /** Whether the caller voted it helpful (false when signed out). */
    votedHelpful: z.boolean(),
    /** Whether the caller may still edit it (its author, within REVIEW_EDIT_DAYS). */
    editable: z.boolean(),
    response: ReviewResponse.nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'Review' });
export type Review = z.infer<typeof Review>;

export const ReviewPage = pageOf(Review).meta({ id: 'ReviewPage' });
export type ReviewPage = z.infer<typeof ReviewPage>;

export const ReviewSort = z.enum(['newest', 'helpful']);
export type ReviewSort = z.infer<typeof ReviewSort>;

export const ReviewsQuery = CursorQuery.extend({ sort: ReviewSort.default('newest') });
export type ReviewsQuery = z.input<typeof ReviewsQuery>;

const reviewText = {
  stars: Stars,
  title: z.string().trim().min(1, 'write a title').max(REVIEW_TITLE_MAX),
  text: z.string().trim().min(1, 'write a few words').max(REVIEW_TEXT_MAX),
};

export const CreateReviewBody = z
  .object({
    sellerId: Id,
    listingId: Id.nullable().optional().describe('The seller’s listing it is about, if any'),
    ...reviewText,
  })
  .strict();
export type CreateReviewBody = z.input<typeof CreateReviewBody>;

export const UpdateReviewBody = z.object(reviewText).partial().strict();
export type UpdateReviewBody = z.input<typeof UpdateReviewBody>;

export const ReviewResponseBody = z
  .object({ text: z.string().trim().min(1, 'write a few words').max(REVIEW_RESPONSE_MAX) })
  .strict();
export type ReviewResponseBody = z.input<typeof ReviewResponseBody>;

export const ReviewReportReason = z.enum(['spam', 'fake', 'offensive', 'personal_data', 'other']);
export type ReviewReportReason = z.infer<typeof ReviewReportReason>;

export const ReportReviewBody = z
  .object({ reason: ReviewReportReason, text: z.string().trim().max(2000).default('') })
  .strict();
export type ReportReviewBody = z.input<typeof ReportReviewBody>;

export const ReviewReport = z
  .object({
    id: Id,
    reviewId: Id,
    reason: ReviewReportReason,
    status: z.enum(['open']),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'ReviewReport' });
export type ReviewReport = z.infer<typeof ReviewReport>;

export const HelpfulResult = z.object({ helpfulCount: z.number().int().min(0), votedHelpful: z.boolean() });
export type HelpfulResult = z.infer<typeof HelpfulResult>;

export const ReviewIdParams = z.object({ id: Id });

/** Whether the caller may review this seller now, and if not, why (the form explains it). */
export const ReviewEligibility = z
  .object({
    eligible: z.boolean(),
    reason: z.enum(['signed_out', 'self', 'no_conversation', 'already_reviewed']).nullable(),
  })
  .meta({ id: 'ReviewEligibility' });
export type ReviewEligibility = z.infer<typeof ReviewEligibility>;

export const EligibilityQuery = z.object({ listingId: Id.optional() });

/** Ratings of the sellers of several listings (search cards): `?listingIds=a,b,c`. */
export const ListingRatingsQuery = z.object({
  listingIds: z
    .string()
    .max(RATING_BATCH_MAX * 37)
    .transform((value) => value.split(',').filter(Boolean))
    .pipe(z.array(Id).min(1).max(RATING_BATCH_MAX)),
});
export const ListingRatings = z
  .object({
    items: z.array(z.object({ listingId: Id, rating: SellerRating })),
  })
  .meta({ id: 'ListingRatings' });
export type ListingRatings = z.infer<typeof ListingRatings>;
