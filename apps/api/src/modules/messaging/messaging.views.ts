import type { Conversation, Message, QuickReply } from '@souk/contracts';
import type { Database } from '../../platform/db/database.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { platformError } from '../../platform/http/errors.js';
import { messagingError } from './messaging.errors.js';
import type { InboxRow, MessagingRepository } from './messaging.repository.js';
import type { ConversationRow, MessageRow, ParticipantRow, QuickReplyRow } from './messaging.schema.js';
import type { ListingRef, MessagingPorts } from './messaging.service.js';

export const SIGN_IN = 'Sign in to use messages.';

/** Plain text kept plain: no control characters but line breaks and tabs, \n line ends. */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[^\P{Cc}\n\t]/gu, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export const otherOf = (conversation: ConversationRow, userId: string) =>
  conversation.buyerId === userId ? conversation.sellerId : conversation.buyerId;

/** A message is read once its recipient's read mark passed it (participants of any conversations). */
export function readMarks(participants: ParticipantRow[]) {
  return (row: MessageRow) => {
    const recipient = participants.find(
      (participant) =>
        participant.conversationId === row.conversationId && participant.userId !== row.senderId,
    );
    return recipient?.lastReadSeq ?? 0;
  };
}

/** A conversation as one of its parties sees it: the inbox's and the send answer's one shape. */
export function conversationView(parts: {
  conversation: ConversationRow;
  listing: ListingRef | undefined;
  role: 'buyer' | 'seller';
  otherId: string;
  other: { displayName: string; avatarUrl: string | null } | undefined;
  lastMessage: Message | null;
  lastMessageAt: string;
  unreadCount: number;
  blockedByMe: boolean;
  blockedMe: boolean;
}): Conversation {
  const { conversation, listing, other } = parts;
  return {
    id: conversation.id,
    listing: {
      id: conversation.listingId,
      title: listing?.title ?? 'Deleted listing',
      status: listing?.status ?? 'removed',
      price: listing?.price ?? null,
      primaryImage: listing?.primaryImage ?? null,
    },
    role: parts.role,
    otherParty: {
      id: parts.otherId,
      displayName: other?.displayName ?? 'Deleted user',
      avatarUrl: other?.avatarUrl ?? null,
    },
    lastMessage: parts.lastMessage,
    unreadCount: parts.unreadCount,
    blockedByMe: parts.blockedByMe,
    blockedMe: parts.blockedMe,
    lastMessageAt: parts.lastMessageAt,
    createdAt: conversation.createdAt.toISOString(),
  };
}

export function toQuickReply(row: QuickReplyRow): QuickReply {
  return {
    id: row.id,
    text: row.text,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The reads every part of messaging shares: who may see a conversation, and messages and
 * conversations in the API's shapes (with their listing, the other party, photos and read marks).
 */
export function createMessagingViews(deps: {
  database: Pick<Database, 'db'>;
  repository: MessagingRepository;
  ports: Pick<MessagingPorts, 'listings' | 'users' | 'images'>;
}) {
  const { repository, ports } = deps;
  const db = deps.database.db;

  /** The caller's side of a conversation: a stranger gets 403, a missing one 404. */
  async function membership(ctx: RequestContext, conversationId: string): Promise<InboxRow> {
    const userId = requireUser(ctx, SIGN_IN);
    const row = await repository.participantRow(db, conversationId, userId);
    if (row) return row;
    if (await repository.findConversation(db, conversationId))
      throw platformError('forbidden', 'Only its buyer and seller can see a conversation.');
    throw messagingError('conversation_not_found');
  }

  async function toMessages(rows: MessageRow[], readSeqOf: (row: MessageRow) => number): Promise<Message[]> {
    const withImages = rows.filter((row) => row.imageCount > 0).map((row) => row.id);
    const images = withImages.length > 0 ? await ports.images.imagesOfMessages(withImages) : new Map();
    return rows.map((row) => ({
      id: row.id,
      conversationId: row.conversationId,
      senderId: row.senderId,
      text: row.body,
      images: images.get(row.id) ?? [],
      safetyWarning: row.safetyWarning ?? null,
      clientMessageId: row.clientMessageId,
      read: row.seq <= readSeqOf(row),
      createdAt: row.createdAt.toISOString(),
    }));
  }

  async function toConversations(userId: string, rows: InboxRow[]): Promise<Conversation[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.conversation.id);
    const others = rows.map((row) => otherOf(row.conversation, userId));
    const [listings, users, unread, blocks, lastRows, everyone] = await Promise.all([
      ports.listings(rows.map((row) => row.conversation.listingId)),
      ports.users(others),
      repository.unreadCounts(db, userId, ids),
      repository.blocksWith(db, userId, others),
      repository.messagesBySeq(
        db,
        rows
          .filter((row) => row.participant.lastMessageSeq > row.participant.hiddenUpToSeq)
          .map((row) => row.participant.lastMessageSeq),
      ),
      repository.participantsOf(db, ids),
    ]);
    const lastMessages = new Map<string, Message>();
    for (const message of await toMessages(lastRows, readMarks(everyone))) {
      lastMessages.set(message.conversationId, message);
    }
    return rows.map(({ conversation, participant }, index) => {
      const otherId = others[index] as string;
      return conversationView({
        conversation,
        listing: listings.get(conversation.listingId),
        role: participant.role,
        otherId,
        other: users.get(otherId),
        lastMessage: lastMessages.get(conversation.id) ?? null,
        lastMessageAt: conversation.lastMessageAt.toISOString(),
        unreadCount: unread.get(conversation.id) ?? 0,
        blockedByMe: blocks.blocked.has(otherId),
        blockedMe: blocks.blockedBy.has(otherId),
      });
    });
  }

  async function conversationFor(userId: string, conversationId: string): Promise<Conversation> {
    const row = await repository.participantRow(db, conversationId, userId);
    if (!row) throw messagingError('conversation_not_found');
    const [conversation] = await toConversations(userId, [row]);
    return conversation as Conversation;
  }

  return { membership, toMessages, toConversations, conversationFor };
}

export type MessagingViews = ReturnType<typeof createMessagingViews>;
