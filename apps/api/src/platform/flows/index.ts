import type { Database, Queryable } from '../db/database.js';
import type { Jobs } from '../jobs.js';
import type { Logger } from '../logger.js';
import { type AnyFlow, type ExecuteOptions, executeRun, type Flow, type FlowOutcome } from './flow.js';
import { createFlowsRepository } from './flows.repository.js';

export type { AnyFlow, ExternalStepArgs, Flow, FlowOutcome, StepArgs } from './flow.js';
export { defineFlow } from './flow.js';
export { flowRuns } from './flows.schema.js';

export const RESUME_FLOW_QUEUE = 'flows.resume';
export const SWEEP_FLOWS_QUEUE = 'flows.sweep';

/** Long enough for a slow provider call; a crashed run is resumed this long after its last step. */
const LEASE_MS = 5 * 60_000;
const SWEEP_BATCH = 100;

export type FlowRunner = {
  /**
   * Runs a flow now, in the caller's process, and records its progress; with `key`, a second
   * start of the same (flow, key) joins the first run instead of running again.
   */
  start<Input, Results>(
    flow: Flow<Input, Results>,
    input: Input,
    options?: { key?: string },
  ): Promise<FlowOutcome<Results>>;
  /** Takes an unfinished run whose lease lapsed and carries it on (the resume job's work). */
  resume(runId: string): Promise<FlowOutcome<unknown> | null>;
  /** Sends a resume job for every unfinished run nobody holds (the sweep job's work). */
  sweep(): Promise<number>;
};

/**
 * Every flow the process may resume must be passed here: a stored run names its flow, and a
 * run of an unknown flow is left alone (logged) rather than guessed at.
 */
export function createFlowRunner(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  jobs: Pick<Jobs, 'send'>;
  logger: Logger;
  flows: readonly AnyFlow[];
  leaseMs?: number;
  execute?: Partial<Pick<ExecuteOptions<Queryable>, 'isTransient' | 'maxAttempts' | 'retryDelayMs'>>;
}): FlowRunner {
  const repository = createFlowsRepository(deps.database.db, deps.leaseMs ?? LEASE_MS);
  const flows = new Map<string, Flow<unknown, unknown>>();
  for (const flow of deps.flows) {
    if (flows.has(flow.name)) throw new Error(`two flows named ${flow.name}`);
    flows.set(flow.name, flow as Flow<unknown, unknown>);
  }
  const options: ExecuteOptions<Queryable> = {
    store: repository.store,
    transaction: (work) => deps.database.transaction(work),
    ...deps.execute,
  };
  const log = (outcome: FlowOutcome<unknown>, name: string) => {
    if (outcome.status === 'failed')
      deps.logger.error(
        { err: outcome.error, runId: outcome.runId, flow: name },
        'flow: a compensation failed',
      );
    return outcome;
  };

  return {
    async start(flow, input, startOptions) {
      if (!flows.has(flow.name)) throw new Error(`flow ${flow.name} is not registered with the runner`);
      const { run, created } = await repository.create({
        name: flow.name,
        key: startOptions?.key ?? null,
        input,
      });
      if (!created) {
        if (run.status === 'completed') {
          const results = Object.fromEntries(run.steps.map((step) => [step.name, step.output]));
          return { status: 'completed', runId: run.id, results: results as never };
        }
        if (run.finished)
          return { status: run.status as 'compensated' | 'failed', runId: run.id, error: run.error };
        const claimed = await repository.claim(run.id);
        if (!claimed) return { status: 'pending', runId: run.id, error: null };
        return log(await executeRun(flow, claimed, options), flow.name) as FlowOutcome<never>;
      }
      return log(await executeRun(flow, run, options), flow.name) as FlowOutcome<never>;
    },
    async resume(runId) {
      const found = await repository.find(runId);
      if (!found) return null;
      const flow = flows.get(found.name);
      if (!flow) {
        deps.logger.error(
          { runId, flow: found.name },
          'flow: a stored run names a flow this process does not know',
        );
        return null;
      }
      const run = await repository.claim(runId);
      if (!run) return null;
      return log(await executeRun(flow, run, options), flow.name);
    },
    async sweep() {
      const runs = await repository.resumable(SWEEP_BATCH);
      for (const run of runs)
        await deps.jobs.send(RESUME_FLOW_QUEUE, { runId: run.id }, { singletonKey: run.id });
      return runs.length;
    },
  };
}

/** The resume job and the minute sweep that feeds it; call before `jobs.start`. */
export function defineFlowJobs(deps: { jobs: Pick<Jobs, 'define' | 'schedule'>; runner: FlowRunner }): void {
  deps.jobs.define<{ runId: string }>(RESUME_FLOW_QUEUE, async (data) => {
    await deps.runner.resume(data.runId);
  });
  deps.jobs.define(SWEEP_FLOWS_QUEUE, async () => {
    await deps.runner.sweep();
  });
  deps.jobs.schedule(SWEEP_FLOWS_QUEUE, '* * * * *');
}
