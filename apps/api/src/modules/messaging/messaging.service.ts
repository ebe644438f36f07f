import {
  type BlockedUser,
  type Conversation,
  type ListingImage,
  type Message,
  type MessageImage,
  type MessagePage,
  type MessageSearchPage,
  type Price,
  QUICK_REPLIES_MAX,
  type QuickReply,
  type SentMessage,
} from '@souk/contracts';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { EventPublisher } from '../../platform/events.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { platformError } from '../../platform/http/errors.js';
import type { Logger } from '../../platform/logger.js';
import { messagingError } from './messaging.errors.js';
import type { MessagingEvents } from './messaging.events.js';
import type { InboxRow, MessagingRepository } from './messaging.repository.js';
import { detectSafetyWarning } from './messaging.safety.js';
import type {
  ConversationRow,
  MessageRow,
  ParticipantRow,
  QuickReplyRow,
  ReportReason,
} from './messaging.schema.js';

const SIGN_IN = 'Sign in to use messages.';

/** What a conversation shows of its listing, from the listings module. */
export type ListingRef = {
  id: string;
  sellerId: string;
  title: string;
  status: 'draft' | 'active' | 'sold' | 'expired' | 'removed';
  price: Price | null;
  primaryImage: ListingImage | null;
  acceptsMessages: boolean;
};

/** What messaging needs from other modules, each reached through its service. */
export type MessagingPorts = {
  listings: (ids: string[]) => Promise<Map<string, ListingRef>>;
  users: (ids: string[]) => Promise<Map<string, { displayName: string; avatarUrl: string | null }>>;
  images: {
    attachToMessage(
      tx: Queryable,
      input: { ownerId: string; messageId: string; imageIds: string[] },
    ): Promise<boolean>;
    imagesOfMessages(messageIds: string[]): Promise<Map<string, MessageImage[]>>;
  };
  /**
   * Whether the seller agreed a sale of the listing with this buyer. Until orders exist nothing
   * records that, so the safety check applies to every message (see decision 007).
   */
  saleAgreed: (listingId: string, buyerId: string) => Promise<boolean>;
  /** Throws `email_unverified` (403) unless the account confirmed its address (auth). */
  requireVerifiedEmail: (userId: string, action: string) => Promise<void>;
};

/** The realtime hub's side messaging uses (platform.realtime). */
export type RealtimePort = {
  publish(channel: string, type: string, data: unknown): Promise<unknown>;
  signal(channel: string, type: string, data: unknown): Promise<void>;
};

export type SendInput = {
  text: string;
  imageIds: string[];
  quickReplyId?: string | undefined;
  clientMessageId?: string | undefined;
};

/** Evidence kept with a report: the newest messages when it was made. */
const REPORT_EVIDENCE_MESSAGES = 200;
const PREVIEW_LENGTH = 140;

export const conversationChannel = (id: string) => `conversation:${id}`;
export const userChannel = (id: string) => `user:${id}`;

/** Plain text kept plain: no control characters but line breaks and tabs, \n line ends. */
export function cleanText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[^\P{Cc}\n\t]/gu, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function encodeSeq(seq: number): string {
  return Buffer.from(`s${seq}`).toString('base64url');
}
function decodeSeq(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const match = /^s(\d{1,18})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw messagingError('invalid_cursor');
  return Number(match[1]);
}

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

export function createMessagingService(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: MessagingRepository;
  events: EventPublisher<MessagingEvents>;
  realtime: RealtimePort;
  ports: MessagingPorts;
  logger?: Pick<Logger, 'warn'> | undefined;
}) {
  const { database, repository, events, realtime, ports } = deps;
  const db = database.db;

  /** The caller's side of a conversation: a stranger gets 403, a missing one 404. */
  async function membership(ctx: RequestContext, conversationId: string): Promise<InboxRow> {
    const userId = requireUser(ctx, SIGN_IN);
    const row = await repository.participantRow(db, conversationId, userId);
    if (row) return row;
    if (await repository.findConversation(db, conversationId))
      throw platformError('forbidden', 'Only its buyer and seller can see a conversation.');
    throw messagingError('conversation_not_found');
  }

  const otherOf = (conversation: ConversationRow, userId: string) =>
    conversation.buyerId === userId ? conversation.sellerId : conversation.buyerId;

  /** Realtime is best effort: the write has committed, a client that missed it reloads. */
  async function live(work: () => Promise<unknown>) {
    try {
      await work();
    } catch (error) {
      deps.logger?.warn({ err: error }, 'realtime publish failed');
    }
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

  /** A message is read once its recipient's read mark passed it (participants of any conversations). */
  function readMarks(participants: ParticipantRow[]) {
    return (row: MessageRow) => {
      const recipient = participants.find(
        (participant) =>
          participant.conversationId === row.conversationId && participant.userId !== row.senderId,
      );
      return recipient?.lastReadSeq ?? 0;
    };
  }

  /** A conversation as one of its parties sees it: the inbox's and the send answer's one shape. */
  function conversationView(parts: {
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

  async function unreadTotal(userId: string): Promise<number> {
    return repository.unreadTotal(db, userId);
  }

  async function publishUnread(userId: string) {
    await live(async () =>
      realtime.publish(userChannel(userId), 'unread.changed', { total: await unreadTotal(userId) }),
    );
  }

  /**
   * Sends to the conversation of `buyerId` about `listing`, creating it if `existing` is none.
   * Checks and reads happen before the transaction (one-connection embedded database).
   */
  async function deliver(
    ctx: RequestContext,
    target: { listing: ListingRef; buyerId: string; existing: ConversationRow | undefined },
    input: SendInput,
  ): Promise<SentMessage> {
    const senderId = requireUser(ctx, SIGN_IN);
    const { listing, buyerId, existing } = target;
    const recipientId = senderId === buyerId ? listing.sellerId : buyerId;

    const [blocks, sent, template, saleAgreed] = await Promise.all([
      repository.blocksBetween(db, senderId, recipientId),
      existing && input.clientMessageId
        ? repository.findByClientId(db, existing.id, senderId, input.clientMessageId)
        : undefined,
      input.quickReplyId ? repository.findQuickReply(db, senderId, input.quickReplyId) : undefined,
      ports.saleAgreed(listing.id, buyerId),
    ]);
    if (blocks.bBlockedA) throw messagingError('blocked');
    if (blocks.aBlockedB) throw messagingError('you_blocked_user');
    // A replay of a message already stored answers that message, and changes nothing.
    if (sent) return replay(senderId, sent);

    let text = cleanText(input.text);
    if (input.quickReplyId) {
      if (!template) throw messagingError('quick_reply_not_found');
      text = text ? `${template.text}\n${text}` : template.text;
    }
    if (text === '' && input.imageIds.length === 0) throw messagingError('empty_message');
    const beforeSale = !saleAgreed;
    const safetyWarning = beforeSale ? detectSafetyWarning(text) : null;

    const outcome = await database.transaction(async (tx) => {
      const conversation =
        existing ??
        (await repository.ensureConversation(tx, {
          listingId: listing.id,
          buyerId,
          sellerId: listing.sellerId,
        }));
      const message = await repository.insertMessage(tx, {
        conversationId: conversation.id,
        senderId,
        body: text,
        clientMessageId: input.clientMessageId ?? null,
        beforeSale,
        safetyWarning,
        imageCount: input.imageIds.length,
      });
      if (!message) {
        // The same client message id raced in from another request, which stored it first.
        const sent = await repository.findByClientId(
          tx,
          conversation.id,
          senderId,
          input.clientMessageId as string,
        );
        if (!sent) throw new Error('a conflicting message vanished');
        return { conversation, message: sent, created: false };
      }
      if (input.imageIds.length > 0) {
        const attached = await ports.images.attachToMessage(tx, {
          ownerId: senderId,
          messageId: message.id,
          imageIds: input.imageIds,
        });
        if (!attached) {
          throw messagingError('image_not_found', 'Upload the photos first; each can be sent once.', [
            { path: 'body.imageIds', message: 'are not photos you uploaded and have not sent' },
          ]);
        }
      }
      await repository.recordMessage(tx, message);
      await events.publish(tx, 'messaging.message_sent', {
        messageId: message.id,
        conversationId: conversation.id,
        listingId: listing.id,
        senderId,
        recipientId,
        preview: text ? text.slice(0, PREVIEW_LENGTH) : 'Photo',
      });
      return { conversation, message, created: true };
    });

    if (!outcome.created) return replay(senderId, outcome.message);
    const [message] = (await toMessages([outcome.message], () => 0)) as [Message];
    // Independent reads and publishes: on PostgreSQL they run side by side on the pool.
    const [recipient] = await Promise.all([
      ports.users([recipientId]).then((cards) => cards.get(recipientId)),
      live(() => realtime.publish(conversationChannel(outcome.conversation.id), 'message.created', message)),
      publishUnread(recipientId),
    ]);
    // The sender's view of the conversation, from what this request already read and wrote rather
    // than re-read (the send path's hot spot, bench/README.md "Realtime"): the new message is the
    // last, unread by the recipient; sending marked the conversation read for the sender, so a
    // newer message from the other party could only be one that raced this answer, and the
    // `unread.changed` event on the user's channel corrects the badge then.
    const conversation = conversationView({
      conversation: outcome.conversation,
      listing,
      role: senderId === buyerId ? 'buyer' : 'seller',
      otherId: recipientId,
      other: recipient,
      lastMessage: message,
      lastMessageAt: message.createdAt,
      unreadCount: 0,
      blockedByMe: blocks.aBlockedB,
      blockedMe: blocks.bBlockedA,
    });
    return { conversation, message };
  }

  async function replay(senderId: string, row: MessageRow): Promise<SentMessage> {
    const participants = await repository.participants(db, row.conversationId);
    const [message] = await toMessages([row], readMarks(participants));
    return { conversation: await conversationFor(senderId, row.conversationId), message: message as Message };
  }

  async function listingFor(listingId: string): Promise<ListingRef> {
    const listing = (await ports.listings([listingId])).get(listingId);
    if (!listing || listing.status === 'draft' || listing.status === 'removed')
      throw messagingError('listing_not_found');
    return listing;
  }

  function toQuickReply(row: QuickReplyRow): QuickReply {
    return {
      id: row.id,
      text: row.text,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  return {
    /**
     * A buyer writes about a listing: the first message starts the conversation (one per buyer
     * and listing), later ones continue it. Sellers answer through {@link sendToConversation}.
     */
    async sendAboutListing(ctx: RequestContext, listingId: string, input: SendInput): Promise<SentMessage> {
      const buyerId = requireUser(ctx, SIGN_IN);
      const listing = await listingFor(listingId);
      if (listing.sellerId === buyerId) throw messagingError('cannot_message_self');
      const existing = await repository.findConversationOf(db, listingId, buyerId);
      if (!existing) {
        if (listing.status !== 'active')
          throw messagingError('listing_not_available', `The listing is ${listing.status}.`);
        if (!listing.acceptsMessages) throw messagingError('messages_disabled');
        // Only the first contact: replies in a conversation already open stay possible.
        await ports.requireVerifiedEmail(buyerId, 'write to a seller');
      }
      return deliver(ctx, { listing, buyerId, existing }, input);
    },

    async sendToConversation(
      ctx: RequestContext,
      conversationId: string,
      input: SendInput,
    ): Promise<SentMessage> {
      const { conversation } = await membership(ctx, conversationId);
      const listing = (await ports.listings([conversation.listingId])).get(conversation.listingId);
      if (!listing || listing.status === 'removed')
        throw messagingError('listing_not_available', 'The listing was removed; the conversation is closed.');
      return deliver(ctx, { listing, buyerId: conversation.buyerId, existing: conversation }, input);
    },

    async list(ctx: RequestContext, query: { limit: number; cursor?: string | undefined }) {
      const userId = requireUser(ctx, SIGN_IN);
      const rows = await repository.inbox(db, userId, {
        limit: query.limit + 1,
        beforeSeq: decodeSeq(query.cursor),
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: await toConversations(userId, page),
        nextCursor: rows.length > query.limit && last ? encodeSeq(last.participant.lastMessageSeq) : null,
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
        beforeSeq: decodeSeq(query.cursor),
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const participants = await repository.participants(db, conversationId);
      return {
        items: await toMessages(page, readMarks(participants)),
        nextCursor: rows.length > query.limit && last ? encodeSeq(last.seq) : null,
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
        beforeSeq: decodeSeq(query.cursor),
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
      return { items, nextCursor: rows.length > query.limit && last ? encodeSeq(last.message.seq) : null };
    },

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
      let after: { at: Date; id: string } | undefined;
      if (query.cursor) {
        const [ms, id] = Buffer.from(query.cursor, 'base64url').toString().split('|');
        const at = new Date(Number(ms));
        if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(at.getTime()))
          throw messagingError('invalid_cursor');
        after = { at, id };
      }
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
            ? Buffer.from(`${last.createdAt.getTime()}|${last.blockedId}`).toString('base64url')
            : null,
      };
    },

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

    /** The realtime authorizer of `conversation:<id>`: its buyer and seller only. */
    async isParticipant(userId: string, conversationId: string): Promise<boolean> {
      if (!/^[0-9a-f-]{36}$/i.test(conversationId)) return false;
      return (await repository.participantRow(db, conversationId, userId)) !== undefined;
    },

    /**
     * Whether `buyerId` ever wrote to `sellerId` about one of the seller's listings (the reviews
     * module's port: a review needs a prior conversation). A message, not an empty row, counts.
     */
    haveTalked(buyerId: string, sellerId: string): Promise<boolean> {
      return repository.haveTalked(db, buyerId, sellerId);
    },
  };
}

export type MessagingService = ReturnType<typeof createMessagingService>;
