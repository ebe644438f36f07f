import type { Message, SentMessage } from '@souk/contracts';
import type { Database } from '../../platform/db/database.js';
import type { EventPublisher } from '../../platform/events.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { messagingError } from './messaging.errors.js';
import type { MessagingEvents } from './messaging.events.js';
import { conversationChannel, type LiveUpdates } from './messaging.live.js';
import type { MessagingRepository } from './messaging.repository.js';
import { detectSafetyWarning } from './messaging.safety.js';
import type { ConversationRow, MessageRow } from './messaging.schema.js';
import type { ListingRef, MessagingPorts, RealtimePort, SendInput } from './messaging.service.js';
import { cleanText, conversationView, type MessagingViews, readMarks, SIGN_IN } from './messaging.views.js';

const PREVIEW_LENGTH = 140;

/**
 * Sending: a buyer's first message starts the conversation, later ones and the seller's answers
 * continue it. Blocks, quick replies, the safety warning and client-id replays are decided here.
 */
export function createMessageSender(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: MessagingRepository;
  events: EventPublisher<MessagingEvents>;
  realtime: RealtimePort;
  ports: MessagingPorts;
  views: MessagingViews;
  live: LiveUpdates;
}) {
  const { database, repository, events, realtime, ports } = deps;
  const { membership, toMessages, conversationFor } = deps.views;
  const { live, publishUnread } = deps.live;
  const db = database.db;

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
  };
}
