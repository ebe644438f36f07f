import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Events published on realtime channels, kept for a while so a client that reconnects can be
 * given exactly what it missed. The identity gives every event an id that grows monotonically
 * across all nodes (one sequence), which is the resume cursor.
 */
export const realtimeEvents = pgTable(
  'realtime_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    channel: text('channel').notNull(),
    type: text('type').notNull(),
    data: jsonb('data').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('realtime_events_channel_idx').on(table.channel, table.id),
    index('realtime_events_created_idx').on(table.createdAt),
  ],
);
