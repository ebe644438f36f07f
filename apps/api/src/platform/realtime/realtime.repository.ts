import { and, asc, desc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import type { Queryable } from '../db/database.js';
import { realtimeEvents } from './realtime.schema.js';

export type RealtimeEventRow = typeof realtimeEvents.$inferSelect;

/** Every query on `realtime_events`; the only file that touches the table. */
export function createRealtimeRepository() {
  return {
    /**
     * Stores an event with an asynchronous commit: the statement does not wait for its WAL to
     * reach the disk. These rows are a replay buffer, not a record: if PostgreSQL crashed within
     * the next few hundred milliseconds and lost one, a client resuming from it is told `gap` and
     * reloads over HTTP, while the publish no longer waits on an fsync (the p99 on a busy disk).
     * `set_config(..., true)` is local to the statement's own transaction, in one round trip.
     */
    async insert(db: Queryable, values: { channel: string; type: string; data: unknown }) {
      const result = await db.execute(sql`
        insert into ${realtimeEvents} (channel, type, data)
        select ${values.channel}, ${values.type}, ${JSON.stringify(values.data ?? null)}::jsonb
        from (select set_config('synchronous_commit', 'off', true)) as async_commit
        returning id, created_at`);
      const [row] = (result as unknown as { rows: { id: number | string; created_at: Date | string }[] })
        .rows;
      if (!row) throw new Error('insert returned no row');
      return { id: Number(row.id), createdAt: new Date(row.created_at) };
    },

    /** Whether the event `id` is still stored in `channel` (a resume from it is complete). */
    async exists(db: Queryable, channel: string, id: number): Promise<boolean> {
      const rows = await db
        .select({ id: realtimeEvents.id })
        .from(realtimeEvents)
        .where(and(eq(realtimeEvents.channel, channel), eq(realtimeEvents.id, id)))
        .limit(1);
      return rows.length > 0;
    },

    /** The newest event id of `channel`, or null when it has none. */
    async latest(db: Queryable, channel: string): Promise<number | null> {
      const [row] = await db
        .select({ id: realtimeEvents.id })
        .from(realtimeEvents)
        .where(eq(realtimeEvents.channel, channel))
        .orderBy(desc(realtimeEvents.id))
        .limit(1);
      return row?.id ?? null;
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
