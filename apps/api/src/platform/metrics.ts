import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { PoolStats, ReplicaStats } from './db/database.js';

export type Metrics = {
  readonly registry: Registry;
  observeRequest(labels: { method: string; route: string; status: number }, seconds: number): void;
  countJob(queue: string, outcome: 'completed' | 'failed'): void;
  /** Stops the background read of queue depths. */
  close(): void;
};

const QUEUE_DEPTH_INTERVAL_MS = 15_000;
const QUEUE_DEPTH_TIMEOUT_MS = 5_000;

/**
 * One registry per app (not prom-client's global one), so tests can build many apps in one
 * process. Gauges read their value when Prometheus scrapes, except the queue depths, which need
 * the database and are read on a timer.
 */
export function createMetrics(sources: {
  queueDepths: () => Promise<Record<string, number>>;
  poolStats: () => PoolStats | null;
  databaseAvailable: () => boolean;
  /** Read replicas (DATABASE_REPLICA_URLS), as their watchdogs last saw them. */
  replicaStats?: () => ReplicaStats[];
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

  // Scrapes must answer with the database gone or stalled (that is when they matter most), so
  // the depths are read in the background, each read bounded, and a scrape serves the last ones.
  let depths: Record<string, number> = {};
  let depthsReadAt = 0;
  let refreshing = false;
  const refreshDepths = async () => {
    if (refreshing) return;
    refreshing = true;
    try {
      depths = await withTimeout(sources.queueDepths(), QUEUE_DEPTH_TIMEOUT_MS);
      depthsReadAt = Date.now() / 1000;
    } catch {
      // Kept: the last known depths, and their age says how stale they are.
    } finally {
      refreshing = false;
    }
  };
  const refreshTimer = setInterval(() => void refreshDepths(), QUEUE_DEPTH_INTERVAL_MS);
  refreshTimer.unref();
  void refreshDepths();

  new Gauge({
    name: 'job_queue_depth',
    help: `Jobs waiting in each queue, read every ${QUEUE_DEPTH_INTERVAL_MS / 1000} s`,
    labelNames: ['queue'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [queue, depth] of Object.entries(depths)) this.set({ queue }, depth);
    },
  });

  new Gauge({
    name: 'job_queue_depth_read_timestamp_seconds',
    help: 'When job_queue_depth was last read from the database (Unix time); 0 before the first read',
    registers: [registry],
    collect() {
      this.set(depthsReadAt);
    },
  });

  new Gauge({
    name: 'db_available',
    help: '1 while the database answers the watchdog, 0 while Souk answers 503 for want of it',
    registers: [registry],
    collect() {
      this.set(sources.databaseAvailable() ? 1 : 0);
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

  new Gauge({
    name: 'db_replica_lag_seconds',
    help: "A read replica's replay lag at its last background check (absent without replicas)",
    labelNames: ['replica'],
    registers: [registry],
    collect() {
      this.reset();
      for (const replica of sources.replicaStats?.() ?? []) {
        if (replica.lagMs !== null) this.set({ replica: replica.name }, replica.lagMs / 1000);
      }
    },
  });

  new Gauge({
    name: 'db_replica_in_use',
    help: '1 while reads go to the replica, 0 while it is skipped (down, or lagging past the bound)',
    labelNames: ['replica'],
    registers: [registry],
    collect() {
      this.reset();
      for (const replica of sources.replicaStats?.() ?? [])
        this.set({ replica: replica.name }, replica.usable ? 1 : 0);
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
    close() {
      clearInterval(refreshTimer);
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
