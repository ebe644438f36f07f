import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { users } from '../auth/auth.schema.js';

export type ChannelName = 'in_app' | 'email' | 'push' | 'sms';
/**
 * pending → sending → sent. `digest`: a chatty e-mail waiting for the digest, then `digested`.
 * `skipped`: nothing to send to (no verified address, no device, no phone). `failed`: given up.
 */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'digest' | 'digested' | 'skipped' | 'failed';

/** One notification of one user. `in_app` false: it only travels on other channels (not in the bell). */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    url: text('url'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    dedupeKey: text('dedupe_key').notNull(),
    inApp: boolean('in_app').notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // notify() is idempotent per (user, dedupe key): a retried event handler adds nothing.
    uniqueIndex('notifications_dedupe_idx').on(table.userId, table.dedupeKey),
    index('notifications_user_idx').on(table.userId, table.id.desc()).where(sql`${table.inApp}`),
    index('notifications_unread_idx').on(table.userId).where(sql`${table.inApp} and ${table.readAt} is null`),
  ],
);

/** One row per (notification, channel): the claim that makes a retried job never send twice. */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    notificationId: uuid('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull(),
    channel: text('channel').$type<ChannelName>().notNull(),
    status: text('status').$type<DeliveryStatus>().notNull(),
    attempts: integer('attempts').notNull().default(0),
    claimedAt: timestamp('claimed_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** The digest delivery that carried this chatty e-mail. */
    digestId: uuid('digest_id'),
    detail: text('detail'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('notification_deliveries_channel_idx').on(table.notificationId, table.channel),
    index('notification_deliveries_digest_idx').on(table.userId).where(sql`${table.status} = 'digest'`),
    check('notification_deliveries_channel', sql`${table.channel} in ('in_app', 'email', 'push', 'sms')`),
    check(
      'notification_deliveries_status',
      sql`${table.status} in ('pending', 'sending', 'sent', 'digest', 'digested', 'skipped', 'failed')`,
    ),
  ],
);

/** What a user changed from the defaults: { type: { channel: on } }, and the digest rhythm. */
export const notificationPreferences = pgTable('notification_preferences', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  matrix: jsonb('matrix').$type<Record<string, Record<string, boolean>>>().notNull().default({}),
  digest: text('digest').$type<'daily' | 'weekly'>().notNull().default('daily'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A browser's push subscription; one per device (endpoint), moved to whoever subscribed it last. */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    endpoint: text('endpoint').notNull(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    userAgent: text('user_agent'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('push_subscriptions_endpoint_idx').on(table.endpoint),
    index('push_subscriptions_user_idx').on(table.userId),
  ],
);

export type NotificationRow = typeof notifications.$inferSelect;
export type DeliveryRow = typeof notificationDeliveries.$inferSelect;
export type PushSubscriptionRow = typeof pushSubscriptions.$inferSelect;
