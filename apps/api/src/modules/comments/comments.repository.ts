import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { type CommentRow, comments } from './comments.schema.js';

/** The only file that touches the comments table. */
export function createCommentsRepository() {
  return {
    async find(db: Queryable, id: string): Promise<CommentRow | undefined> {
      const [row] = await db.select().from(comments).where(eq(comments.id, id));
      return row;
    },

    /** The row locked until the transaction ends: deletes and replies on it wait for each other. */
    async lock(tx: Queryable, id: string): Promise<CommentRow | undefined> {
      const [row] = await tx.select().from(comments).where(eq(comments.id, id)).for('update');
      return row;
    },

    async insert(
      tx: Queryable,
      values: Omit<typeof comments.$inferInsert, 'createdAt' | 'replyCount'> & { id: string },
    ): Promise<CommentRow> {
      const [row] = await tx.insert(comments).values(values).returning();
      return row as CommentRow;
    },

    async addReplies(tx: Queryable, id: string, delta: 1 | -1): Promise<CommentRow | undefined> {
      const [row] = await tx
        .update(comments)
        .set({ replyCount: sql`${comments.replyCount} + ${delta}` })
        .where(eq(comments.id, id))
        .returning();
      return row;
    },

    async edit(tx: Queryable, id: string, body: string): Promise<CommentRow> {
      const [row] = await tx
        .update(comments)
        .set({ body, editedAt: new Date() })
        .where(eq(comments.id, id))
        .returning();
      return row as CommentRow;
    },

    async markDeleted(tx: Queryable, id: string): Promise<void> {
      await tx.update(comments).set({ body: '', deletedAt: new Date() }).where(eq(comments.id, id));
    },

    async remove(tx: Queryable, id: string): Promise<void> {
      await tx.delete(comments).where(eq(comments.id, id));
    },

    /** A page of top-level comments (placeholders too), oldest first. */
    async roots(db: Queryable, listingId: string, afterId: string | null, limit: number) {
      return db
        .select({ id: comments.id })
        .from(comments)
        .where(
          and(
            eq(comments.listingId, listingId),
            isNull(comments.parentId),
            afterId ? gt(comments.id, afterId) : undefined,
          ),
        )
        .orderBy(asc(comments.id))
        .limit(limit);
    },

    /** Every comment of these threads, depth-first (`path` order). */
    async threads(db: Queryable, rootIds: string[]): Promise<CommentRow[]> {
      if (rootIds.length === 0) return [];
      return db
        .select()
        .from(comments)
        .where(inArray(comments.rootId, rootIds))
        .orderBy(sql`${comments.path} collate "C"`);
    },

    async countVisible(db: Queryable, listingId: string): Promise<number> {
      const [row] = await db
        .select({ total: sql<number>`count(*)::int` })
        .from(comments)
        .where(and(eq(comments.listingId, listingId), isNull(comments.deletedAt)));
      return row?.total ?? 0;
    },
  };
}

export type CommentsRepository = ReturnType<typeof createCommentsRepository>;
