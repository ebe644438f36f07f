import PgBoss from 'pg-boss';
import type { Queryable, SqlExecutor } from './db/database.js';
import type { Logger } from './logger.js';

export type JobHandler<T> = (
  data: T,
  job: { id: string; queue: string; retryCount: number },
) => Promise<void>;

export type QueueOptions = {
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  /** How long a job may run before pg-boss takes it for stuck (pg-boss's default: 15 minutes). */
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

type Definition = { handler: JobHandler<object>; options: QueueOptions };

export function createJobs(deps: {
  executor: SqlExecutor;
  executorFor: (tx: Queryable) => SqlExecutor;
  logger: Logger;
  pollingIntervalSeconds?: number;
  onJobFinished?: (queue: string, outcome: 'completed' | 'failed') => void;
}): Jobs {
  const definitions = new Map<string, Definition>();
  const schedules: { queue: string; cron: string; data: object }[] = [];
  let boss: PgBoss | null = null;
  let working = false;
  // pg-boss marks a job done with a statement it does not await (manager.js: `this.complete(...)`
  // after the handler), so its 'stopped' event can come while that statement, or a fetch, is still
  // on its way; closing the database under it was an unhandled "Cannot use a pool after calling
  // end on the pool". Counting pg-boss's statements and running handlers lets `stop` wait for both.
  let statementsInFlight = 0;
  let handlersRunning = 0;
  const counted: SqlExecutor = {
    ...deps.executor,
    executeSql: async (text, values) => {
      statementsInFlight += 1;
      try {
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
      return instance.send(queue, data, sendOptions);
    },
    async sendMany(queue, data, options = {}) {
      const instance = started();
      if (!definitions.has(queue)) throw new Error(`jobs: sendMany("${queue}") to an undefined queue`);
      if (data.length === 0) return;
      // pg-boss's insert takes the queue's retry policy like send does; one statement for all.
      await instance.insert(
        data.map((item) => ({ name: queue, data: item })),
        options.tx ? { db: deps.executorFor(options.tx) as PgBoss.Db } : {},
      );
    },
    async start({ work }) {
      if (boss) return;
      const instance = new PgBoss({
        db: counted as PgBoss.Db,
        schema: 'pgboss',
        supervise: work,
        schedule: work,
        migrate: true,
      });
      instance.on('error', (error) => deps.logger.error({ err: error }, 'job system error'));
      await instance.start();
      for (const [queue, { options }] of definitions) {
        // createQueue is idempotent in pg-boss: a second node starting finds the queue there.
        await instance.createQueue(queue, {
          name: queue,
          retryLimit: options.retryLimit ?? 3,
          retryDelay: options.retryDelaySeconds ?? 5,
          retryBackoff: options.retryBackoff ?? true,
          ...(options.expireInSeconds ? { expireInSeconds: options.expireInSeconds } : {}),
        });
      }
      boss = instance;
      if (!work) return;
      working = true;
      for (const [queue, { handler }] of definitions) {
        let workerId: string | undefined;
        workerId = await instance.work<object>(
          queue,
          { pollingIntervalSeconds: deps.pollingIntervalSeconds ?? 2, includeMetadata: true },
          async (batch) => {
            handlersRunning += 1;
            try {
              for (const job of batch) {
                try {
                  await handler(job.data, { id: job.id, queue, retryCount: job.retryCount });
                  deps.onJobFinished?.(queue, 'completed');
                } catch (error) {
                  deps.onJobFinished?.(queue, 'failed');
                  deps.logger.warn({ err: error, queue, jobId: job.id }, 'job failed; pg-boss retries it');
                  throw error;
                }
              }
            } finally {
              handlersRunning -= 1;
              // pg-boss waits a whole polling interval after every fetch, even one that found a
              // job: one job per interval per queue. Having found one, look for the next at once;
              // only an empty queue waits for the interval.
              if (workerId) instance.notifyWorker(workerId);
            }
          },
        );
      }
      for (const { queue, cron, data } of schedules)
        await instance.schedule(queue, cron, data, { tz: 'UTC' });
    },
    async queueDepths() {
      if (!boss) return {};
      const depths: Record<string, number> = {};
      for (const queue of definitions.keys()) depths[queue] = await boss.getQueueSize(queue);
      return depths;
    },
    async stop(timeoutMs = 10_000) {
      if (!boss) return;
      const instance = boss;
      boss = null;
      const deadline = Date.now() + timeoutMs;
      await new Promise<void>((resolve) => {
        instance.once('stopped', () => resolve());
        void instance.stop({ graceful: working, wait: false, timeout: timeoutMs, close: false });
      });
      // Then the job a fetch still in flight brought, and the completions pg-boss did not await.
      while ((statementsInFlight > 0 || handlersRunning > 0) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
  };
}
