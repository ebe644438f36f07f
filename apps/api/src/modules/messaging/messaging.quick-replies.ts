import { QUICK_REPLIES_MAX, type QuickReply } from '@souk/contracts';
import type { Database } from '../../platform/db/database.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { messagingError } from './messaging.errors.js';
import type { MessagingRepository } from './messaging.repository.js';
import { cleanText, SIGN_IN, toQuickReply } from './messaging.views.js';

/** A member's saved answers, at most QUICK_REPLIES_MAX, offered in the composer. */
export function createQuickReplies(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: MessagingRepository;
}) {
  const { database, repository } = deps;
  const db = database.db;

  return {
    async quickReplies(ctx: RequestContext): Promise<{ items: QuickReply[] }> {
      return { items: (await repository.listQuickReplies(db, requireUser(ctx, SIGN_IN))).map(toQuickReply) };
    },

    async createQuickReply(ctx: RequestContext, text: string): Promise<QuickReply> {
      const userId = requireUser(ctx, SIGN_IN);
      const row = await database.transaction(async (tx) => {
        await repository.lockQuickReplies(tx, userId);
        const existing = await repository.listQuickReplies(tx, userId);
        if (existing.length >= QUICK_REPLIES_MAX)
          throw messagingError(
            'too_many_quick_replies',
            `Keep at most ${QUICK_REPLIES_MAX}; delete one first.`,
          );
        return repository.insertQuickReply(tx, userId, cleanText(text));
      });
      return toQuickReply(row);
    },

    async updateQuickReply(ctx: RequestContext, id: string, text: string): Promise<QuickReply> {
      const userId = requireUser(ctx, SIGN_IN);
      const row = await database.transaction((tx) =>
        repository.updateQuickReply(tx, userId, id, cleanText(text)),
      );
      if (!row) throw messagingError('quick_reply_not_found');
      return toQuickReply(row);
    },

    async deleteQuickReply(ctx: RequestContext, id: string): Promise<void> {
      const userId = requireUser(ctx, SIGN_IN);
      const deleted = await database.transaction((tx) => repository.deleteQuickReply(tx, userId, id));
      if (!deleted) throw messagingError('quick_reply_not_found');
    },
  };
}
