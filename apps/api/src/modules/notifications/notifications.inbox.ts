import type { Notification, NotificationPage } from '@souk/contracts';
import { z } from 'zod';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { notificationError } from './notifications.errors.js';
import type { NotificationsDeps } from './notifications.service.js';
import { toNotification } from './notifications.views.js';

const SIGN_IN = 'This endpoint needs a signed-in user.';
const MAX_PAGE = 100;
/** The bell pages newest first by id (UUIDv7, so by time): the last one shown. */
const BellPosition = z.object({ before: z.guid() });

/** The bell: a member's in-app notifications, read marks and the unread count on every device. */
export function createInbox(
  deps: Pick<NotificationsDeps, 'database' | 'repository' | 'realtime' | 'logger'>,
) {
  const { database, repository } = deps;
  const log = deps.logger.child({ component: 'notifications' });

  /** The user's other tabs and devices update their bell: `notification.read` with the new count. */
  async function publishUnread(userId: string): Promise<void> {
    const unread = await repository.unreadCount(database.db, userId);
    await deps.realtime
      .publish(`user:${userId}`, 'notification.read', { unread })
      .catch((error: unknown) => log.warn({ err: error }, 'could not publish the unread count'));
  }

  return {
    async list(
      ctx: RequestContext,
      query: { limit: number; cursor?: string | undefined; unread?: boolean | undefined },
    ): Promise<NotificationPage> {
      const userId = requireUser(ctx, SIGN_IN);
      const size = Math.min(Math.max(Math.trunc(query.limit), 1), MAX_PAGE);
      const rows = await repository.listForUser(database.db, userId, {
        limit: size + 1,
        before: decodeCursor(query.cursor, BellPosition)?.before,
        unreadOnly: query.unread === true,
      });
      const page = rows.slice(0, size);
      const last = page.at(-1);
      return {
        items: page.map(toNotification),
        nextCursor: rows.length > size && last ? encodeCursor({ before: last.id }) : null,
      };
    },

    async unreadCount(ctx: RequestContext): Promise<{ count: number }> {
      return { count: await repository.unreadCount(database.db, requireUser(ctx, SIGN_IN)) };
    },

    /** Someone else's notification is a 404, the same as one that does not exist. */
    async markRead(ctx: RequestContext, id: string): Promise<Notification> {
      const userId = requireUser(ctx, SIGN_IN);
      const row = await repository.markRead(database.db, userId, id);
      if (!row) throw notificationError('notification_not_found');
      await publishUnread(userId);
      return toNotification(row);
    },

    async markAllRead(ctx: RequestContext): Promise<{ marked: number }> {
      const userId = requireUser(ctx, SIGN_IN);
      const marked = await repository.markAllRead(database.db, userId);
      if (marked > 0) await publishUnread(userId);
      return { marked };
    },
  };
}
