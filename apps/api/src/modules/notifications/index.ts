import type { Config } from '../../platform/config.js';
import type { Database } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import {
  createWebPushSender,
  generateVapidKeys,
  openSecret,
  type PushSender,
  sealSecret,
  type VapidKeys,
} from './notifications.push.js';
import { createNotificationsRepository } from './notifications.repository.js';
import { notificationsRoutes } from './notifications.routes.js';
import type { DeliveryRow } from './notifications.schema.js';
import {
  createNotificationsService,
  DELIVER_QUEUE,
  DELIVERY_RETRY_LIMIT,
  DIGEST_QUEUE,
  type RealtimePort,
  type Recipient,
  SWEEP_QUEUE,
} from './notifications.service.js';
import { createLogSmsProvider, type SmsProvider } from './notifications.sms.js';
import { createUnsubscribeTokens } from './notifications.tokens.js';

export type { NotificationsService, NotifyInput, RealtimePort, Recipient } from './notifications.service.js';
export { DELIVER_QUEUE, DIGEST_QUEUE, SWEEP_QUEUE } from './notifications.service.js';
export type { SmsMessage, SmsProvider } from './notifications.sms.js';
export type { Channel, NotificationType } from './notifications.types.js';
export { NOTIFICATION_TYPES } from './notifications.types.js';

/**
 * Notifications: domain events become per-user notifications, sent on the channels the user's
 * preferences allow for their type (in-app + live, e-mail with a digest for chatty types, web
 * push, SMS). Each (notification, channel) is one delivery row worked by a retried job that never
 * sends twice (docs/decisions/009).
 *
 * Other modules call `service.notify(tx, input)` inside their own transaction: the notification
 * exists, and will be delivered, if and only if that transaction commits.
 */
export function createNotificationsModule(deps: {
  config: Pick<Config, 'PUBLIC_URL' | 'PORT' | 'MAIL_FROM' | 'NODE_ENV' | 'SMS_PROVIDER'>;
  database: Database;
  jobs: Pick<Jobs, 'define' | 'schedule' | 'send'>;
  realtime: RealtimePort;
  mailer: Pick<Mailer, 'send'>;
  logger: Logger;
  /** Who a user is, for addressing: e-mail, verified or not, name, phone, whether the account is active. */
  recipients: (userId: string) => Promise<Recipient | null>;
  /** HMAC key of the unsubscribe links: the auth module's derived secret. */
  unsubscribeKey: Buffer;
  /** Seals the VAPID private key at rest: another of the auth module's derived secrets. */
  vapidSealKey: Buffer;
  /** Tests swap these: a fake push service is the only fake (it is a third party's HTTP boundary). */
  push?: PushSender;
  sms?: SmsProvider;
  deliveryRetryDelaySeconds?: number;
  staleClaimSeconds?: number;
  hooks?: { afterRecorded?: (delivery: DeliveryRow) => Promise<void> };
}) {
  const { config, database, logger } = deps;
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  const repository = createNotificationsRepository();

  // Created on first use and stored in the database, so every node signs with the same pair and
  // subscriptions survive restarts; never in the repository or the environment.
  let vapid: Promise<VapidKeys> | null = null;
  const fresh = () => {
    const keys = generateVapidKeys();
    return { publicKey: keys.publicKey, privateKey: sealSecret(deps.vapidSealKey, keys.privateKey) };
  };
  const vapidKeys = () => {
    vapid ??= (async () => {
      let stored = await repository.findVapidKeys(database.db);
      stored ??= await repository.storeVapidKeys(database.db, fresh());
      let privateKey = openSecret(deps.vapidSealKey, stored.privateKey);
      if (privateKey === null) {
        logger.error(
          'the stored VAPID key was sealed with another auth secret: new keys, devices must subscribe again',
        );
        stored = fresh();
        await database.transaction((tx) => repository.replaceVapidKeys(tx, stored as VapidKeys));
        privateKey = openSecret(deps.vapidSealKey, stored.privateKey) as string;
      }
      return { publicKey: stored.publicKey, privateKey };
    })().catch((error) => {
      vapid = null;
      throw error;
    });
    return vapid;
  };
  const sender = /<([^>]+)>/.exec(config.MAIL_FROM)?.[1] ?? config.MAIL_FROM;
  const subject = publicUrl.startsWith('https://') ? publicUrl : `mailto:${sender}`;

  const service = createNotificationsService({
    database,
    jobs: deps.jobs,
    repository,
    realtime: deps.realtime,
    mailer: deps.mailer,
    sms: deps.sms ?? createLogSmsProvider(logger),
    push: deps.push ?? createWebPushSender({ keys: vapidKeys, subject }),
    vapidKeys,
    recipients: deps.recipients,
    tokens: createUnsubscribeTokens(deps.unsubscribeKey),
    logger,
    config: {
      publicUrl,
      allowLoopbackPush: config.NODE_ENV !== 'production',
      ...(deps.staleClaimSeconds !== undefined ? { staleClaimSeconds: deps.staleClaimSeconds } : {}),
    },
    ...(deps.hooks ? { hooks: deps.hooks } : {}),
  });

  deps.jobs.define<{ deliveryId: string }>(
    DELIVER_QUEUE,
    (data, job) => service.deliver(data.deliveryId, job),
    {
      retryLimit: DELIVERY_RETRY_LIMIT,
      retryDelaySeconds: deps.deliveryRetryDelaySeconds ?? 10,
      retryBackoff: true,
    },
  );
  deps.jobs.define(DIGEST_QUEUE, async () => {
    await service.sendDigests();
  });
  deps.jobs.schedule(DIGEST_QUEUE, '0 8 * * *');
  deps.jobs.define(SWEEP_QUEUE, async () => {
    await service.requeueStale();
  });
  deps.jobs.schedule(SWEEP_QUEUE, '*/5 * * * *');

  return { service, routes: notificationsRoutes(service) };
}

export type NotificationsModule = ReturnType<typeof createNotificationsModule>;
