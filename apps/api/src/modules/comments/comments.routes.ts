import {
  Comment,
  CommentIdParams,
  CommentThreadPage,
  CommentThreadQuery,
  CreateCommentBody,
  ListingIdParams,
  UpdateCommentBody,
} from '@souk/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { perMember, requireActor } from '../../platform/http/context.js';
import { problemResponses } from '../../platform/http/openapi.js';
import type { CommentsService } from './comments.service.js';

const tags = ['comments'];

/** Threaded comments under /api/v1/listings/:id/comments and /api/v1/comments/:id. */
export function commentsRoutes(
  limits: { commentsPerMinute: number },
  service: CommentsService,
): FastifyPluginAsyncZod {
  const writeLimit = {
    rateLimit: { max: limits.commentsPerMinute, timeWindow: 60_000, keyGenerator: perMember },
  };
  return async (app) => {
    app.get(
      '/listings/:id/comments',
      {
        schema: {
          tags,
          summary: 'The discussion of a listing: whole threads, paged by top-level comment (oldest first)',
          params: ListingIdParams,
          querystring: CommentThreadQuery,
          response: { 200: CommentThreadPage, ...problemResponses(400, 404) },
        },
      },
      (request) => service.thread(request.ctx, request.params.id, request.query),
    );

    app.post(
      '/listings/:id/comments',
      {
        preHandler: requireActor,
        config: writeLimit,
        schema: {
          tags,
          summary: 'Comment on a live listing, or reply to one of its comments (parentId)',
          params: ListingIdParams,
          body: CreateCommentBody,
          response: { 201: Comment, ...problemResponses(400, 401, 404, 409, 429) },
        },
      },
      async (request, reply) => {
        reply.code(201);
        return service.create(request.ctx, request.params.id, request.body);
      },
    );

    app.patch(
      '/comments/:id',
      {
        preHandler: requireActor,
        config: writeLimit,
        schema: {
          tags,
          summary: 'Edit my comment',
          params: CommentIdParams,
          body: UpdateCommentBody,
          response: { 200: Comment, ...problemResponses(400, 401, 403, 404, 429) },
        },
      },
      (request) => service.edit(request.ctx, request.params.id, request.body.text),
    );

    app.delete(
      '/comments/:id',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Delete my comment (with replies it stays as a placeholder without author or text)',
          params: CommentIdParams,
          response: { 204: z.undefined(), ...problemResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        await service.remove(request.ctx, request.params.id);
        return reply.code(204).send();
      },
    );
  };
}
