import { and, asc, count, desc, eq, getTableColumns, gt, inArray, lt, ne, or, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { preparedStatement } from '../../platform/db/prepared.js';
import {
  type ConversationRow,
  conversationParticipants,
  conversationReports,
  conversations,
  type MessageRow,
  messages,
  type ParticipantRow,
  type QuickReplyRow,
  quickReplies,
  type ReportReason,
  type SafetyWarningKind,
  userBlocks,
} from './messaging.schema.js';

/** Serialises one user's quick-reply changes (the cap) until the transaction ends. */
const QUICK_REPLIES_LOCK = 0x71756963; // "quic"

export type InboxRow = { participant: ParticipantRow; conversation: ConversationRow };

/** Every column of a message but its tsvector: selecting that would ship and parse it on each read. */
const { searchVector: _searchVector, ...messageColumns } = getTableColumns(messages);

// The statements of every send and every unread badge, built once (platform/db/prepared.ts).
const participantOf = preparedStatement('messaging_participant_row', (db, name) =>
  db
    .select({ participant: conversationParticipants, conversation: conversations })
    .from(conversationParticipants)
    .innerJoin(conversations, eq(conversations.id, conversationParticipants.conversationId))
    .where(
      and(
        eq(conversationParticipants.conversationId, sql.placeholder('conversationId')),
        eq(conversationParticipants.userId, sql.placeholder('userId')),
      ),
    )
    .prepare(name),
);
const messageByClientId = preparedStatement('messaging_message_by_client_id', (db, name) =>
  db
    .select(messageColumns)
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, sql.placeholder('conversationId')),
        eq(messages.senderId, sql.placeholder('senderId')),
        eq(messages.clientMessageId, sql.placeholder('clientMessageId')),
      ),
    )
    .prepare(name),
);
const blockersBetween = preparedStatement('messaging_blocks_between', (db, name) =>
  db
    .select({ blockerId: userBlocks.blockerId })
    .from(userBlocks)
    .where(
      or(
        and(eq(userBlocks.blockerId, sql.placeholder('a')), eq(userBlocks.blockedId, sql.placeholder('b'))),
        and(eq(userBlocks.blockerId, sql.placeholder('b')), eq(userBlocks.blockedId, sql.placeholder('a'))),
      ),
    )
    .prepare(name),
);
const unreadTotalOf = preparedStatement('messaging_unread_total', (db, name) => {
  const p = conversationParticipants;
  return (
    db
      .select({ unread: count(messages.id) })
      .from(p)
      .innerJoin(
        messages,
        and(
          eq(messages.conversationId, p.conversationId),
          gt(messages.seq, sql`greatest(${p.lastReadSeq}, ${p.hiddenUpToSeq})`),
          ne(messages.senderId, p.userId),
        ),
      )
      // Conversations with nothing new are skipped before any message is looked at.
      .where(
        and(
          eq(p.userId, sql.placeholder('userId')),
          gt(p.lastMessageSeq, sql`greatest(${p.lastReadSeq}, ${p.hiddenUpToSeq})`),
        ),
      )
      .prepare(name)
  );
});

/** The messages of a conversation this participant has not deleted for themselves. */
const visibleTo = (participant: ParticipantRow) =>
  and(eq(messages.conversationId, participant.conversationId), gt(messages.seq, participant.hiddenUpToSeq));

/** Conversations and their two participants: the inbox, read marks, unread counts, delete-for-me. */
function conversationRows() {
  return {
    async findConversation(db: Queryable, id: string): Promise<ConversationRow | undefined> {
      const [row] = await db.select().from(conversations).where(eq(conversations.id, id));
      return row;
    },

    async haveTalked(db: Queryable, buyerId: string, sellerId: string): Promise<boolean> {
      const [row] = await db
        // Through the participants' inbox index: conversations has none on buyer_id.
        .select({ id: conversations.id })
        .from(conversationParticipants)
        .innerJoin(conversations, eq(conversations.id, conversationParticipants.conversationId))
        .where(
          and(
            eq(conversationParticipants.userId, buyerId),
            eq(conversationParticipants.role, 'buyer'),
            eq(conversations.sellerId, sellerId),
          ),
        )
        .limit(1);
      return row !== undefined;
    },

    async findConversationOf(
      db: Queryable,
      listingId: string,
      buyerId: string,
    ): Promise<ConversationRow | undefined> {
      const [row] = await db
        .select()
        .from(conversations)
        .where(and(eq(conversations.listingId, listingId), eq(conversations.buyerId, buyerId)));
      return row;
    },

    /**
     * The buyer's conversation about the listing, created with both participants if there is
     * none. Two first messages at once end in one conversation: the second insert waits for the
     * first and then finds its row.
     */
    async ensureConversation(
      tx: Queryable,
      values: { listingId: string; buyerId: string; sellerId: string },
    ): Promise<ConversationRow> {
      const [created] = await tx.insert(conversations).values(values).onConflictDoNothing().returning();
      if (created) {
        await tx.insert(conversationParticipants).values([
          { conversationId: created.id, userId: values.buyerId, role: 'buyer' },
          { conversationId: created.id, userId: values.sellerId, role: 'seller' },
        ]);
        return created;
      }
      const [existing] = await tx
        .select()
        .from(conversations)
        .where(and(eq(conversations.listingId, values.listingId), eq(conversations.buyerId, values.buyerId)));
      if (!existing) throw new Error('conversation vanished while being created');
      return existing;
    },

    participants(db: Queryable, conversationId: string): Promise<ParticipantRow[]> {
      return db
        .select()
        .from(conversationParticipants)
        .where(eq(conversationParticipants.conversationId, conversationId));
    },

    /** Both participants of each of several conversations, in one query. */
    participantsOf(db: Queryable, conversationIds: string[]): Promise<ParticipantRow[]> {
      if (conversationIds.length === 0) return Promise.resolve([]);
      return db
        .select()
        .from(conversationParticipants)
        .where(inArray(conversationParticipants.conversationId, conversationIds));
    },

    /** Stores a message; undefined when this sender already sent this client message id here. */
    /** A user's inbox: conversations with a message they have not deleted, newest first. */
    async inbox(
      db: Queryable,
      userId: string,
      page: { limit: number; beforeSeq?: number | undefined },
    ): Promise<InboxRow[]> {
      const p = conversationParticipants;
      const conditions = [eq(p.userId, userId), gt(p.lastMessageSeq, p.hiddenUpToSeq)];
      if (page.beforeSeq !== undefined) conditions.push(lt(p.lastMessageSeq, page.beforeSeq));
      const rows = await db
        .select({ participant: p, conversation: conversations })
        .from(p)
        .innerJoin(conversations, eq(conversations.id, p.conversationId))
        .where(and(...conditions))
        .orderBy(desc(p.lastMessageSeq))
        .limit(page.limit);
      return rows;
    },

    async participantRow(
      db: Queryable,
      conversationId: string,
      userId: string,
    ): Promise<InboxRow | undefined> {
      const [row] = await participantOf(db, { conversationId, userId });
      return row;
    },

    /** Unread messages from the other party, per conversation of this user. */
    async unreadCounts(
      db: Queryable,
      userId: string,
      conversationIds: string[],
    ): Promise<Map<string, number>> {
      if (conversationIds.length === 0) return new Map();
      const p = conversationParticipants;
      const rows = await db
        .select({ conversationId: p.conversationId, unread: count(messages.id) })
        .from(p)
        .innerJoin(
          messages,
          and(
            eq(messages.conversationId, p.conversationId),
            gt(messages.seq, sql`greatest(${p.lastReadSeq}, ${p.hiddenUpToSeq})`),
            ne(messages.senderId, p.userId),
          ),
        )
        .where(and(eq(p.userId, userId), inArray(p.conversationId, conversationIds)))
        .groupBy(p.conversationId);
      return new Map(rows.map((row) => [row.conversationId, Number(row.unread)]));
    },

    async unreadTotal(db: Queryable, userId: string): Promise<number> {
      const [row] = await unreadTotalOf(db, { userId });
      return Number(row?.unread ?? 0);
    },

    /** Moves the read mark forward (never back); returns the row when it moved. */
    async markRead(
      tx: Queryable,
      conversationId: string,
      userId: string,
      upToSeq: number,
    ): Promise<ParticipantRow | undefined> {
      const p = conversationParticipants;
      const [row] = await tx
        .update(p)
        .set({ lastReadSeq: upToSeq })
        .where(and(eq(p.conversationId, conversationId), eq(p.userId, userId), lt(p.lastReadSeq, upToSeq)))
        .returning();
      return row;
    },

    /** Deletes the conversation for this user: everything so far is hidden (and read). */
    async hide(tx: Queryable, conversationId: string, userId: string): Promise<void> {
      const p = conversationParticipants;
      await tx
        .update(p)
        .set({
          hiddenUpToSeq: p.lastMessageSeq,
          lastReadSeq: sql`greatest(${p.lastReadSeq}, ${p.lastMessageSeq})`,
        })
        .where(and(eq(p.conversationId, conversationId), eq(p.userId, userId)));
    },
  };
}

/** Messages: stored once per client id, numbered by one sequence, paged and searched by it. */
function messageRows() {
  return {
    async insertMessage(
      tx: Queryable,
      values: {
        conversationId: string;
        senderId: string;
        body: string;
        clientMessageId: string | null;
        beforeSale: boolean;
        safetyWarning: SafetyWarningKind | null;
        imageCount: number;
      },
    ): Promise<MessageRow | undefined> {
      const [row] = await tx
        .insert(messages)
        .values(values)
        .onConflictDoNothing({
          target: [messages.conversationId, messages.senderId, messages.clientMessageId],
        })
        .returning(messageColumns);
      return row;
    },

    async findByClientId(
      db: Queryable,
      conversationId: string,
      senderId: string,
      clientMessageId: string,
    ): Promise<MessageRow | undefined> {
      const [row] = await messageByClientId(db, { conversationId, senderId, clientMessageId });
      return row as MessageRow | undefined;
    },

    async findMessage(db: Queryable, conversationId: string, id: string): Promise<MessageRow | undefined> {
      const [row] = await db
        .select(messageColumns)
        .from(messages)
        .where(and(eq(messages.conversationId, conversationId), eq(messages.id, id)));
      return row;
    },

    async messagesBySeq(db: Queryable, seqs: number[]): Promise<MessageRow[]> {
      if (seqs.length === 0) return [];
      return db.select(messageColumns).from(messages).where(inArray(messages.seq, seqs));
    },

    /**
     * After a message: the conversation moves up both inboxes; the sender has read it. One
     * statement (the conversation's update rides in a CTE): a round trip less in the send path.
     */
    async recordMessage(tx: Queryable, message: MessageRow): Promise<void> {
      const p = conversationParticipants;
      await tx.execute(sql`
        with moved as (
          update ${conversations} set last_message_at = ${message.createdAt}
          where ${conversations.id} = ${message.conversationId}
        )
        update ${p}
        set last_message_seq = greatest(${p.lastMessageSeq}, ${message.seq}),
            last_read_seq = case when ${p.userId} = ${message.senderId}
              then greatest(${p.lastReadSeq}, ${message.seq}) else ${p.lastReadSeq} end
        where ${p.conversationId} = ${message.conversationId}`);
    },

    /** Newest first, keyset-paged by seq; only what this participant has not deleted. */
    listMessages(
      db: Queryable,
      participant: ParticipantRow,
      page: { limit: number; beforeSeq?: number | undefined },
    ): Promise<MessageRow[]> {
      const conditions = [visibleTo(participant)];
      if (page.beforeSeq !== undefined) conditions.push(lt(messages.seq, page.beforeSeq));
      return db
        .select(messageColumns)
        .from(messages)
        .where(and(...conditions))
        .orderBy(desc(messages.seq))
        .limit(page.limit);
    },

    /** The evidence of a report: the newest messages, deleted-for-me or not, oldest first. */
    async lastMessages(db: Queryable, conversationId: string, limit: number): Promise<MessageRow[]> {
      const rows = await db
        .select(messageColumns)
        .from(messages)
        .where(eq(messages.conversationId, conversationId))
        .orderBy(desc(messages.seq))
        .limit(limit);
      return rows.reverse();
    },

    /** Full-text search in the messages this user can see, newest first. */
    async search(
      db: Queryable,
      userId: string,
      tsquery: string,
      page: { limit: number; beforeSeq?: number | undefined },
    ): Promise<{ message: MessageRow; conversation: ConversationRow }[]> {
      const p = conversationParticipants;
      const conditions = [
        eq(p.userId, userId),
        gt(messages.seq, p.hiddenUpToSeq),
        sql`${messages.searchVector} @@ to_tsquery('simple', ${tsquery})`,
      ];
      if (page.beforeSeq !== undefined) conditions.push(lt(messages.seq, page.beforeSeq));
      return db
        .select({ message: messages, conversation: conversations })
        .from(p)
        .innerJoin(messages, eq(messages.conversationId, p.conversationId))
        .innerJoin(conversations, eq(conversations.id, p.conversationId))
        .where(and(...conditions))
        .orderBy(desc(messages.seq))
        .limit(page.limit);
    },
  };
}

/** Blocks between members and reports of conversations. */
function protectionRows() {
  return {
    async block(tx: Queryable, blockerId: string, blockedId: string): Promise<void> {
      await tx.insert(userBlocks).values({ blockerId, blockedId }).onConflictDoNothing();
    },

    async unblock(tx: Queryable, blockerId: string, blockedId: string): Promise<void> {
      await tx
        .delete(userBlocks)
        .where(and(eq(userBlocks.blockerId, blockerId), eq(userBlocks.blockedId, blockedId)));
    },

    /** Who blocked whom between two users. */
    async blocksBetween(
      db: Queryable,
      a: string,
      b: string,
    ): Promise<{ aBlockedB: boolean; bBlockedA: boolean }> {
      const rows = await blockersBetween(db, { a, b });
      return {
        aBlockedB: rows.some((row) => row.blockerId === a),
        bBlockedA: rows.some((row) => row.blockerId === b),
      };
    },

    /** Of `others`, those `userId` blocked and those who blocked `userId`. */
    async blocksWith(db: Queryable, userId: string, others: string[]) {
      if (others.length === 0) return { blocked: new Set<string>(), blockedBy: new Set<string>() };
      const rows = await db
        .select()
        .from(userBlocks)
        .where(
          or(
            and(eq(userBlocks.blockerId, userId), inArray(userBlocks.blockedId, others)),
            and(eq(userBlocks.blockedId, userId), inArray(userBlocks.blockerId, others)),
          ),
        );
      return {
        blocked: new Set(rows.filter((row) => row.blockerId === userId).map((row) => row.blockedId)),
        blockedBy: new Set(rows.filter((row) => row.blockedId === userId).map((row) => row.blockerId)),
      };
    },

    listBlocks(
      db: Queryable,
      blockerId: string,
      page: { limit: number; after?: { at: Date; id: string } | undefined },
    ) {
      const conditions = [eq(userBlocks.blockerId, blockerId)];
      if (page.after) {
        conditions.push(
          or(
            lt(userBlocks.createdAt, page.after.at),
            and(eq(userBlocks.createdAt, page.after.at), lt(userBlocks.blockedId, page.after.id)),
          ) as ReturnType<typeof eq>,
        );
      }
      return db
        .select()
        .from(userBlocks)
        .where(and(...conditions))
        .orderBy(desc(userBlocks.createdAt), desc(userBlocks.blockedId))
        .limit(page.limit);
    },

    /** Undefined when this reporter has an open report on the conversation already. */
    async insertReport(
      tx: Queryable,
      values: {
        conversationId: string;
        reporterId: string;
        reportedUserId: string;
        reason: ReportReason;
        text: string;
        evidence: { id: string; senderId: string; text: string; imageCount: number; createdAt: string }[];
      },
    ) {
      const [row] = await tx.insert(conversationReports).values(values).onConflictDoNothing().returning();
      return row;
    },
  };
}

/** A member's saved answers. */
function quickReplyRows() {
  return {
    async lockQuickReplies(tx: Queryable, userId: string): Promise<void> {
      await tx.execute(sql`select pg_advisory_xact_lock(${QUICK_REPLIES_LOCK}, hashtext(${userId}))`);
    },

    listQuickReplies(db: Queryable, userId: string): Promise<QuickReplyRow[]> {
      return db
        .select()
        .from(quickReplies)
        .where(eq(quickReplies.userId, userId))
        .orderBy(asc(quickReplies.createdAt), asc(quickReplies.id));
    },

    async findQuickReply(db: Queryable, userId: string, id: string): Promise<QuickReplyRow | undefined> {
      const [row] = await db
        .select()
        .from(quickReplies)
        .where(and(eq(quickReplies.id, id), eq(quickReplies.userId, userId)));
      return row;
    },

    async insertQuickReply(tx: Queryable, userId: string, text: string): Promise<QuickReplyRow> {
      const [row] = await tx.insert(quickReplies).values({ userId, text }).returning();
      if (!row) throw new Error('insert returned no row');
      return row;
    },

    async updateQuickReply(
      tx: Queryable,
      userId: string,
      id: string,
      text: string,
    ): Promise<QuickReplyRow | undefined> {
      const [row] = await tx
        .update(quickReplies)
        .set({ text, updatedAt: new Date() })
        .where(and(eq(quickReplies.id, id), eq(quickReplies.userId, userId)))
        .returning();
      return row;
    },

    async deleteQuickReply(tx: Queryable, userId: string, id: string): Promise<boolean> {
      const rows = await tx
        .delete(quickReplies)
        .where(and(eq(quickReplies.id, id), eq(quickReplies.userId, userId)))
        .returning({ id: quickReplies.id });
      return rows.length > 0;
    },
  };
}

/** The only file that touches the messaging tables. */
export function createMessagingRepository() {
  return { ...conversationRows(), ...messageRows(), ...protectionRows(), ...quickReplyRows() };
}

export type MessagingRepository = ReturnType<typeof createMessagingRepository>;
