import {
  CreateListingBody,
  FeatureListingBody,
  Listing,
  ListingIdParams,
  ListingPage,
  ListingSummary,
  ListingsQuery,
  MyListings,
  MyListingsQuery,
  UpdateListingBody,
} from '@souk/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor, requireRole } from '../../platform/http/context.js';
import { problemResponses } from '../../platform/http/openapi.js';
import type { ListingsService } from './listings.service.js';

const changeProblems = problemResponses(400, 401, 403, 404, 409);

export function listingsRoutes(service: ListingsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/listings',
      {
        schema: {
          tags: ['listings'],
          summary: 'Active listings, newest first (filters: category with subcategories, seller, kind)',
          querystring: ListingsQuery,
          response: { 200: ListingPage, ...problemResponses(400, 403) },
        },
      },
      (request) => service.list(request.ctx, request.query),
    );

    app.get(
      '/listings/featured',
      {
        schema: {
          tags: ['listings'],
          summary: 'Listings inside their feature window',
          response: { 200: z.object({ items: z.array(ListingSummary) }) },
        },
      },
      (request) => service.featured(request.ctx),
    );

    app.get(
      '/listings/mine',
      {
        preHandler: requireActor,
        schema: {
          tags: ['listings'],
          summary: 'My listings in every status, with counts per status',
          querystring: MyListingsQuery,
          response: { 200: MyListings, ...problemResponses(400, 401) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'private, no-store');
        return service.mine(request.ctx, request.query);
      },
    );

    app.get(
      '/listings/:id',
      {
        schema: {
          tags: ['listings'],
          summary: 'One listing (drafts only for their seller); counts one view per viewer a day',
          params: ListingIdParams,
          response: { 200: Listing, ...problemResponses(400, 404) },
        },
      },
      (request) =>
        service.get(request.ctx, request.params.id, {
          ip: request.ip ?? null,
          userAgent: typeof request.headers['user-agent'] === 'string' ? request.headers['user-agent'] : null,
        }),
    );

    app.post(
      '/listings',
      {
        preHandler: requireActor,
        schema: {
          tags: ['listings'],
          summary: 'Create a draft listing',
          body: CreateListingBody,
          response: { 201: Listing, ...changeProblems },
        },
      },
      async (request, reply) => {
        reply.code(201);
        return service.create(request.ctx, request.body);
      },
    );

    app.patch(
      '/listings/:id',
      {
        preHandler: requireActor,
        schema: {
          tags: ['listings'],
          summary: 'Change a listing (not its status: use publish, unpublish, sold, renew, delete)',
          params: ListingIdParams,
          body: UpdateListingBody,
          response: { 200: Listing, ...changeProblems },
        },
      },
      (request) => service.update(request.ctx, request.params.id, request.body),
    );

    app.delete(
      '/listings/:id',
      {
        preHandler: requireActor,
        schema: {
          tags: ['listings'],
          summary: 'Delete a listing (kept for moderation and disputes)',
          params: ListingIdParams,
          response: { 204: z.undefined(), ...changeProblems },
        },
      },
      async (request, reply) => {
        await service.remove(request.ctx, request.params.id);
        return reply.code(204).send();
      },
    );

    const lifecycle = [
      ['publish', 'Publish a draft (checks it is complete)', service.publish],
      ['unpublish', 'Take an active listing back to draft', service.unpublish],
      ['sold', 'Mark an active listing sold', service.markSold],
      ['renew', 'Put an expired listing back online', service.renew],
    ] as const;
    for (const [action, summary, run] of lifecycle) {
      app.post(
        `/listings/:id/${action}`,
        {
          preHandler: requireActor,
          schema: {
            tags: ['listings'],
            summary,
            params: ListingIdParams,
            response: { 200: Listing, ...changeProblems },
          },
        },
        (request) => run(request.ctx, request.params.id),
      );
    }

    app.put(
      '/listings/:id/feature',
      {
        preHandler: requireRole('admin'),
        schema: {
          tags: ['listings', 'admin'],
          summary: 'Feature a listing for a time window (admin)',
          params: ListingIdParams,
          body: FeatureListingBody,
          response: { 200: Listing, ...changeProblems },
        },
      },
      (request) => service.setFeature(request.ctx, request.params.id, request.body),
    );

    app.delete(
      '/listings/:id/feature',
      {
        preHandler: requireRole('admin'),
        schema: {
          tags: ['listings', 'admin'],
          summary: 'Stop featuring a listing (admin)',
          params: ListingIdParams,
          response: { 200: Listing, ...changeProblems },
        },
      },
      (request) => service.setFeature(request.ctx, request.params.id, null),
    );
  };
}
