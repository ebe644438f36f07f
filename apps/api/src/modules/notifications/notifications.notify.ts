import type { Notification } from '@souk/contracts';
import type { Queryable } from '../../platform/db/database.js';
import { DELIVER_QUEUE } from './notifications.delivery.js';
import type { NotificationsDeps, NotifyInput } from './notifications.service.js';
import { channelsFor, NOTIFICATION_TYPES } from './notifications.types.js';
import { oneLine, storedPreferences, toNotification } from './notifications.views.js';

/**
 * Records a notification and one delivery per channel the preferences allow, in the caller's
 * transaction, and queues the deliveries that go out now (chatty e-mail waits for the digest).
 */
export function createNotifier(deps: Pick<NotificationsDeps, 'repository' | 'jobs'>) {
  const { repository } = deps;

  async function notify(tx: Queryable, input: NotifyInput): Promise<Notification | null> {
    const info = NOTIFICATION_TYPES[input.type];
    if (!info) throw new Error(`notify: unknown type ${input.type}`);
    if (input.url !== undefined && !input.url.startsWith('/'))
      throw new Error('notify: url must be an app path');
    const { matrix } = await storedPreferences(repository, tx, input.userId);
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

  return notify;
}

export type Notify = ReturnType<typeof createNotifier>;
