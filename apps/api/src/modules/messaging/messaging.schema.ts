import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { users } from '../auth/auth.schema.js';
import { listings } from '../listings/listings.schema.js';

export type ParticipantRole = 'buyer' | 'seller';
export type SafetyWarningKind = 'contact_details' | 'payment_link';
export type ReportReason = 'spam' | 'scam' | 'harassment' | 'inappropriate' | 'other';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/** One per buyer and listing: the buyer's first message creates it. */
export const conversations = pgTable(
  'conversations',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    buyerId: uuid('buyer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('conversations_listing_buyer_key').on(table.listingId, table.buyerId),
    check('conversations_not_self', sql`${table.buyerId} <> ${table.sellerId}`),
  ],
);

/**
 * Each participant's own view of a conversation. Positions are message `seq` numbers:
 * everything up to `last_read_seq` is read, everything up to `hidden_up_to_seq` was deleted for
 * this participant. `last_message_seq` repeats the conversation's newest message so the inbox is
 * one index scan per user.
 */
export const conversationParticipants = pgTable(
  'conversation_participants',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').$type<ParticipantRole>().notNull(),
    lastMessageSeq: bigint('last_message_seq', { mode: 'number' }).notNull().default(0),
    lastReadSeq: bigint('last_read_seq', { mode: 'number' }).notNull().default(0),
    hiddenUpToSeq: bigint('hidden_up_to_seq', { mode: 'number' }).notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.conversationId, table.userId] }),
    index('conversation_participants_inbox_idx').on(table.userId, table.lastMessageSeq),
    check('conversation_participants_role', sql`${table.role} in ('buyer', 'seller')`),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    /** Order of messages: one sequence for all, so paging by it is stable. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity().notNull(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    senderId: uuid('sender_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    body: text('body').notNull().default(''),
    clientMessageId: text('client_message_id'),
    /** Whether no sale was agreed with this buyer when it was sent (the safety check applies). */
    beforeSale: boolean('before_sale').notNull(),
    safetyWarning: text('safety_warning').$type<SafetyWarningKind>(),
    imageCount: integer('image_count').notNull().default(0),
    searchVector: tsvector('search_vector').notNull().generatedAlwaysAs(sql`to_tsvector('simple', body)`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('messages_seq_key').on(table.seq),
    index('messages_conversation_idx').on(table.conversationId, table.seq),
    uniqueIndex('messages_client_id_key').on(table.conversationId, table.senderId, table.clientMessageId),
    index('messages_search_idx').using('gin', table.searchVector),
    check(
      'messages_safety_warning',
      sql`${table.safetyWarning} is null or ${table.safetyWarning} in ('contact_details', 'payment_link')`,
    ),
  ],
);

/** `blocker_id` blocked `blocked_id`: neither may message the other until it is lifted. */
export const userBlocks = pgTable(
  'user_blocks',
  {
    blockerId: uuid('blocker_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    blockedId: uuid('blocked_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.blockerId, table.blockedId] }),
    index('user_blocks_blocked_idx').on(table.blockedId),
  ],
);

/** A participant's report, with the messages as they were then, for the moderation queue. */
export const conversationReports = pgTable(
  'conversation_reports',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    reporterId: uuid('reporter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reportedUserId: uuid('reported_user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reason: text('reason').$type<ReportReason>().notNull(),
    text: text('text').notNull().default(''),
    /** Snapshot of the newest messages when reported: the evidence survives later deletions. */
    evidence: jsonb('evidence')
      .$type<{ id: string; senderId: string; text: string; imageCount: number; createdAt: string }[]>()
      .notNull(),
    status: text('status').$type<'open' | 'resolved' | 'dismissed'>().notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('conversation_reports_open_key')
      .on(table.conversationId, table.reporterId)
      .where(sql`${table.status} = 'open'`),
    index('conversation_reports_queue_idx').on(table.status, table.createdAt),
    check(
      'conversation_reports_reason',
      sql`${table.reason} in ('spam', 'scam', 'harassment', 'inappropriate', 'other')`,
    ),
  ],
);

/** A user's saved reply templates. */
export const quickReplies = pgTable(
  'quick_replies',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('quick_replies_user_idx').on(table.userId, table.createdAt)],
);

export type ConversationRow = typeof conversations.$inferSelect;
export type ParticipantRow = typeof conversationParticipants.$inferSelect;
/** A message as the service sees it: without `search_vector`, which only the search query reads. */
export type MessageRow = Omit<typeof messages.$inferSelect, 'searchVector'>;
export type QuickReplyRow = typeof quickReplies.$inferSelect;
