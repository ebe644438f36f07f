import {
  CompareIdsQuery,
  CompareListingParams,
  CompareShare,
  Comparison,
  MergeCompareBody,
  SharedComparison,
  ShareTokenParams,
} from '@souk/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/http/context.js';
import { problemResponses } from '../../platform/http/openapi.js';
import type { CompareService } from './compare.service.js';

export function compareRoutes(service: CompareService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/compare',
      {
        preHandler: requireActor,
        schema: {
          tags: ['compare'],
          summary: 'My comparison: up to four listings with rows aligned from the category schema',
          response: { 200: Comparison, ...problemResponses(401) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'private, no-store');
        return service.get(request.ctx);
      },
    );

    app.get(
      '/compare/view',
      {
        schema: {
          tags: ['compare'],
          summary: "The table for up to four listing ids (a guest's comparison, kept in the browser)",
          querystring: CompareIdsQuery,
          response: { 200: Comparison, ...problemResponses(400) },
        },
      },
      (request) => service.compute(request.query.listingIds),
    );

    app.post(
      '/compare/merge',
      {
        preHandler: requireActor,
        schema: {
          tags: ['compare'],
          summary:
            "Merge a guest's comparison on sign-in: ids that cannot be compared are skipped, at most four",
          body: MergeCompareBody,
          response: { 200: Comparison, ...problemResponses(400, 401, 409) },
        },
      },
      (request) => service.merge(request.ctx, request.body.listingIds),
    );

    app.post(
      '/compare/share',
      {
        preHandler: requireActor,
        schema: {
          tags: ['compare'],
          summary:
            'Share my comparison as a link (a snapshot of the listings; rows are recomputed when opened)',
          response: { 201: CompareShare, ...problemResponses(401, 409) },
        },
      },
      async (request, reply) => {
        reply.code(201);
        return service.share(request.ctx, (token) => `/compare/shared/${token}`);
      },
    );

    app.get(
      '/compare/shared/:token',
      {
        schema: {
          tags: ['compare'],
          summary: 'A shared comparison, from current listing data (410 once expired)',
          params: ShareTokenParams,
          response: { 200: SharedComparison, ...problemResponses(400, 404, 410) },
        },
      },
      async (request, reply) => {
        reply.header('x-robots-tag', 'noindex');
        return service.shared(request.ctx, request.params.token);
      },
    );

    app.post(
      '/compare/:listingId',
      {
        preHandler: requireActor,
        schema: {
          tags: ['compare'],
          summary: 'Add a listing (at most four, all of the same top category)',
          params: CompareListingParams,
          response: { 200: Comparison, ...problemResponses(400, 401, 404, 409) },
        },
      },
      (request) => service.add(request.ctx, request.params.listingId),
    );

    app.delete(
      '/compare/:listingId',
      {
        preHandler: requireActor,
        schema: {
          tags: ['compare'],
          summary: 'Take a listing out of my comparison',
          params: CompareListingParams,
          response: { 200: Comparison, ...problemResponses(400, 401) },
        },
      },
      (request) => service.remove(request.ctx, request.params.listingId),
    );

    app.delete(
      '/compare',
      {
        preHandler: requireActor,
        schema: {
          tags: ['compare'],
          summary: 'Empty my comparison',
          response: { 204: z.null(), ...problemResponses(401) },
        },
      },
      async (request, reply) => {
        await service.clear(request.ctx);
        return reply.code(204).send(null);
      },
    );
  };
}
