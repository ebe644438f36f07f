import { z } from 'zod';
import { CursorQuery, Id, IsoDateTime, pageOf } from './common.js';
import { ListingImage, ListingStatus, Price } from './listings.js';

/** The most characters one message carries; longer text is refused, not cut. */
export const MESSAGE_MAX_LENGTH = 4000;
/** Photos one message may carry. */
export const MESSAGE_MAX_IMAGES = 6;
/** Saved quick-reply templates a user may keep. */
export const QUICK_REPLIES_MAX = 20;
export const QUICK_REPLY_MAX_LENGTH = 500;

/** Why a received message shows a warning: contact details or a payment link before a sale. */
export const SafetyWarning = z.enum(['contact_details', 'payment_link']);
export type SafetyWarning = z.infer<typeof SafetyWarning>;

/** A photo sent in a message: WebP variants like a listing photo. */
export const MessageImage = ListingImage.pick({
  id: true,
  width: true,
  height: true,
  placeholder: true,
  variants: true,
}).meta({ id: 'MessageImage' });
export type MessageImage = z.infer<typeof MessageImage>;

export const Message = z
  .object({
    id: Id,
    conversationId: Id,
    senderId: Id,
    text: z.string(),
    images: z.array(MessageImage),
    safetyWarning: SafetyWarning.nullable().describe(
      'Set when the text carried contact details or a payment link before a sale; the receiver sees a warning',
    ),
    clientMessageId: z.string().nullable(),
    /** Whether the other participant has read it (a read receipt). */
    read: z.boolean(),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'Message' });
export type Message = z.infer<typeof Message>;

/** Anyone's public face in a conversation. */
export const UserCard = z
  .object({ id: Id, displayName: z.string(), avatarUrl: z.string().nullable() })
  .meta({ id: 'UserCard' });
export type UserCard = z.infer<typeof UserCard>;

export const ConversationListing = z.object({
  id: Id,
  title: z.string(),
  status: ListingStatus,
  price: Price.nullable(),
  primaryImage: ListingImage.nullable(),
});

export const Conversation = z
  .object({
    id: Id,
    listing: ConversationListing,
    /** Whether I am the buyer or the seller here. */
    role: z.enum(['buyer', 'seller']),
    otherParty: UserCard,
    lastMessage: Message.nullable(),
    unreadCount: z.number().int(),
    /** I blocked the other party (then I cannot send until I unblock). */
    blockedByMe: z.boolean(),
    /** The other party blocked me: I cannot send. */
    blockedMe: z.boolean(),
    lastMessageAt: IsoDateTime,
    createdAt: IsoDateTime,
  })
  .meta({ id: 'Conversation' });
export type Conversation = z.infer<typeof Conversation>;

export const ConversationPage = pageOf(Conversation);
export type ConversationPage = z.infer<typeof ConversationPage>;
export const MessagePage = pageOf(Message);
export type MessagePage = z.infer<typeof MessagePage>;

export const ConversationIdParams = z.object({ id: Id });
export const ConversationsQuery = CursorQuery;
export const MessagesQuery = CursorQuery;

const clientMessageId = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\w.:-]+$/, 'use letters, digits, dot, colon, underscore or hyphen')
  .describe('Chosen by the client; sending the same id twice stores one message');

/** Text, photos (uploaded first, by id) or a saved quick reply; at least one of them. */
export const SendMessageBody = z
  .object({
    text: z.string().max(MESSAGE_MAX_LENGTH).default(''),
    imageIds: z.array(Id).max(MESSAGE_MAX_IMAGES).default([]),
    quickReplyId: Id.optional().describe('Send this saved template as the text'),
    clientMessageId: clientMessageId.optional(),
  })
  .meta({ id: 'SendMessageBody' });
export type SendMessageBody = z.input<typeof SendMessageBody>;

export const StartConversationBody = SendMessageBody.extend({ listingId: Id }).meta({
  id: 'StartConversationBody',
});
export type StartConversationBody = z.input<typeof StartConversationBody>;

/** The conversation (started now or before) and the message just sent. */
export const SentMessage = z
  .object({ conversation: Conversation, message: Message })
  .meta({ id: 'SentMessage' });
export type SentMessage = z.infer<typeof SentMessage>;

export const MarkReadBody = z.object({
  upToMessageId: Id.optional().describe('Read everything up to this message; the newest when left out'),
});
export const UnreadTotal = z.object({ total: z.number().int() }).meta({ id: 'UnreadTotal' });
export type UnreadTotal = z.infer<typeof UnreadTotal>;

export const UploadedMessageImages = z.object({ items: z.array(MessageImage) });
export type UploadedMessageImages = z.infer<typeof UploadedMessageImages>;

export const MessageSearchQuery = CursorQuery.extend({ q: z.string().trim().min(2).max(200) });
export const MessageSearchHit = z
  .object({
    message: Message,
    conversationId: Id,
    listingTitle: z.string(),
    otherParty: UserCard,
  })
  .meta({ id: 'MessageSearchHit' });
export type MessageSearchHit = z.infer<typeof MessageSearchHit>;
export const MessageSearchPage = pageOf(MessageSearchHit);
export type MessageSearchPage = z.infer<typeof MessageSearchPage>;

export const ReportReason = z.enum(['spam', 'scam', 'harassment', 'inappropriate', 'other']);
export const ReportConversationBody = z.object({
  reason: ReportReason,
  text: z.string().trim().max(2000).default(''),
});
export type ReportConversationBody = z.input<typeof ReportConversationBody>;
export const ConversationReport = z
  .object({
    id: Id,
    conversationId: Id,
    reason: ReportReason,
    status: z.enum(['open']),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'ConversationReport' });

export const BlockedUser = z.object({ user: UserCard, blockedAt: IsoDateTime }).meta({ id: 'BlockedUser' });
export type BlockedUser = z.infer<typeof BlockedUser>;
export const BlockedUserPage = pageOf(BlockedUser);
export const BlockUserParams = z.object({ id: Id });

export const QuickReply = z
  .object({ id: Id, text: z.string(), createdAt: IsoDateTime, updatedAt: IsoDateTime })
  .meta({ id: 'QuickReply' });
export type QuickReply = z.infer<typeof QuickReply>;
export const QuickReplyList = z.object({ items: z.array(QuickReply) });
export const QuickReplyBody = z.object({ text: z.string().trim().min(1).max(QUICK_REPLY_MAX_LENGTH) });
export const QuickReplyIdParams = z.object({ id: Id });

/** Live events on `conversation:<id>` and `user:<id>` (see realtime). */
export const MessageReadEvent = z.object({
  conversationId: Id,
  readerId: Id,
  upToMessageId: Id,
  readAt: IsoDateTime,
});
export type MessageReadEvent = z.infer<typeof MessageReadEvent>;
export const TypingEvent = z.object({ conversationId: Id, userId: Id });
export type TypingEvent = z.infer<typeof TypingEvent>;
