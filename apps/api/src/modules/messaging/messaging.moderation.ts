import type { BlockedUser } from '@souk/contracts';
import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { messagingError } from './messaging.errors.js';
import type { MessagingRepository } from './messaging.repository.js';
import type { ReportReason } from './messaging.schema.js';
import type { MessagingPorts } from './messaging.service.js';
import { cleanText, type MessagingViews, otherOf, SIGN_IN } from './messaging.views.js';

/** Evidence kept with a report: the newest messages when it was made. */
const REPORT_EVIDENCE_MESSAGES = 200;
/** The blocks list pages newest first: the time (epoch ms) and id of the last one shown. */
const BlocksPosition = z.object({
  list: z.literal('blocks'),
  at: z.number().int().min(0).max(8.64e15),
  id: z.guid(),
});

/** A member's own protection: reporting a conversation, blocking and unblocking people. */
export function createMessagingModeration(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: MessagingRepository;
  ports: Pick<MessagingPorts, 'users'>;
  views: Pick<MessagingViews, 'membership'>;
}) {
  const { database, repository, ports } = deps;
  const { membership } = deps.views;
  const db = database.db;

  return {
    async report(ctx: RequestContext, conversationId: string, input: { reason: ReportReason; text: string }) {
      const { conversation, participant } = await membership(ctx, conversationId);
      const evidence = (await repository.lastMessages(db, conversationId, REPORT_EVIDENCE_MESSAGES)).map(
        (row) => ({
          id: row.id,
          senderId: row.senderId,
          text: row.body,
          imageCount: row.imageCount,
          createdAt: row.createdAt.toISOString(),
        }),
      );
      const row = await database.transaction((tx) =>
        repository.insertReport(tx, {
          conversationId,
          reporterId: participant.userId,
          reportedUserId: otherOf(conversation, participant.userId),
          reason: input.reason,
          text: cleanText(input.text),
          evidence,
        }),
      );
      if (!row) throw messagingError('already_reported');
      return {
        id: row.id,
        conversationId,
        reason: row.reason,
        status: 'open' as const,
        createdAt: row.createdAt.toISOString(),
      };
    },

    async block(ctx: RequestContext, blockedId: string): Promise<void> {
      const userId = requireUser(ctx, SIGN_IN);
      if (blockedId === userId) throw messagingError('cannot_block_self');
      if (!(await ports.users([blockedId])).has(blockedId)) throw messagingError('user_not_found');
      await database.transaction((tx) => repository.block(tx, userId, blockedId));
    },

    async unblock(ctx: RequestContext, blockedId: string): Promise<void> {
      const userId = requireUser(ctx, SIGN_IN);
      await database.transaction((tx) => repository.unblock(tx, userId, blockedId));
    },

    async blocks(
      ctx: RequestContext,
      query: { limit: number; cursor?: string | undefined },
    ): Promise<{ items: BlockedUser[]; nextCursor: string | null }> {
      const userId = requireUser(ctx, SIGN_IN);
      const position = decodeCursor(query.cursor, BlocksPosition);
      const after = position && { at: new Date(position.at), id: position.id };
      const rows = await repository.listBlocks(db, userId, { limit: query.limit + 1, after });
      const page = rows.slice(0, query.limit);
      const users = await ports.users(page.map((row) => row.blockedId));
      const last = page.at(-1);
      return {
        items: page.map((row) => ({
          user: {
            id: row.blockedId,
            displayName: users.get(row.blockedId)?.displayName ?? 'Deleted user',
            avatarUrl: users.get(row.blockedId)?.avatarUrl ?? null,
          },
          blockedAt: row.createdAt.toISOString(),
        })),
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor({ list: 'blocks', at: last.createdAt.getTime(), id: last.blockedId })
            : null,
      };
    },
  };
}
