import { and, desc, eq, inArray, lt, or } from 'drizzle-orm';
import type { Queryable } from '../db/database.js';
import { devMailbox } from './mail.schema.js';

export type DevMailRow = typeof devMailbox.$inferSelect;
export type NewDevMailRow = typeof devMailbox.$inferInsert;

/** A position in the newest-first order: the last row of the page before. */
export type DevMailPosition = { createdAt: Date; id: string };

/** Every dev mailbox query; the only file that touches the `dev_mailbox` table. */
export function createDevMailboxRepository() {
  const newestFirst = [desc(devMailbox.createdAt), desc(devMailbox.id)] as const;

  return {
    async insert(db: Queryable, values: NewDevMailRow): Promise<DevMailRow> {
      const [row] = await db.insert(devMailbox).values(values).returning();
      if (!row) throw new Error('insert returned no row');
      return row;
    },

    /** Deletes everything but the newest `keep` mails. */
    async trim(db: Queryable, keep: number): Promise<void> {
      const older = db
        .select({ id: devMailbox.id })
        .from(devMailbox)
        .orderBy(...newestFirst)
        .offset(keep);
      await db.delete(devMailbox).where(inArray(devMailbox.id, older));
    },

    /** Up to `limit` summaries, newest first, strictly after `after` when given. */
    list(db: Queryable, limit: number, after?: DevMailPosition) {
      return db
        .select({
          id: devMailbox.id,
          to: devMailbox.to,
          from: devMailbox.from,
          subject: devMailbox.subject,
          createdAt: devMailbox.createdAt,
        })
        .from(devMailbox)
        .where(
          after
            ? or(
                lt(devMailbox.createdAt, after.createdAt),
                and(eq(devMailbox.createdAt, after.createdAt), lt(devMailbox.id, after.id)),
              )
            : undefined,
        )
        .orderBy(...newestFirst)
        .limit(limit);
    },

    async findById(db: Queryable, id: string): Promise<DevMailRow | undefined> {
      const [row] = await db.select().from(devMailbox).where(eq(devMailbox.id, id));
      return row;
    },

    async deleteAll(db: Queryable): Promise<number> {
      const deleted = await db.delete(devMailbox).returning({ id: devMailbox.id });
      return deleted.length;
    },
  };
}

export type DevMailboxRepository = ReturnType<typeof createDevMailboxRepository>;
