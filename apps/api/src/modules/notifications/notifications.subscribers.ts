import type { Notify } from './notifications.notify.js';
import type { NotificationsDeps } from './notifications.service.js';
import { oneLine } from './notifications.views.js';

/** After a "new message" mail, more messages of that conversation mail again only once it was read or this passed. */
const MESSAGE_MAIL_QUIET_MS = 30 * 60_000;

type MessageSent = {
  messageId: string;
  conversationId: string;
  listingId: string;
  senderId: string;
  recipientId: string;
  preview: string;
};

/** What other modules' events become (subscriptions.ts): a welcome, a "new message". */
export function createNotificationSubscribers(
  deps: Pick<NotificationsDeps, 'database' | 'repository' | 'realtime' | 'recipients' | 'logger'> & {
    notify: Notify;
  },
) {
  const { database, repository, notify } = deps;
  const log = deps.logger.child({ component: 'notifications' });
  return {
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
