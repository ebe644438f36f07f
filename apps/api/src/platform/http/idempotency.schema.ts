import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The first answer to a request sent with an `Idempotency-Key` (platform/http/idempotency):
 * one row per (actor, key), written `in_progress` before the handler runs, so a concurrent
 * duplicate finds it, and completed with the answer to replay.
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    /** The user id, or `anonymous:<address>` on a route that takes callers without one. */
    scope: text('scope').notNull(),
    key: text('key').notNull(),
    /** sha-256 of method, route, body and actor: the same key with other content is refused. */
    fingerprint: text('fingerprint').notNull(),
    status: text('status').$type<'in_progress' | 'completed'>().notNull().default('in_progress'),
    responseStatus: integer('response_status'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    responseBody: text('response_body'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Until then the first answer is replayed; afterwards the cleanup job deletes the row. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** An in_progress row whose handler died is given up after this (the key becomes usable). */
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.scope, table.key] }),
    index('idempotency_keys_expires_idx').on(table.expiresAt),
  ],
);
