import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { Channels } from './realtime.channels.js';
import type { RealtimeRepository } from './realtime.repository.js';

/** How often a node looks at the newest stored events by default. */
export const TAIL_INTERVAL_MS = 1000;
/** Rows one look reads at most; more and the next look goes on from there. */
const TAIL_BATCH = 1000;

/**
 * The backstop behind the fan-out (decision 038). Every `intervalMs` the node reads the ids,
 * channels and seqs of the events stored since its last look (one index range scan, no data),
 * and one look later, when live delivery had its chance, lets each subscription of this node that
 * is still short of a seq it saw catch up from the database. That covers what the seq check alone
 * cannot: the last event on a channel whose publisher died before its Redis fan-out (no later
 * event shows the gap), and everything published on other nodes while Redis is down.
 */
export function createTail(deps: {
  database: Pick<Database, 'db'>;
  repository: RealtimeRepository;
  channels: Pick<Channels, 'followed' | 'catchUpTo'>;
  logger: Logger;
  intervalMs: number;
}) {
  const { database, repository, channels, logger } = deps;
  let cursor: number | null = null;
  /** Channel -> newest seq seen on the previous look, for the channels this node follows. */
  let seen = new Map<string, number>();
  let failing = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  async function look() {
    cursor ??= await repository.newestId(database.db);
    const rows = await repository.since(database.db, cursor, TAIL_BATCH);
    for (const [channel, seq] of seen) channels.catchUpTo(channel, seq);
    seen = new Map();
    for (const row of rows) {
      cursor = row.id;
      if (channels.followed(row.channel))
        seen.set(row.channel, Math.max(row.seq, seen.get(row.channel) ?? 0));
    }
  }

  function schedule(delayMs = deps.intervalMs) {
    if (stopped) return;
    timer = setTimeout(() => {
      running = look().then(
        () => {
          if (failing) logger.info('realtime: the tail reads stored events again');
          failing = false;
        },
        (error) => {
          // The database is down or slow: live delivery goes on; the tail resumes where it was.
          if (!failing) logger.warn({ err: error }, 'realtime: the tail could not read stored events');
          failing = true;
        },
      );
      void running.then(() => schedule());
    }, delayMs);
    timer.unref();
  }
  // The first look at once: it sets where the tail starts (the newest stored id). Were it a second
  // later, an event stored in that second (by another node, or with no fan-out) would already be
  // behind the start and never caught up by the tail.
  schedule(0);

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
