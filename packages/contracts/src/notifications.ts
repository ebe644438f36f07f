import { z } from 'zod';
import { CursorQuery, Id, IsoDateTime, pageOf } from './common.js';

/**
 * The kinds of notification Souk sends. (`NotificationType` in users.ts is the older, coarser
 * grouping of the profile preferences; the notifications module's matrix below supersedes it.)
 */
export const NotificationKind = z.enum([
  'welcome',
  'message_received',
  'followed_listing_published',
  'saved_search_alert',
  'price_drop',
  'listing_expiring',
  'listing_expired',
  'digest',
  'listing_commented',
  'comment_replied',
  'review_received',
  'review_response',
  'favorite_unavailable',
  'payout_updated',
]);
export type NotificationKind = z.infer<typeof NotificationKind>;

/** Where a notification can go: the bell, e-mail, web push on a device, a text message. */
export const DeliveryChannel = z.enum(['in_app', 'email', 'push', 'sms']);
export type DeliveryChannel = z.infer<typeof DeliveryChannel>;

export const Notification = z
  .object({
    id: Id,
    type: NotificationKind,
    title: z.string(),
    body: z.string(),
    url: z.string().nullable().describe('A path inside the app, e.g. /messages/…'),
    data: z.record(z.string(), z.unknown()),
    readAt: IsoDateTime.nullable(),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof Notification>;

export const NotificationPage = pageOf(Notification).meta({ id: 'NotificationPage' });
export type NotificationPage = z.infer<typeof NotificationPage>;

export const NotificationListQuery = CursorQuery.extend({
  unread: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .describe('true: only unread ones'),
});
export type NotificationListQuery = z.input<typeof NotificationListQuery>;

export const NotificationIdParams = z.object({ id: Id });
export const UnreadCount = z.object({ count: z.number().int().min(0) }).meta({ id: 'UnreadCount' });
export type UnreadCount = z.infer<typeof UnreadCount>;
export const MarkAllReadResult = z.object({ marked: z.number().int().min(0) });

/** How one kind of notification may travel, and how it does by default. */
export const NotificationKindInfo = z.object({
  type: NotificationKind,
  label: z.string(),
  description: z.string(),
  /** The channels this kind can use at all; the matrix has a switch for each. */
  channels: z.array(DeliveryChannel),
  defaults: z.partialRecord(DeliveryChannel, z.boolean()),
  /** Chatty kinds are collected into the e-mail digest instead of one e-mail each. */
  chatty: z.boolean(),
});

/** type × channel: true sends, false does not. Every kind and every channel it supports. */
export const PreferenceMatrix = z.partialRecord(
  NotificationKind,
  z.partialRecord(DeliveryChannel, z.boolean()),
);
export type PreferenceMatrix = z.infer<typeof PreferenceMatrix>;

export const DigestFrequency = z.enum(['daily', 'weekly']);

export const NotificationPreferences = z
  .object({
    matrix: PreferenceMatrix,
    digest: DigestFrequency,
    kinds: z.array(NotificationKindInfo).describe('The registry, to draw the matrix from'),
  })
  .meta({ id: 'NotificationPreferences' });
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;

export const UpdateNotificationPreferencesBody = z
  .object({
    matrix: PreferenceMatrix.optional().describe('Merged per kind and channel into what is stored'),
    digest: DigestFrequency.optional(),
  })
  .strict();
export type UpdateNotificationPreferencesBody = z.infer<typeof UpdateNotificationPreferencesBody>;

const UnsubscribeToken = z.string().min(10).max(1000);
/** The web page posts `{ token }`; a mail client's one-click POST (RFC 8058) has it in the query. */
export const UnsubscribeBody = z
  .object({
    token: UnsubscribeToken.optional(),
    'List-Unsubscribe': z.literal('One-Click').optional(),
  })
  .describe('The token of the link in the e-mail (here or in the query); no sign-in needed');
export const UnsubscribeQuery = z.object({ token: UnsubscribeToken.optional() });
export const UnsubscribeResult = z.object({
  type: NotificationKind,
  channel: DeliveryChannel,
  label: z.string(),
});
export type UnsubscribeResult = z.infer<typeof UnsubscribeResult>;

export const PushPublicKey = z.object({
  publicKey: z
    .string()
    .describe('VAPID public key, base64url: applicationServerKey for pushManager.subscribe'),
});

/** A browser's PushSubscription.toJSON(). */
export const PushSubscriptionBody = z
  .object({
    endpoint: z.url({ protocol: /^https?$/ }).max(2000),
    expirationTime: z.number().nullable().optional(),
    keys: z.object({
      p256dh: z
        .string()
        .regex(/^[A-Za-z0-9_-]{87}=?$/, 'must be an uncompressed P-256 public key, base64url'),
      auth: z.string().regex(/^[A-Za-z0-9_-]{22}(==)?$/, 'must be 16 bytes, base64url'),
    }),
  })
  .meta({ id: 'PushSubscriptionBody' });
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionBody>;

export const PushUnsubscribeBody = z.object({ endpoint: z.url().max(2000) });
export const PushSubscriptionResult = z.object({ id: Id, createdAt: IsoDateTime });

/** `notification.created` on `user:<id>`: the new notification and the new unread count. */
export const NotificationCreatedEvent = z.object({ notification: Notification, unread: z.number().int() });
export type NotificationCreatedEvent = z.infer<typeof NotificationCreatedEvent>;

/** `notification.read` on `user:<id>`: notifications were marked read (maybe on another device). */
export const NotificationReadEvent = z.object({ unread: z.number().int() });
export type NotificationReadEvent = z.infer<typeof NotificationReadEvent>;
