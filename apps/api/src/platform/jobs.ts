import { setMaxListeners } from 'node:events';
import { createRequire } from 'node:module';
import PgBoss from 'pg-boss';
import type { Queryable, SqlExecutor } from './db/database.js';
import { isDatabaseUnavailable } from './db/errors.js';
import type { Logger } from './logger.js';
import { traceJob, withTraceContext } from './tracing.js';

export type JobHandler<T> = (
  data: T,
  job: { id: string; queue: string; retryCount: number },
) => Promise<void>;

export type QueueOptions = {
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  /**
   * How long a job may run before it is taken for stuck and retried (default 15 minutes). A
   * running job's worker keeps it alive by heartbeat up to this; a killed worker's job is
   * retried elsewhere about a minute after its last heartbeat, whatever this says.
   */
  expireInSeconds?: number;
};

export type SendOptions = {
  /** Enqueue inside this transaction: the job exists if and only if the transaction commits. */
  tx?: Queryable;
  startAfter?: Date | number;
  singletonKey?: string;
};

export type Jobs = {
  /** Declares a queue and the handler that works it. Call before `start`. */
  define<T extends object>(queue: string, handler: JobHandler<T>, options?: QueueOptions): void;
  /** Runs `queue` on a cron schedule (UTC). Call before `start`; the queue must be defined. */
  schedule(queue: string, cron: string, data?: object): void;
  send(queue: string, data: object, options?: SendOptions): Promise<string | null>;
  /** Enqueues many jobs on one queue in one statement (bulk writes such as imports). */
  sendMany(queue: string, data: object[], options?: Pick<SendOptions, 'tx'>): Promise<void>;
  /**
   * Creates pg-boss's schema and every declared queue. With `work`, this process also works
   * the queues and runs maintenance and cron; an API-only node enqueues but never works.
   */
  start(options: { work: boolean }): Promise<void>;
  /** Jobs waiting to run, per queue: the `job_queue_depth` metric. */
  queueDepths(): Promise<Record<string, number>>;
  /** Stops fetching and waits up to `timeoutMs` for running jobs to finish. */
  stop(timeoutMs?: number): Promise<void>;
  readonly queues: readonly string[];
};

/**
 * pg-boss 10 has no heartbeat: a job is retried once `started_on + expire_in` has passed. Jobs
 * are inserted with a short `expire_in`, and the worker running one pushes it forward every
 * HEARTBEAT_SECONDS, so a killed worker's job is free LEASE_SECONDS after its last beat, and
 * maintenance (every MAINTENANCE_SECONDS) hands it to another worker (decision 023).
 */
export const LEASE_SECONDS = 60;
const HEARTBEAT_SECONDS = 10;
const MAINTENANCE_SECONDS = 15;
const DEFAULT_MAX_RUN_SECONDS = 15 * 60;
const SCHEMA = 'pgboss';

// The statements pg-boss marks jobs done or failed with. Its own cron worker (timekeeper's
// `__pgboss__send-it` queue, run by `boss.work`) issues them without awaiting, so a rejection of
// theirs is unhandled and ends the process: they are retried while the database is away, and
// never reject. pg-boss is pinned to 10.x (Node 20); the jobs test checks these still match.
const require = createRequire(import.meta.url);
const plans = require('pg-boss/src/plans.js') as {
  completeJobs(schema: string): string;
  failJobsById(schema: string): string;
};
const completionStatements = new Set([plans.completeJobs(SCHEMA), plans.failJobsById(SCHEMA)]);

type Definition = { handler: JobHandler<object>; options: QueueOptions };
type Running = { queue: string; id: string; startedAt: number; maxRunMs: number };

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export function createJobs(deps: {
  executor: SqlExecutor;
  executorFor: (tx: Queryable) => SqlExecutor;
  logger: Logger;
  pollingIntervalSeconds?: number;
  onJobFinished?: (queue: string, outcome: 'completed' | 'failed') => void;
  /** Tests shorten the lease and its clocks; production runs with the constants above. */
  lease?: { seconds: number; heartbeatSeconds: number; maintenanceSeconds: number };
}): Jobs {
  const lease = deps.lease ?? {
    seconds: LEASE_SECONDS,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    maintenanceSeconds: MAINTENANCE_SECONDS,
  };
  const definitions = new Map<string, Definition>();
  const schedules: { queue: string; cron: string; data: object }[] = [];
  const log = deps.logger;
  let boss: PgBoss | null = null;
  /** Aborted by `stop`: the fetch loops stop waiting for work and end. */
  let stopping = new AbortController();
  /** Past it, a completion that still cannot be written is given up (the job's lease ends it). */
  let giveUpAt = Number.POSITIVE_INFINITY;
  const loops: Promise<void>[] = [];
  const running = new Map<string, Running>();
  let heartbeat: NodeJS.Timeout | null = null;
  // Statements still on their way when `stop` returns would hit a closed pool: `stop` waits for them.
  let statementsInFlight = 0;

  async function completion(text: string, values?: unknown[]) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await deps.executor.executeSql(text, values);
      } catch (error) {
        // Only an absent database is worth waiting for; anything else will not pass by retrying.
        if (!isDatabaseUnavailable(error) || Date.now() >= giveUpAt || attempt >= 1000) {
          log.warn(
            { err: error },
            'a job outcome could not be written; the job is retried when its lease ends',
          );
          return { rows: [{ count: '0' }] };
        }
        if (attempt === 0) log.warn({ err: error }, 'a job outcome could not be written; retrying');
        await sleep(Math.min(250 * 2 ** Math.min(attempt, 5), 5000, giveUpAt - Date.now()));
      }
    }
  }

  const guarded: SqlExecutor = {
    ...deps.executor,
    executeSql: async (text, values) => {
      statementsInFlight += 1;
      try {
        if (completionStatements.has(text)) return (await completion(text, values)) as never;
        return await deps.executor.executeSql(text, values);
      } finally {
        statementsInFlight -= 1;
      }
    },
  };

  function started(): PgBoss {
    if (!boss) throw new Error('jobs: start() has not run yet');
    return boss;
  }

  let beating = false;
  async function beat() {
    const now = Date.now();
    const alive = [...running.values()].filter((job) => now - job.startedAt < job.maxRunMs);
    // A beat still waiting on a stalled database is not joined by more of them.
    if (alive.length === 0 || beating) return;
    beating = true;
    try {
      await guarded.executeSql(
        `update ${SCHEMA}.job j set expire_in = (now() - j.started_on) + make_interval(secs => $3)
         from unnest($1::text[], $2::uuid[]) as r(name, id)
         where j.name = r.name and j.id = r.id and j.state = 'active'`,
        [alive.map((job) => job.queue), alive.map((job) => job.id), lease.seconds],
      );
    } catch (error) {
      // The database is away: the next beat tries again; a lease is six beats long.
      log.warn({ err: error }, 'job heartbeat failed');
    } finally {
      beating = false;
    }
  }

  /** Fetches and works one job at a time from `queue` until `stop`, never throwing. */
  async function workQueue(instance: PgBoss, queue: string, { handler, options }: Definition) {
    const idleMs = (deps.pollingIntervalSeconds ?? 2) * 1000;
    const maxRunMs = (options.expireInSeconds ?? DEFAULT_MAX_RUN_SECONDS) * 1000;
    const signal = stopping.signal;
    while (!signal.aborted) {
      // pg-boss's fetch answers [] when the database is away: the loop then waits and asks again.
      const [job] = await instance
        .fetch<object>(queue, { batchSize: 1, includeMetadata: true })
        .catch((error: unknown) => {
          log.warn({ err: error, queue }, 'job fetch failed');
          return [];
        });
      if (!job) {
        await sleep(idleMs, signal);
        continue;
      }
      running.set(job.id, { queue, id: job.id, startedAt: Date.now(), maxRunMs });
      try {
        let failure: unknown = null;
        try {
          // A span continuing the trace of the request that enqueued it (decision 030).
          await traceJob(queue, job.data, (data) =>
            handler(data, { id: job.id, queue, retryCount: job.retryCount }),
          );
        } catch (error) {
          failure = error ?? new Error('job failed');
        }
        deps.onJobFinished?.(queue, failure ? 'failed' : 'completed');
        // Awaited, and retried while the database is away (see `completion`); the heartbeat
        // keeps the job ours meanwhile, so no other worker runs it a second time.
        if (failure) {
          log.warn({ err: failure, queue, jobId: job.id }, 'job failed; it is retried');
          const message = failure instanceof Error ? failure.message : String(failure);
          await instance.fail(queue, job.id, { message });
        } else {
          await instance.complete(queue, job.id);
        }
      } catch (error) {
        log.error({ err: error, queue, jobId: job.id }, 'job outcome not recorded');
      } finally {
        running.delete(job.id);
      }
    }
  }

  return {
    get queues() {
      return [...definitions.keys()];
    },
    define(queue, handler, options = {}) {
      if (boss) throw new Error(`jobs: define("${queue}") after start()`);
      if (definitions.has(queue)) throw new Error(`jobs: queue "${queue}" is defined twice`);
      definitions.set(queue, { handler: handler as JobHandler<object>, options });
    },
    schedule(queue, cron, data = {}) {
      if (!definitions.has(queue)) throw new Error(`jobs: schedule("${queue}") for an undefined queue`);
      schedules.push({ queue, cron, data });
    },
    async send(queue, data, options = {}) {
      const instance = started();
      if (!definitions.has(queue)) throw new Error(`jobs: send("${queue}") to an undefined queue`);
      const sendOptions: PgBoss.SendOptions = {};
      if (options.tx) sendOptions.db = deps.executorFor(options.tx) as PgBoss.Db;
      if (options.startAfter !== undefined) {
        sendOptions.startAfter =
          options.startAfter instanceof Date ? options.startAfter : Math.ceil(options.startAfter / 1000);
      }
      if (options.singletonKey) sendOptions.singletonKey = options.singletonKey;
      return instance.send(queue, withTraceContext(data), sendOptions);
    },
    async sendMany(queue, data, options = {}) {
      const instance = started();
      if (!definitions.has(queue)) throw new Error(`jobs: sendMany("${queue}") to an undefined queue`);
      if (data.length === 0) return;
      // pg-boss's insert takes the queue's retry policy like send does; one statement for all.
      await instance.insert(
        data.map((item) => ({ name: queue, data: withTraceContext(item) })),
        options.tx ? { db: deps.executorFor(options.tx) as PgBoss.Db } : {},
      );
    },
    async start({ work }) {
      if (boss) return;
      stopping = new AbortController();
      // Every queue's loop waits on this one signal.
      setMaxListeners(0, stopping.signal);
      giveUpAt = Number.POSITIVE_INFINITY;
      const instance = new PgBoss({
        db: guarded as PgBoss.Db,
        schema: SCHEMA,
        supervise: work,
        schedule: work,
        migrate: true,
        maintenanceIntervalSeconds: lease.maintenanceSeconds,
      });
      async function startInstance(instance: PgBoss) {
        await instance.start();
        for (const [queue, { options }] of definitions) {
          const settings = {
            name: queue,
            retryLimit: options.retryLimit ?? 3,
            retryDelay: options.retryDelaySeconds ?? 5,
            retryBackoff: options.retryBackoff ?? true,
            expireInSeconds: lease.seconds,
          };
          // createQueue leaves a queue that exists alone (another node, an older release with
          // longer expiries): updateQueue brings it to these settings.
          await retryOnDeadlock(async () => {
            await instance.createQueue(queue, settings);
            await instance.updateQueue(queue, settings);
          });
        }
        if (work) {
          for (const { queue, cron, data } of schedules)
            await instance.schedule(queue, cron, data, { tz: 'UTC' });
        }
      }
      instance.on('error', (error) => log.error({ err: error }, 'job system error'));
      try {
        await startInstance(instance);
      } catch (error) {
        // A start that failed half-way (the database went away) must not leave pg-boss's timers
        // running beside the instance a retry of start() makes.
        await instance.stop({ graceful: false, wait: false, close: false }).catch(() => {});
        throw error;
      }
      boss = instance;
      if (!work) return;
      heartbeat = setInterval(() => void beat(), lease.heartbeatSeconds * 1000);
      heartbeat.unref();
      for (const [queue, definition] of definitions) loops.push(workQueue(instance, queue, definition));
    },
    async queueDepths() {
      if (!boss) return {};
      const queues = [...definitions.keys()];
      // One statement for every queue (pg-boss's getQueueSize is one round trip per queue: about
      // forty of them each time the metric refreshes, on the pool the requests need).
      const { rows } = await guarded.executeSql(
        `select name, count(*)::int as waiting from ${SCHEMA}.job
          where name = any($1::text[]) and state < 'active' group by name`,
        [queues],
      );
      const depths: Record<string, number> = Object.fromEntries(queues.map((queue) => [queue, 0]));
      for (const row of rows) depths[row.name as string] = Number(row.waiting);
      return depths;
    },
    async stop(timeoutMs = 10_000) {
      if (!boss) return;
      const instance = boss;
      boss = null;
      const deadline = Date.now() + timeoutMs;
      giveUpAt = deadline;
      stopping.abort();
      // Running handlers finish (and record their outcome) within the timeout; one that does not
      // is abandoned: its lease ends without heartbeats and another worker runs the job.
      const finished = new AbortController();
      await Promise.race([
        Promise.all(loops).then(() => finished.abort()),
        sleep(timeoutMs, finished.signal),
      ]);
      finished.abort();
      loops.length = 0;
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = null;
      // pg-boss says 'stopped' once it has let go of its jobs; with the database away it may never
      // say it, and the deadline ends the wait.
      const stopped = new AbortController();
      const waitStopped = new Promise<void>((resolve) => {
        instance.once('stopped', () => {
          stopped.abort();
          resolve();
        });
        instance
          .stop({ graceful: true, wait: false, timeout: Math.max(deadline - Date.now(), 1000), close: false })
          .catch((error: unknown) => log.warn({ err: error }, 'job system stop failed'));
      });
      await Promise.race([waitStopped, sleep(Math.max(deadline - Date.now(), 0), stopped.signal)]);
      while (statementsInFlight > 0 && Date.now() < deadline) await sleep(10);
    },
  };
}

/**
 * Nodes started at once on a database without the queues yet deadlocked inside pg-boss's
 * create_queue (40P01) and the loser's start failed; PostgreSQL already rolled one side back,
 * so doing it again after the winner committed finds the queue there.
 */
async function retryOnDeadlock(work: () => Promise<void>, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01' || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
    }
  }
}
