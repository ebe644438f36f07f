import type { FieldError } from '@souk/contracts';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { users } from '../auth/auth.schema.js';

export type ImportStatus = 'receiving' | 'queued' | 'running' | 'completed' | 'failed';
export type ImportFormat = 'csv' | 'jsonl';
export type ImportPreviewRow = {
  row: number;
  externalId: string | null;
  title: string | null;
  action: 'create' | 'update' | 'unchanged' | 'failed';
  errors: FieldError[];
};

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/** One import of a listings file for one seller, with its progress counters. */
export const imports = pgTable(
  'imports',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Who started it: the seller, an admin, or null for the command line. */
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    status: text('status').$type<ImportStatus>().notNull(),
    format: text('format').$type<ImportFormat>().notNull(),
    fileName: text('file_name').notNull(),
    hasArchive: boolean('has_archive').notNull().default(false),
    dryRun: boolean('dry_run').notNull().default(false),
    withdrawMissing: boolean('withdraw_missing').notNull().default(false),
    /** Size of the listings file and how much of it has been read: the progress fraction. */
    bytesTotal: bigint('bytes_total', { mode: 'number' }).notNull().default(0),
    bytesDone: bigint('bytes_done', { mode: 'number' }).notNull().default(0),
    rowsDone: integer('rows_done').notNull().default(0),
    created: integer('created').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    unchanged: integer('unchanged').notNull().default(0),
    failed: integer('failed').notNull().default(0),
    withdrawn: integer('withdrawn').notNull().default(0),
    /**
     * The checkpoint: the last line of the file whose rows, counters and failures are committed.
     * A run resumed on another worker (the first was killed) starts after it.
     */
    resumeAfterLine: integer('resume_after_line').notNull().default(0),
    /** The first rows with what would happen to them (a dry run's preview). */
    preview: jsonb('preview').$type<ImportPreviewRow[]>().notNull().default([]),
    /** Why the whole import stopped (an unreadable file); row failures are in import_failures. */
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (table) => [
    index('imports_seller_idx').on(table.sellerId, table.createdAt),
    check(
      'imports_status',
      sql`${table.status} in ('receiving', 'queued', 'running', 'completed', 'failed')`,
    ),
    check('imports_format', sql`${table.format} in ('csv', 'jsonl')`),
  ],
);

/** The report: each failed row with the reason per field. */
export const importFailures = pgTable(
  'import_failures',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    row: integer('row').notNull(),
    externalId: text('external_id'),
    errors: jsonb('errors').$type<FieldError[]>().notNull(),
  },
  (table) => [primaryKey({ columns: [table.importId, table.row] })],
);

/**
 * The uploaded files, in chunks, until the job has read them: any worker process can run the
 * import (the object store has no read side, and a worker may be on another machine).
 */
export const importFiles = pgTable(
  'import_files',
  {
    importId: uuid('import_id')
      .notNull()
      .references(() => imports.id, { onDelete: 'cascade' }),
    part: text('part').$type<'file' | 'archive'>().notNull(),
    seq: integer('seq').notNull(),
    data: bytea('data').notNull(),
  },
  (table) => [primaryKey({ columns: [table.importId, table.part, table.seq] })],
);

export type ImportRow = typeof imports.$inferSelect;
export type NewImportRow = typeof imports.$inferInsert;
export type ImportFailureRow = typeof importFailures.$inferSelect;
