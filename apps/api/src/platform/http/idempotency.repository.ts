import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '../db/database.js';
import { idempotencyKeys } from './idempotency.schema.js';

type Row = typeof idempotencyKeys.$inferSelect;
type Key = { scope: string; key: string };

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>;

export function createIdempotencyRepository(db: Queryable) {
  const interval = (ms: number) => sql`now() + ${`${ms} milliseconds`}::interval`;
  const where = (held: Key) => and(eq(idempotencyKeys.scope, held.scope), eq(idempotencyKeys.key, held.key));

  return {
    /**
     * One statement, so two requests with one key cannot both get it: a new key is inserted
     * `in_progress`; an expired row, or an abandoned reservation of the same request (its
     * handler's process died), is taken over; otherwise the row that holds the key is answered.
     */
    async reserve(
      request: Key & { fingerprint: string },
      options: { ttlMs: number; lockMs: number },
    ): Promise<{ kind: 'reserved' } | { kind: 'held'; row: Row }> {
      const [taken] = await db
        .insert(idempotencyKeys)
        .values({
          ...request,
          status: 'in_progress',
          expiresAt: interval(options.ttlMs),
          lockedUntil: interval(options.lockMs),
        })
        .onConflictDoUpdate({
          target: [idempotencyKeys.scope, idempotencyKeys.key],
          set: {
            fingerprint: sql`excluded.fingerprint`,
            status: 'in_progress',
            responseStatus: null,
            responseHeaders: null,
            responseBody: null,
            createdAt: sql`now()`,
            expiresAt: sql`excluded.expires_at`,
            lockedUntil: sql`excluded.locked_until`,
          },
          setWhere: sql`${idempotencyKeys.expiresAt} < now()
            or (${idempotencyKeys.status} = 'in_progress' and ${idempotencyKeys.lockedUntil} < now()
                and ${idempotencyKeys.fingerprint} = excluded.fingerprint)`,
        })
        .returning({ scope: idempotencyKeys.scope });
      if (taken) return { kind: 'reserved' };
      const [row] = await db.select().from(idempotencyKeys).where(where(request));
      // Deleted by the cleanup between the two statements: the caller asks again.
      if (!row) return this.reserve(request, options);
      return { kind: 'held', row };
    },

    async complete(held: Key, answer: { status: number; headers: Record<string, string>; body: string }) {
      await db
        .update(idempotencyKeys)
        .set({
          status: 'completed',
          responseStatus: answer.status,
          responseHeaders: answer.headers,
          responseBody: answer.body,
          lockedUntil: null,
        })
        .where(where(held));
    },

    /** Frees the key of an answer that is not kept (a 5xx): the next request with it runs anew. */
    async release(held: Key) {
      await db.delete(idempotencyKeys).where(and(where(held), eq(idempotencyKeys.status, 'in_progress')));
    },

    async deleteExpired(now: Date, limit: number): Promise<number> {
      const result = await db.execute(sql`
        delete from ${idempotencyKeys} where (scope, key) in (
          select scope, key from ${idempotencyKeys} where expires_at < ${now} limit ${limit}
        ) returning 1`);
      return (result as unknown as { rows: unknown[] }).rows.length;
    },
  };
}
