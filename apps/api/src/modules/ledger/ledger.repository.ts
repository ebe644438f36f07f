import { type SQL, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';

/*
 * The only file that touches the ledger's tables. Raw SQL on purpose: the hot path (a transfer)
 * is four statements (resolve accounts when not cached, lock, book, plus the key check), and
 * bigints are read as text and turned into numbers here, the same on PGlite and PostgreSQL.
 */

export type AccountRow = {
  id: string;
  ownerType: string;
  ownerId: string;
  currency: string;
  kind: string;
  balance: number;
  createdAt: Date;
};

export type AccountKey = { ownerType: string; ownerId: string; currency: string; kind: string };

export type TransferRow = {
  id: string;
  idempotencyKey: string;
  kind: string;
  referenceType: string;
  referenceId: string;
  metadata: Record<string, unknown>;
  fingerprint: string;
  createdAt: Date;
};

export type EntryRow = {
  id: string;
  seq: number;
  transferId: string;
  accountId: string;
  currency: string;
  amount: number;
  balanceAfter: number;
  createdAt: Date;
};

export type HoldRow = {
  id: string;
  idempotencyKey: string;
  referenceType: string;
  referenceId: string;
  status: string;
  currency: string;
  amount: number;
  postedAmount: number;
  sourceAccountId: string;
  heldAccountId: string;
  holdTransferId: string;
  resolutionTransferId: string | null;
  expiresAt: Date | null;
  voidReason: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
};

/** What one booking writes: the transfer, its entries (balances after), the new balances. */
export type Booking = {
  transfer: Omit<TransferRow, 'createdAt'>;
  entries: { id: string; accountId: string; currency: string; amount: number; balanceAfter: number }[];
  balances: { accountId: string; delta: number }[];
};

type Raw = Record<string, unknown>;

export async function rowsOf(db: Queryable, query: SQL): Promise<Raw[]> {
  const result = await db.execute(query);
  return (result as unknown as { rows: Raw[] }).rows;
}

const asDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));
const asDateOrNull = (value: unknown) => (value === null || value === undefined ? null : asDate(value));

export const toAccount = (row: Raw): AccountRow => ({
  id: String(row.id),
  ownerType: String(row.owner_type),
  ownerId: String(row.owner_id),
  currency: String(row.currency),
  kind: String(row.kind),
  balance: Number(row.balance),
  createdAt: asDate(row.created_at),
});

const toTransfer = (row: Raw): TransferRow => ({
  id: String(row.id),
  idempotencyKey: String(row.idempotency_key),
  kind: String(row.kind),
  referenceType: String(row.reference_type),
  referenceId: String(row.reference_id),
  metadata: (typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata) as Record<
    string,
    unknown
  >,
  fingerprint: String(row.fingerprint),
  createdAt: asDate(row.created_at),
});

export const toEntry = (row: Raw): EntryRow => ({
  id: String(row.id),
  seq: Number(row.seq),
  transferId: String(row.transfer_id),
  accountId: String(row.account_id),
  currency: String(row.currency),
  amount: Number(row.amount),
  balanceAfter: Number(row.balance_after),
  createdAt: asDate(row.created_at),
});

const toHold = (row: Raw): HoldRow => ({
  id: String(row.id),
  idempotencyKey: String(row.idempotency_key),
  referenceType: String(row.reference_type),
  referenceId: String(row.reference_id),
  status: String(row.status),
  currency: String(row.currency),
  amount: Number(row.amount),
  postedAmount: Number(row.posted_amount),
  sourceAccountId: String(row.source_account_id),
  heldAccountId: String(row.held_account_id),
  holdTransferId: String(row.hold_transfer_id),
  resolutionTransferId: row.resolution_transfer_id === null ? null : String(row.resolution_transfer_id),
  expiresAt: asDateOrNull(row.expires_at),
  voidReason: row.void_reason === null ? null : String(row.void_reason),
  createdAt: asDate(row.created_at),
  resolvedAt: asDateOrNull(row.resolved_at),
});

const ACCOUNT_COLUMNS = sql.raw(
  'id, owner_type, owner_id, currency, kind, balance::text as balance, created_at',
);
const ENTRY_COLUMNS = sql.raw(
  'e.id, e.seq::text as seq, e.transfer_id, e.account_id, e.currency, e.amount::text as amount, e.balance_after::text as balance_after, e.created_at',
);
const HOLD_COLUMNS = sql.raw(
  'id, idempotency_key, reference_type, reference_id, status, currency, amount::text as amount, posted_amount::text as posted_amount, source_account_id, held_account_id, hold_transfer_id, resolution_transfer_id, expires_at, void_reason, created_at, resolved_at',
);

export function createLedgerRepository() {
  return {
    /**
     * Get-or-create in one statement; a row another transaction committed after this statement's
     * snapshot is read by a second select (ON CONFLICT DO NOTHING waited for it).
     */
    async ensureAccounts(db: Queryable, keys: (AccountKey & { newId: string })[]): Promise<AccountRow[]> {
      const values = sql.join(
        keys.map((k) => sql`(${k.newId}::uuid, ${k.ownerType}, ${k.ownerId}, ${k.currency}, ${k.kind})`),
        sql`, `,
      );
      const rows = await rowsOf(
        db,
        sql`with wanted(id, owner_type, owner_id, currency, kind) as (values ${values}),
          inserted as (
            insert into ledger_accounts (id, owner_type, owner_id, currency, kind)
            select id, owner_type, owner_id, currency, kind from wanted
            on conflict do nothing
            returning ${ACCOUNT_COLUMNS}
          )
          select * from inserted
          union all
          select ${sql.raw('a.id, a.owner_type, a.owner_id, a.currency, a.kind, a.balance::text as balance, a.created_at')}
          from ledger_accounts a join wanted w using (owner_type, owner_id, currency, kind)`,
      );
      const found = rows.map(toAccount);
      const missing = keys.filter((k) => !found.some((row) => sameAccount(row, k)));
      if (missing.length === 0) return found;
      const more = await rowsOf(
        db,
        sql`select ${ACCOUNT_COLUMNS} from ledger_accounts where (owner_type, owner_id, currency, kind) in (${sql.join(
          missing.map((k) => sql`(${k.ownerType}, ${k.ownerId}, ${k.currency}, ${k.kind})`),
          sql`, `,
        )})`,
      );
      return [...found, ...more.map(toAccount)];
    },

    /**
     * Locks the balance rows in ascending id order, the one order every writer uses, so two
     * transfers over the same accounts queue instead of deadlocking.
     */
    async lockAccounts(db: Queryable, ids: string[]): Promise<AccountRow[]> {
      const sorted = [...new Set(ids)].sort();
      const rows = await rowsOf(
        db,
        sql`select ${ACCOUNT_COLUMNS} from ledger_accounts where id in (${sql.join(
          sorted.map((id) => sql`${id}::uuid`),
          sql`, `,
        )}) order by id for update`,
      );
      return rows.map(toAccount);
    },

    /**
     * The transfer, its entries and the balances in one statement; answers each entry's seq and
     * time. Answers null (and writes nothing) when the idempotency key was booked meanwhile by a
     * transaction that committed.
     */
    async book(
      db: Queryable,
      booking: Booking,
    ): Promise<Map<string, { seq: number; createdAt: Date }> | null> {
      const { transfer, entries, balances } = booking;
      const entryValues = sql.join(
        entries.map(
          (e, index) =>
            sql`(${index}::int, ${e.id}::uuid, ${e.accountId}::uuid, ${e.currency}, ${e.amount}::bigint, ${e.balanceAfter}::bigint)`,
        ),
        sql`, `,
      );
      const balanceValues = sql.join(
        balances.map((b) => sql`(${b.accountId}::uuid, ${b.delta}::bigint)`),
        sql`, `,
      );
      const rows = await rowsOf(
        db,
        sql`with t as (
            insert into ledger_transfers (id, idempotency_key, kind, reference_type, reference_id, metadata, fingerprint)
            values (${transfer.id}::uuid, ${transfer.idempotencyKey}, ${transfer.kind}, ${transfer.referenceType},
              ${transfer.referenceId}, ${JSON.stringify(transfer.metadata)}::jsonb, ${transfer.fingerprint})
            on conflict (idempotency_key) do nothing
            returning id
          ),
          e as (
            insert into ledger_entries (id, transfer_id, account_id, currency, amount, balance_after)
            select v.id, t.id, v.account_id, v.currency, v.amount, v.balance_after
            from t cross join (values ${entryValues}) as v(n, id, account_id, currency, amount, balance_after)
            order by v.n
            returning id, seq, created_at
          ),
          b as (
            update ledger_accounts a set balance = a.balance + d.delta
            from (values ${balanceValues}) as d(account_id, delta)
            where a.id = d.account_id and exists (select 1 from t)
          )
          select t.id, (select json_agg(json_build_object('id', e.id, 'seq', e.seq::text, 'createdAt', e.created_at)) from e) as entries
          from t`,
      );
      const row = rows[0];
      if (!row) return null;
      const written = (typeof row.entries === 'string' ? JSON.parse(row.entries) : row.entries) as {
        id: string;
        seq: string;
        createdAt: string;
      }[];
      return new Map(written.map((e) => [e.id, { seq: Number(e.seq), createdAt: new Date(e.createdAt) }]));
    },

    async transferByKey(db: Queryable, key: string): Promise<TransferRow | null> {
      const rows = await rowsOf(db, sql`select * from ledger_transfers where idempotency_key = ${key}`);
      return rows[0] ? toTransfer(rows[0]) : null;
    },

    async transferById(db: Queryable, id: string): Promise<TransferRow | null> {
      const rows = await rowsOf(db, sql`select * from ledger_transfers where id = ${id}::uuid`);
      return rows[0] ? toTransfer(rows[0]) : null;
    },

    async entriesOf(db: Queryable, transferId: string): Promise<EntryRow[]> {
      const rows = await rowsOf(
        db,
        sql`select ${ENTRY_COLUMNS} from ledger_entries e where e.transfer_id = ${transferId}::uuid order by e.seq`,
      );
      return rows.map(toEntry);
    },

    async insertHold(
      db: Queryable,
      hold: Omit<
        HoldRow,
        'status' | 'postedAmount' | 'resolutionTransferId' | 'voidReason' | 'createdAt' | 'resolvedAt'
      >,
    ): Promise<boolean> {
      const rows = await rowsOf(
        db,
        sql`insert into ledger_holds (id, idempotency_key, reference_type, reference_id, currency, amount,
              source_account_id, held_account_id, hold_transfer_id, expires_at)
            values (${hold.id}::uuid, ${hold.idempotencyKey}, ${hold.referenceType}, ${hold.referenceId}, ${hold.currency},
              ${hold.amount}::bigint, ${hold.sourceAccountId}::uuid, ${hold.heldAccountId}::uuid, ${hold.holdTransferId}::uuid,
              ${hold.expiresAt ? hold.expiresAt.toISOString() : null}::timestamptz)
            on conflict (idempotency_key) do nothing returning id`,
      );
      return rows.length > 0;
    },

    async holdByKey(db: Queryable, key: string): Promise<HoldRow | null> {
      const rows = await rowsOf(
        db,
        sql`select ${HOLD_COLUMNS} from ledger_holds where idempotency_key = ${key}`,
      );
      return rows[0] ? toHold(rows[0]) : null;
    },

    async holdById(db: Queryable, id: string, lock = false): Promise<HoldRow | null> {
      const rows = await rowsOf(
        db,
        sql`select ${HOLD_COLUMNS} from ledger_holds where id = ${id}::uuid ${lock ? sql`for update` : sql``}`,
      );
      return rows[0] ? toHold(rows[0]) : null;
    },

    async resolveHold(
      db: Queryable,
      id: string,
      change: {
        status: string;
        postedAmount: number;
        resolutionTransferId: string;
        voidReason: string | null;
      },
    ): Promise<HoldRow> {
      const rows = await rowsOf(
        db,
        sql`update ledger_holds set status = ${change.status}, posted_amount = ${change.postedAmount}::bigint,
              resolution_transfer_id = ${change.resolutionTransferId}::uuid, void_reason = ${change.voidReason}, resolved_at = now()
            where id = ${id}::uuid and status = 'pending' returning ${HOLD_COLUMNS}`,
      );
      if (!rows[0]) throw new Error(`ledger hold ${id} was not pending under its lock`);
      return toHold(rows[0]);
    },

    async expiredHoldIds(db: Queryable, now: Date, limit: number): Promise<string[]> {
      const rows = await rowsOf(
        db,
        sql`select id from ledger_holds where status = 'pending' and expires_at is not null
              and expires_at <= ${now.toISOString()}::timestamptz order by expires_at limit ${limit}`,
      );
      return rows.map((row) => String(row.id));
    },

    async accountsOf(db: Queryable, ownerType: string, ownerId: string): Promise<AccountRow[]> {
      const rows = await rowsOf(
        db,
        sql`select ${ACCOUNT_COLUMNS} from ledger_accounts where owner_type = ${ownerType} and owner_id = ${ownerId}
            order by currency, kind`,
      );
      return rows.map(toAccount);
    },

    async accountById(db: Queryable, id: string): Promise<AccountRow | null> {
      const rows = await rowsOf(
        db,
        sql`select ${ACCOUNT_COLUMNS} from ledger_accounts where id = ${id}::uuid`,
      );
      return rows[0] ? toAccount(rows[0]) : null;
    },

    /** Newest first, keyset on seq; filters on the account's kind/currency and the transfer. */
    async entriesPage(
      db: Queryable,
      filter: {
        accountIds: string[];
        from?: Date | undefined;
        to?: Date | undefined;
        referenceType?: string | undefined;
        beforeSeq?: number | undefined;
        limit: number;
      },
    ) {
      if (filter.accountIds.length === 0) return [];
      const conditions: SQL[] = [
        sql`e.account_id in (${sql.join(
          filter.accountIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      ];
      if (filter.from) conditions.push(sql`e.created_at >= ${filter.from.toISOString()}::timestamptz`);
      if (filter.to) conditions.push(sql`e.created_at < ${filter.to.toISOString()}::timestamptz`);
      if (filter.referenceType) conditions.push(sql`t.reference_type = ${filter.referenceType}`);
      if (filter.beforeSeq !== undefined) conditions.push(sql`e.seq < ${filter.beforeSeq}::bigint`);
      const rows = await rowsOf(
        db,
        sql`select ${ENTRY_COLUMNS}, a.owner_type, a.owner_id, a.kind, t.reference_type, t.reference_id,
              t.kind as transfer_kind, t.metadata
            from ledger_entries e
            join ledger_accounts a on a.id = e.account_id
            join ledger_transfers t on t.id = e.transfer_id
            where ${sql.join(conditions, sql` and `)}
            order by e.seq desc limit ${filter.limit}`,
      );
      return rows.map((row) => ({
        entry: toEntry(row),
        ownerType: String(row.owner_type),
        ownerId: String(row.owner_id),
        kind: String(row.kind),
        referenceType: String(row.reference_type),
        referenceId: String(row.reference_id),
        transferKind: String(row.transfer_kind),
        metadata: (typeof row.metadata === 'string' ? JSON.parse(row.metadata) : row.metadata) as Record<
          string,
          unknown
        >,
      }));
    },
  };
}

export type LedgerRepository = ReturnType<typeof createLedgerRepository>;

function sameAccount(row: AccountKey, key: AccountKey) {
  return (
    row.ownerType === key.ownerType &&
    row.ownerId === key.ownerId &&
    row.currency === key.currency &&
    row.kind === key.kind
  );
}
