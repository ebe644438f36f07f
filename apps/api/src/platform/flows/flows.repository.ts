import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Queryable } from '../db/database.js';
import type { FlowError, FlowRunState, FlowStore } from './flow.js';
import { type FlowStepRecord, flowRuns } from './flows.schema.js';

const UNFINISHED = ['running', 'compensating'] as const;

export type FlowsRepository = ReturnType<typeof createFlowsRepository>;

/** `db` is the main handle; step records inside a transaction are written on `tx` instead. */
export function createFlowsRepository(db: Queryable, leaseMs: number) {
  const lease = () => sql`now() + ${`${leaseMs} milliseconds`}::interval`;
  const stateOf = (row: typeof flowRuns.$inferSelect): FlowRunState => ({
    id: row.id,
    name: row.name,
    input: row.input,
    status: row.status,
    steps: row.steps,
    compensated: row.compensated,
    error: row.error ?? null,
    attempts: row.attempts,
  });

  const store: FlowStore<Queryable> = {
    async recordStep(tx, runId, record: FlowStepRecord) {
      await (tx ?? db)
        .update(flowRuns)
        .set({
          steps: sql`${flowRuns.steps} || ${JSON.stringify([record])}::jsonb`,
          updatedAt: sql`now()`,
          lockedUntil: lease(),
        })
        .where(eq(flowRuns.id, runId));
    },
    async recordCompensated(tx, runId, step) {
      await (tx ?? db)
        .update(flowRuns)
        .set({
          compensated: sql`${flowRuns.compensated} || ${JSON.stringify([step])}::jsonb`,
          updatedAt: sql`now()`,
          lockedUntil: lease(),
        })
        .where(eq(flowRuns.id, runId));
    },
    async reach(runId, step) {
      await db
        .update(flowRuns)
        .set({ stepReached: step, updatedAt: sql`now()`, lockedUntil: lease() })
        .where(eq(flowRuns.id, runId));
    },
    async compensating(runId, error) {
      await db
        .update(flowRuns)
        .set({ status: 'compensating', error, updatedAt: sql`now()` })
        .where(eq(flowRuns.id, runId));
    },
    async finish(runId, status, error) {
      await db
        .update(flowRuns)
        .set({ status, error, updatedAt: sql`now()`, finishedAt: sql`now()`, lockedUntil: null })
        .where(eq(flowRuns.id, runId));
    },
    async release(runId, retryAt, error) {
      await db
        .update(flowRuns)
        .set({ lockedUntil: retryAt, error, updatedAt: sql`now()` })
        .where(eq(flowRuns.id, runId));
    },
  };

  return {
    store,
    /**
     * Creates a run held by the caller, or, when `(name, key)` has one already, answers that
     * run without creating another (`created: false`).
     */
    async create(run: { name: string; key: string | null; input: unknown }): Promise<{
      run: FlowRunState & { finished: boolean };
      created: boolean;
    }> {
      const [inserted] = await db
        .insert(flowRuns)
        .values({ name: run.name, key: run.key, input: run.input, attempts: 1, lockedUntil: lease() })
        .onConflictDoNothing()
        .returning();
      if (inserted) return { run: { ...stateOf(inserted), finished: false }, created: true };
      const [existing] = await db
        .select()
        .from(flowRuns)
        .where(and(eq(flowRuns.name, run.name), eq(flowRuns.key, run.key ?? '')));
      if (!existing) throw new Error(`flow ${run.name}: a run with key ${run.key} conflicted and is gone`);
      return { run: { ...stateOf(existing), finished: existing.finishedAt !== null }, created: false };
    },
    /** Takes an unfinished run whose lease lapsed (or was never taken), counting the attempt. */
    async claim(runId: string): Promise<FlowRunState | null> {
      const [row] = await db
        .update(flowRuns)
        .set({ lockedUntil: lease(), attempts: sql`${flowRuns.attempts} + 1`, updatedAt: sql`now()` })
        .where(
          and(
            eq(flowRuns.id, runId),
            inArray(flowRuns.status, [...UNFINISHED]),
            or(isNull(flowRuns.lockedUntil), lt(flowRuns.lockedUntil, sql`now()`)),
          ),
        )
        .returning();
      return row ? stateOf(row) : null;
    },
    async find(runId: string) {
      const [row] = await db.select().from(flowRuns).where(eq(flowRuns.id, runId));
      return row ?? null;
    },
    /** Unfinished runs nobody holds: a crashed process's, or released ones whose wait is over. */
    async resumable(limit: number): Promise<{ id: string; name: string }[]> {
      return db
        .select({ id: flowRuns.id, name: flowRuns.name })
        .from(flowRuns)
        .where(
          and(
            inArray(flowRuns.status, [...UNFINISHED]),
            or(isNull(flowRuns.lockedUntil), lt(flowRuns.lockedUntil, sql`now()`)),
          ),
        )
        .orderBy(flowRuns.lockedUntil)
        .limit(limit);
    },
  };
}

export type { FlowError };
