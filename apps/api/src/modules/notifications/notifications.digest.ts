import type { Notify } from './notifications.notify.js';
import type { NotificationsDeps } from './notifications.service.js';
import { oneLine } from './notifications.views.js';

export const DIGEST_QUEUE = 'notifications.digest';
const DIGEST_MAX_ITEMS = 50;

/** The e-mail digest: chatty types wait here and go out together, daily or weekly. */
export function createDigests(deps: Pick<NotificationsDeps, 'database' | 'repository'> & { notify: Notify }) {
  const { database, repository, notify } = deps;
  return {
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
  };
}
