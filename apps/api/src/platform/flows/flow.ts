import type { Queryable } from '../db/database.js';
import { isDatabaseUnavailable } from '../db/errors.js';
import type { FlowStatus, FlowStepRecord } from './flows.schema.js';

/**
 * Multi-step work across modules, after Medusa's workflows (decision 032): named steps, each with
 * what undoes it. Consecutive transactional steps share one transaction with the record of their
 * completion, so they happen exactly once; an external step (a payment provider) runs outside any
 * transaction, at least once, with an idempotency key that is the same on every attempt. A step
 * that fails runs the compensations of the steps that took effect before it, in reverse.
 *
 * This file is pure orchestration over a store and a transactor; `flows.repository.ts` is the
 * store on the database and `index.ts` wires it with the resume job.
 */

type Common<Input, Results> = {
  readonly input: Input;
  /** The outputs of the steps before, by name (from the record when the run was resumed). */
  readonly results: Results;
  readonly runId: string;
  /** `<run id>:<step name>`: pass it to a provider so a repeated attempt is one operation there. */
  readonly idempotencyKey: string;
};

export type StepArgs<Input, Results, Tx> = Common<Input, Results> & { readonly tx: Tx };
export type ExternalStepArgs<Input, Results> = Common<Input, Results>;

type AnyStep = {
  readonly name: string;
  readonly transactional: boolean;
  run(args: Common<unknown, Record<string, unknown>> & { tx?: unknown }): Promise<unknown>;
  compensate?(
    args: Common<unknown, Record<string, unknown>> & { tx?: unknown; output: unknown },
  ): Promise<void>;
};

export type Flow<Input, Results, Tx = Queryable> = {
  readonly name: string;
  readonly steps: readonly AnyStep[];
  /** Phantom: carries the types to `start`. */
  readonly _types?: { input: Input; results: Results; tx: Tx };
};

/** Any flow, whatever its types: what a runner holds to resume stored runs by name. */
export type AnyFlow = { readonly name: string; readonly steps: readonly AnyStep[] };

export type FlowBuilder<Input, Results extends Record<string, unknown>, Tx> = {
  /** A step whose writes go through `tx`: it commits with the record that it ran. */
  step<Name extends string, Output>(
    name: Name,
    definition: {
      run(args: StepArgs<Input, Results, Tx>): Promise<Output>;
      compensate?(args: StepArgs<Input, Results, Tx> & { output: Output }): Promise<void>;
    },
  ): FlowBuilder<Input, Results & { [key in Name]: Output }, Tx>;
  /** A step outside any transaction (a provider call): at least once, so it must be idempotent. */
  external<Name extends string, Output>(
    name: Name,
    definition: {
      run(args: ExternalStepArgs<Input, Results>): Promise<Output>;
      compensate?(args: ExternalStepArgs<Input, Results> & { output: Output }): Promise<void>;
    },
  ): FlowBuilder<Input, Results & { [key in Name]: Output }, Tx>;
  build(): Flow<Input, Results, Tx>;
};

type NoResults = Record<never, never>;

/** Starts a flow's definition; step outputs must be JSON (they are stored to resume from). */
export function defineFlow<Input, Tx = Queryable>(name: string): FlowBuilder<Input, NoResults, Tx> {
  return builder<Input, NoResults, Tx>(name, []);
}

function builder<Input, Results extends Record<string, unknown>, Tx>(
  name: string,
  steps: AnyStep[],
): FlowBuilder<Input, Results, Tx> {
  const add = (step: AnyStep) => {
    if (steps.some((existing) => existing.name === step.name))
      throw new Error(`flow ${name}: two steps named ${step.name}`);
    return builder(name, [...steps, step]) as never;
  };
  return {
    step: (stepName, definition) =>
      add({ name: stepName, transactional: true, ...(definition as object) } as unknown as AnyStep),
    external: (stepName, definition) =>
      add({ name: stepName, transactional: false, ...(definition as object) } as unknown as AnyStep),
    build: () => ({ name, steps }),
  };
}

/** What a store knows of a run; the database row, or a map in the unit tests. */
export type FlowRunState = {
  id: string;
  name: string;
  input: unknown;
  status: FlowStatus;
  steps: FlowStepRecord[];
  compensated: string[];
  error: FlowError | null;
  attempts: number;
};

export type FlowError = { code: string; message: string };

export type FlowStore<Tx> = {
  /** Records a step as done; inside `tx` for a transactional step, so both commit or neither. */
  recordStep(tx: Tx | null, runId: string, record: FlowStepRecord): Promise<void>;
  recordCompensated(tx: Tx | null, runId: string, step: string): Promise<void>;
  /** Marks the step about to run (for operators) and renews the lease. */
  reach(runId: string, step: string): Promise<void>;
  compensating(runId: string, error: FlowError): Promise<void>;
  finish(
    runId: string,
    status: 'completed' | 'compensated' | 'failed',
    error: FlowError | null,
  ): Promise<void>;
  /** Lets go of the run until `retryAt`, when the resume job may claim it again. */
  release(runId: string, retryAt: Date, error: FlowError): Promise<void>;
};

export type Transactor<Tx> = <T>(work: (tx: Tx) => Promise<T>) => Promise<T>;

export type FlowOutcome<Results> =
  | { status: 'completed'; runId: string; results: Results }
  /** Interrupted by a fault that may pass (the database away): a job resumes it. */
  | { status: 'pending'; runId: string; error: unknown }
  /** A step failed and the steps before it were undone. `error` is the step's error. */
  | { status: 'compensated'; runId: string; error: unknown }
  /** A compensation failed for good: the run needs an operator (it is logged and kept). */
  | { status: 'failed'; runId: string; error: unknown };

export type ExecuteOptions<Tx> = {
  store: FlowStore<Tx>;
  transaction: Transactor<Tx>;
  /** Errors that leave the run for a later attempt instead of compensating it. */
  isTransient?: (error: unknown) => boolean;
  /** After this many attempts a transient error counts as a failure. */
  maxAttempts?: number;
  /** How long a released run waits before the resume job may take it. */
  retryDelayMs?: (attempt: number) => number;
  now?: () => Date;
};

const defaultRetryDelay = (attempt: number) => Math.min(60_000 * 2 ** Math.max(0, attempt - 1), 30 * 60_000);

/**
 * Runs (or resumes) a claimed run to its end or to a transient interruption. The caller holds the
 * run's lease; the steps already recorded are skipped with their recorded outputs.
 */
export async function executeRun<Input, Results, Tx>(
  flow: Flow<Input, Results, Tx>,
  run: FlowRunState,
  options: ExecuteOptions<Tx>,
): Promise<FlowOutcome<Results>> {
  const { store } = options;
  const isTransient = options.isTransient ?? isDatabaseUnavailable;
  const maxAttempts = options.maxAttempts ?? 8;
  const retryDelay = options.retryDelayMs ?? defaultRetryDelay;
  const now = options.now ?? (() => new Date());
  const results: Record<string, unknown> = {};
  const done: FlowStepRecord[] = [...run.steps];
  for (const record of done) results[record.name] = record.output;
  const common = (step: AnyStep) => ({
    input: run.input,
    results: { ...results },
    runId: run.id,
    idempotencyKey: `${run.id}:${step.name}`,
  });
  const pause = async (error: unknown): Promise<FlowOutcome<Results>> => {
    await store.release(run.id, new Date(now().getTime() + retryDelay(run.attempts)), flowErrorOf(error));
    return { status: 'pending', runId: run.id, error };
  };
  const mayRetry = (error: unknown) => isTransient(error) && run.attempts < maxAttempts;

  for (const record of done) {
    if (!flow.steps.some((step) => step.name === record.name))
      throw new Error(
        `flow ${flow.name}: run ${run.id} recorded step ${record.name}, which the flow no longer has`,
      );
  }

  let failure: unknown = run.status === 'compensating' ? revive(run.error) : null;
  if (run.status === 'running') {
    const pending = flow.steps.filter((step) => !(step.name in results));
    for (const segment of segmentsOf(pending)) {
      const [first] = segment as [AnyStep, ...AnyStep[]];
      try {
        await store.reach(run.id, first.name);
        if (first.transactional) {
          const recorded = await options.transaction(async (tx) => {
            const outputs: FlowStepRecord[] = [];
            for (const step of segment) {
              const output =
                (await step.run({ ...common(step), results: { ...results, ...outputsOf(outputs) }, tx })) ??
                null;
              const record = { name: step.name, output, at: now().toISOString() };
              await store.recordStep(tx, run.id, record);
              outputs.push(record);
            }
            return outputs;
          });
          for (const record of recorded) {
            done.push(record);
            results[record.name] = record.output;
          }
        } else {
          const output = (await first.run(common(first))) ?? null;
          const record = { name: first.name, output, at: now().toISOString() };
          await store.recordStep(null, run.id, record);
          done.push(record);
          results[first.name] = output;
        }
      } catch (error) {
        if (mayRetry(error)) return pause(error);
        failure = error;
        await store.compensating(run.id, flowErrorOf(error));
        break;
      }
    }
    if (failure === null) {
      await store.finish(run.id, 'completed', null);
      return { status: 'completed', runId: run.id, results: results as Results };
    }
  }

  // Undo what took effect, newest first. A step rolled back with its transaction is not in
  // `done`, so it is not "undone" a second time.
  const compensated = new Set(run.compensated);
  for (const record of [...done].reverse()) {
    const step = flow.steps.find((candidate) => candidate.name === record.name);
    if (!step?.compensate || compensated.has(step.name)) continue;
    const compensate = step.compensate.bind(step);
    try {
      const args = { ...common(step), output: record.output };
      if (step.transactional) {
        await options.transaction(async (tx) => {
          await compensate({ ...args, tx });
          await store.recordCompensated(tx, run.id, step.name);
        });
      } else {
        await compensate(args);
        await store.recordCompensated(null, run.id, step.name);
      }
    } catch (error) {
      if (mayRetry(error)) return pause(error);
      await store.finish(run.id, 'failed', flowErrorOf(error));
      return { status: 'failed', runId: run.id, error };
    }
  }
  await store.finish(run.id, 'compensated', flowErrorOf(failure));
  return { status: 'compensated', runId: run.id, error: failure };
}

/** Consecutive transactional steps form one segment (one transaction); an external step is alone. */
export function segmentsOf<Step extends { transactional: boolean }>(steps: readonly Step[]): Step[][] {
  const segments: Step[][] = [];
  for (const step of steps) {
    const last = segments.at(-1);
    if (step.transactional && last?.[0]?.transactional) last.push(step);
    else segments.push([step]);
  }
  return segments;
}

function outputsOf(records: FlowStepRecord[]): Record<string, unknown> {
  return Object.fromEntries(records.map((record) => [record.name, record.output]));
}

export function flowErrorOf(error: unknown): FlowError {
  const code = (error as { code?: unknown } | null)?.code;
  return {
    code:
      typeof code === 'string'
        ? code
        : isDatabaseUnavailable(error)
          ? 'database_unavailable'
          : 'internal_error',
    message: error instanceof Error ? error.message : String(error),
  };
}

/** A compensation resumed in another process reports the stored error of the step that failed. */
function revive(error: FlowError | null): Error {
  return Object.assign(new Error(error?.message ?? 'flow step failed'), {
    code: error?.code ?? 'internal_error',
  });
}
