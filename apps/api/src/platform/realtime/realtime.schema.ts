import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Events published on realtime channels, kept for a while so a client that reconnects can be
 * given exactly what it missed. The identity gives every event an id that grows monotonically
 * across all nodes (one sequence), which is the resume cursor. `seq` numbers a channel's events
 * 1, 2, 3… with no hole (realtime_channels, decision 038): a node that receives seq n + 2 after
 * n knows at once that it missed one, and reads it from here.
 */
export const realtimeEvents = pgTable(
  'realtime_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    channel: text('channel').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    type: text('type').notNull(),
    data: jsonb('data').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('realtime_events_channel_idx').on(table.channel, table.id),
    index('realtime_events_created_idx').on(table.createdAt),
  ],
);

/**
 * The last seq given out per channel. Taking the next one locks the channel's row until the
 * event's insert commits, so a channel's events commit in seq (and id) order and none is skipped.
 * Rows outlive the retention of their events: a seq is never given out twice.
 */
export const realtimeChannels = pgTable('realtime_channels', {
  channel: text('channel').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
});
