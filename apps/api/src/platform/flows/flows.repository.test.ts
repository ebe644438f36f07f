import { eq, like, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { copyDatabase, dropDatabase, urlFor } from '../../test-support/postgres.js';
import { waitFor } from '../../test-support/wait.js';
import { createDatabase, type Database } from '../db/database.js';
import { DatabaseUnavailableError } from '../db/errors.js';
import { platformMeta } from '../db/platform.schema.js';
import { AppError } from '../http/errors.js';
import { createJobs, type Jobs } from '../jobs.js';
import { createLogger } from '../logger.js';
import { createFlowRunner, defineFlow, defineFlowJobs, type FlowRunner, flowRuns } from './index.js';

// The runs are persisted in flow_runs on the real engine (PGlite, or PostgreSQL when
// TEST_DATABASE_URL is set); the "business" writes go to platform_meta, a real table.
describe('flow runs on the database', () => {
  const baseUrl = process.env.TEST_DATABASE_URL;
  let databaseName: string | null = null;
  let database: Database;
  let jobs: Jobs;
  let runner: FlowRunner;
  const calls: string[] = [];
  const declined = new AppError('provider_refused', 402, 'The card was declined');
  let outage = false;
  let hangOnce = true;

  const remember = (key: string) => (tx: Database['db']) =>
    tx.insert(platformMeta).values({ key, value: { at: 'flow' } });

  const checkout = defineFlow<{ ref: string; decline?: boolean }>('test.checkout')
    .step('order', {
      run: async ({ tx, input }) => {
        calls.push(`order ${input.ref}`);
        await remember(`order:${input.ref}`)(tx);
        return { orderId: `o-${input.ref}` };
      },
      compensate: async ({ tx, output }) => {
        calls.push(`cancel ${output.orderId}`);
        await tx.delete(platformMeta).where(eq(platformMeta.key, `order:${output.orderId.slice(2)}`));
      },
    })
    .external('charge', {
      run: async ({ input, idempotencyKey }) => {
        calls.push(`charge ${input.ref} ${idempotencyKey.endsWith(':charge')}`);
        if (outage) throw new DatabaseUnavailableError();
        if (input.decline) throw declined;
        return { chargeId: `c-${input.ref}` };
      },
    })
    .step('receipt', {
      run: async ({ tx, input, results }) => {
        await remember(`receipt:${input.ref}:${results.charge.chargeId}`)(tx);
        return null;
      },
    })
    .build();

  // The first attempt's provider call never answers: the process "died" holding the run.
  const slow = defineFlow<{ ref: string }>('test.slow')
    .step('order', { run: async ({ tx, input }) => void (await remember(`slow:${input.ref}`)(tx)) })
    .external('charge', {
      run: async () => {
        if (hangOnce) {
          hangOnce = false;
          await new Promise(() => {});
        }
        return 'charged';
      },
    })
    .build();

  beforeAll(async () => {
    const template = inject('templateDatabase');
    if (baseUrl && template) databaseName = await copyDatabase(baseUrl, template);
    database = await createDatabase({
      url: databaseName && baseUrl ? urlFor(baseUrl, databaseName) : undefined,
      dataDir: 'memory://',
    });
    if (!databaseName) await database.migrate();
    const logger = createLogger('silent');
    jobs = createJobs({
      executor: database.executor,
      executorFor: database.executorFor,
      logger,
      pollingIntervalSeconds: 0.5,
    });
    runner = createFlowRunner({
      database,
      jobs,
      logger,
      flows: [checkout, slow],
      leaseMs: 1_000,
      execute: { retryDelayMs: () => 0 },
    });
    defineFlowJobs({ jobs, runner });
    await jobs.start({ work: true });
  });
  afterAll(async () => {
    await jobs?.stop(5_000);
    await database?.close();
    if (baseUrl && databaseName) await dropDatabase(baseUrl, databaseName);
  });

  const run = async (id: string) => (await database.db.select().from(flowRuns).where(eq(flowRuns.id, id)))[0];
  const keys = async (prefix: string) =>
    (
      await database.db
        .select()
        .from(platformMeta)
        .where(like(platformMeta.key, `${prefix}%`))
    )
      .map((row) => row.key)
      .sort();

  it('records a completed run with every step and its output', async () => {
    const outcome = await runner.start(checkout, { ref: 'a' });
    expect(outcome).toMatchObject({
      status: 'completed',
      results: { order: { orderId: 'o-a' }, charge: { chargeId: 'c-a' } },
    });
    const row = await run(outcome.runId);
    expect(row).toMatchObject({
      name: 'test.checkout',
      status: 'completed',
      input: { ref: 'a' },
      error: null,
      lockedUntil: null,
    });
    expect(row?.steps.map((step) => step.name)).toEqual(['order', 'charge', 'receipt']);
    expect(row?.finishedAt).toBeInstanceOf(Date);
    expect(await keys('order:a')).toEqual(['order:a']);
  });

  it('compensates the committed steps when a step fails, and keeps the error', async () => {
    const outcome = await runner.start(checkout, { ref: 'b', decline: true });
    expect(outcome).toMatchObject({ status: 'compensated', error: declined });
    expect(await keys('order:b')).toEqual([]);
    expect(await run(outcome.runId)).toMatchObject({
      status: 'compensated',
      compensated: ['order'],
      error: { code: 'provider_refused' },
      stepReached: 'charge',
    });
  });

  it('leaves a run interrupted by an outage to be resumed, and the resume skips the steps done', async () => {
    calls.length = 0;
    outage = true;
    const outcome = await runner.start(checkout, { ref: 'c' }).finally(() => {
      outage = false;
    });
    expect(outcome.status).toBe('pending');
    expect(await run(outcome.runId)).toMatchObject({
      status: 'running',
      error: { code: 'database_unavailable' },
    });
    // The minute sweep may take it first; either way one resumer claims it.
    await runner.resume(outcome.runId);
    await waitFor(async () => (await run(outcome.runId))?.status === 'completed');
    expect(calls).toEqual(['order c', 'charge c true', 'charge c true']);
    expect(await keys('order:c')).toEqual(['order:c']);
    expect(await run(outcome.runId)).toMatchObject({ status: 'completed', attempts: 2 });
  });

  it('joins the first run when the same key starts again', async () => {
    calls.length = 0;
    const first = await runner.start(checkout, { ref: 'd' }, { key: 'auction-1' });
    const second = await runner.start(checkout, { ref: 'd' }, { key: 'auction-1' });
    expect(second).toEqual(first);
    expect(calls).toEqual(['order d', 'charge d true']);
    const result = await database.db.execute(
      sql`select count(*)::int as n from flow_runs where key = 'auction-1'`,
    );
    expect((result as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(1);
  });

  it('a run whose process stopped mid-step is resumed by the job once its lease lapses', async () => {
    const started = runner.start(slow, { ref: 'e' });
    const runId = await waitFor(async () => {
      const [row] = await database.db.select().from(flowRuns).where(eq(flowRuns.name, 'test.slow'));
      return row?.stepReached === 'charge' ? row.id : null;
    });
    void started;
    // The minute sweep does this on its own; calling it here keeps the test short.
    await waitFor(async () => (await runner.sweep()) > 0 || (await run(runId))?.status === 'completed');
    await waitFor(async () => (await run(runId))?.status === 'completed', 20_000);
    expect(await keys('slow:e')).toEqual(['slow:e']);
  });
});
