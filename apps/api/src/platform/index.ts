import { join } from 'node:path';
import { type Cache, createMemoryCache, createRedisCache } from './cache.js';
import type { Config } from './config.js';
import { createDatabase, type Database } from './db/database.js';
import { createJobs, type Jobs } from './jobs.js';
import { createLifecycle, type Lifecycle } from './lifecycle.js';
import { createLogger, type Logger } from './logger.js';
import { createMailer, defineMailJob, type PlatformMailer } from './mail/index.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createRealtime, type RealtimeHub } from './realtime/index.js';
import { type AnyStorage, createStorage } from './storage/index.js';
import { startTracing } from './tracing.js';

/** The infrastructure every module is built on; one per process. */
export type Platform = {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: Database;
  readonly jobs: Jobs;
  readonly cache: Cache;
  readonly metrics: Metrics;
  /** Draining on SIGTERM: readiness says 503 and answers carry `Connection: close`. */
  readonly lifecycle: Lifecycle;
  /** SMTP, or the dev mailbox; modules enqueue mail with `sendMail`, the `mail.send` job sends it. */
  readonly mailer: PlatformMailer;
  /** Uploaded files (avatars, listing photos): DATA_DIR/media, or S3 when S3_BUCKET is set. */
  readonly storage: AnyStorage;
  /** Live events on `/ws`: publish after a commit, authorize channel prefixes, presence. */
  readonly realtime: RealtimeHub;
  /** Stops jobs (letting running ones finish), then closes the cache and the database. */
  close(): Promise<void>;
};

export type PlatformOverrides = {
  logger?: Logger;
  /** PGlite location to use instead of DATA_DIR/pglite, e.g. `memory://` in tests. */
  pgliteDataDir?: string;
  jobPollingIntervalSeconds?: number;
};

export async function createPlatform(config: Config, overrides: PlatformOverrides = {}): Promise<Platform> {
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  // First: the database wraps its queries in spans only when tracing is on at its creation.
  const tracing = await startTracing({
    endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
    serviceName: config.OTEL_SERVICE_NAME,
    logger,
  });
  const database = await createDatabase({
    url: config.DATABASE_URL,
    dataDir: overrides.pgliteDataDir ?? join(config.DATA_DIR, 'pglite'),
    poolMax: config.DATABASE_POOL_MAX,
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    replicaUrls: config.DATABASE_REPLICA_URLS,
    replicaMaxLagMs: config.DATABASE_REPLICA_MAX_LAG_MS,
    // The cache is made after the database (its metrics need the job system): marks reach it lazily.
    writeMarks: {
      mark: (memberId) => cache.set(`rw:${memberId}`, 1, config.DATABASE_READ_YOUR_WRITES_SECONDS),
      recent: async (memberId) => (await cache.get(`rw:${memberId}`)) !== undefined,
    },
    logger,
  });
  try {
    await database.migrate();
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  let metrics: Metrics | undefined;
  const jobs = createJobs({
    executor: database.executor,
    executorFor: database.executorFor,
    logger,
    pollingIntervalSeconds: overrides.jobPollingIntervalSeconds,
    onJobFinished: (queue, outcome) => metrics?.countJob(queue, outcome),
  });
  metrics = createMetrics({
    queueDepths: () => jobs.queueDepths(),
    poolStats: () => database.poolStats(),
    databaseAvailable: () => database.available(),
    replicaStats: () => database.replicaStats(),
  });
  const cache = config.REDIS_URL
    ? createRedisCache(config.REDIS_URL, { logger, registry: metrics.registry })
    : createMemoryCache();
  const mailer = createMailer({ config, database, logger });
  defineMailJob(jobs, mailer);
  const storage = await createStorage(config);
  const realtime = await createRealtime({ config, database, jobs, metrics, logger });

  return {
    config,
    logger,
    database,
    jobs,
    cache,
    metrics,
    lifecycle: createLifecycle(),
    mailer,
    storage,
    realtime,
    async close() {
      metrics?.close();
      await realtime.close().catch((error) => logger.warn({ err: error }, 'realtime did not close cleanly'));
      await jobs.stop(config.SHUTDOWN_TIMEOUT_MS);
      await mailer.close().catch((error) => logger.warn({ err: error }, 'mailer did not close cleanly'));
      await cache.close().catch((error) => logger.warn({ err: error }, 'cache did not close cleanly'));
      await database.close();
      if (storage.kind === 's3') storage.close();
      await tracing?.shutdown();
    },
  };
}
