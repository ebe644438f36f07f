import type { Database, Queryable } from '../../platform/db/database.js';
import { sqlState } from '../../platform/db/errors.js';
import { createLedgerBooking, withFreshAccounts } from './ledger.booking.js';
import { ledgerError } from './ledger.errors.js';
import { createHoldWrites } from './ledger.holds.js';
import type { LedgerRepository } from './ledger.repository.js';
import { accountKeyOf, checkAmount, fingerprint } from './ledger.rules.js';
import type { HoldInput, PostHoldInput, Transfer, TransferInput, VoidHoldInput } from './ledger.types.js';

const RETRIED_STATES = new Set(['40001', '40P01']);
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
  const booking = createLedgerBooking({ repository });
  const { resolve, book, account } = booking;
  const holds = createHoldWrites({ repository, booking });

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

  return {
    account,
    transfer: (tx: Queryable, input: TransferInput) =>
      withFreshAccounts((cached) => transfer(tx, input, cached)),
    hold: (tx: Queryable, input: HoldInput) => withFreshAccounts((cached) => holds.hold(tx, input, cached)),
    postHold: (tx: Queryable, holdId: string, input: PostHoldInput) =>
      withFreshAccounts((cached) => holds.postHold(tx, holdId, input, cached)),
    voidHold: (tx: Queryable, holdId: string, input: VoidHoldInput) =>
      withFreshAccounts((cached) => holds.voidHold(tx, holdId, input, cached)),
    /** The expiry job's void: the same as voidHold, recorded as the `expire` event. */
    expireHold: (tx: Queryable, holdId: string, input: VoidHoldInput) =>
      withFreshAccounts((cached) => holds.expireHold(tx, holdId, input, cached)),
    transaction,
  };
}

export { holdOf } from './ledger.holds.js';
