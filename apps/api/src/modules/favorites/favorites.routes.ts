import {
  ClearedFavorites,
  CreateWishlistShareBody,
  FavoriteCount,
  FavoriteIds,
  FavoriteIdsQuery,
  FavoriteListingParams,
  FavoritePage,
  FavoriteState,
  FavoritesQuery,
  ListingIdParams,
  SharedWishlist,
  ShareTokenParams,
  WishlistShare,
  WishlistShareList,
  WishlistShareParams,
} from '@souk/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/http/context.js';
import { problemResponses } from '../../platform/http/openapi.js';
import type { FavoritesService } from './favorites.service.js';

export function favoritesRoutes(service: FavoritesService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/favorites',
      {
        preHandler: requireActor,
        schema: {
          tags: ['favorites'],
          summary: 'My favorites, newest first, as listing cards',
          querystring: FavoritesQuery,
          response: { 200: FavoritePage, ...problemResponses(400, 401) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'private, no-store');
        return service.list(request.ctx, request.query);
      },
    );

    app.get(
      '/favorites/ids',
      {
        preHandler: requireActor,
        schema: {
          tags: ['favorites'],
          summary:
            'Which of these listings (at most 100, comma-separated) I saved: one call per page of cards',
          querystring: FavoriteIdsQuery,
          response: { 200: FavoriteIds, ...problemResponses(400, 401) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'private, no-store');
        return service.which(request.ctx, request.query.listingIds);
      },
    );

    app.post(
      '/favorites/:listingId',
      {
        preHandler: requireActor,
        schema: {
          tags: ['favorites'],
          summary: 'Save a listing that is for sale (saving it again changes nothing)',
          params: FavoriteListingParams,
          response: { 200: FavoriteState, ...problemResponses(400, 401, 404, 409) },
        },
      },
      (request) => service.add(request.ctx, request.params.listingId),
    );

    app.delete(
      '/favorites/:listingId',
      {
        preHandler: requireActor,
        schema: {
          tags: ['favorites'],
          summary: 'Unsave a listing (unsaving what is not saved changes nothing)',
          params: FavoriteListingParams,
          response: { 200: FavoriteState, ...problemResponses(400, 401) },
        },
      },
      (request) => service.remove(request.ctx, request.params.listingId),
    );

    app.delete(
      '/favorites',
      {
        preHandler: requireActor,
        schema: {
          tags: ['favorites'],
          summary: 'Unsave everything',
          response: { 200: ClearedFavorites, ...problemResponses(401) },
        },
      },
      (request) => service.clear(request.ctx),
    );

    app.get(
      '/listings/:id/favorites/count',
      {
        schema: {
          tags: ['favorites'],
          summary: 'How many members saved a listing',
          params: ListingIdParams,
          response: { 200: FavoriteCount, ...problemResponses(400, 404) },
        },
      },
      (request) => service.count(request.ctx, request.params.id),
    );

    app.get(
      '/favorites/shares',
      {
        preHandler: requireActor,
        schema: {
          tags: ['favorites'],
          summary: 'My read-only wishlist links, open and closed',
          response: { 200: WishlistShareList, ...problemResponses(401) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'private, no-store');
        return service.listShares(request.ctx);
      },
    );

    app.post(
      '/favorites/shares',
      {
        preHandler: requireActor,
        schema: {
          tags: ['favorites'],
          summary: 'Make a read-only link to my favorites that expires after some days (default 30)',
          body: CreateWishlistShareBody,
          response: { 201: WishlistShare, ...problemResponses(400, 401, 409) },
        },
      },
      async (request, reply) => {
        reply.code(201);
        return service.createShare(request.ctx, request.body);
      },
    );

    app.delete(
      '/favorites/shares/:id',
      {
        preHandler: requireActor,
        schema: {
          tags: ['favorites'],
          summary: 'Withdraw a wishlist link: it stops working at once',
          params: WishlistShareParams,
          response: { 204: z.null(), ...problemResponses(400, 401, 404) },
        },
      },
      async (request, reply) => {
        await service.revokeShare(request.ctx, request.params.id);
        return reply.code(204).send(null);
      },
    );

    app.get(
      '/favorites/shared/:token',
      {
        schema: {
          tags: ['favorites'],
          summary:
            "A shared wishlist: the owner's display name and the listing cards (410 once expired or withdrawn)",
          params: ShareTokenParams,
          querystring: FavoritesQuery,
          response: { 200: SharedWishlist, ...problemResponses(400, 404, 410) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'private, no-store');
        reply.header('x-robots-tag', 'noindex');
        return service.shared(request.ctx, request.params.token, request.query);
      },
    );
  };
}
