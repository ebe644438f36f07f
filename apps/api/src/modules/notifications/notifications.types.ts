import type { DeliveryChannel, NotificationKind, PreferenceMatrix } from '@souk/contracts';

export type NotificationType = NotificationKind;
export type Channel = DeliveryChannel;

export type NotificationTypeInfo = {
  label: string;
  description: string;
  /** Channels the type can use at all. */
  channels: readonly Channel[];
  /** On unless the user turned it off. */
  defaults: readonly Channel[];
  /** Batched into the e-mail digest instead of one e-mail each. */
  chatty: boolean;
  /** E-mail only to a verified address. Welcome goes out with the verification mail, to the same address. */
  needsVerifiedEmail: boolean;
  /** Words of the e-mail's call to action. */
  action: string;
  /**
   * The e-mail's subject. Fixed per type because titles carry other people's words (a display
   * name, a listing title) and no user-given value goes into a subject (mail/templates.ts);
   * null: the title, for types whose titles Souk writes alone.
   */
  subject: string | null;
};

/**
 * The registry: every notification type, its channels and defaults (docs/decisions/009). SMS is
 * off everywhere by default: it costs money and interrupts. Chatty types mail through the digest.
 */
export const NOTIFICATION_TYPES: Record<NotificationType, NotificationTypeInfo> = {
  welcome: {
    label: 'Welcome',
    description: 'Once, when you join',
    channels: ['in_app', 'email'],
    defaults: ['in_app', 'email'],
    chatty: false,
    needsVerifiedEmail: false,
    action: 'Start exploring',
    subject: null,
  },
  message_received: {
    label: 'New messages',
    description: 'Someone wrote to you while you were away from the conversation',
    channels: ['in_app', 'email', 'push', 'sms'],
    defaults: ['in_app', 'email', 'push'],
    chatty: false,
    needsVerifiedEmail: true,
    action: 'Read and reply',
    subject: 'You have a new message on Souk',
  },
  followed_listing_published: {
    label: 'New listings from people you follow',
    description: 'A seller you follow published a listing',
    channels: ['in_app', 'email', 'push'],
    defaults: ['in_app', 'email'],
    chatty: true,
    needsVerifiedEmail: true,
    action: 'See the listing',
    subject: 'New listing from someone you follow',
  },
  saved_search_alert: {
    label: 'Saved search alerts',
    description: 'New listings match a search you saved',
    channels: ['in_app', 'email', 'push', 'sms'],
    defaults: ['in_app', 'email', 'push'],
    chatty: true,
    needsVerifiedEmail: true,
    action: 'See the matches',
    subject: 'New matches for your saved search',
  },
  price_drop: {
    label: 'Price drops',
    description: 'A listing you saved got cheaper',
    channels: ['in_app', 'email', 'push', 'sms'],
    defaults: ['in_app', 'email', 'push'],
    chatty: true,
    needsVerifiedEmail: true,
    action: 'See the listing',
    subject: 'A listing you saved got cheaper',
  },
  listing_expiring: {
    label: 'Listing about to expire',
    description: 'One of your listings goes offline soon',
    channels: ['in_app', 'email', 'push', 'sms'],
    defaults: ['in_app', 'email'],
    chatty: false,
    needsVerifiedEmail: true,
    action: 'Renew it',
    subject: 'Your listing expires soon',
  },
  listing_expired: {
    label: 'Listing expired',
    description: 'One of your listings went offline',
    channels: ['in_app', 'email', 'push'],
    defaults: ['in_app', 'email'],
    chatty: false,
    needsVerifiedEmail: true,
    action: 'Renew it',
    subject: 'Your listing has expired',
  },
  digest: {
    label: 'E-mail digest',
    description: 'The chatty news above collected in one e-mail (daily or weekly)',
    channels: ['email'],
    defaults: ['email'],
    chatty: false,
    needsVerifiedEmail: true,
    action: 'Open Souk',
    subject: null,
  },
  listing_commented: {
    label: 'Comments on your listings',
    description: 'Someone asked a question or commented on one of your listings',
    channels: ['in_app', 'email', 'push'],
    defaults: ['in_app', 'email'],
    chatty: true,
    needsVerifiedEmail: true,
    action: 'Read and answer',
    subject: 'New comment on your listing',
  },
  comment_replied: {
    label: 'Replies to your comments',
    description: 'Someone replied to a comment you wrote',
    channels: ['in_app', 'email', 'push'],
    defaults: ['in_app'],
    chatty: true,
    needsVerifiedEmail: true,
    action: 'Read the reply',
    subject: 'New reply to your comment',
  },
  review_received: {
    label: 'New reviews',
    description: 'A member reviewed you as a seller',
    channels: ['in_app', 'email', 'push'],
    defaults: ['in_app', 'email'],
    chatty: false,
    needsVerifiedEmail: true,
    action: 'Read the review',
    subject: 'You have a new review on Souk',
  },
  review_response: {
    label: 'Replies to your reviews',
    description: 'A seller responded to a review you wrote',
    channels: ['in_app', 'email', 'push'],
    defaults: ['in_app'],
    chatty: true,
    needsVerifiedEmail: true,
    action: 'See the response',
    subject: 'A seller responded to your review',
  },
  favorite_unavailable: {
    label: 'Saved listings sold or ended',
    description: 'A listing you saved was sold, expired or was taken down',
    channels: ['in_app', 'email', 'push'],
    defaults: ['in_app'],
    chatty: true,
    needsVerifiedEmail: true,
    action: 'See your favorites',
    subject: 'A listing you saved is no longer available',
  },
  payout_updated: {
    label: 'Payouts',
    description: 'A payout you asked for was paid, refused, failed or is being reviewed',
    channels: ['in_app', 'email', 'push'],
    defaults: ['in_app', 'email'],
    chatty: false,
    needsVerifiedEmail: true,
    action: 'Open your wallet',
    subject: 'News about your Souk payout',
  },
};

export const TYPE_NAMES = Object.keys(NOTIFICATION_TYPES) as NotificationType[];

/** Defaults overlaid with what the user stored: every type and every channel it supports. */
export function effectiveMatrix(
  stored: PreferenceMatrix,
): Record<NotificationType, Partial<Record<Channel, boolean>>> {
  const matrix = {} as Record<NotificationType, Partial<Record<Channel, boolean>>>;
  for (const type of TYPE_NAMES) {
    const info = NOTIFICATION_TYPES[type];
    const row: Partial<Record<Channel, boolean>> = {};
    for (const channel of info.channels)
      row[channel] = stored[type]?.[channel] ?? info.defaults.includes(channel);
    matrix[type] = row;
  }
  return matrix;
}

/** The channels a notification of `type` goes on for a user with `stored` preferences. */
export function channelsFor(type: NotificationType, stored: PreferenceMatrix): Channel[] {
  const row = effectiveMatrix(stored)[type];
  return NOTIFICATION_TYPES[type].channels.filter((channel) => row[channel]);
}
