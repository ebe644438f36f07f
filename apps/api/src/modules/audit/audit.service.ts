import type { AuditExportQuery, AuditPage, AuditQuery } from '@souk/contracts';
import { and, desc, eq, gte, like, lt, or, type SQL, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { csvLine } from '../../platform/csv.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { redactSecrets } from './audit.redact.js';
import { type AuditEntryRow, auditEntries } from './audit.schema.js';

/** Where a request came from; routes take it from the request (see {@link originOf}). */
export type AuditOrigin = { ip: string | null; userAgent: string | null };

export type AuditRecord = {
  /** `payout.approved`, `user.role_changed`, `listing.removed`… */
  action: string;
  target: { type: string; id: string };
  /** The state before and after; secrets are redacted before storing. */
  before?: unknown;
  after?: unknown;
  origin?: AuditOrigin;
};

const ACTION = /^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/;
const SYSTEM_ACTOR = '00000000-0000-0000-0000-000000000000';
const PAGE_POSITION = z.object({ seq: z.number().int().positive() });
const EXPORT_BATCH = 500;

/** The highest role of the actor, or `system` for work no member started. */
function roleOf(ctx: RequestContext): { actorId: string | null; actorRole: string } {
  const actor = ctx.actor;
  if (!actor || actor.userId === SYSTEM_ACTOR) return { actorId: null, actorRole: 'system' };
  const role = (['admin', 'moderator', 'member'] as const).find((r) => actor.roles.includes(r)) ?? 'member';
  return { actorId: actor.userId, actorRole: role };
}

/** `_` and `%` are LIKE wildcards; an action prefix matches them literally. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function filtersOf(query: AuditExportQuery): SQL[] {
  const where: SQL[] = [];
  if (query.actorId) where.push(eq(auditEntries.actorId, query.actorId));
  if (query.action) {
    // `payout` matches `payout` and `payout.approved`, never `payouts.created`.
    const prefix = query.action.replace(/\.$/, '');
    const within = like(auditEntries.action, `${escapeLike(prefix)}.%`);
    where.push(or(eq(auditEntries.action, prefix), within) as SQL);
  }
  if (query.targetType) where.push(eq(auditEntries.targetType, query.targetType));
  if (query.targetId) where.push(eq(auditEntries.targetId, query.targetId));
  if (query.from) where.push(gte(auditEntries.createdAt, new Date(query.from)));
  if (query.to) where.push(lt(auditEntries.createdAt, new Date(query.to)));
  return where;
}

function toEntry(row: AuditEntryRow) {
  return {
    id: row.id,
    seq: row.seq,
    action: row.action,
    actorId: row.actorId,
    actorRole: row.actorRole,
    targetType: row.targetType,
    targetId: row.targetId,
    before: row.before ?? null,
    after: row.after ?? null,
    ip: row.ip,
    userAgent: row.userAgent,
    requestId: row.requestId,
    createdAt: row.createdAt.toISOString(),
    hash: row.hash,
  };
}

export const AUDIT_CSV_HEADER = [
  'seq',
  'created_at',
  'action',
  'actor_id',
  'actor_role',
  'target_type',
  'target_id',
  'before',
  'after',
  'ip',
  'user_agent',
  'request_id',
  'hash',
] as const;

export function createAuditService(deps: { database: Database }) {
  const { database } = deps;

  /** Reads `limit` entries newest first after `afterSeq`, filtered; the action prefix checked exactly. */
  async function page(db: Queryable, query: AuditExportQuery, limit: number, beforeSeq?: number) {
    const where = filtersOf(query);
    if (beforeSeq !== undefined) where.push(lt(auditEntries.seq, beforeSeq));
    const rows = await db
      .select()
      .from(auditEntries)
      .where(and(...where))
      .orderBy(desc(auditEntries.seq))
      .limit(limit);
    return rows;
  }

  return {
    /**
     * Records one entry in the caller's transaction `tx`, so it commits or rolls back with the
     * change it describes. Never call it with `database.db` for a change made in a transaction.
     */
    async record(tx: Queryable, ctx: RequestContext, entry: AuditRecord): Promise<{ id: string }> {
      if (!ACTION.test(entry.action))
        throw new Error(
          `audit action "${entry.action}" must be dotted lowercase words, e.g. payout.approved`,
        );
      const id = uuidv7();
      await tx.insert(auditEntries).values({
        id,
        action: entry.action,
        ...roleOf(ctx),
        targetType: entry.target.type,
        targetId: entry.target.id,
        before: entry.before === undefined ? null : redactSecrets(entry.before),
        after: entry.after === undefined ? null : redactSecrets(entry.after),
        ip: entry.origin?.ip ?? null,
        userAgent: entry.origin?.userAgent?.slice(0, 500) ?? null,
        requestId: ctx.requestId,
      });
      return { id };
    },

    /** Admin search, newest first, keyset-paged on the insertion order. */
    async list(_ctx: RequestContext, query: AuditQuery): Promise<AuditPage> {
      const position = decodeCursor(query.cursor, PAGE_POSITION);
      const rows = await page(database.db, query, query.limit + 1, position?.seq);
      const more = rows.length > query.limit;
      const items = rows.slice(0, query.limit);
      const last = items.at(-1);
      return {
        items: items.map(toEntry),
        nextCursor: more && last ? encodeCursor({ seq: last.seq }) : null,
      };
    },

    /**
     * Entries whose stored hash no longer matches their content (recomputed by the database
     * function the insert trigger uses): empty unless someone bypassed the triggers.
     */
    async verify(db: Queryable = database.db): Promise<{ ok: boolean; mismatched: number[] }> {
      const result = (await db.execute(
        sql`select seq from audit_entries e where e.hash <> audit_entry_hash(e) order by seq`,
      )) as unknown as { rows: { seq: string | number }[] };
      const mismatched = result.rows.map((row) => Number(row.seq));
      return { ok: mismatched.length === 0, mismatched };
    },

    /** The filtered log as CSV lines (header first), read in batches so a large export streams. */
    async *exportCsv(_ctx: RequestContext, query: AuditExportQuery): AsyncGenerator<string> {
      yield csvLine(AUDIT_CSV_HEADER);
      let beforeSeq: number | undefined;
      for (;;) {
        const rows = await page(database.db, query, EXPORT_BATCH, beforeSeq);
        for (const row of rows) {
          yield csvLine([
            row.seq,
            row.createdAt.toISOString(),
            row.action,
            row.actorId,
            row.actorRole,
            row.targetType,
            row.targetId,
            row.before === null ? null : JSON.stringify(row.before),
            row.after === null ? null : JSON.stringify(row.after),
            row.ip,
            row.userAgent,
            row.requestId,
            row.hash,
          ]);
        }
        if (rows.length < EXPORT_BATCH) return;
        beforeSeq = rows.at(-1)?.seq;
      }
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
