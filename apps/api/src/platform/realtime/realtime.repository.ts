import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Queryable } from '../db/database.js';
import { realtimeEvents } from './realtime.schema.js';

export type RealtimeEventRow = typeof realtimeEvents.$inferSelect;

/** Every query on `realtime_events`; the only file that touches the table. */
export function createRealtimeRepository() {
  return {
    /**
     * Stores an event. The table's trigger (migration 0025) gives it the next seq of its channel
     * and, after locking the channel's counter until commit, its id: a channel's events commit in
     * seq order and their ids grow with seq, so when seq n is visible every seq below it is too
     * (decision 038).
     *
     * Asynchronous commit: the statement does not wait for its WAL to reach the disk. These rows
     * are a replay buffer, not a record: if PostgreSQL crashed within the next few hundred
     * milliseconds and lost one, a client resuming from it is told `gap` and reloads over HTTP,
     * while the publish no longer waits on an fsync (the p99 on a busy disk).
     * `set_config(..., true)` is local to the statement's own transaction, in one round trip.
     */
    async insert(db: Queryable, values: { channel: string; type: string; data: unknown }) {
      const result = await db.execute(sql`
        insert into ${realtimeEvents} (channel, type, data)
        select ${values.channel}, ${values.type}, ${JSON.stringify(values.data ?? null)}::jsonb
        from (select set_config('synchronous_commit', 'off', true)) as async_commit
        returning id, seq, created_at`);
      const [row] = (
        result as unknown as {
          rows: { id: number | string; seq: number | string; created_at: Date | string }[];
        }
      ).rows;
      if (!row) throw new Error('insert returned no row');
      return { id: Number(row.id), seq: Number(row.seq), createdAt: new Date(row.created_at) };
    },

    /** The seq of event `id` if it is still stored in `channel` (a resume from it is complete). */
    async seqOf(db: Queryable, channel: string, id: number): Promise<number | null> {
      const [row] = await db
        .select({ seq: realtimeEvents.seq })
        .from(realtimeEvents)
        .where(and(eq(realtimeEvents.channel, channel), eq(realtimeEvents.id, id)))
        .limit(1);
      return row?.seq ?? null;
    },

    /** The newest event of `channel` (its id and seq), or null when it has none. */
    async latest(db: Queryable, channel: string): Promise<{ id: number; seq: number } | null> {
      const [row] = await db
        .select({ id: realtimeEvents.id, seq: realtimeEvents.seq })
        .from(realtimeEvents)
        .where(eq(realtimeEvents.channel, channel))
        .orderBy(desc(realtimeEvents.id))
        .limit(1);
      return row ?? null;
    },

    /** Up to `limit` events of `channel` after `afterId`, oldest first. */
    async after(db: Queryable, channel: string, afterId: number, limit: number): Promise<RealtimeEventRow[]> {
      return db
        .select()
        .from(realtimeEvents)
        .where(and(eq(realtimeEvents.channel, channel), gt(realtimeEvents.id, afterId)))
        .orderBy(asc(realtimeEvents.id))
        .limit(limit);
    },

    /**
     * Up to `limit` events of any channel after `afterId`, oldest first, without their data: what
     * a node's tail looks at to find events that did not reach it live (decision 038).
     */
    async since(db: Queryable, afterId: number, limit: number) {
      return db
        .select({ id: realtimeEvents.id, channel: realtimeEvents.channel, seq: realtimeEvents.seq })
        .from(realtimeEvents)
        .where(gt(realtimeEvents.id, afterId))
        .orderBy(asc(realtimeEvents.id))
        .limit(limit);
    },

    /** The newest event id of all channels (0 when there is none): where a tail starts. */
    async newestId(db: Queryable): Promise<number> {
      const [row] = await db
        .select({ id: realtimeEvents.id })
        .from(realtimeEvents)
        .orderBy(desc(realtimeEvents.id))
        .limit(1);
      return row?.id ?? 0;
    },

    /** Deletes up to `batch` events created before `before`; returns how many. */
    async deleteOlderThan(db: Queryable, before: Date, batch: number): Promise<number> {
      const oldest = db
        .select({ id: realtimeEvents.id })
        .from(realtimeEvents)
        .where(lt(realtimeEvents.createdAt, before))
        .orderBy(asc(realtimeEvents.createdAt))
        .limit(batch);
      const deleted = await db
        .delete(realtimeEvents)
        .where(inArray(realtimeEvents.id, oldest))
        .returning({ id: realtimeEvents.id });
      return deleted.length;
    },

    async count(db: Queryable): Promise<number> {
      const [row] = await db.select({ count: sql<number>`count(*)::int` }).from(realtimeEvents);
      return row?.count ?? 0;
    },
  };
}

export type RealtimeRepository = ReturnType<typeof createRealtimeRepository>;
