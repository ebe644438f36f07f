import type {
  FieldError,
  Notification,
  NotificationPage,
  NotificationPreferences,
  PreferenceMatrix,
  PushSubscriptionBody,
  UnsubscribeResult,
  UpdateNotificationPreferencesBody,
} from '@souk/contracts';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/http/context.js';
import { platformError } from '../../platform/http/errors.js';
import { type Jobs, LEASE_SECONDS } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { notificationMail } from '../../platform/mail/templates.js';
import { notificationError } from './notifications.errors.js';
import { isAllowedPushEndpoint, type PushSender, type VapidKeys } from './notifications.push.js';
import type { NotificationsRepository } from './notifications.repository.js';
import type { DeliveryRow, NotificationRow } from './notifications.schema.js';
import type { SmsProvider } from './notifications.sms.js';
import type { UnsubscribeTokens } from './notifications.tokens.js';
import {
  type Channel,
  channelsFor,
  effectiveMatrix,
  NOTIFICATION_TYPES,
  type NotificationType,
  TYPE_NAMES,
} from './notifications.types.js';

export const DELIVER_QUEUE = 'notifications.deliver';
export const DIGEST_QUEUE = 'notifications.digest';
export const SWEEP_QUEUE = 'notifications.sweep';
export const DELIVERY_RETRY_LIMIT = 6;

export type NotifyInput = {
  userId: string;
  type: NotificationType;
  title: string;
  body: string;
  /** A path inside the app (`/listings/…`); mails and pushes link to PUBLIC_URL + url. */
  url?: string | undefined;
  data?: Record<string, unknown> | undefined;
  /** Per user: a second notify with the same key adds nothing (retried event handlers). */
  dedupeKey: string;
  /** Narrows the channels the preferences allow (e.g. the digest is e-mail only). */
  onlyChannels?: readonly Channel[] | undefined;
  /**
   * Mail this one now even if its type is chatty (batched into the digest by default). For a
   * notification the user asked to get at once, such as a saved search with an instant alert;
   * the preferences still decide whether e-mail is sent at all.
   */
  emailNow?: boolean | undefined;
};

/** What notifications need to know about a recipient, from the auth and users modules. */
export type Recipient = {
  email: string | null;
  emailVerified: boolean;
  displayName: string;
  phone: string | null;
  active: boolean;
};

/** The realtime hub's side notifications use (platform.realtime). */
export type RealtimePort = {
  publish(channel: string, type: string, data: unknown): Promise<unknown>;
  isSubscribed(userId: string, channel: string): Promise<boolean>;
};

export type NotificationsDeps = {
  database: Database;
  jobs: Pick<Jobs, 'send'>;
  repository: NotificationsRepository;
  realtime: RealtimePort;
  mailer: Pick<Mailer, 'send'>;
  sms: SmsProvider;
  push: PushSender;
  vapidKeys: () => Promise<VapidKeys>;
  recipients: (userId: string) => Promise<Recipient | null>;
  tokens: UnsubscribeTokens;
  logger: Logger;
  config: {
    publicUrl: string;
    /** Loopback http push endpoints are accepted outside production (tests run a fake push service). */
    allowLoopbackPush: boolean;
    /**
     * A `sending` claim older than this belongs to an attempt that died (docs/decisions/009): by
     * default the job lease, after which the dead worker's job is run again (decision 023).
     */
    staleClaimSeconds?: number;
  };
  /** Test seam: runs after a send was recorded and before the job completes. */
  hooks?: { afterRecorded?: (delivery: DeliveryRow) => Promise<void> };
};

type MessageSent = {
  messageId: string;
  conversationId: string;
  listingId: string;
  senderId: string;
  recipientId: string;
  preview: string;
};

const MAX_PAGE = 100;
const DIGEST_MAX_ITEMS = 50;
/** After a "new message" mail, more messages of that conversation mail again only once it was read or this passed. */
const MESSAGE_MAIL_QUIET_MS = 30 * 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function toNotification(row: NotificationRow): Notification {
  return {
    id: row.id,
    type: row.type as NotificationType,
    title: row.title,
    body: row.body,
    url: row.url,
    data: row.data,
    readAt: row.readAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

function kindsInfo(): NotificationPreferences['kinds'] {
  return TYPE_NAMES.map((type) => {
    const info = NOTIFICATION_TYPES[type];
    return {
      type,
      label: info.label,
      description: info.description,
      channels: [...info.channels],
      defaults: Object.fromEntries(
        info.channels.map((channel) => [channel, info.defaults.includes(channel)]),
      ),
      chatty: info.chatty,
    };
  });
}

function encodeCursor(id: string): string {
  return Buffer.from(id).toString('base64url');
}
function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!UUID.test(id)) throw notificationError('invalid_cursor', 'Use the nextCursor of a previous page.');
  return id;
}

function actorOf(ctx: RequestContext): string {
  if (!ctx.actor) throw platformError('unauthenticated', 'This endpoint needs a signed-in user.');
  return ctx.actor.userId;
}

/** Single-line, bounded text for titles and bodies that came from users (message previews). */
function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function createNotificationsService(deps: NotificationsDeps) {
  const { database, repository, config, logger } = deps;
  const log = logger.child({ component: 'notifications' });
  const staleClaimMs = (config.staleClaimSeconds ?? LEASE_SECONDS) * 1000;
  const absolute = (path: string | null) => (path ? new URL(path, config.publicUrl).toString() : null);

  async function storedPreferences(db: Queryable, userId: string) {
    const row = await repository.findPreferences(db, userId);
    return { matrix: (row?.matrix ?? {}) as PreferenceMatrix, digest: row?.digest ?? ('daily' as const) };
  }

  /** The user's other tabs and devices update their bell: `notification.read` with the new count. */
  async function publishUnread(userId: string): Promise<void> {
    const unread = await repository.unreadCount(database.db, userId);
    await deps.realtime
      .publish(`user:${userId}`, 'notification.read', { unread })
      .catch((error: unknown) => log.warn({ err: error }, 'could not publish the unread count'));
  }

  async function notify(tx: Queryable, input: NotifyInput): Promise<Notification | null> {
    const info = NOTIFICATION_TYPES[input.type];
    if (!info) throw new Error(`notify: unknown type ${input.type}`);
    if (input.url !== undefined && !input.url.startsWith('/'))
      throw new Error('notify: url must be an app path');
    const { matrix } = await storedPreferences(tx, input.userId);
    let channels = channelsFor(input.type, matrix);
    if (input.onlyChannels) channels = channels.filter((channel) => input.onlyChannels?.includes(channel));
    const row = await repository.insertNotification(tx, {
      userId: input.userId,
      type: input.type,
      title: oneLine(input.title, 200),
      body: input.body.slice(0, 2000),
      url: input.url ?? null,
      data: input.data ?? {},
      dedupeKey: input.dedupeKey,
      inApp: channels.includes('in_app'),
    });
    if (!row) return null;
    const digestOn = channelsFor('digest', matrix).includes('email');
    const deliveries = await repository.insertDeliveries(
      tx,
      channels.map((channel) => ({
        notificationId: row.id,
        userId: input.userId,
        channel,
        status:
          channel === 'email' && info.chatty && !input.emailNow
            ? digestOn
              ? ('digest' as const)
              : ('skipped' as const)
            : 'pending',
      })),
    );
    for (const delivery of deliveries) {
      if (delivery.status === 'pending')
        await deps.jobs.send(DELIVER_QUEUE, { deliveryId: delivery.id }, { tx });
    }
    return toNotification(row);
  }

  function unsubscribeLinks(userId: string, type: NotificationType) {
    const token = deps.tokens.issue({ userId, type, channel: 'email' });
    const query = `token=${encodeURIComponent(token)}`;
    return {
      page: new URL(`/unsubscribe?${query}`, config.publicUrl).toString(),
      oneClick: new URL(`/api/v1/notifications/unsubscribe?${query}`, config.publicUrl).toString(),
    };
  }

  /** Sends one delivery on its channel. Resolves with what happened; rejects when the provider refused. */
  async function send(
    delivery: DeliveryRow,
    notification: NotificationRow,
  ): Promise<{ status: 'sent' | 'skipped'; detail: string | null }> {
    const type = notification.type as NotificationType;
    const info = NOTIFICATION_TYPES[type];
    if (delivery.channel === 'in_app') {
      const unread = await repository.unreadCount(database.db, delivery.userId);
      await deps.realtime.publish(`user:${delivery.userId}`, 'notification.created', {
        notification: toNotification(notification),
        unread,
      });
      return { status: 'sent', detail: null };
    }
    const recipient = await deps.recipients(delivery.userId);
    if (!recipient?.active) return { status: 'skipped', detail: 'no active account' };

    if (delivery.channel === 'email') {
      if (!recipient.email) return { status: 'skipped', detail: 'no e-mail address' };
      if (info.needsVerifiedEmail && !recipient.emailVerified)
        return { status: 'skipped', detail: 'e-mail not verified' };
      const links = unsubscribeLinks(delivery.userId, type);
      const items =
        type === 'digest'
          ? ((notification.data.items ?? []) as { title: string; body: string; url: string | null }[])
          : [];
      const link = absolute(notification.url);
      const mail = notificationMail({
        displayName: recipient.displayName,
        subject: info.subject ?? notification.title,
        heading: notification.title,
        lines: [notification.body],
        items: items.map((item) => ({ title: item.title, body: item.body, link: absolute(item.url) })),
        ...(link ? { action: { label: info.action, link } } : {}),
        unsubscribe: { label: info.label.toLowerCase(), link: links.page },
      });
      await deps.mailer.send({
        to: recipient.email,
        ...mail,
        headers: {
          'List-Unsubscribe': `<${links.oneClick}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
        // The same id on every attempt: a resend after a crash is recognisably the same mail.
        messageId: `<${delivery.id}@${new URL(config.publicUrl).hostname}>`,
      });
      return { status: 'sent', detail: null };
    }

    if (delivery.channel === 'push') {
      const subscriptions = await repository.pushSubscriptionsOf(database.db, delivery.userId);
      if (subscriptions.length === 0) return { status: 'skipped', detail: 'no push subscription' };
      const payload = JSON.stringify({
        id: notification.id,
        title: notification.title,
        body: oneLine(notification.body, 300),
        url: notification.url ?? '/notifications',
      });
      let sent = 0;
      let failure: unknown = null;
      for (const subscription of subscriptions) {
        try {
          const outcome = await deps.push(subscription, payload, {
            ttlSeconds: 86_400,
            // The push service replaces an undelivered message with the same topic: no double on retry.
            topic: notification.id.replaceAll('-', ''),
          });
          if (outcome === 'gone') await repository.deletePushSubscriptionById(database.db, subscription.id);
          else sent += 1;
        } catch (error) {
          failure = error;
        }
      }
      if (sent === 0 && failure) throw failure;
      return sent > 0
        ? { status: 'sent', detail: null }
        : { status: 'skipped', detail: 'every subscription was gone' };
    }

    if (!recipient.phone) return { status: 'skipped', detail: 'no phone number' };
    const link = absolute(notification.url);
    await deps.sms.send({
      to: recipient.phone,
      text: oneLine(`${notification.title}: ${notification.body}${link ? ` ${link}` : ''}`, 320),
      reference: delivery.id,
    });
    return { status: 'sent', detail: null };
  }

  return {
    notify,

    /**
     * The `notifications.deliver` job: claim (pending → sending, committed), send, record
     * (sending → sent, committed) before the job completes. A retry of a sent delivery finds
     * nothing to claim and sends nothing.
     */
    async deliver(deliveryId: string, job: { retryCount: number }): Promise<void> {
      const claimed = await repository.claim(database.db, deliveryId, new Date(Date.now() - staleClaimMs));
      if (!claimed) {
        const current = await repository.findDelivery(database.db, deliveryId);
        // Another attempt holds a fresh claim: fail this one, so it is retried after that one ends.
        if (current?.status === 'sending')
          throw new Error(`delivery ${deliveryId} is being sent by another attempt`);
        return;
      }
      const notification = await repository.findNotification(database.db, claimed.notificationId);
      if (!notification) return;
      let outcome: { status: 'sent' | 'skipped'; detail: string | null };
      try {
        outcome = await send(claimed, notification);
      } catch (error) {
        // The provider refused or could not be reached: nothing was sent, the next attempt sends.
        const last = job.retryCount >= DELIVERY_RETRY_LIMIT;
        await repository.finish(
          database.db,
          deliveryId,
          last ? 'failed' : 'pending',
          String((error as Error).message).slice(0, 500),
        );
        throw error;
      }
      await repository.finish(database.db, deliveryId, outcome.status, outcome.detail);
      await deps.hooks?.afterRecorded?.(claimed);
    },

    /**
     * The sweep cron: a delivery whose worker died mid-send (the process was killed) stays
     * `sending`, and pg-boss only retries that job once it expires. This gives each such
     * delivery a fresh job; its claim of the stale row then sends it once.
     */
    async requeueStale(): Promise<number> {
      const ids = await repository.staleClaims(database.db, new Date(Date.now() - staleClaimMs), 500);
      for (const id of ids) {
        await deps.jobs.send(DELIVER_QUEUE, { deliveryId: id }, { singletonKey: `sweep:${id}` });
      }
      if (ids.length > 0)
        log.warn({ count: ids.length }, 'deliveries left mid-send by a dead worker were requeued');
      return ids.length;
    },

    /**
     * The digest cron: each user's waiting chatty e-mails become one digest notification (e-mail
     * only), in one transaction with marking them digested. Weekly users get theirs on Mondays.
     */
    async sendDigests(now = new Date()): Promise<number> {
      const userIds = await repository.usersWithDigestItems(database.db);
      const rhythms = await repository.digestRhythms(database.db, userIds);
      let sent = 0;
      for (const userId of userIds) {
        if ((rhythms.get(userId) ?? 'daily') === 'weekly' && now.getUTCDay() !== 1) continue;
        const digest = await database.transaction(async (tx) => {
          const rows = await repository.takeDigestItems(tx, userId, DIGEST_MAX_ITEMS);
          const first = rows[0];
          if (!first) return null;
          const items = rows.map(({ notification }) => ({
            title: notification.title,
            body: oneLine(notification.body, 300),
            url: notification.url,
          }));
          const created = await notify(tx, {
            userId,
            type: 'digest',
            title: `Your Souk digest: ${rows.length} update${rows.length === 1 ? '' : 's'}`,
            body: 'Here is what happened since your last digest.',
            url: '/notifications',
            data: { items },
            dedupeKey: `digest:${first.delivery.id}`,
            onlyChannels: ['email'],
          });
          await repository.markDigested(
            tx,
            rows.map((row) => row.delivery.id),
            created?.id ?? first.delivery.id,
          );
          return created;
        });
        if (digest) sent += 1;
      }
      return sent;
    },

    async list(
      ctx: RequestContext,
      query: { limit: number; cursor?: string | undefined; unread?: boolean | undefined },
    ): Promise<NotificationPage> {
      const userId = actorOf(ctx);
      const size = Math.min(Math.max(Math.trunc(query.limit), 1), MAX_PAGE);
      const rows = await repository.listForUser(database.db, userId, {
        limit: size + 1,
        before: decodeCursor(query.cursor),
        unreadOnly: query.unread === true,
      });
      const page = rows.slice(0, size);
      const last = page.at(-1);
      return {
        items: page.map(toNotification),
        nextCursor: rows.length > size && last ? encodeCursor(last.id) : null,
      };
    },

    async unreadCount(ctx: RequestContext): Promise<{ count: number }> {
      return { count: await repository.unreadCount(database.db, actorOf(ctx)) };
    },

    /** Someone else's notification is a 404, the same as one that does not exist. */
    async markRead(ctx: RequestContext, id: string): Promise<Notification> {
      const userId = actorOf(ctx);
      const row = await repository.markRead(database.db, userId, id);
      if (!row) throw notificationError('notification_not_found');
      await publishUnread(userId);
      return toNotification(row);
    },

    async markAllRead(ctx: RequestContext): Promise<{ marked: number }> {
      const userId = actorOf(ctx);
      const marked = await repository.markAllRead(database.db, userId);
      if (marked > 0) await publishUnread(userId);
      return { marked };
    },

    async getPreferences(ctx: RequestContext): Promise<NotificationPreferences> {
      const stored = await storedPreferences(database.db, actorOf(ctx));
      return { matrix: effectiveMatrix(stored.matrix), digest: stored.digest, kinds: kindsInfo() };
    },

    async updatePreferences(
      ctx: RequestContext,
      input: UpdateNotificationPreferencesBody,
    ): Promise<NotificationPreferences> {
      const userId = actorOf(ctx);
      const errors: FieldError[] = [];
      for (const [type, row] of Object.entries(input.matrix ?? {})) {
        const supported = NOTIFICATION_TYPES[type as NotificationType].channels;
        for (const channel of Object.keys(row ?? {})) {
          if (!supported.includes(channel as Channel)) {
            errors.push({
              path: `body.matrix.${type}.${channel}`,
              message: `${type} does not go by ${channel}`,
            });
          }
        }
      }
      if (errors.length > 0)
        throw notificationError('invalid_preferences', 'Some channels do not exist for their type.', errors);
      await database.transaction(async (tx) => {
        const stored = await storedPreferences(tx, userId);
        const matrix: Record<string, Record<string, boolean>> = {
          ...(stored.matrix as Record<string, Record<string, boolean>>),
        };
        for (const [type, row] of Object.entries(input.matrix ?? {}))
          matrix[type] = { ...matrix[type], ...row };
        await repository.savePreferences(tx, userId, { matrix, digest: input.digest ?? stored.digest });
      });
      const stored = await storedPreferences(database.db, userId);
      return { matrix: effectiveMatrix(stored.matrix), digest: stored.digest, kinds: kindsInfo() };
    },

    /** One click from a mail, no sign-in: the token names the user, the type and the channel. */
    async unsubscribe(token: string): Promise<UnsubscribeResult> {
      const claim = deps.tokens.verify(token);
      if (!claim)
        throw notificationError(
          'invalid_unsubscribe_token',
          'Open the newest mail and use its link, or sign in and change your preferences.',
        );
      await database.transaction(async (tx) => {
        const stored = await storedPreferences(tx, claim.userId);
        const matrix = { ...(stored.matrix as Record<string, Record<string, boolean>>) };
        matrix[claim.type] = { ...matrix[claim.type], [claim.channel]: false };
        await repository.savePreferences(tx, claim.userId, { matrix, digest: stored.digest });
      });
      return { type: claim.type, channel: claim.channel, label: NOTIFICATION_TYPES[claim.type].label };
    },

    async pushPublicKey(): Promise<{ publicKey: string }> {
      return { publicKey: (await deps.vapidKeys()).publicKey };
    },

    async subscribePush(ctx: RequestContext, body: PushSubscriptionBody, userAgent: string | null) {
      const userId = actorOf(ctx);
      if (!isAllowedPushEndpoint(body.endpoint, config.allowLoopbackPush)) {
        throw notificationError(
          'push_endpoint_not_allowed',
          'Subscribe with the browser’s own push service.',
        );
      }
      const row = await repository.upsertPushSubscription(database.db, {
        userId,
        endpoint: body.endpoint,
        p256dh: body.keys.p256dh,
        auth: body.keys.auth,
        userAgent: userAgent?.slice(0, 300) ?? null,
      });
      return { id: row.id, createdAt: row.createdAt.toISOString() };
    },

    async unsubscribePush(ctx: RequestContext, endpoint: string): Promise<void> {
      if (!(await repository.deletePushSubscription(database.db, actorOf(ctx), endpoint))) {
        throw notificationError('push_subscription_not_found');
      }
    },

    /** `auth.user_registered` → welcome. */
    async onUserRegistered(payload: { userId: string }): Promise<void> {
      await database.transaction((tx) =>
        notify(tx, {
          userId: payload.userId,
          type: 'welcome',
          title: 'Welcome to Souk',
          body: 'Buy, sell and chat with people near you. Add a photo and a few words about yourself so buyers know who they deal with.',
          url: '/account',
          dedupeKey: 'welcome',
        }),
      );
    },

    /**
     * `messaging.message_sent` → "new message", unless the recipient has the conversation open
     * right now (a socket subscribed to it): then they have seen it, and nothing is recorded at
     * all, not even in the bell (docs/decisions/009).
     */
    async onMessageSent(payload: MessageSent): Promise<void> {
      const online = await deps.realtime.isSubscribed(
        payload.recipientId,
        `conversation:${payload.conversationId}`,
      );
      if (online) {
        log.debug({ messageId: payload.messageId }, 'recipient is in the conversation: no notification');
        return;
      }
      const sender = await deps.recipients(payload.senderId);
      const name = sender?.displayName.trim() || 'Someone';
      await database.transaction(async (tx) => {
        // A burst of messages mails (and texts) once: while an earlier one of this conversation
        // is unread and recent, later ones only reach the bell and the devices.
        const burst = await repository.hasRecentUnread(tx, {
          userId: payload.recipientId,
          type: 'message_received',
          key: 'conversationId',
          value: payload.conversationId,
          since: new Date(Date.now() - MESSAGE_MAIL_QUIET_MS),
        });
        await notify(tx, {
          userId: payload.recipientId,
          type: 'message_received',
          title: `New message from ${oneLine(name, 60)}`,
          body: oneLine(payload.preview, 300),
          url: `/messages/${payload.conversationId}`,
          data: {
            conversationId: payload.conversationId,
            messageId: payload.messageId,
            listingId: payload.listingId,
            senderId: payload.senderId,
          },
          dedupeKey: `message:${payload.messageId}`,
          onlyChannels: burst ? ['in_app', 'push'] : undefined,
        });
      });
    },
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
