import { HealthStatus } from '@souk/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Platform } from '../index.js';
import { LIVE_BODY } from './fast-paths.js';

const operational = { operational: true } as const;

/**
 * What an orchestrator probes and scrapes: /health/live, /health/ready and /metrics. Every role
 * serves them (ROLE=worker serves nothing else).
 */
export function registerOperationalRoutes(
  app: FastifyInstance,
  platform: Pick<Platform, 'config' | 'database' | 'cache' | 'lifecycle' | 'metrics'>,
): void {
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

  if (platform.config.METRICS_ENABLED) {
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
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
