import {
  Category,
  CategoryChildren,
  CategoryDetail,
  CategoryIdParams,
  CategorySlugParams,
  CategoryTree,
  CreateCategoryBody,
  LocationsQuery,
  LocationTree,
  ReorderCategoriesBody,
  UpdateCategoryBody,
} from '@souk/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../platform/http/context.js';
import { problemResponses } from '../../platform/http/openapi.js';
import type { CatalogService } from './catalog.service.js';

const adminOnly = requireRole('admin');
const adminProblems = problemResponses(400, 401, 403, 404, 409);

export function catalogRoutes(service: CatalogService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/categories',
      {
        schema: {
          tags: ['catalog'],
          summary: 'The category tree, each category with the attributes it defines',
          response: { 200: CategoryTree, 304: z.undefined() },
        },
      },
      async (request, reply) => {
        const { body, etag } = await service.getCategoryTreeJson(request.ctx);
        reply.header('etag', etag).header('cache-control', 'no-cache');
        if (request.headers['if-none-match'] === etag) return reply.code(304).send();
        // Already validated against CategoryTree and serialized; sent as bytes.
        return reply.type('application/json; charset=utf-8').send(body as never);
      },
    );

    app.get(
      '/categories/:slug',
      {
        schema: {
          tags: ['catalog'],
          summary: 'One category with its breadcrumb, children and resolved attribute schema',
          params: CategorySlugParams,
          response: { 200: CategoryDetail, ...problemResponses(400, 404) },
        },
      },
      (request) => service.getCategory(request.ctx, request.params.slug),
    );

    app.post(
      '/categories',
      {
        preHandler: adminOnly,
        schema: {
          tags: ['catalog', 'admin'],
          summary: 'Create a category (admin)',
          body: CreateCategoryBody,
          response: { 201: Category, ...adminProblems },
        },
      },
      async (request, reply) => {
        reply.code(201);
        return service.createCategory(request.ctx, request.body);
      },
    );

    app.patch(
      '/categories/:id',
      {
        preHandler: adminOnly,
        schema: {
          tags: ['catalog', 'admin'],
          summary: 'Change a category: rename, move, or edit its attributes (admin)',
          params: CategoryIdParams,
          body: UpdateCategoryBody,
          response: { 200: Category, ...adminProblems },
        },
      },
      (request) => service.updateCategory(request.ctx, request.params.id, request.body),
    );

    app.delete(
      '/categories/:id',
      {
        preHandler: adminOnly,
        schema: {
          tags: ['catalog', 'admin'],
          summary: 'Delete a category without subcategories (admin)',
          params: CategoryIdParams,
          response: { 204: z.undefined(), ...adminProblems },
        },
      },
      async (request, reply) => {
        await service.deleteCategory(request.ctx, request.params.id);
        return reply.code(204).send();
      },
    );

    app.post(
      '/categories/reorder',
      {
        preHandler: adminOnly,
        schema: {
          tags: ['catalog', 'admin'],
          summary: 'Set the order of one category’s children (admin)',
          body: ReorderCategoriesBody,
          response: { 200: CategoryChildren, ...adminProblems },
        },
      },
      (request) => service.reorderCategories(request.ctx, request.body),
    );

    app.get(
      '/locations',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Countries, regions and cities as a tree, with coordinates',
          querystring: LocationsQuery,
          response: { 200: LocationTree, ...problemResponses(400) },
        },
      },
      (request) => service.getLocations(request.ctx, request.query),
    );
  };
}
