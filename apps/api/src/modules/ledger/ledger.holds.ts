import type { IsoCurrencyCode } from '@souk/contracts';
import { v7 as uuidv7 } from 'uuid';
import type { Queryable } from '../../platform/db/database.js';
import type { IdLeg, LedgerBooking } from './ledger.booking.js';
import { ledgerError } from './ledger.errors.js';
import type { HoldRow, LedgerRepository } from './ledger.repository.js';
import { accountKeyOf, checkAmount, fingerprint, holdMachine } from './ledger.rules.js';
import type {
  AccountRef,
  Hold,
  HoldInput,
  HoldStatus,
  PostHoldInput,
  VoidHoldInput,
} from './ledger.types.js';

/**
 * The two phases of a hold: taken (available -> held), then posted in full or part or voided,
 * once. The hold row is locked first, its state checked under the lock, then the balances.
 */
export function createHoldWrites({
  repository,
  booking,
}: {
  repository: LedgerRepository;
  booking: LedgerBooking;
}) {
  const { resolve, book } = booking;

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

  return { hold, postHold, voidHold: voidWith('void'), expireHold: voidWith('expire') };
}

export function holdOf(row: HoldRow): Hold {
  return {
    ...row,
    reference: { type: row.referenceType, id: row.referenceId },
    status: row.status as HoldStatus,
    currency: row.currency as IsoCurrencyCode,
  };
}
