import type { Database } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { createNotificationDelivery } from './notifications.delivery.js';
import { createDigests } from './notifications.digest.js';
import { createInbox } from './notifications.inbox.js';
import { createNotifier } from './notifications.notify.js';
import type { PushSender, VapidKeys } from './notifications.push.js';
import type { NotificationsRepository } from './notifications.repository.js';
import type { DeliveryRow } from './notifications.schema.js';
import { createNotificationSettings } from './notifications.settings.js';
import type { SmsProvider } from './notifications.sms.js';
import { createNotificationSubscribers } from './notifications.subscribers.js';
import type { UnsubscribeTokens } from './notifications.tokens.js';
import type { Channel, NotificationType } from './notifications.types.js';

export { DELIVER_QUEUE, DELIVERY_RETRY_LIMIT, SWEEP_QUEUE } from './notifications.delivery.js';
export { DIGEST_QUEUE } from './notifications.digest.js';

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

/**
 * The notifications service, put together from its parts: recording (notify), sending (deliver,
 * the stale-claim sweep), the digest, the bell, the member's settings and the event subscribers.
 */
export function createNotificationsService(deps: NotificationsDeps) {
  const notify = createNotifier(deps);
  return {
    notify,
    ...createNotificationDelivery(deps),
    ...createDigests({ ...deps, notify }),
    ...createInbox(deps),
    ...createNotificationSettings(deps),
    ...createNotificationSubscribers({ ...deps, notify }),
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
