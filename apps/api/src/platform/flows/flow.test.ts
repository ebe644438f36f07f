import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from '../db/errors.js';
import { AppError } from '../http/errors.js';
import { defineFlow, executeRun, type FlowRunState, type FlowStore, segmentsOf } from './flow.js';

// A transaction in these tests is a list of writes applied on commit and dropped on rollback;
// `world` is what committed. That is all a transaction means to the orchestration.
type Tx = { writes: (() => void)[] };

function harness() {
  const world: string[] = [];
  const run: FlowRunState = {
    id: 'run-1',
    name: 'test',
    input: { amount: 100 },
    status: 'running',
    steps: [],
    compensated: [],
    error: null,
    attempts: 1,
  };
  const later = (tx: Tx | null, write: () => void) => (tx ? tx.writes.push(write) : write());
  const store: FlowStore<Tx> = {
    recordStep: async (tx, _id, record) => void later(tx, () => void run.steps.push(record)),
    recordCompensated: async (tx, _id, step) => void later(tx, () => void run.compensated.push(step)),
    reach: async () => {},
    compensating: async (_id, error) => {
      run.status = 'compensating';
      run.error = error;
    },
    finish: async (_id, status, error) => {
      run.status = status;
      run.error = error;
    },
    release: async (_id, _at, error) => {
      run.error = error;
    },
  };
  let transactions = 0;
  const transaction = async <T>(work: (tx: Tx) => Promise<T>): Promise<T> => {
    transactions++;
    const tx: Tx = { writes: [] };
    const result = await work(tx);
    for (const write of tx.writes) write();
    return result;
  };
  const write = (tx: Tx, entry: string) => tx.writes.push(() => world.push(entry));
  return { world, run, store, transaction, write, transactions: () => transactions };
}

const declined = new AppError('provider_refused', 402, 'The card was declined');

describe('flows', () => {
  it('runs consecutive transactional steps in one transaction and passes outputs on', async () => {
    const h = harness();
    const flow = defineFlow<{ amount: number }, Tx>('test')
      .step('order', {
        run: async ({ tx, input }) => {
          h.write(tx, `order ${input.amount}`);
          return { orderId: 'o1' };
        },
      })
      .step('invoice', {
        run: async ({ tx, results }) => {
          h.write(tx, `invoice for ${results.order.orderId}`);
          return 'i1';
        },
      })
      .build();
    const outcome = await executeRun(flow, h.run, h);
    expect(outcome).toEqual({
      status: 'completed',
      runId: 'run-1',
      results: { order: { orderId: 'o1' }, invoice: 'i1' },
    });
    expect(h.world).toEqual(['order 100', 'invoice for o1']);
    expect(h.transactions()).toBe(1);
    expect(h.run.status).toBe('completed');
  });

  it('a failing step runs the compensations of the steps before it, in reverse', async () => {
    const h = harness();
    const flow = defineFlow<{ amount: number }, Tx>('test')
      .step('order', {
        run: async ({ tx }) => void h.write(tx, 'order'),
        compensate: async ({ tx }) => void h.write(tx, 'undo order'),
      })
      .external('hold', {
        run: async ({ idempotencyKey }) => {
          h.world.push(`hold ${idempotencyKey}`);
          return { holdId: 'h1' };
        },
        compensate: async ({ output }) => void h.world.push(`release ${output.holdId}`),
      })
      .external('capture', {
        run: async () => {
          h.world.push('capture');
          return 'c1';
        },
        compensate: async () => void h.world.push('refund'),
      })
      .step('ship', {
        run: async ({ tx }) => {
          h.write(tx, 'ship');
          throw declined;
        },
        compensate: async () => void h.world.push('never: rolled back with its transaction'),
      })
      .build();
    const outcome = await executeRun(flow, h.run, h);
    expect(outcome).toEqual({ status: 'compensated', runId: 'run-1', error: declined });
    expect(h.world).toEqual(['order', 'hold run-1:hold', 'capture', 'refund', 'release h1', 'undo order']);
    expect(h.run).toMatchObject({ status: 'compensated', error: { code: 'provider_refused' } });
    expect(h.run.compensated).toEqual(['capture', 'hold', 'order']);
  });

  it('resumes from the last completed step with the recorded outputs, and never runs a done step again', async () => {
    const h = harness();
    const ran: string[] = [];
    const flow = defineFlow<{ amount: number }, Tx>('test')
      .step('order', { run: async () => (ran.push('order') ? { orderId: 'o1' } : null) })
      .external('hold', { run: async ({ results }) => ran.push(`hold after ${JSON.stringify(results)}`) })
      .step('notify', { run: async () => void ran.push('notify') })
      .build();
    h.run.steps = [{ name: 'order', output: { orderId: 'o1' }, at: '2026-12-07T00:00:00Z' }];
    const outcome = await executeRun(flow, h.run, h);
    expect(outcome.status).toBe('completed');
    expect(ran).toEqual(['hold after {"order":{"orderId":"o1"}}', 'notify']);
    expect(h.run.steps.map((step) => step.name)).toEqual(['order', 'hold', 'notify']);
  });

  it('leaves the run for the job on a transient fault, then resumes and finishes it', async () => {
    const h = harness();
    let outage = true;
    const ran: string[] = [];
    const flow = defineFlow<{ amount: number }, Tx>('test')
      .step('order', { run: async () => void ran.push('order') })
      .external('hold', {
        run: async () => {
          if (outage) throw new DatabaseUnavailableError();
          ran.push('hold');
        },
      })
      .build();
    const first = await executeRun(flow, h.run, h);
    expect(first.status).toBe('pending');
    expect(h.run.status).toBe('running');
    outage = false;
    h.run.attempts++;
    const second = await executeRun(flow, h.run, h);
    expect(second.status).toBe('completed');
    expect(ran).toEqual(['order', 'hold']);
  });

  it('turns a transient fault into a failure after the last attempt, and compensates', async () => {
    const h = harness();
    const flow = defineFlow<{ amount: number }, Tx>('test')
      .step('order', {
        run: async ({ tx }) => void h.write(tx, 'order'),
        compensate: async ({ tx }) => void h.write(tx, 'undo order'),
      })
      .external('hold', { run: async () => Promise.reject(new DatabaseUnavailableError()) })
      .build();
    h.run.attempts = 3;
    const outcome = await executeRun(flow, h.run, { ...h, maxAttempts: 3 });
    expect(outcome.status).toBe('compensated');
    expect(h.world).toEqual(['order', 'undo order']);
  });

  it('resumes an interrupted compensation without undoing a step twice', async () => {
    const h = harness();
    const undone: string[] = [];
    const flow = defineFlow<{ amount: number }, Tx>('test')
      .step('a', { run: async () => 1, compensate: async () => void undone.push('a') })
      .external('b', { run: async () => 2, compensate: async () => void undone.push('b') })
      .external('c', { run: async () => 3 })
      .build();
    Object.assign(h.run, {
      status: 'compensating',
      error: { code: 'provider_refused', message: 'declined' },
      steps: [
        { name: 'a', output: 1, at: '' },
        { name: 'b', output: 2, at: '' },
      ],
      compensated: ['b'],
    });
    const outcome = await executeRun(flow, h.run, h);
    expect(outcome).toMatchObject({ status: 'compensated', error: { code: 'provider_refused' } });
    expect(undone).toEqual(['a']);
  });

  it('marks the run failed when a compensation fails for good', async () => {
    const h = harness();
    const flow = defineFlow<{ amount: number }, Tx>('test')
      .external('hold', {
        run: async () => 'h',
        compensate: async () => Promise.reject(new Error('provider said no')),
      })
      .external('capture', { run: async () => Promise.reject(declined) })
      .build();
    const outcome = await executeRun(flow, h.run, h);
    expect(outcome.status).toBe('failed');
    expect(h.run).toMatchObject({ status: 'failed', error: { message: 'provider said no' } });
  });

  it('refuses two steps of the same name', () => {
    expect(() =>
      defineFlow('x')
        .step('a', { run: async () => 1 })
        .step('a', { run: async () => 2 }),
    ).toThrow(/two steps named a/);
  });

  it('compensates exactly the steps that took effect, newest first, for any failing step (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        async (kinds, pick) => {
          const failAt = pick % kinds.length;
          const h = harness();
          const undone: number[] = [];
          let builder = defineFlow<unknown, Tx>('p') as ReturnType<typeof defineFlow<unknown, Tx>>;
          kinds.forEach((transactional, index) => {
            const run = async () => {
              if (index === failAt) throw declined;
              return index;
            };
            const compensate = async () => void undone.push(index);
            builder = (
              transactional
                ? builder.step(`s${index}`, { run, compensate })
                : builder.external(`s${index}`, { run, compensate })
            ) as typeof builder;
          });
          await executeRun(builder.build(), h.run, h);
          // Steps in the failing step's transaction were rolled back with it: not undone.
          const segments = segmentsOf(kinds.map((transactional, index) => ({ transactional, index })));
          const failing = segments.findIndex((segment) => segment.some((step) => step.index === failAt));
          const tookEffect = segments
            .slice(0, failing)
            .flat()
            .map((step) => step.index);
          expect(undone).toEqual(tookEffect.reverse());
        },
      ),
    );
  });
});
