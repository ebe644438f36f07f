import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * The audit log (decision 039): one row per sensitive action, written in the transaction of the
 * change it records. Append-only: triggers (migration "audit") refuse UPDATE, DELETE and
 * TRUNCATE, and set `hash`, the sha256 of the row's content, so an export can be checked.
 * No foreign keys: an entry outlives the member or thing it names (a deleted account keeps its
 * history, and a cascade would be refused by the trigger anyway).
 */
export const auditEntries = pgTable(
  'audit_entries',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    id: uuid('id').notNull(),
    action: text('action').notNull(),
    actorId: uuid('actor_id'),
    actorRole: text('actor_role').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id').notNull(),
    before: jsonb('before'),
    after: jsonb('after'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Set by the insert trigger; never by the application. */
    hash: text('hash').notNull().default(sql`''`),
  },
  (table) => [
    uniqueIndex('audit_entries_id_idx').on(table.id),
    index('audit_entries_action_idx').on(table.action, table.seq),
    index('audit_entries_actor_idx').on(table.actorId, table.seq),
    index('audit_entries_target_idx').on(table.targetType, table.targetId, table.seq),
    index('audit_entries_created_idx').on(table.createdAt),
  ],
);

export type AuditEntryRow = typeof auditEntries.$inferSelect;
