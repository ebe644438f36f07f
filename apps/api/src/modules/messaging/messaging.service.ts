import type { ListingImage, MessageImage, Price } from '@souk/contracts';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { EventPublisher } from '../../platform/events.js';
import type { Logger } from '../../platform/logger.js';
import { createConversations } from './messaging.conversations.js';
import type { MessagingEvents } from './messaging.events.js';
import { createLiveUpdates } from './messaging.live.js';
import { createMessagingModeration } from './messaging.moderation.js';
import { createQuickReplies } from './messaging.quick-replies.js';
import type { MessagingRepository } from './messaging.repository.js';
import { createMessageSender } from './messaging.send.js';
import { createMessagingViews } from './messaging.views.js';

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

/**
 * Messaging, put together from its parts: sending, conversations (inbox, messages, read marks,
 * typing, search), a member's protection (reports, blocks) and quick replies, over shared views.
 */
export function createMessagingService(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: MessagingRepository;
  events: EventPublisher<MessagingEvents>;
  realtime: RealtimePort;
  ports: MessagingPorts;
  logger?: Pick<Logger, 'warn'> | undefined;
}) {
  const { database, repository } = deps;
  const db = database.db;
  const views = createMessagingViews(deps);
  const live = createLiveUpdates(deps);

  return {
    ...createMessageSender({ ...deps, views, live }),
    ...createConversations({ ...deps, views, live }),
    ...createMessagingModeration({ ...deps, views }),
    ...createQuickReplies(deps),

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
