import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { HealthStatus } from '@souk/contracts';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  LogController,
  type RawServerDefault,
} from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { type AuthEvents, type AuthModule, createAuthModule } from './modules/auth/index.js';
import { type CatalogEvents, type CatalogModule, createCatalogModule } from './modules/catalog/index.js';
import { type CommentsModule, createCommentsModule } from './modules/comments/index.js';
import { type CompareModule, createCompareModule } from './modules/compare/index.js';
import { createFavoritesModule, type FavoritesModule } from './modules/favorites/index.js';
import { createFollowsModule, type FollowsModule } from './modules/follows/index.js';
import { createImportsModule, type ImportsModule } from './modules/imports/index.js';
import {
  cleanDescription,
  createListingSearch,
  createListingsModule,
  type ListingEvents,
  type ListingsModule,
} from './modules/listings/index.js';
import {
  createMediaModule,
  IMAGE_MAX_BYTES,
  listingHasImages,
  type MediaModule,
  registerMediaJobs,
} from './modules/media/index.js';
import {
  createMessagingModule,
  type MessagingEvents,
  type MessagingModule,
} from './modules/messaging/index.js';
import { createNotificationsModule, type NotificationsModule } from './modules/notifications/index.js';
import { createReviewsModule, type ReviewsModule } from './modules/reviews/index.js';
import { createSearchModule, type SearchModule } from './modules/search/index.js';
import { createShowcaseModule, type ShowcaseModule } from './modules/showcase/index.js';
import { createUsersModule, type UsersModule } from './modules/users/index.js';
import { createEventBus, type EventBus } from './platform/events.js';
import { type ActorResolver, systemContext } from './platform/http/context.js';
import { registerErrorHandling } from './platform/http/error-handler.js';
import { platformError } from './platform/http/errors.js';
import {
  createRequestIdGenerator,
  LIVE_BODY,
  precomputedSecurityHeaders,
  serverWithLiveProbe,
} from './platform/http/fast-paths.js';
import { refuseUnstorableText } from './platform/http/nul-guard.js';
import { requestLogger } from './platform/http/request-logger.js';
import { createResponseSerializerCompiler } from './platform/http/serializer.js';
import type { Platform } from './platform/index.js';
import { devMailboxRoutes, servesDevMailbox } from './platform/mail/index.js';
import { createFallbackRateLimitStore } from './platform/rate-limit-store.js';
import { realtimeRoutes, visibleListingAuthorizer } from './platform/realtime/index.js';
import { mediaRoutes } from './platform/storage/index.js';
import { traceRequests } from './platform/tracing.js';

/** Every event of every module; the bus is typed by it. */
export type AppEvents = CatalogEvents & AuthEvents & ListingEvents & MessagingEvents;

export type AppModules = {
  catalog: CatalogModule;
  auth: AuthModule;
  users: UsersModule;
  listings: ListingsModule;
  media: MediaModule;
  messaging: MessagingModule;
  notifications: NotificationsModule;
  imports: ImportsModule;
  search: SearchModule;
  showcase: ShowcaseModule;
  comments: CommentsModule;
  reviews: ReviewsModule;
  follows: FollowsModule;
  favorites: FavoritesModule;
  compare: CompareModule;
};

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export type AppOptions = {
  /** Who is calling; the auth module's token and cookie resolver unless a test swaps it. */
  resolveActor?: ActorResolver;
  /** Built web app to serve at `/`; null serves none. Defaults to apps/web/dist when it exists. */
  webDistDir?: string | null;
  /** Extra event subscriptions, registered before the job system starts (tests use it). */
  subscribe?: (events: EventBus<AppEvents>) => void;
  /** Test seams of the notifications module (a fake push service, fast retries, a crash hook). */
  notifications?: Partial<
    Pick<
      Parameters<typeof createNotificationsModule>[0],
      'push' | 'sms' | 'deliveryRetryDelaySeconds' | 'staleClaimSeconds' | 'hooks'
    >
  >;
};

declare module 'fastify' {
  interface FastifyInstance {
    modules: AppModules;
    events: EventBus<AppEvents>;
  }
  interface FastifyRequest {
    timedRoute: string | null;
  }
  interface FastifyContextConfig {
    /** Health and metrics routes: not logged, not timed, no security headers or compression. */
    operational?: boolean;
  }
}

const defaultWebDist = fileURLToPath(new URL('../../web/dist', import.meta.url));
const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;
const isOperational = (url: string | undefined) =>
  url !== undefined && (url.startsWith('/health/') || url === '/metrics' || url.startsWith('/metrics?'));

/**
 * The HTTP app over a platform. Wires every module once; `main.ts` listens on it, tests call
 * `app.inject`. The platform's job system is started by the caller after this returns.
 */
const readOnlyMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function buildApp(platform: Platform, options: AppOptions = {}): Promise<App> {
  const { config, logger } = platform;
  // ROLE=worker answers what an orchestrator probes (/health/*, /metrics) and nothing else.
  const serves = config.ROLE !== 'worker';
  const webRoot = !serves
    ? null
    : options.webDistDir === undefined
      ? (config.WEB_DIST_DIR ?? (existsSync(defaultWebDist) ? defaultWebDist : null))
      : options.webDistDir;

  const nextRequestId = createRequestIdGenerator();
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    serverFactory: (handler) =>
      serverWithLiveProbe(handler, {
        draining: () => platform.lifecycle.draining,
        requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
        bodyMinBytesPerSecond: config.REQUEST_BODY_MIN_BYTES_PER_SECOND,
      }),
    // One log line per request, written in onResponse below, instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    // Health and metrics never log: they skip the per-request child logger. Other requests get
    // theirs when they first write a line the level keeps (request-logger.ts).
    childLoggerFactory: (parent, bindings, options, rawRequest) =>
      isOperational(rawRequest.url) ? parent : requestLogger(parent, bindings, options),
    bodyLimit: config.BODY_LIMIT_BYTES,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : nextRequestId();
    },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // request.ip (rate limits, the sessions list) reads X-Forwarded-For only from these proxies.
    trustProxy:
      typeof config.TRUST_PROXY === 'number'
        ? (_address: string, hop: number) => hop < (config.TRUST_PROXY as number)
        : config.TRUST_PROXY,
    forceCloseConnections: 'idle',
    // A request that reaches a kept-alive connection while the server closes is served (with
    // `Connection: close`), not refused with a 503: the load balancer sent it before it knew.
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(createResponseSerializerCompiler({ check: config.NODE_ENV !== 'production' }));
  // Before any plugin: encapsulated route contexts take the error handler present when they register.
  registerErrorHandling(app, (request, reply) => {
    const wantsPage =
      webRoot &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      !request.url.startsWith('/api/') &&
      (request.headers.accept ?? '').includes('text/html');
    // Client-side routes (/c/cars) get the app shell; the router shows its own not-found page.
    return wantsPage ? reply.header('cache-control', 'no-cache').sendFile('index.html') : undefined;
  });

  // Modules and their event subscriptions, wired once.
  const events = createEventBus<AppEvents>(platform.jobs);
  const catalog = createCatalogModule({ database: platform.database, events, cache: platform.cache });
  const users = createUsersModule({
    database: platform.database,
    accounts: () => auth.service.accounts,
    storage: platform.storage,
    locationOf: (id) => catalog.service.locationRef(id),
    sellerRating: async (id) => {
      const rating = (await reviews.service.ratingsOf([id])).get(id);
      return { average: rating?.average ?? null, count: rating?.count ?? 0 };
    },
    listingCounts: (id) => listings.service.sellerCounts(id),
  });
  const auth = await createAuthModule({
    config,
    database: platform.database,
    jobs: platform.jobs,
    events,
    cache: platform.cache,
    logger,
    profiles: () => users.service,
  });
  const listings = createListingsModule({
    database: platform.database,
    events,
    jobs: platform.jobs,
    ttlDays: config.LISTING_TTL_DAYS,
    ports: {
      catalog: catalog.service,
      sellers: (ids) => users.service.cardsOf(ids),
      images: (ids) => media.service.imagesOf(ids),
      requireVerifiedEmail: (id, action) => auth.service.accounts.requireVerifiedEmail(id, action),
    },
  });
  const media = createMediaModule({
    database: platform.database,
    storage: platform.storage,
    listingAccess: (id) => listings.service.access(id),
    logger,
  });
  registerMediaJobs(platform.jobs, media.service);
  const messaging = createMessagingModule({
    database: platform.database,
    events,
    realtime: platform.realtime,
    logger,
    sendsPerMinute: config.MESSAGES_PER_MINUTE,
    ports: {
      listings: (ids) => listings.service.refsOf(ids),
      users: (ids) => users.service.cardsOf(ids),
      images: media.service,
      // No orders yet: nothing records a sale agreed with a buyer (decision 007).
      saleAgreed: async () => false,
      requireVerifiedEmail: (id, action) => auth.service.accounts.requireVerifiedEmail(id, action),
    },
  });
  platform.realtime.checkSessionsWith(
    async (sessionId, userId) => (await auth.service.sessionState(sessionId, userId)).active,
  );
  platform.realtime.authorize(
    'listing',
    visibleListingAuthorizer((id) => listings.service.access(id)),
  );
  const notifications = createNotificationsModule({
    config,
    database: platform.database,
    jobs: platform.jobs,
    realtime: platform.realtime,
    mailer: platform.mailer,
    logger,
    unsubscribeKey: auth.deriveSecret('notifications.unsubscribe'),
    vapidSealKey: auth.deriveSecret('notifications.vapid'),
    recipients: async (userId) => {
      const account = await auth.service.accounts.get(userId);
      if (!account) return null;
      const profile = await users.service.getProfile(systemContext(), userId).catch(() => null);
      return {
        email: account.email,
        emailVerified: account.emailVerifiedAt !== null,
        displayName: profile?.displayName ?? '',
        phone: profile?.phone ?? null,
        active: account.status === 'active',
      };
    },
    ...options.notifications,
  });
  events.subscribe('auth.user_registered', 'notifications', (payload) =>
    notifications.service.onUserRegistered(payload),
  );
  events.subscribe('messaging.message_sent', 'notifications', (payload) =>
    notifications.service.onMessageSent(payload),
  );
  const imports = createImportsModule({
    database: platform.database,
    jobs: platform.jobs,
    listings: listings.service,
    media: media.service,
    accountExists: async (id) => Boolean(await auth.service.accounts.get(id)),
    requireVerifiedSeller: (id) => auth.service.accounts.requireVerifiedEmail(id, 'import listings'),
    config: {
      maxFileBytes: config.IMPORT_MAX_FILE_BYTES,
      maxArchiveBytes: config.IMPORT_MAX_ARCHIVE_BYTES,
      publicOrigin: (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, ''),
      fetch: {
        maxBytes: IMAGE_MAX_BYTES,
        timeoutMs: config.IMPORT_FETCH_TIMEOUT_MS,
        maxRedirects: 3,
        allowPrivate: config.IMPORT_ALLOW_PRIVATE_URLS,
      },
    },
    logger,
  });
  // Progress is live only (a signal, not stored): the import page refetches the job on each one.
  imports.service.onProgressed((event) => {
    platform.realtime
      .signal(`user:${event.sellerId}`, event.type, {
        importId: event.importId,
        status: event.status,
        progress: event.progress,
      })
      .catch((error) => logger.warn({ err: error }, 'import progress did not reach the realtime hub'));
  });
  const search = createSearchModule({
    database: platform.database,
    logger: platform.logger,
    jobs: platform.jobs,
    publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`,
    ports: {
      catalog: {
        subtreeIds: (slug) => catalog.service.subtreeIds(slug),
        getCategory: (slug) => catalog.service.getCategory(systemContext(), slug).catch(() => null),
        locationPoint: (id) => catalog.service.locationPoint(id),
        allCategoryRefs: () => catalog.service.allCategoryRefs(),
        categoryById: (id) => catalog.service.categoryById(id),
        categoryRefs: (ids) => catalog.service.categoryRefs(ids),
      },
      listings: {
        search: createListingSearch({ photos: listingHasImages }),
        cardsOf: (ids) => listings.service.cardsOf(ids),
        isVisibleTo: (ctx, id) => listings.service.isVisibleTo(ctx, id),
      },
      notify: (tx, input) => notifications.service.notify(tx, input),
    },
  });
  events.subscribe('listing.published', 'search', async (payload) => {
    await search.service.onListingPublished(payload);
  });
  const showcase = createShowcaseModule({
    database: platform.database,
    realtime: platform.realtime,
    logger,
    ports: {
      listing: (id) => listings.service.facts(id),
      cards: (ids) => listings.service.cardsOf(ids),
      users: (ids) => users.service.cardsOf(ids),
    },
  });
  // The post's mirror of its listing (publicly visible, first publish time) follows the changes
  // that move it: sold, expired and renewed listings stay visible, so those events are not needed.
  for (const event of ['listing.published', 'listing.unpublished', 'listing.removed'] as const) {
    events.subscribe(event, 'showcase', (payload) => showcase.service.onListingChanged(payload.listingId));
  }
  const comments = createCommentsModule({
    database: platform.database,
    ports: {
      listing: (id) => listings.service.facts(id),
      users: (ids) => users.service.cardsOf(ids),
      notify: (tx, input) => notifications.service.notify(tx, input),
      cleanText: cleanDescription,
    },
  });
  const reviews = createReviewsModule({
    database: platform.database,
    ports: {
      users: (ids) => users.service.cardsOf(ids),
      listings: (ids) => listings.service.sellersOf(ids),
      haveTalked: (buyerId, sellerId) => messaging.service.haveTalked(buyerId, sellerId),
      // No orders yet: no review is a verified buyer's until orders record completed sales.
      completedOrder: async () => false,
      notify: (tx, input) => notifications.service.notify(tx, input),
      requireVerifiedEmail: (id, action) => auth.service.accounts.requireVerifiedEmail(id, action),
    },
  });
  const follows = createFollowsModule({
    database: platform.database,
    logger,
    ports: {
      users: (ids) => users.service.cardsOf(ids),
      category: (id) => catalog.service.categoryById(id),
      subtreeIds: (slug) => catalog.service.subtreeIds(slug),
      listings: {
        refsOf: (ids) => listings.service.sellersOf(ids),
        feedOf: (query) => listings.service.feedOf(query),
      },
      notify: (tx, input) => notifications.service.notify(tx, input),
    },
  });
  events.subscribe('listing.published', 'follows', async (payload) => {
    await follows.service.onListingPublished(payload);
  });
  const favorites = createFavoritesModule({
    database: platform.database,
    ports: {
      listings: {
        access: (id) => listings.service.access(id),
        cardsOf: (ids) => listings.service.cardsOf(ids),
      },
      displayNameOf: async (id) => (await users.service.cardsOf([id])).get(id)?.displayName ?? null,
      notify: (tx, input) => notifications.service.notify(tx, input),
    },
  });
  events.subscribe('listing.price_changed', 'favorites', async (payload, event) => {
    await favorites.service.onPriceChanged(payload, event.occurredAt);
  });
  for (const kind of ['sold', 'expired', 'removed'] as const) {
    events.subscribe(`listing.${kind}`, 'favorites', async (payload, event) => {
      await favorites.service.onListingEnded(payload, kind, event.occurredAt);
    });
  }
  const compare = createCompareModule({
    database: platform.database,
    ports: {
      listings: {
        attributesOf: (ids) => listings.service.attributesOf(ids),
        cardsOf: (ids) => listings.service.cardsOf(ids),
      },
      catalog: { categoryById: (id) => catalog.service.categoryById(id) },
    },
  });
  const resolveActor = options.resolveActor ?? auth.resolveCaller;
  options.subscribe?.(events);
  app.decorate('modules', {
    catalog,
    auth,
    users,
    listings,
    media,
    messaging,
    notifications,
    imports,
    search,
    showcase,
    comments,
    reviews,
    follows,
    favorites,
    compare,
  });
  app.addHook('onClose', async () => {
    await Promise.all([imports.service.close(), search.service.close()]);
  });
  app.decorate('events', events);

  // Before the hook below, which reads cookies.
  await app.register(fastifyCookie);
  const securityHeaders = precomputedSecurityHeaders({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        // The app and its API share an origin; over plain http in development no upgrade.
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: config.NODE_ENV === 'production',
  });
  const anonymousContext = (requestId: string) => ({ actor: null, sessionId: null, requestId });

  // First, so the request's span is active in every later hook and in the handler (decision 030).
  traceRequests(app);
  app.decorateRequest('ctx', null as never);
  // The route template a request is timed and counted under, null for health and metrics routes;
  // '' until onRequest has read it (`request.routeOptions` builds a new object at every read).
  app.decorateRequest('timedRoute', '');
  const timedRouteOf = (request: FastifyRequest): string | null => {
    const { config, url } = request.routeOptions;
    return config.operational ? null : (url ?? 'unmatched');
  };
  // Callback-style hooks: an anonymous request or a probe costs no promise.
  app.addHook('onRequest', (request, reply, done) => {
    request.timedRoute = timedRouteOf(request);
    if (request.timedRoute === null) return done();
    reply.headers(securityHeaders);
    reply.header('x-request-id', request.id);
    request.ctx = anonymousContext(request.id);
    const resolving = resolveActor(request);
    if (resolving === null) return done();
    resolving.then(
      (caller) => {
        if (caller) request.ctx = { actor: caller.actor, sessionId: caller.sessionId, requestId: request.id };
        done();
      },
      (error: Error) => done(error),
    );
  });
  // Text PostgreSQL cannot store (NUL, unpaired surrogates) is a 400 on every route, not a 500.
  app.addHook('preValidation', refuseUnstorableText);
  // Read-your-writes with replicas (decision 029): a member's successful write opens their
  // window before its answer leaves, so the next request they send reads the primary.
  if (platform.database.replicated) {
    app.addHook('onSend', (request, reply, payload, done) => {
      const memberId = request.ctx?.actor?.userId;
      if (!memberId || reply.statusCode >= 400 || readOnlyMethods.has(request.method))
        return done(null, payload);
      platform.database.markWrote(memberId).then(
        () => done(null, payload),
        () => done(null, payload),
      );
    });
  }
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.timedRoute === '' ? timedRouteOf(request) : request.timedRoute;
    if (route === null) return done();
    platform.metrics.observeRequest(
      { method: request.method, route, status: reply.statusCode },
      reply.elapsedTime / 1000,
    );
    request.log.info(
      {
        method: request.method,
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime),
      },
      'request',
    );
    done();
  });

  // Without allowed origins CORS is off: the plugin would only run a hook on every request that
  // ends in "no" (an OPTIONS preflight is a 404 either way).
  if (config.CORS_ORIGINS.length > 0) await app.register(fastifyCors, { origin: config.CORS_ORIGINS });
  await app.register(fastifyCompress, {
    threshold: 1024,
    encodings: ['br', 'gzip', 'deflate'],
    // gzip's fastest level, as nginx compresses by default: a 20 KB search answer shrinks nearly
    // as much (to ~4 KB) for ~0.35 ms less CPU than level 6 (bench:search, browse; decision 020).
    zlibOptions: { level: 1 },
  });
  // Per-route limits (`config.rateLimit`), counted per client address; shared through Redis, and
  // per node while Redis is unavailable (platform/rate-limit-store.ts).
  const rateLimitStore = config.REDIS_URL
    ? createFallbackRateLimitStore({
        url: config.REDIS_URL,
        nameSpace: 'souk:rate:',
        logger: platform.logger,
        registry: platform.metrics.registry,
      })
    : undefined;
  if (rateLimitStore) app.addHook('onClose', () => rateLimitStore.close());
  await app.register(fastifyRateLimit, {
    global: false,
    ...(rateLimitStore ? { store: rateLimitStore.store } : {}),
    errorResponseBuilder: (_request, context) =>
      platformError('rate_limited', `Too many requests; try again in ${context.after}.`),
  });

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
        { name: 'dev', description: 'Development-only endpoints (the dev mailbox)' },
        { name: 'admin', description: 'Operator-only endpoints' },
        { name: 'operations', description: 'Health and metrics' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  const operational = { operational: true } as const;
  if (serves) {
    await app.register(fastifySwaggerUi, { routePrefix: '/docs', uiConfig: { deepLinking: true } });
    app.get('/openapi.json', { schema: { hide: true }, config: operational, compress: false }, async () =>
      app.swagger(),
    );
  }

  app.get(
    '/health/live',
    {
      schema: { tags: ['operations'], summary: 'The process is up', response: { 200: HealthStatus } },
      config: operational,
      compress: false,
    },
    // The same bytes the server's fast path sends (fast-paths.ts); this route serves inject.
    async (_request, reply) =>
      // The response schema documents it; the bytes are pre-serialized, so no serializer runs.
      reply
        .type('application/json; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(LIVE_BODY as never),
  );

  app.get(
    '/health/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'The database (and Redis, when configured) answer',
        response: { 200: HealthStatus, 503: HealthStatus },
      },
      config: operational,
      compress: false,
    },
    async (_request, reply) => {
      const checks: HealthStatus['checks'] = {};
      const probe = async (name: string, check: () => Promise<void>) => {
        try {
          await withTimeout(check(), 2000);
          checks[name] = { status: 'ok' };
        } catch (error) {
          checks[name] = { status: 'failed', detail: (error as Error).message.slice(0, 200) };
        }
      };
      // Draining (SIGTERM): the load balancer must stop sending before the listener closes.
      if (platform.lifecycle.draining) checks.shutdown = { status: 'failed', detail: 'shutting down' };
      // The watchdog already knows the database is gone: no need to wait 2 s to say so again.
      if (!platform.database.available())
        checks.database = { status: 'failed', detail: 'database unavailable' };
      else await probe('database', () => platform.database.ping());
      if (platform.cache.kind === 'redis') {
        await probe('redis', () => platform.cache.ping());
        // Redis is an accelerator: without it caches and rate limits fall back per node, so it
        // degrades the answer, never readiness (a load balancer would drain every node at once).
        if (checks.redis?.status === 'failed') checks.redis = { ...checks.redis, status: 'degraded' };
      }
      const healthy = Object.values(checks).every((check) => check.status !== 'failed');
      reply.code(healthy ? 200 : 503);
      return { status: healthy ? ('ok' as const) : ('unavailable' as const), checks };
    },
  );

  if (config.METRICS_ENABLED) {
    app.get(
      '/metrics',
      {
        schema: { tags: ['operations'], summary: 'Prometheus metrics', response: { 200: z.string() } },
        config: operational,
      },
      async (_request, reply) => {
        reply.type(platform.metrics.registry.contentType);
        return platform.metrics.registry.metrics();
      },
    );
  }
  if (!serves) return app;

  await app.register(
    realtimeRoutes(platform.realtime, { publicUrl: config.PUBLIC_URL, corsOrigins: config.CORS_ORIGINS }),
  );

  await app.register(
    async (api) => {
      await api.register(auth.routes);
      await api.register(catalog.routes);
      await api.register(users.routes);
      await api.register(listings.routes);
      await api.register(media.routes);
      await api.register(messaging.routes);
      await api.register(notifications.routes);
      await api.register(imports.routes);
      await api.register(search.routes);
      await api.register(showcase.routes);
      await api.register(comments.routes);
      await api.register(reviews.routes);
      await api.register(follows.routes);
      await api.register(favorites.routes);
      await api.register(compare.routes);
      if (servesDevMailbox(config, platform.mailer)) await api.register(devMailboxRoutes(platform.mailer));
    },
    { prefix: '/api/v1' },
  );

  // Only files on the local disk are served by Souk; S3 objects are served by the bucket or a CDN.
  if (platform.storage.kind === 'local') await app.register(mediaRoutes(platform.storage));

  if (webRoot) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      index: ['index.html'],
      // Hashed asset names never change content; index.html must always be revalidated.
      setHeaders: (reply, path) => {
        reply.header(
          'cache-control',
          path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        // The push service worker (apps/web/public/sw.js) controls the whole app.
        if (path.endsWith('/sw.js')) reply.header('service-worker-allowed', '/');
      },
    });
  }

  return app;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
