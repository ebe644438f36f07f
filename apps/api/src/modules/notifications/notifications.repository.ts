import { and, asc, count, desc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { platformMeta } from '../../platform/db/platform.schema.js';
import {
  type ChannelName,
  type DeliveryRow,
  type DeliveryStatus,
  type NotificationRow,
  notificationDeliveries,
  notificationPreferences,
  notifications,
  type PushSubscriptionRow,
  pushSubscriptions,
} from './notifications.schema.js';

const VAPID_KEY = 'notifications.vapid';

/** The notifications themselves: recorded once per (user, dedupe key), read in the bell. */
function notificationRows() {
  return {
    /** Inserts unless (user, dedupeKey) exists; null when it did. */
    async insertNotification(
      db: Queryable,
      values: typeof notifications.$inferInsert,
    ): Promise<NotificationRow | null> {
      const [row] = await db
        .insert(notifications)
        .values(values)
        .onConflictDoNothing({ target: [notifications.userId, notifications.dedupeKey] })
        .returning();
      return row ?? null;
    },

    async insertDeliveries(
      db: Queryable,
      rows: (typeof notificationDeliveries.$inferInsert)[],
    ): Promise<DeliveryRow[]> {
      if (rows.length === 0) return [];
      return db.insert(notificationDeliveries).values(rows).onConflictDoNothing().returning();
    },

    async findNotification(db: Queryable, id: string): Promise<NotificationRow | null> {
      const [row] = await db.select().from(notifications).where(eq(notifications.id, id));
      return row ?? null;
    },

    async listForUser(
      db: Queryable,
      userId: string,
      options: { limit: number; before?: string | undefined; unreadOnly: boolean },
    ): Promise<NotificationRow[]> {
      return db
        .select()
        .from(notifications)
        .where(
          and(
            eq(notifications.userId, userId),
            eq(notifications.inApp, true),
            options.before ? lt(notifications.id, options.before) : undefined,
            options.unreadOnly ? isNull(notifications.readAt) : undefined,
          ),
        )
        .orderBy(desc(notifications.id))
        .limit(options.limit);
    },

    /** Whether an unread notification of `type` with `data[key] = value` was created after `since`. */
    async hasRecentUnread(
      db: Queryable,
      query: { userId: string; type: string; key: string; value: string; since: Date },
    ): Promise<boolean> {
      const [row] = await db
        .select({ id: notifications.id })
        .from(notifications)
        .where(
          and(
            eq(notifications.userId, query.userId),
            eq(notifications.type, query.type),
            isNull(notifications.readAt),
            sql`${notifications.data}->>${query.key} = ${query.value}`,
            sql`${notifications.createdAt} > ${query.since.toISOString()}`,
          ),
        )
        .limit(1);
      return row !== undefined;
    },

    async unreadCount(db: Queryable, userId: string): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(notifications)
        .where(
          and(eq(notifications.userId, userId), eq(notifications.inApp, true), isNull(notifications.readAt)),
        );
      return Number(row?.n ?? 0);
    },

    async markRead(db: Queryable, userId: string, id: string): Promise<NotificationRow | null> {
      const [row] = await db
        .update(notifications)
        .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
        .where(and(eq(notifications.id, id), eq(notifications.userId, userId), eq(notifications.inApp, true)))
        .returning();
      return row ?? null;
    },

    async markAllRead(db: Queryable, userId: string): Promise<number> {
      const rows = await db
        .update(notifications)
        .set({ readAt: sql`now()` })
        .where(
          and(eq(notifications.userId, userId), eq(notifications.inApp, true), isNull(notifications.readAt)),
        )
        .returning({ id: notifications.id });
      return rows.length;
    },
  };
}

/** One row per (notification, channel): claimed, sent once, or waiting for the digest. */
function deliveryRows() {
  return {
    async findDelivery(db: Queryable, id: string): Promise<DeliveryRow | null> {
      const [row] = await db.select().from(notificationDeliveries).where(eq(notificationDeliveries.id, id));
      return row ?? null;
    },

    /**
     * Takes the delivery for one attempt: pending → sending, or a `sending` whose claim is older
     * than `staleBefore` (its attempt died; see docs/decisions/009). Null: someone else has it or it is done.
     */
    async claim(db: Queryable, id: string, staleBefore: Date): Promise<DeliveryRow | null> {
      const [row] = await db
        .update(notificationDeliveries)
        .set({
          status: 'sending',
          attempts: sql`${notificationDeliveries.attempts} + 1`,
          claimedAt: sql`now()`,
        })
        .where(
          and(
            eq(notificationDeliveries.id, id),
            sql`(${notificationDeliveries.status} = 'pending' or (${notificationDeliveries.status} = 'sending' and ${notificationDeliveries.claimedAt} < ${staleBefore.toISOString()}))`,
          ),
        )
        .returning();
      return row ?? null;
    },

    async finish(
      db: Queryable,
      id: string,
      status: Extract<DeliveryStatus, 'sent' | 'skipped' | 'failed' | 'pending'>,
      detail: string | null = null,
    ): Promise<void> {
      await db
        .update(notificationDeliveries)
        .set({ status, detail, sentAt: status === 'sent' ? sql`now()` : null, claimedAt: null })
        .where(and(eq(notificationDeliveries.id, id), eq(notificationDeliveries.status, 'sending')));
    },

    async setStatus(
      db: Queryable,
      id: string,
      status: DeliveryStatus,
      detail: string | null = null,
    ): Promise<void> {
      await db
        .update(notificationDeliveries)
        .set({ status, detail })
        .where(eq(notificationDeliveries.id, id));
    },

    /** Deliveries left `sending` by attempts that died (their claim is older than `before`). */
    async staleClaims(db: Queryable, before: Date, limit: number): Promise<string[]> {
      const rows = await db
        .select({ id: notificationDeliveries.id })
        .from(notificationDeliveries)
        .where(
          and(eq(notificationDeliveries.status, 'sending'), lt(notificationDeliveries.claimedAt, before)),
        )
        .orderBy(asc(notificationDeliveries.claimedAt))
        .limit(limit);
      return rows.map((row) => row.id);
    },

    async deliveriesOf(db: Queryable, notificationId: string): Promise<DeliveryRow[]> {
      return db
        .select()
        .from(notificationDeliveries)
        .where(eq(notificationDeliveries.notificationId, notificationId))
        .orderBy(asc(notificationDeliveries.channel));
    },

    /** Users with chatty e-mails waiting for the digest. */
    async usersWithDigestItems(db: Queryable): Promise<string[]> {
      const rows = await db
        .selectDistinct({ userId: notificationDeliveries.userId })
        .from(notificationDeliveries)
        .where(eq(notificationDeliveries.status, 'digest'));
      return rows.map((row) => row.userId);
    },

    /** Locks and returns a user's waiting digest items with their notifications, oldest first. */
    async takeDigestItems(db: Queryable, userId: string, limit: number) {
      return db
        .select({ delivery: notificationDeliveries, notification: notifications })
        .from(notificationDeliveries)
        .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
        .where(and(eq(notificationDeliveries.userId, userId), eq(notificationDeliveries.status, 'digest')))
        .orderBy(asc(notificationDeliveries.id))
        .limit(limit)
        .for('update', { of: notificationDeliveries, skipLocked: true });
    },

    async markDigested(db: Queryable, ids: string[], digestId: string): Promise<void> {
      if (ids.length === 0) return;
      await db
        .update(notificationDeliveries)
        .set({ status: 'digested', digestId })
        .where(and(inArray(notificationDeliveries.id, ids), eq(notificationDeliveries.status, 'digest')));
    },
  };
}

/** A member's channel choices and digest rhythm (no row: the registry's defaults). */
function preferenceRows() {
  return {
    async findPreferences(db: Queryable, userId: string) {
      const [row] = await db
        .select()
        .from(notificationPreferences)
        .where(eq(notificationPreferences.userId, userId));
      return row ?? null;
    },

    async savePreferences(
      db: Queryable,
      userId: string,
      values: { matrix: Record<string, Record<string, boolean>>; digest: 'daily' | 'weekly' },
    ): Promise<void> {
      await db
        .insert(notificationPreferences)
        .values({ userId, ...values })
        .onConflictDoUpdate({
          target: notificationPreferences.userId,
          set: { ...values, updatedAt: sql`now()` },
        });
    },

    /** Users who want their digest at this rhythm, out of `userIds`. No row means the default (daily). */
    async digestRhythms(db: Queryable, userIds: string[]): Promise<Map<string, 'daily' | 'weekly'>> {
      if (userIds.length === 0) return new Map();
      const rows = await db
        .select({ userId: notificationPreferences.userId, digest: notificationPreferences.digest })
        .from(notificationPreferences)
        .where(inArray(notificationPreferences.userId, userIds));
      return new Map(rows.map((row) => [row.userId, row.digest]));
    },
  };
}

/** Browsers subscribed to web push, and the server's VAPID keys. */
function pushRows() {
  return {
    /** One row per endpoint: a device subscribed again (or by another account) is taken over. */
    async upsertPushSubscription(
      db: Queryable,
      values: { userId: string; endpoint: string; p256dh: string; auth: string; userAgent: string | null },
    ): Promise<PushSubscriptionRow> {
      const [row] = await db
        .insert(pushSubscriptions)
        .values(values)
        .onConflictDoUpdate({
          target: pushSubscriptions.endpoint,
          set: {
            userId: values.userId,
            p256dh: values.p256dh,
            auth: values.auth,
            userAgent: values.userAgent,
          },
        })
        .returning();
      if (!row) throw new Error('upsert returned no row');
      return row;
    },

    async deletePushSubscription(db: Queryable, userId: string, endpoint: string): Promise<boolean> {
      const rows = await db
        .delete(pushSubscriptions)
        .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint)))
        .returning({ id: pushSubscriptions.id });
      return rows.length > 0;
    },

    async deletePushSubscriptionById(db: Queryable, id: string): Promise<void> {
      await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, id));
    },

    async pushSubscriptionsOf(db: Queryable, userId: string): Promise<PushSubscriptionRow[]> {
      return db.select().from(pushSubscriptions).where(eq(pushSubscriptions.userId, userId));
    },

    // The VAPID keys sign pushes: kept in platform_meta, created once, shared by every node.

    async findVapidKeys(db: Queryable): Promise<{ publicKey: string; privateKey: string } | null> {
      const [row] = await db.select().from(platformMeta).where(eq(platformMeta.key, VAPID_KEY));
      return (row?.value as { publicKey: string; privateKey: string } | undefined) ?? null;
    },

    /** Stores keys unless another node stored some first; either way returns the stored ones. */
    async storeVapidKeys(db: Queryable, keys: { publicKey: string; privateKey: string }) {
      await db.insert(platformMeta).values({ key: VAPID_KEY, value: keys }).onConflictDoNothing();
      const [row] = await db.select().from(platformMeta).where(eq(platformMeta.key, VAPID_KEY));
      return row?.value as { publicKey: string; privateKey: string };
    },

    /**
     * New keys in place of ones no node can open any more, and every subscription dropped: the
     * browsers subscribed with the old public key and must subscribe again.
     */
    async replaceVapidKeys(db: Queryable, keys: { publicKey: string; privateKey: string }) {
      await db.delete(pushSubscriptions);
      await db
        .insert(platformMeta)
        .values({ key: VAPID_KEY, value: keys })
        .onConflictDoUpdate({ target: platformMeta.key, set: { value: keys, updatedAt: sql`now()` } });
      const [row] = await db.select().from(platformMeta).where(eq(platformMeta.key, VAPID_KEY));
      return row?.value as { publicKey: string; privateKey: string };
    },
  };
}

/** The only file that touches the notifications tables. */
export function createNotificationsRepository() {
  return { ...notificationRows(), ...deliveryRows(), ...preferenceRows(), ...pushRows() };
}

export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>;
export type { ChannelName };
