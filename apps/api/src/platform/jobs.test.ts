import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { copyDatabase, dropDatabase, urlFor } from '../test-support/postgres.js';
import { waitFor } from '../test-support/wait.js';
import { createDatabase, type Database, type SqlExecutor } from './db/database.js';
import { createJobs, type Jobs } from './jobs.js';
import { createLogger } from './logger.js';

/**
 * The job system's own guarantees, on one database shared by several job systems (as worker
 * processes share one): an outcome written while the database is away is neither lost nor an
 * unhandled rejection, and a job whose worker went silent is run by another within its lease.
 * The real kill and the real database restart are in faults/worker-kill.fault.test.ts.
 */
const baseUrl = process.env.TEST_DATABASE_URL;
let dataDir = '';
let databaseName: string | null = null;
let database: Database;
const opened: Jobs[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'souk-jobs-lease-'));
  const template = inject('templateDatabase');
  if (baseUrl && template) databaseName = await copyDatabase(baseUrl, template);
  database = await createDatabase({
    ...(baseUrl && databaseName ? { url: urlFor(baseUrl, databaseName) } : {}),
    dataDir,
  });
});
afterEach(async () => {
  for (const jobs of opened.splice(0)) await jobs.stop(2_000);
});
afterAll(async () => {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
  if (baseUrl && databaseName) await dropDatabase(baseUrl, databaseName);
});

/** An executor whose connection can be cut: every statement fails as a dead server's would. */
function cuttable(executor: SqlExecutor) {
  const link = { down: false, refused: 0 };
  const wrapped: SqlExecutor = {
    ...executor,
    executeSql: async (text, values) => {
      if (link.down) {
        link.refused += 1;
        throw new Error('Connection terminated unexpectedly');
      }
      return executor.executeSql(text, values);
    },
  };
  return { link, executor: wrapped };
}

function jobSystem(executor: SqlExecutor) {
  const jobs = createJobs({
    executor,
    executorFor: database.executorFor,
    logger: createLogger('silent'),
    pollingIntervalSeconds: 0.2,
    lease: { seconds: 3, heartbeatSeconds: 0.5, maintenanceSeconds: 1 },
  });
  opened.push(jobs);
  return jobs;
}

async function stateOf(id: string): Promise<string | undefined> {
  const { rows } = await database.executor.executeSql('select state from pgboss.job where id = $1', [id]);
  return rows[0]?.state as string | undefined;
}

describe('jobs', () => {
  it('a job finishing while the database is away: no unhandled rejection, its outcome lands when it returns', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const { link, executor } = cuttable(database.executor);
      const jobs = jobSystem(executor);
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let started = 0;
      let failed = 0;
      jobs.define('test.outage', async () => {
        started += 1;
        await gate;
      });
      jobs.define('test.outage-fails', async () => {
        failed += 1;
        await gate;
        throw new Error('the handler failed');
      });
      await jobs.start({ work: true });
      const completing = await jobs.send('test.outage', {});
      const failing = await jobs.send('test.outage-fails', {});
      await waitFor(async () => started === 1 && (await stateOf(failing as string)) === 'active');

      link.down = true;
      release();
      // Both outcomes are being written and refused, more than once (retried, not dropped).
      await waitFor(async () => link.refused > 6);
      link.down = false;

      await waitFor(async () => (await stateOf(completing as string)) === 'completed');
      await waitFor(async () => (await stateOf(failing as string)) === 'retry');
      expect(unhandled).toEqual([]);
      // The outcomes were written, not lost and left to the lease: each handler ran once.
      expect([started, failed]).toEqual([1, 1]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  }, 90_000);

  it('a job whose worker went silent is run by another worker once its lease ends', async () => {
    const runs: string[] = [];
    const silent = cuttable(database.executor);
    const first = jobSystem(silent.executor);
    first.define(
      'test.lease',
      async () => {
        runs.push('first');
        // The worker dies here: no more heartbeats, no outcome.
        silent.link.down = true;
        await new Promise(() => {});
      },
      { retryDelaySeconds: 1, retryBackoff: false },
    );
    await first.start({ work: true });
    const id = await first.send('test.lease', {});
    await waitFor(async () => runs.length === 1);

    const second = jobSystem(database.executor);
    second.define(
      'test.lease',
      async () => {
        runs.push('second');
      },
      { retryDelaySeconds: 1, retryBackoff: false },
    );
    await second.start({ work: true });
    await waitFor(async () => (await stateOf(id as string)) === 'completed');
    expect(runs).toEqual(['first', 'second']);
  }, 90_000);

  it('a job that outlives its lease on a live worker is not run twice: its heartbeat keeps it', async () => {
    const runs: string[] = [];
    let done = false;
    const first = jobSystem(database.executor);
    first.define('test.long', async () => {
      runs.push('first');
      // Three leases long, heartbeat every half second.
      const until = Date.now() + 9_000;
      while (Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 200));
      done = true;
    });
    await first.start({ work: true });
    const second = jobSystem(database.executor);
    second.define('test.long', async () => {
      runs.push('second');
    });
    await second.start({ work: true });
    const id = await first.send('test.long', {});
    await waitFor(async () => done && (await stateOf(id as string)) === 'completed', 60_000);
    expect(runs).toEqual(['first']);
  }, 90_000);
});
