import { LEASE_SECONDS } from '../../platform/jobs.js';
import { notificationMail } from '../../platform/mail/templates.js';
import type { DeliveryRow, NotificationRow } from './notifications.schema.js';
import type { NotificationsDeps } from './notifications.service.js';
import { NOTIFICATION_TYPES, type NotificationType } from './notifications.types.js';
import { oneLine, toNotification } from './notifications.views.js';

export const DELIVER_QUEUE = 'notifications.deliver';
export const SWEEP_QUEUE = 'notifications.sweep';
export const DELIVERY_RETRY_LIMIT = 6;

/** Sending: each delivery row goes out once on its channel (in-app, e-mail, push, SMS). */
export function createNotificationDelivery(deps: NotificationsDeps) {
  const { database, repository, config } = deps;
  const log = deps.logger.child({ component: 'notifications' });
  const staleClaimMs = (config.staleClaimSeconds ?? LEASE_SECONDS) * 1000;
  const absolute = (path: string | null) => (path ? new URL(path, config.publicUrl).toString() : null);

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
  };
}
