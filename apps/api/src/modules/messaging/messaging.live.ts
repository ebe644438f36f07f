import type { Database } from '../../platform/db/database.js';
import type { Logger } from '../../platform/logger.js';
import type { MessagingRepository } from './messaging.repository.js';
import type { RealtimePort } from './messaging.service.js';

export const conversationChannel = (id: string) => `conversation:${id}`;
export const userChannel = (id: string) => `user:${id}`;

/** Live updates after a write has committed: best effort, never the write's failure. */
export function createLiveUpdates(deps: {
  database: Pick<Database, 'db'>;
  repository: Pick<MessagingRepository, 'unreadTotal'>;
  realtime: RealtimePort;
  logger?: Pick<Logger, 'warn'> | undefined;
}) {
  const { repository, realtime } = deps;
  const db = deps.database.db;

  /** Realtime is best effort: the write has committed, a client that missed it reloads. */
  async function live(work: () => Promise<unknown>) {
    try {
      await work();
    } catch (error) {
      deps.logger?.warn({ err: error }, 'realtime publish failed');
    }
  }

  /** The member's other tabs and devices update their unread badge. */
  async function publishUnread(userId: string) {
    await live(async () =>
      realtime.publish(userChannel(userId), 'unread.changed', {
        total: await repository.unreadTotal(db, userId),
      }),
    );
  }

  return { live, publishUnread };
}

export type LiveUpdates = ReturnType<typeof createLiveUpdates>;
