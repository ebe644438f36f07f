import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  LogController,
  type RawServerDefault,
} from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { type AppEvents, type AppModules, type CompositionOptions, createModules } from './composition.js';
import type { EventBus } from './platform/events.js';
import type { FlowRunner } from './platform/flows/index.js';
import type { ActorResolver } from './platform/http/context.js';
import { registerErrorHandling } from './platform/http/error-handler.js';
import { platformError } from './platform/http/errors.js';
import { createRequestIdGenerator, serverWithLiveProbe } from './platform/http/fast-paths.js';
import { registerOperationalRoutes } from './platform/http/health.js';
import { isOperational, registerRequestHooks } from './platform/http/hooks.js';
import { idempotency } from './platform/http/idempotency.js';
import { refuseUnstorableText } from './platform/http/nul-guard.js';
import { registerOpenApi } from './platform/http/openapi.js';
import { requestLogger } from './platform/http/request-logger.js';
import { createResponseSerializerCompiler } from './platform/http/serializer.js';
import type { Platform } from './platform/index.js';
import { devMailboxRoutes, servesDevMailbox } from './platform/mail/index.js';
import { createFallbackRateLimitStore } from './platform/rate-limit-store.js';
import { realtimeRoutes } from './platform/realtime/index.js';
import { mediaRoutes } from './platform/storage/index.js';
import { traceRequests } from './platform/tracing.js';
import { subscribeModules } from './subscriptions.js';

export type { AppEvents, AppModules } from './composition.js';

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
  notifications?: CompositionOptions['notifications'];
};

declare module 'fastify' {
  interface FastifyInstance {
    modules: AppModules;
    events: EventBus<AppEvents>;
    /** Runs and resumes multi-step flows across modules (platform/flows, decision 032). */
    flows: FlowRunner;
  }
}

const defaultWebDist = fileURLToPath(new URL('../../web/dist', import.meta.url));
const REQUEST_ID_PATTERN = /^[\w.:-]{1,128}$/;
const readOnlyMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The HTTP shell over a platform: Fastify, its plugins, error handling, health and metrics, the
 * API routes of every module (created in composition.ts) and the built web app. `main.ts`
 * listens on it, tests call `app.inject`. The platform's job system is started by the caller
 * after this returns.
 */
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

  // Modules (composition.ts) and who listens to what (subscriptions.ts), wired once.
  const { modules, events, flows } = await createModules(platform, { notifications: options.notifications });
  subscribeModules(events, modules, platform);
  options.subscribe?.(events);
  const resolveActor = options.resolveActor ?? modules.auth.resolveCaller;
  app.decorate('modules', modules);
  app.decorate('events', events);
  app.decorate('flows', flows);
  app.addHook('onClose', async () => {
    await Promise.all([modules.imports.service.close(), modules.search.service.close()]);
  });

  // Before the hook below, which reads cookies.
  await app.register(fastifyCookie);
  // First, so the request's span is active in every later hook and in the handler (decision 030).
  traceRequests(app);
  registerRequestHooks(app, { config, metrics: platform.metrics, resolveActor });
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

  // Routes that move money or create orders opt in with `config: { idempotent: true }` (decision 033).
  await app.register(idempotency, { database: platform.database });

  await registerOpenApi(app, { serves });
  registerOperationalRoutes(app, platform);
  if (!serves) return app;

  await app.register(
    realtimeRoutes(platform.realtime, { publicUrl: config.PUBLIC_URL, corsOrigins: config.CORS_ORIGINS }),
  );

  await app.register(
    async (api) => {
      // Each module registers its own routes; this order is the OpenAPI document's.
      for (const module of Object.values(modules)) await api.register(module.routes);
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
