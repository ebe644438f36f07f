import type { Database } from '../db/database.js';
import type { Jobs } from '../jobs.js';
import type { Logger } from '../logger.js';
import type { RealtimeRepository } from './realtime.repository.js';

export const PRUNE_REALTIME_EVENTS_QUEUE = 'realtime.prune-events';
const BATCH = 5000;

/** Stored events are for resuming after a reconnect; older than the retention, they go. */
export function defineRealtimeJobs(deps: {
  jobs: Pick<Jobs, 'define' | 'schedule'>;
  database: Pick<Database, 'db'>;
  repository: RealtimeRepository;
  retentionHours: number;
  logger: Logger;
}) {
  deps.jobs.define(PRUNE_REALTIME_EVENTS_QUEUE, async () => {
    const deleted = await pruneRealtimeEvents(deps);
    if (deleted > 0) deps.logger.info({ deleted }, 'realtime: old events pruned');
  });
  deps.jobs.schedule(PRUNE_REALTIME_EVENTS_QUEUE, '17 * * * *');
}

/** Deletes events older than the retention in batches (short statements, no long lock). */
export async function pruneRealtimeEvents(
  deps: { database: Pick<Database, 'db'>; repository: RealtimeRepository; retentionHours: number },
  now = new Date(),
): Promise<number> {
  const before = new Date(now.getTime() - deps.retentionHours * 3_600_000);
  let total = 0;
  for (;;) {
    const deleted = await deps.repository.deleteOlderThan(deps.database.db, before, BATCH);
    total += deleted;
    if (deleted < BATCH) return total;
  }
}
