import {
  CreateReviewBody,
  EligibilityQuery,
  HelpfulResult,
  ListingIdParams,
  ListingRatings,
  ListingRatingsQuery,
  ReportReviewBody,
  Review,
  ReviewEligibility,
  ReviewIdParams,
  ReviewPage,
  ReviewReport,
  ReviewResponseBody,
  ReviewsQuery,
  SellerRating,
  UpdateReviewBody,
} from '@souk/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { perMember, privateWhenSignedIn, requireActor } from '../../platform/http/context.js';
import { problemResponses } from '../../platform/http/openapi.js';
import type { ReviewsService } from './reviews.service.js';

const tags = ['reviews'];
const NoContent = z.undefined();
const SellerIdParams = z.object({ id: z.uuid() });
const writeLimit = { rateLimit: { max: 30, timeWindow: 60_000, keyGenerator: perMember } };
const writeProblems = problemResponses(400, 401, 403, 404, 409, 429);

/** Reviews under /api/v1/reviews, a seller's under /users/:id, a listing's under /listings/:id. */
export function reviewsRoutes(service: ReviewsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onSend', privateWhenSignedIn);

    app.post(
      '/reviews',
      {
        preHandler: requireActor,
        config: writeLimit,
        schema: {
          tags,
          summary: 'Review a seller (optionally for one of their listings), after a conversation with them',
          body: CreateReviewBody,
          response: { 201: Review, ...writeProblems },
        },
      },
      async (request, reply) => {
        reply.code(201);
        return service.create(request.ctx, request.body);
      },
    );

    app.get(
      '/reviews/:id',
      {
        schema: {
          tags,
          summary: 'One review',
          params: ReviewIdParams,
          response: { 200: Review, ...problemResponses(400, 404) },
        },
      },
      (request) => service.get(request.ctx, request.params.id),
    );

    app.patch(
      '/reviews/:id',
      {
        preHandler: requireActor,
        config: writeLimit,
        schema: {
          tags,
          summary: 'Edit my review (within 30 days of writing it)',
          params: ReviewIdParams,
          body: UpdateReviewBody,
          response: { 200: Review, ...writeProblems },
        },
      },
      (request) => service.update(request.ctx, request.params.id, request.body),
    );

    app.delete(
      '/reviews/:id',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Delete my review (moderators may delete any)',
          params: ReviewIdParams,
          response: { 204: NoContent, ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await service.remove(request.ctx, request.params.id);
        return reply.code(204).send();
      },
    );

    app.put(
      '/reviews/:id/response',
      {
        preHandler: requireActor,
        config: writeLimit,
        schema: {
          tags,
          summary: 'Respond to a review of me as the seller (once; calling again edits the response)',
          params: ReviewIdParams,
          body: ReviewResponseBody,
          response: { 200: Review, ...writeProblems },
        },
      },
      (request) => service.respond(request.ctx, request.params.id, request.body.text),
    );

    app.put(
      '/reviews/:id/helpful',
      {
        preHandler: requireActor,
        config: writeLimit,
        schema: {
          tags,
          summary: 'Vote a review helpful (once; not my own)',
          params: ReviewIdParams,
          response: { 200: HelpfulResult, ...writeProblems },
        },
      },
      (request) => service.voteHelpful(request.ctx, request.params.id, true),
    );

    app.delete(
      '/reviews/:id/helpful',
      {
        preHandler: requireActor,
        config: writeLimit,
        schema: {
          tags,
          summary: 'Take back my helpful vote',
          params: ReviewIdParams,
          response: { 200: HelpfulResult, ...writeProblems },
        },
      },
      (request) => service.voteHelpful(request.ctx, request.params.id, false),
    );

    app.post(
      '/reviews/:id/reports',
      {
        preHandler: requireActor,
        config: writeLimit,
        schema: {
          tags,
          summary: 'Report a review to the moderators (kept with a copy of the review as it is now)',
          params: ReviewIdParams,
          body: ReportReviewBody,
          response: { 201: ReviewReport, ...writeProblems },
        },
      },
      async (request, reply) => {
        reply.code(201);
        return service.report(request.ctx, request.params.id, request.body);
      },
    );

    app.get(
      '/users/:id/reviews',
      {
        schema: {
          tags,
          summary: 'Reviews of a seller, newest or most helpful first',
          params: SellerIdParams,
          querystring: ReviewsQuery,
          response: { 200: ReviewPage, ...problemResponses(400, 404) },
        },
      },
      (request) => service.listForSeller(request.ctx, request.params.id, request.query),
    );

    app.get(
      '/users/:id/rating',
      {
        schema: {
          tags,
          summary: 'A seller’s rating: average, count and the 1..5 star distribution',
          params: SellerIdParams,
          response: { 200: SellerRating, ...problemResponses(400, 404) },
        },
      },
      (request) => service.rating(request.params.id),
    );

    app.get(
      '/users/:id/review-eligibility',
      {
        schema: {
          tags,
          summary: 'Whether I may review this seller (for this listing) now, and if not why',
          params: SellerIdParams,
          querystring: EligibilityQuery,
          response: { 200: ReviewEligibility, ...problemResponses(400, 404) },
        },
      },
      (request) => service.eligibility(request.ctx, request.params.id, request.query.listingId),
    );

    app.get(
      '/listings/:id/reviews',
      {
        schema: {
          tags,
          summary: 'Reviews written about a listing, newest or most helpful first',
          params: ListingIdParams,
          querystring: ReviewsQuery,
          response: { 200: ReviewPage, ...problemResponses(400, 404) },
        },
      },
      (request) => service.listForListing(request.ctx, request.params.id, request.query),
    );

    app.get(
      '/ratings',
      {
        schema: {
          tags,
          summary: 'Seller ratings behind a page of listing cards (`?listingIds=a,b,c`, at most 100)',
          querystring: ListingRatingsQuery,
          response: { 200: ListingRatings, ...problemResponses(400) },
        },
      },
      async (request) => ({ items: await service.ratingsForListings(request.query.listingIds) }),
    );
  };
}
