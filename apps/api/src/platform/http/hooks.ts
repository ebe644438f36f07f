import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import type { ActorResolver } from './context.js';
import { precomputedSecurityHeaders } from './fast-paths.js';

declare module 'fastify' {
  interface FastifyRequest {
    timedRoute: string | null;
  }
  interface FastifyContextConfig {
    /** Health and metrics routes: not logged, not timed, no security headers or compression. */
    operational?: boolean;
    /**
     * The route never asks who calls: a payment provider's own pages and webhooks. The session
     * cookie is not read, so a signed-in member's browser posting the provider's form is not
     * refused for a missing CSRF token (the form proves nothing about Souk's session, and needs
     * not: the payment's id in the path is what it acts on).
     */
    sessionless?: boolean;
  }
}

/** Probe and scrape paths, known from the raw URL before routing (the child logger is made then). */
export const isOperational = (url: string | undefined) =>
  url !== undefined && (url.startsWith('/health/') || url === '/metrics' || url.startsWith('/metrics?'));

/**
 * Every request's context (`request.ctx`: who calls, through which session, the request id),
 * security headers, and one timed, logged line when it ends. Health and metrics routes skip all
 * of it. Registered after @fastify/cookie, whose cookies the resolver reads.
 */
export function registerRequestHooks(
  app: FastifyInstance,
  deps: {
    config: Pick<Config, 'NODE_ENV'>;
    metrics: Pick<Metrics, 'observeRequest'>;
    resolveActor: ActorResolver;
  },
): void {
  const { metrics, resolveActor } = deps;
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
    strictTransportSecurity: deps.config.NODE_ENV === 'production',
  });
  const anonymousContext = (requestId: string) => ({ actor: null, sessionId: null, requestId });

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
    if (request.routeOptions.config.sessionless) return done();
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
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.timedRoute === '' ? timedRouteOf(request) : request.timedRoute;
    if (route === null) return done();
    metrics.observeRequest(
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
}
