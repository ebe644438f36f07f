import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';

export type FlowStatus = 'running' | 'compensating' | 'completed' | 'compensated' | 'failed';

/** A step that finished, with its output: the (run, step) pair is what makes a step run once. */
export type FlowStepRecord = { name: string; output: unknown; at: string };

/**
 * One run of a multi-step flow (platform/flows): what it was asked, how far it got, and who holds
 * it. A run whose lease lapsed while it was running or compensating is resumed by a job.
 */
export const flowRuns = pgTable(
  'flow_runs',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    name: text('name').notNull(),
    /** Optional business key: starting the same (name, key) twice joins the first run. */
    key: text('key'),
    input: jsonb('input').notNull(),
    status: text('status').$type<FlowStatus>().notNull().default('running'),
    /** The steps done, in order, with their outputs. */
    steps: jsonb('steps').$type<FlowStepRecord[]>().notNull().default([]),
    /** The steps whose compensation has run, so a resumed compensation skips them. */
    compensated: jsonb('compensated').$type<string[]>().notNull().default([]),
    /** The step being run or last reached; shown to operators. */
    stepReached: text('step_reached'),
    error: jsonb('error').$type<{ code: string; message: string } | null>(),
    attempts: integer('attempts').notNull().default(0),
    /** Held by the process running it until then; a lapsed lease is free for the resume job. */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('flow_runs_name_key_idx').on(table.name, table.key).where(sql`${table.key} is not null`),
    index('flow_runs_unfinished_idx')
      .on(table.lockedUntil)
      .where(sql`${table.status} in ('running', 'compensating')`),
  ],
);
