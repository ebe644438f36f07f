import type { Conversation, Message, MessagePage, MessageSearchPage } from '@souk/contracts';
import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { messagingError } from './messaging.errors.js';
import { conversationChannel, type LiveUpdates } from './messaging.live.js';
import type { MessagingRepository } from './messaging.repository.js';
import type { MessageRow } from './messaging.schema.js';
import type { MessagingPorts, RealtimePort } from './messaging.service.js';
import { type MessagingViews, otherOf, readMarks, SIGN_IN } from './messaging.views.js';

/**
 * The inbox, a conversation's messages and search results page newest first by message sequence
 * (one counter for all messages); the list is in the position, so a cursor of one list is
 * refused by another.
 */
type SeqList = 'inbox' | 'messages' | 'search';
const seqPosition = (list: SeqList) =>
  z.object({ list: z.literal(list), seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) });
const seqBefore = (list: SeqList, cursor: string | undefined) => decodeCursor(cursor, seqPosition(list))?.seq;
const seqCursor = (list: SeqList, seq: number) => encodeCursor({ list, seq });

/** A tsquery of the words of `q`, each a prefix: "toyo cor" finds "Toyota Corolla". */
function prefixQuery(q: string): string | null {
  const words = (
    q
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  ).slice(0, 8);
  return words.length === 0 ? null : words.map((word) => `${word}:*`).join(' & ');
}

/** A member's conversations: the inbox, one conversation's messages, read marks, typing, search. */
export function createConversations(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: MessagingRepository;
  realtime: RealtimePort;
  ports: Pick<MessagingPorts, 'listings' | 'users'>;
  views: MessagingViews;
  live: LiveUpdates;
}) {
  const { database, repository, realtime, ports } = deps;
  const { membership, toMessages, toConversations } = deps.views;
  const { live, publishUnread } = deps.live;
  const db = database.db;
  const unreadTotal = (userId: string) => repository.unreadTotal(db, userId);

  return {
    async list(ctx: RequestContext, query: { limit: number; cursor?: string | undefined }) {
      const userId = requireUser(ctx, SIGN_IN);
      const rows = await repository.inbox(db, userId, {
        limit: query.limit + 1,
        beforeSeq: seqBefore('inbox', query.cursor),
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: await toConversations(userId, page),
        nextCursor:
          rows.length > query.limit && last ? seqCursor('inbox', last.participant.lastMessageSeq) : null,
      };
    },

    async get(ctx: RequestContext, conversationId: string): Promise<Conversation> {
      const row = await membership(ctx, conversationId);
      const [conversation] = await toConversations(row.participant.userId, [row]);
      return conversation as Conversation;
    },

    async messages(
      ctx: RequestContext,
      conversationId: string,
      query: { limit: number; cursor?: string | undefined },
    ): Promise<MessagePage> {
      const { participant } = await membership(ctx, conversationId);
      const rows = await repository.listMessages(db, participant, {
        limit: query.limit + 1,
        beforeSeq: seqBefore('messages', query.cursor),
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const participants = await repository.participants(db, conversationId);
      return {
        items: await toMessages(page, readMarks(participants)),
        nextCursor: rows.length > query.limit && last ? seqCursor('messages', last.seq) : null,
      };
    },

    /** Marks the conversation read up to a message (the newest by default); tells the sender. */
    async markRead(ctx: RequestContext, conversationId: string, upToMessageId?: string | undefined) {
      const { participant } = await membership(ctx, conversationId);
      const userId = participant.userId;
      let upTo: MessageRow | undefined;
      if (upToMessageId) {
        upTo = await repository.findMessage(db, conversationId, upToMessageId);
        if (!upTo) throw messagingError('message_not_found');
      } else {
        [upTo] = await repository.messagesBySeq(db, [participant.lastMessageSeq]);
      }
      const moved = upTo
        ? await database.transaction((tx) =>
            repository.markRead(tx, conversationId, userId, (upTo as MessageRow).seq),
          )
        : undefined;
      if (moved && upTo) {
        const message = upTo;
        await live(() =>
          realtime.publish(conversationChannel(conversationId), 'message.read', {
            conversationId,
            readerId: userId,
            upToMessageId: message.id,
            readAt: new Date().toISOString(),
          }),
        );
        await publishUnread(userId);
      }
      return { total: await unreadTotal(userId) };
    },

    async unread(ctx: RequestContext) {
      return { total: await unreadTotal(requireUser(ctx, SIGN_IN)) };
    },

    /** Deletes the conversation for the caller only; a new message brings it back. */
    async hide(ctx: RequestContext, conversationId: string): Promise<void> {
      const { participant } = await membership(ctx, conversationId);
      await database.transaction((tx) => repository.hide(tx, conversationId, participant.userId));
      await publishUnread(participant.userId);
    },

    /** "Typing…", live only: not stored, and nothing for a blocked pair. */
    async typing(ctx: RequestContext, conversationId: string): Promise<void> {
      const { conversation, participant } = await membership(ctx, conversationId);
      const blocks = await repository.blocksBetween(
        db,
        participant.userId,
        otherOf(conversation, participant.userId),
      );
      if (blocks.aBlockedB || blocks.bBlockedA) return;
      await live(() =>
        realtime.signal(conversationChannel(conversationId), 'typing', {
          conversationId,
          userId: participant.userId,
        }),
      );
    },

    async search(
      ctx: RequestContext,
      query: { q: string; limit: number; cursor?: string | undefined },
    ): Promise<MessageSearchPage> {
      const userId = requireUser(ctx, SIGN_IN);
      const tsquery = prefixQuery(query.q);
      if (!tsquery) return { items: [], nextCursor: null };
      const rows = await repository.search(db, userId, tsquery, {
        limit: query.limit + 1,
        beforeSeq: seqBefore('search', query.cursor),
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const conversationIds = [...new Set(page.map((row) => row.conversation.id))];
      const [listings, users, participants] = await Promise.all([
        ports.listings(page.map((row) => row.conversation.listingId)),
        ports.users(page.map((row) => otherOf(row.conversation, userId))),
        repository.participantsOf(db, conversationIds),
      ]);
      const converted = await toMessages(
        page.map((row) => row.message),
        readMarks(participants),
      );
      const items = page.map(({ conversation }, index) => {
        const otherId = otherOf(conversation, userId);
        const other = users.get(otherId);
        return {
          message: converted[index] as Message,
          conversationId: conversation.id,
          listingTitle: listings.get(conversation.listingId)?.title ?? 'Deleted listing',
          otherParty: {
            id: otherId,
            displayName: other?.displayName ?? 'Deleted user',
            avatarUrl: other?.avatarUrl ?? null,
          },
        };
      });
      return {
        items,
        nextCursor: rows.length > query.limit && last ? seqCursor('search', last.message.seq) : null,
      };
    },
  };
}
