import type { IsoCurrencyCode } from '@souk/contracts';
import { v7 as uuidv7 } from 'uuid';
import type { Database, Queryable } from '../../platform/db/database.js';
import { sqlState } from '../../platform/db/errors.js';
import { isLedgerError, ledgerError } from './ledger.errors.js';
import type { AccountRow, HoldRow, LedgerRepository, TransferRow } from './ledger.repository.js';
import {
  accountKeyOf,
  checkAmount,
  checkRef,
  fingerprint,
  holdMachine,
  mayGoNegative,
  ownerKey,
  ownerOf,
} from './ledger.rules.js';
import type {
  Account,
  AccountRef,
  Entry,
  Hold,
  HoldInput,
  HoldStatus,
  PostHoldInput,
  Transfer,
  TransferInput,
  TransferKind,
  TransferReference,
  VoidHoldInput,
} from './ledger.types.js';

/** A leg between two resolved accounts. */
type IdLeg = { debit: string; credit: string; amount: number; currency: string };

type Booking = {
  kind: TransferKind;
  key: string;
  reference: TransferReference;
  metadata: Record<string, unknown>;
  fingerprint: string;
  legs: IdLeg[];
};

const RETRIED_STATES = new Set(['40001', '40P01']);

/** A cached account id whose row is not there (its creating transaction rolled back). */
class StaleAccountError extends Error {
  constructor(id: string) {
    super(`ledger account ${id} is gone`);
  }
}

/**
 * Runs `work` with cached account ids, and again without them when one was stale (nothing was
 * written before the lock that found it): the second pass resolves every account in the
 * database, where ON CONFLICT waits for a concurrent creator to commit or roll back.
 */
async function withFreshAccounts<T>(work: (cached: boolean) => Promise<T>): Promise<T> {
  try {
    return await work(true);
  } catch (error) {
    if (!(error instanceof StaleAccountError)) throw error;
    return work(false);
  }
}
const MAX_ATTEMPTS = 8;

export type LedgerWritesDeps = {
  database: Pick<Database, 'transaction'>;
  repository: LedgerRepository;
};

/**
 * The writes: transfers and the two phases of a hold. Every one locks the balance rows it
 * touches in ascending id order (holds: the hold row first, then the balances), checks members'
 * balances before writing, and writes the transfer, its entries and the balances in one
 * statement. The database refuses what the code would not do anyway (decision 035).
 */
export function createLedgerWrites({ database, repository }: LedgerWritesDeps) {
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

  async function transfer(tx: Queryable, input: TransferInput, cached: boolean): Promise<Transfer> {
    if (input.legs.length === 0)
      throw ledgerError('unbalanced_transfer', 'A transfer needs at least one leg.');
    for (const leg of input.legs) {
      checkAmount(leg.amount);
      if (leg.from.currency !== leg.to.currency) {
        throw ledgerError(
          'currency_mismatch',
          `A leg moves ${leg.from.currency} to a ${leg.to.currency} account.`,
        );
      }
    }
    const metadata = input.metadata ?? {};
    const ids = await resolve(
      tx,
      input.legs.flatMap((leg) => [leg.from, leg.to]),
      cached,
    );
    return book(tx, {
      kind: 'transfer',
      key: input.idempotencyKey,
      reference: input.reference,
      metadata,
      fingerprint: fingerprint({ op: 'transfer', reference: input.reference, legs: input.legs, metadata }),
      legs: input.legs.map((leg) => ({
        debit: ids.get(accountKeyOf(leg.from)) as string,
        credit: ids.get(accountKeyOf(leg.to)) as string,
        amount: leg.amount,
        currency: leg.from.currency,
      })),
    });
  }

  async function hold(tx: Queryable, input: HoldInput, cached: boolean): Promise<Hold> {
    checkAmount(input.amount);
    if (input.from.owner.type !== 'member') {
      throw ledgerError('account_not_found', 'A hold is taken from a member account.');
    }
    if (input.from.currency !== input.currency) {
      throw ledgerError(
        'currency_mismatch',
        `The hold is in ${input.currency}, the account in ${input.from.currency}.`,
      );
    }
    const metadata = input.metadata ?? {};
    const print = fingerprint({
      op: 'hold',
      reference: input.reference,
      from: input.from,
      amount: input.amount,
      currency: input.currency,
      expiresAt: input.expiresAt ?? null,
      metadata,
    });
    const existing = await repository.holdByKey(tx, input.idempotencyKey);
    if (existing) return replayedHold(tx, existing, print, input.idempotencyKey);

    const heldRef: AccountRef = { owner: input.from.owner, currency: input.currency, kind: 'held' };
    const ids = await resolve(tx, [input.from, heldRef], cached);
    const sourceAccountId = ids.get(accountKeyOf(input.from)) as string;
    const heldAccountId = ids.get(accountKeyOf(heldRef)) as string;
    const booked = await book(tx, {
      kind: 'hold',
      key: `hold:${input.idempotencyKey}`,
      reference: input.reference,
      metadata,
      fingerprint: print,
      legs: [
        { debit: sourceAccountId, credit: heldAccountId, amount: input.amount, currency: input.currency },
      ],
    });
    const id = uuidv7();
    const inserted = await repository.insertHold(tx, {
      id,
      idempotencyKey: input.idempotencyKey,
      referenceType: input.reference.type,
      referenceId: input.reference.id,
      currency: input.currency,
      amount: input.amount,
      sourceAccountId,
      heldAccountId,
      holdTransferId: booked.id,
      expiresAt: input.expiresAt ?? null,
    });
    const row = inserted
      ? await repository.holdById(tx, id)
      : await repository.holdByKey(tx, input.idempotencyKey);
    if (!row) throw new Error(`ledger: hold ${input.idempotencyKey} vanished`);
    return holdOf(row);
  }

  async function replayedHold(tx: Queryable, existing: HoldRow, print: string, key: string): Promise<Hold> {
    const booked = await repository.transferById(tx, existing.holdTransferId);
    if (booked?.fingerprint !== print) {
      throw ledgerError('idempotency_conflict', `The key ${key} already took a different hold.`);
    }
    return holdOf(existing);
  }

  /** The post or void: the hold row locked first, the state checked under it, then the booking. */
  async function resolveHold(
    tx: Queryable,
    holdId: string,
    event: 'post' | 'void' | 'expire',
    key: string,
    print: string,
    legsOf: (hold: HoldRow, ids: Map<string, string>) => { legs: IdLeg[]; posted: number },
    refs: AccountRef[],
    voidReason: string | null,
    metadata: Record<string, unknown>,
    cached: boolean,
  ): Promise<Hold> {
    const current = await repository.holdById(tx, holdId, true);
    if (!current) throw ledgerError('hold_not_found', `No hold ${holdId}.`);
    const transferKey = `hold-${event === 'post' ? 'post' : 'void'}:${key}`;
    if (current.status !== 'pending' && current.resolutionTransferId) {
      const earlier = await repository.transferById(tx, current.resolutionTransferId);
      if (earlier?.idempotencyKey === transferKey) {
        if (earlier.fingerprint !== print) {
          throw ledgerError('idempotency_conflict', `The key ${key} already resolved this hold differently.`);
        }
        return holdOf(current);
      }
    }
    const { to } = holdMachine.transition(current.status as HoldStatus, event);
    const ids = await resolve(tx, refs, cached);
    const { legs, posted } = legsOf(current, ids);
    const booked = await book(tx, {
      kind: event === 'post' ? 'hold_post' : 'hold_void',
      key: transferKey,
      reference: { type: current.referenceType, id: current.referenceId },
      metadata: { ...metadata, holdId },
      fingerprint: print,
      legs,
    });
    return holdOf(
      await repository.resolveHold(tx, holdId, {
        status: to,
        postedAmount: posted,
        resolutionTransferId: booked.id,
        voidReason,
      }),
    );
  }

  async function postHold(
    tx: Queryable,
    holdId: string,
    input: PostHoldInput,
    cached: boolean,
  ): Promise<Hold> {
    for (const leg of input.legs) checkAmount(leg.amount, 'posted amount');
    const metadata = input.metadata ?? {};
    const print = fingerprint({ op: 'post', holdId, legs: input.legs, metadata });
    return resolveHold(
      tx,
      holdId,
      'post',
      input.idempotencyKey,
      print,
      (current, ids) => {
        const posted = input.legs.reduce((sum, leg) => sum + leg.amount, 0);
        if (posted > current.amount) {
          throw ledgerError('insufficient_funds', `The hold is ${current.amount}; the legs post ${posted}.`);
        }
        const legs: IdLeg[] = input.legs.map((leg) => {
          if (leg.to.currency !== current.currency) {
            throw ledgerError(
              'currency_mismatch',
              `The hold is in ${current.currency}, a leg pays ${leg.to.currency}.`,
            );
          }
          return {
            debit: current.heldAccountId,
            credit: ids.get(accountKeyOf(leg.to)) as string,
            amount: leg.amount,
            currency: current.currency,
          };
        });
        const rest = current.amount - posted;
        if (rest > 0) {
          legs.push({
            debit: current.heldAccountId,
            credit: current.sourceAccountId,
            amount: rest,
            currency: current.currency,
          });
        }
        return { legs, posted };
      },
      input.legs.map((leg) => leg.to),
      null,
      metadata,
      cached,
    );
  }

  function voidWith(event: 'void' | 'expire') {
    return (tx: Queryable, holdId: string, input: VoidHoldInput, cached: boolean): Promise<Hold> =>
      resolveHold(
        tx,
        holdId,
        event,
        input.idempotencyKey,
        fingerprint({ op: 'void', holdId, reason: input.reason }),
        (current) => ({
          legs: [
            {
              debit: current.heldAccountId,
              credit: current.sourceAccountId,
              amount: current.amount,
              currency: current.currency,
            },
          ],
          posted: 0,
        }),
        [],
        input.reason,
        { reason: input.reason },
        cached,
      );
  }

  /** Its own transaction, retried on serialization failures and deadlocks. */
  async function transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await database.transaction(work);
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !RETRIED_STATES.has(sqlState(error) ?? '')) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** attempt));
      }
    }
  }

  const voidHold = voidWith('void');
  const expireHold = voidWith('expire');
  return {
    account,
    transfer: (tx: Queryable, input: TransferInput) =>
      withFreshAccounts((cached) => transfer(tx, input, cached)),
    hold: (tx: Queryable, input: HoldInput) => withFreshAccounts((cached) => hold(tx, input, cached)),
    postHold: (tx: Queryable, holdId: string, input: PostHoldInput) =>
      withFreshAccounts((cached) => postHold(tx, holdId, input, cached)),
    voidHold: (tx: Queryable, holdId: string, input: VoidHoldInput) =>
      withFreshAccounts((cached) => voidHold(tx, holdId, input, cached)),
    /** The expiry job's void: the same as voidHold, recorded as the `expire` event. */
    expireHold: (tx: Queryable, holdId: string, input: VoidHoldInput) =>
      withFreshAccounts((cached) => expireHold(tx, holdId, input, cached)),
    transaction,
  };
}

export function holdOf(row: HoldRow): Hold {
  return {
    ...row,
    reference: { type: row.referenceType, id: row.referenceId },
    status: row.status as HoldStatus,
    currency: row.currency as IsoCurrencyCode,
  };
}

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
