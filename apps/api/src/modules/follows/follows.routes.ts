import {
  CursorQuery,
  FollowingPage,
  FollowingQuery,
  FollowParams,
  FollowState,
  ListingPage,
} from '@souk/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { perMember, privateWhenSignedIn, requireActor } from '../../platform/http/context.js';
import { problemResponses } from '../../platform/http/openapi.js';
import type { FollowsService } from './follows.service.js';

const tags = ['follows'];
const writeLimit = { rateLimit: { max: 60, timeWindow: 60_000, keyGenerator: perMember } };

/** Follows under /api/v1/follows/:type/:id, my list under /me/following, the feed under /feed/following. */
export function followsRoutes(service: FollowsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.addHook('onSend', privateWhenSignedIn);

    app.get(
      '/follows/:type/:id',
      {
        schema: {
          tags,
          summary: 'Follower count of a member or category, and whether I follow it',
          params: FollowParams,
          response: { 200: FollowState, ...problemResponses(400, 404) },
        },
      },
      (request) => service.state(request.ctx, request.params.type, request.params.id),
    );

    app.put(
      '/follows/:type/:id',
      {
        preHandler: requireActor,
        config: writeLimit,
        schema: {
          tags,
          summary: 'Follow a member or a category (idempotent)',
          params: FollowParams,
          response: { 200: FollowState, ...problemResponses(400, 401, 404, 409, 429) },
        },
      },
      (request) => service.follow(request.ctx, request.params.type, request.params.id),
    );

    app.delete(
      '/follows/:type/:id',
      {
        preHandler: requireActor,
        config: writeLimit,
        schema: {
          tags,
          summary: 'Stop following (idempotent)',
          params: FollowParams,
          response: { 200: FollowState, ...problemResponses(400, 401, 429) },
        },
      },
      (request) => service.unfollow(request.ctx, request.params.type, request.params.id),
    );

    app.get(
      '/me/following',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'The members and categories I follow, newest first',
          querystring: FollowingQuery,
          response: { 200: FollowingPage, ...problemResponses(400, 401) },
        },
      },
      (request) => service.following(request.ctx, request.query),
    );

    app.get(
      '/feed/following',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'New listings from the members and categories I follow, newest first',
          querystring: CursorQuery,
          response: { 200: ListingPage, ...problemResponses(400, 401) },
        },
      },
      (request) => service.feed(request.ctx, request.query),
    );
  };
}
