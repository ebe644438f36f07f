import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats } from './db/database.js';

export type Metrics = {
  readonly registry: Registry;
  observeRequest(labels: { method: string; route: string; status: number }, seconds: number): void;
  countJob(queue: string, outcome: 'completed' | 'failed'): void;
};

/**
 * One registry per app (not prom-client's global one), so tests can build many apps in one
 * process. Gauges read their value when Prometheus scrapes, never on a timer.
 */
export function createMetrics(sources: {
  queueDepths: () => Promise<Record<string, number>>;
  poolStats: () => PoolStats | null;
}): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route template',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  const jobsProcessed = new Counter({
    name: 'jobs_processed_total',
    help: 'Jobs worked by this process, by queue and outcome',
    labelNames: ['queue', 'outcome'],
    registers: [registry],
  });

  new Gauge({
    name: 'job_queue_depth',
    help: 'Jobs waiting in each queue',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [queue, depth] of Object.entries(await sources.queueDepths())) this.set({ queue }, depth);
    },
  });

  new Gauge({
    name: 'db_pool_connections',
    help: 'Database pool connections by state (absent for the embedded database)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.reset();
      const stats = sources.poolStats();
      if (!stats) return;
      this.set({ state: 'total' }, stats.total);
      this.set({ state: 'idle' }, stats.idle);
      this.set({ state: 'waiting' }, stats.waiting);
    },
  });

  return {
    registry,
    observeRequest({ method, route, status }, seconds) {
      requestDuration.observe({ method, route, status_code: String(status) }, seconds);
    },
    countJob(queue, outcome) {
      jobsProcessed.inc({ queue, outcome });
    },
  };
}
