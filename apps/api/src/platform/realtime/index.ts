import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Jobs } from '../jobs.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import { createMemoryFanout, createRedisFanout } from './realtime.fanout.js';
import { createRealtimeHub, newNodeId, type RealtimeHub } from './realtime.hub.js';
import { defineRealtimeJobs } from './realtime.jobs.js';
import { createRealtimeRepository } from './realtime.repository.js';

export { visibleListingAuthorizer } from './realtime.authorizers.js';
export type {
  ChannelAuthorizer,
  Realtime,
  RealtimeEvent,
  RealtimeHub,
  SessionCheck,
} from './realtime.hub.js';
export { PRUNE_REALTIME_EVENTS_QUEUE, pruneRealtimeEvents } from './realtime.jobs.js';
export { realtimeRoutes } from './realtime.routes.js';

/**
 * The realtime hub: in-process fan-out, or Redis pub/sub when REDIS_URL is set; events stored in
 * `realtime_events` for resume, pruned by a cron job after REALTIME_EVENT_RETENTION_HOURS.
 */
export async function createRealtime(deps: {
  config: Config;
  database: Database;
  jobs: Pick<Jobs, 'define' | 'schedule'>;
  metrics: Metrics;
  logger: Logger;
}): Promise<RealtimeHub> {
  const { config, logger } = deps;
  const repository = createRealtimeRepository();
  const heartbeatSeconds = config.REALTIME_HEARTBEAT_SECONDS;
  const fanout = config.REDIS_URL
    ? await createRedisFanout({
        url: config.REDIS_URL,
        nodeId: newNodeId(),
        // Two missed heartbeats before a node's presence is forgotten.
        ttlSeconds: Math.max(10, heartbeatSeconds * 2 + 5),
        logger,
        registry: deps.metrics.registry,
      })
    : createMemoryFanout();
  defineRealtimeJobs({
    jobs: deps.jobs,
    database: deps.database,
    repository,
    retentionHours: config.REALTIME_EVENT_RETENTION_HOURS,
    logger,
  });
  return createRealtimeHub({
    database: deps.database,
    repository,
    fanout,
    logger,
    registry: deps.metrics.registry,
    heartbeatSeconds,
  });
}
