import {
  LeaderboardQuery,
  ListingIdParams,
  ShowcaseDetailsBody,
  ShowcaseFeedPage,
  ShowcaseFeedQuery,
  ShowcasePost,
  UpvoteState,
} from '@souk/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireActor } from '../../platform/http/context.js';
import { problemResponses } from '../../platform/http/openapi.js';
import type { ShowcaseService } from './showcase.service.js';

const tags = ['showcase'];

/** Showcase posts, upvotes and feeds under /api/v1. */
export function showcaseRoutes(
  service: ShowcaseService,
  limits: { upvotesPerMinutePerAddress: number },
): FastifyPluginAsyncZod {
  // Per client address, not per member: a burst of fresh accounts voting from one place is
  // exactly what this stops (fastify-rate-limit's default key is request.ip).
  const voteLimit = { rateLimit: { max: limits.upvotesPerMinutePerAddress, timeWindow: 60_000 } };
  const voteProblems = problemResponses(400, 401, 403, 404, 409, 429);
  return async (app) => {
    app.get(
      '/listings/:id/showcase',
      {
        schema: {
          tags,
          summary: 'The product details of a showcase listing, with its exact upvote count',
          params: ListingIdParams,
          response: { 200: ShowcasePost, ...problemResponses(400, 404, 409) },
        },
      },
      async (request, reply) => {
        if (request.ctx.actor) reply.header('cache-control', 'private, no-store');
        return service.get(request.ctx, request.params.id);
      },
    );

    app.put(
      '/listings/:id/showcase',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary:
            'Set the product details of my showcase listing (name, tagline, link, tags, makers, launch date)',
          params: ListingIdParams,
          body: ShowcaseDetailsBody,
          response: { 200: ShowcasePost, ...problemResponses(400, 401, 403, 404, 409) },
        },
      },
      (request) => service.saveDetails(request.ctx, request.params.id, request.body),
    );

    app.put(
      '/listings/:id/upvote',
      {
        preHandler: requireActor,
        config: voteLimit,
        schema: {
          tags,
          summary: 'Upvote a showcase post (once per member; again changes nothing)',
          params: ListingIdParams,
          response: { 200: UpvoteState, ...voteProblems },
        },
      },
      (request) => service.upvote(request.ctx, request.params.id),
    );

    app.delete(
      '/listings/:id/upvote',
      {
        preHandler: requireActor,
        config: voteLimit,
        schema: {
          tags,
          summary: 'Take my upvote back',
          params: ListingIdParams,
          response: { 200: UpvoteState, ...voteProblems },
        },
      },
      (request) => service.unvote(request.ctx, request.params.id),
    );

    app.get(
      '/showcase/feed',
      {
        schema: {
          tags,
          summary: 'Showcase posts of the last 24 hours (today) or 7 days (week), hottest first',
          description:
            "Hot = weighted votes / (age in hours + 2) ^ 1.8; a vote weighs 0.2 to 1 by the age of the voter's account.",
          querystring: ShowcaseFeedQuery,
          response: { 200: ShowcaseFeedPage, ...problemResponses(400) },
        },
      },
      (request) => service.feed(request.ctx, request.query),
    );

    app.get(
      '/showcase/leaderboard',
      {
        schema: {
          tags,
          summary: 'The posts that went live on one UTC day, most weighted votes first',
          querystring: LeaderboardQuery,
          response: { 200: ShowcaseFeedPage, ...problemResponses(400) },
        },
      },
      (request) => service.leaderboard(request.ctx, request.query),
    );
  };
}
