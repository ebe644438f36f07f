import {
  CreateSavedSearchBody,
  ListingCards,
  ListingIdParams,
  RecentlyViewedBody,
  SavedSearch,
  SavedSearchIdParams,
  SavedSearchList,
  SearchQuery,
  SearchReport,
  SearchReportQuery,
  SearchResult,
  SimilarQuery,
  SuggestionList,
  SuggestionsQuery,
  UpdateSavedSearchBody,
} from '@souk/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor, requireRole } from '../../platform/http/context.js';
import { problemResponses } from '../../platform/http/openapi.js';
import type { SearchService } from './search.service.js';

export function searchRoutes(service: SearchService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/search',
      {
        schema: {
          tags: ['search'],
          summary: 'Search active listings: text, filters (attr.<key> for attributes), sort, facets',
          description:
            'Text takes web-search syntax ("exact phrase", -word, or). Attribute filters need a category: ' +
            '`attr.make=toyota,honda`, `attr.year=2015..2020`, `attr.mileageKm=..50000`. Distance: ' +
            '`location=<city id>` or `lat`/`lon`, with `radiusKm` (default 25, at most 500).',
          querystring: SearchQuery,
          response: { 200: SearchResult, ...problemResponses(400) },
        },
      },
      (request) => service.search(request.ctx, request.query),
    );

    app.get(
      '/search/suggestions',
      {
        schema: {
          tags: ['search'],
          summary: 'Suggestions as you type: categories, makes and models, listing titles',
          querystring: SuggestionsQuery,
          response: { 200: SuggestionList, ...problemResponses(400) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'public, max-age=60');
        return service.suggestions(request.ctx, request.query);
      },
    );

    app.get(
      '/listings/:id/similar',
      {
        schema: {
          tags: ['search'],
          summary: 'Active listings like this one (same category, shared title words, near price)',
          params: ListingIdParams,
          querystring: SimilarQuery,
          response: { 200: ListingCards, ...problemResponses(400, 404) },
        },
      },
      (request) => service.similar(request.ctx, request.params.id, request.query.limit),
    );

    app.get(
      '/search/recently-viewed',
      {
        preHandler: requireActor,
        schema: {
          tags: ['search'],
          summary:
            'Listings I viewed lately, newest first (signed-in users; guests keep theirs in the browser)',
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(50).default(12) }),
          response: { 200: ListingCards, ...problemResponses(400, 401) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'private, no-store');
        return service.recentlyViewed(request.ctx, request.query.limit);
      },
    );

    app.post(
      '/search/recently-viewed',
      {
        preHandler: requireActor,
        schema: {
          tags: ['search'],
          summary: 'Remember that I viewed a listing',
          body: RecentlyViewedBody,
          response: { 204: z.null(), ...problemResponses(400, 401, 404) },
        },
      },
      async (request, reply) => {
        await service.recordView(request.ctx, request.body.listingId);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/search/saved',
      {
        preHandler: requireActor,
        schema: {
          tags: ['search'],
          summary: 'My saved searches with their alert frequency',
          response: { 200: SavedSearchList, ...problemResponses(401) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'private, no-store');
        return service.listSaved(request.ctx);
      },
    );

    app.post(
      '/search/saved',
      {
        preHandler: requireActor,
        schema: {
          tags: ['search'],
          summary: 'Save a search (validated like a search) with an optional alert: instant, daily or weekly',
          body: CreateSavedSearchBody,
          response: { 201: SavedSearch, ...problemResponses(400, 401, 409) },
        },
      },
      async (request, reply) => {
        reply.code(201);
        return service.createSaved(request.ctx, request.body);
      },
    );

    app.patch(
      '/search/saved/:id',
      {
        preHandler: requireActor,
        schema: {
          tags: ['search'],
          summary: 'Rename a saved search or change its alert',
          params: SavedSearchIdParams,
          body: UpdateSavedSearchBody,
          response: { 200: SavedSearch, ...problemResponses(400, 401, 404) },
        },
      },
      (request) => service.updateSaved(request.ctx, request.params.id, request.body),
    );

    app.delete(
      '/search/saved/:id',
      {
        preHandler: requireActor,
        schema: {
          tags: ['search'],
          summary: 'Delete a saved search (and its alert)',
          params: SavedSearchIdParams,
          response: { 204: z.null(), ...problemResponses(400, 401, 404) },
        },
      },
      async (request, reply) => {
        await service.deleteSaved(request.ctx, request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/admin/search/trending',
      {
        preHandler: requireRole('admin'),
        schema: {
          tags: ['admin'],
          summary: 'Most searched texts over the last days',
          querystring: SearchReportQuery,
          response: { 200: SearchReport, ...problemResponses(400, 401, 403) },
        },
      },
      (request) => service.report(request.ctx, request.query, false),
    );

    app.get(
      '/admin/search/zero-results',
      {
        preHandler: requireRole('admin'),
        schema: {
          tags: ['admin'],
          summary: 'Searched texts that found nothing, most frequent first',
          querystring: SearchReportQuery,
          response: { 200: SearchReport, ...problemResponses(400, 401, 403) },
        },
      },
      (request) => service.report(request.ctx, request.query, true),
    );
  };
}
