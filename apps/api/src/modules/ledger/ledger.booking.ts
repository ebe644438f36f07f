import type { IsoCurrencyCode } from '@souk/contracts';
import { v7 as uuidv7 } from 'uuid';
import type { Queryable } from '../../platform/db/database.js';
import { isLedgerError, ledgerError } from './ledger.errors.js';
import type { AccountRow, LedgerRepository, TransferRow } from './ledger.repository.js';
import { accountKeyOf, checkRef, mayGoNegative, ownerKey, ownerOf } from './ledger.rules.js';
import type {
  Account,
  AccountRef,
  Entry,
  Transfer,
  TransferKind,
  TransferReference,
} from './ledger.types.js';

/** A leg between two resolved accounts. */
export type IdLeg = { debit: string; credit: string; amount: number; currency: string };

export type Booking = {
  kind: TransferKind;
  key: string;
  reference: TransferReference;
  metadata: Record<string, unknown>;
  fingerprint: string;
  legs: IdLeg[];
};

const _RETRIED_STATES = new Set(['40001', '40P01']);

/** A cached account id whose row is not there (its creating transaction rolled back). */
export class StaleAccountError extends Error {
  constructor(id: string) {
    super(`ledger account ${id} is gone`);
  }
}

/**
 * Runs `work` with cached account ids, and again without them when one was stale (nothing was
 * written before the lock that found it): the second pass resolves every account in the
 * database, where ON CONFLICT waits for a concurrent creator to commit or roll back.
 */
export async function withFreshAccounts<T>(work: (cached: boolean) => Promise<T>): Promise<T> {
  try {
    return await work(true);
  } catch (error) {
    if (!(error instanceof StaleAccountError)) throw error;
    return work(false);
  }
}

/**
 * Booking: accounts resolved by (owner, currency, kind) with their ids cached, and a balanced
 * set of legs written under the balance-row locks, taken in ascending id order by every writer.
 */
export function createLedgerBooking({ repository }: { repository: LedgerRepository }) {
  /** Account ids by (owner, currency, kind): ids never change; a stale one is evicted on lock. */
  const accountIds = new Map<string, string>();

  async function resolve(tx: Queryable, refs: AccountRef[], cached = true): Promise<Map<string, string>> {
    const ids = new Map<string, string>();
    const missing = new Map<string, AccountRef>();
    for (const ref of refs) {
      checkRef(ref);
      const key = accountKeyOf(ref);
      const known = cached ? accountIds.get(key) : undefined;
      if (known) ids.set(key, known);
      else missing.set(key, ref);
    }
    if (missing.size > 0) {
      const rows = await repository.ensureAccounts(
        tx,
        [...missing.values()].map((ref) => ({
          ...ownerKey(ref.owner),
          currency: ref.currency,
          kind: ref.kind,
          newId: uuidv7(),
        })),
      );
      for (const row of rows) {
        const key = accountKeyOf({
          owner: ownerOf(row.ownerType, row.ownerId),
          currency: row.currency as IsoCurrencyCode,
          kind: row.kind,
        });
        ids.set(key, row.id);
        accountIds.set(key, row.id);
      }
    }
    return ids;
  }

  async function replayOf(tx: Queryable, booking: Booking, existing: TransferRow): Promise<Transfer> {
    if (existing.fingerprint !== booking.fingerprint) {
      throw ledgerError(
        'idempotency_conflict',
        `The key ${booking.key} already booked a different ${existing.kind}.`,
      );
    }
    return transferOf(existing, (await repository.entriesOf(tx, existing.id)).map(asEntry), true);
  }

  /**
   * The key is not looked up first (one round trip less on the hot path): a replay locks the
   * same rows, and the insert's ON CONFLICT finds the first booking. A refusal (funds, currency)
   * looks the key up before it is thrown, so a replay of a booking that drained the account
   * still answers the booking.
   */
  async function book(tx: Queryable, booking: Booking): Promise<Transfer> {
    try {
      return await bookLocked(tx, booking);
    } catch (error) {
      if (error instanceof StaleAccountError || !isLedgerError(error)) throw error;
      const existing = await repository.transferByKey(tx, booking.key);
      if (existing) return replayOf(tx, booking, existing);
      throw error;
    }
  }

  async function bookLocked(tx: Queryable, booking: Booking): Promise<Transfer> {
    const ids = booking.legs.flatMap((leg) => [leg.debit, leg.credit]);
    const locked = await repository.lockAccounts(tx, ids);
    const byId = new Map(locked.map((row) => [row.id, row]));
    const gone = ids.find((id) => !byId.has(id));
    if (gone) {
      // Cached from a transaction that rolled back: forget it; the caller resolves again.
      for (const [key, id] of accountIds) if (id === gone) accountIds.delete(key);
      throw new StaleAccountError(gone);
    }

    const balances = new Map(locked.map((row) => [row.id, row.balance]));
    const entries: {
      id: string;
      accountId: string;
      currency: string;
      amount: number;
      balanceAfter: number;
    }[] = [];
    const post = (accountId: string, amount: number, currency: string) => {
      const account = byId.get(accountId) as AccountRow;
      if (account.currency !== currency) {
        throw ledgerError(
          'currency_mismatch',
          `Account ${accountId} is in ${account.currency}, not ${currency}.`,
        );
      }
      const after = (balances.get(accountId) ?? 0) + amount;
      if (!Number.isSafeInteger(after))
        throw ledgerError('invalid_amount', 'The balance would leave the safe integers.');
      balances.set(accountId, after);
      entries.push({ id: uuidv7(), accountId, currency, amount, balanceAfter: after });
    };
    for (const leg of booking.legs) {
      post(leg.debit, -leg.amount, leg.currency);
      post(leg.credit, leg.amount, leg.currency);
    }
    for (const row of locked) {
      const after = balances.get(row.id) ?? 0;
      if (!mayGoNegative(row.ownerType) && after < 0) {
        throw ledgerError(
          'insufficient_funds',
          `The ${row.kind} balance in ${row.currency} is ${row.balance}; this needs ${row.balance - after}.`,
        );
      }
    }

    const transferId = uuidv7();
    const written = await repository.book(tx, {
      transfer: {
        id: transferId,
        idempotencyKey: booking.key,
        kind: booking.kind,
        referenceType: booking.reference.type,
        referenceId: booking.reference.id,
        metadata: booking.metadata,
        fingerprint: booking.fingerprint,
      },
      entries,
      balances: locked.map((row) => ({
        accountId: row.id,
        delta: (balances.get(row.id) ?? 0) - row.balance,
      })),
    });
    if (!written) {
      // A transaction with the same key committed while this one waited for the balance locks.
      const winner = await repository.transferByKey(tx, booking.key);
      if (!winner) throw new Error(`ledger: key ${booking.key} conflicted but no transfer holds it`);
      return replayOf(tx, booking, winner);
    }
    const bookedEntries: Entry[] = entries.map((e) => {
      const at = written.get(e.id);
      return {
        ...e,
        currency: e.currency as IsoCurrencyCode,
        transferId,
        seq: at?.seq ?? 0,
        createdAt: at?.createdAt ?? new Date(),
      };
    });
    return {
      id: transferId,
      idempotencyKey: booking.key,
      kind: booking.kind,
      reference: booking.reference,
      metadata: booking.metadata,
      entries: bookedEntries,
      createdAt: bookedEntries[0]?.createdAt ?? new Date(),
      replayed: false,
    };
  }

  async function account(tx: Queryable, ref: AccountRef): Promise<Account> {
    let row = await repository.accountById(tx, (await resolve(tx, [ref])).get(accountKeyOf(ref)) as string);
    if (!row) {
      row = await repository.accountById(
        tx,
        (await resolve(tx, [ref], false)).get(accountKeyOf(ref)) as string,
      );
      if (!row) throw new Error(`ledger: account ${accountKeyOf(ref)} could not be created`);
    }
    return { ...ref, id: row.id, balance: row.balance, createdAt: row.createdAt };
  }

  return { resolve, book, account };
}

export type LedgerBooking = ReturnType<typeof createLedgerBooking>;

function asEntry(row: {
  id: string;
  seq: number;
  transferId: string;
  accountId: string;
  currency: string;
  amount: number;
  balanceAfter: number;
  createdAt: Date;
}): Entry {
  return { ...row, currency: row.currency as IsoCurrencyCode };
}

function transferOf(row: TransferRow, entries: Entry[], replayed: boolean): Transfer {
  return {
    id: row.id,
    idempotencyKey: row.idempotencyKey,
    kind: row.kind as TransferKind,
    reference: { type: row.referenceType, id: row.referenceId },
    metadata: row.metadata,
    entries,
    createdAt: row.createdAt,
    replayed,
  };
}
