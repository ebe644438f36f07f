import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { Problem } from '@souk/contracts';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/** The problem+json answers a route can give, for its response schema and the OpenAPI document. */
export function problemResponses<const S extends number>(...statuses: S[]): Record<S, typeof Problem> {
  return Object.fromEntries(statuses.map((status) => [status, Problem])) as Record<S, typeof Problem>;
}

/**
 * The OpenAPI 3.1 document, generated from every route's zod schemas; served at /openapi.json
 * and browsable at /docs where the process serves the API (not ROLE=worker). Registered before
 * the routes, which it collects as they register.
 */
export async function registerOpenApi(app: FastifyInstance, options: { serves: boolean }): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Souk API',
        version: '1.0.0',
        description:
          'The public REST API of Souk. Errors are RFC 9457 problem documents with a stable `code`. ' +
          'Lists page by cursor: `?limit=&cursor=` returns `{ items, nextCursor }`.',
      },
      tags: [
        { name: 'auth', description: 'Accounts, sessions, two-factor and social sign-in' },
        { name: 'users', description: 'Profiles, seller details, preferences and account data' },
        { name: 'catalog', description: 'Categories with attribute schemas, and locations' },
        { name: 'listings', description: 'Classifieds: drafts, publishing, lifecycle, featured' },
        { name: 'notifications', description: 'The bell, preferences, web push and one-click unsubscribe' },
        { name: 'messaging', description: 'Conversations about listings, blocks, reports, quick replies' },
        { name: 'imports', description: 'Bulk import (CSV, JSON Lines) and export of listings' },
        { name: 'search', description: 'Search, suggestions, similar listings, saved searches and alerts' },
        { name: 'showcase', description: 'Product posts, upvotes, ranked feeds and the daily leaderboard' },
        { name: 'comments', description: 'Threaded comments on listings' },
        { name: 'reviews', description: 'Seller reviews, responses, helpful votes, reports and ratings' },
        { name: 'follows', description: 'Following members and categories, and the following feed' },
        { name: 'favorites', description: 'Saved listings, shared wishlists, favorite counts' },
        { name: 'compare', description: 'Up to four listings side by side, shared comparisons' },
        { name: 'payments', description: 'Card top-ups, refunds, webhooks, reconciliation' },
        { name: 'ledger', description: 'Double-entry books: balances, entries, signed daily digests' },
        { name: 'wallets', description: 'Balances, history, statements, payouts, fees and FX rates' },
        { name: 'dev', description: 'Development-only endpoints (the dev mailbox)' },
        { name: 'audit', description: 'The append-only audit log: search and CSV export (admins)' },
        { name: 'admin', description: 'Operator-only endpoints' },
        { name: 'operations', description: 'Health and metrics' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  if (!options.serves) return;
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });
  app.get(
    '/openapi.json',
    { schema: { hide: true }, config: { operational: true }, compress: false },
    async () => app.swagger(),
  );
}
