import { createHash } from 'node:crypto';
import { isIsoCurrency } from '@souk/contracts';
import { defineMachine } from '../../platform/state-machine.js';
import { ledgerError } from './ledger.errors.js';
import type { AccountOwner, AccountRef, HoldStatus } from './ledger.types.js';

/* Pure rules of the ledger: what a valid amount, leg and account is; the hold's lifecycle. */

export const holdMachine = defineMachine<HoldStatus, 'post' | 'void' | 'expire'>({
  entity: 'hold',
  states: ['pending', 'posted', 'voided'],
  initial: 'pending',
  final: ['posted', 'voided'],
  transitions: [
    { from: 'pending', event: 'post', to: 'posted' },
    { from: 'pending', event: 'void', to: 'voided' },
    { from: 'pending', event: 'expire', to: 'voided' },
  ],
  invalid: ({ state }) => ledgerError('hold_not_pending', `The hold is already ${state}.`),
});

export function checkAmount(amount: number, what = 'amount') {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw ledgerError(
      'invalid_amount',
      `The ${what} must be a positive integer in minor units (got ${amount}).`,
    );
  }
}

export function checkRef(ref: AccountRef) {
  if (!isIsoCurrency(ref.currency))
    throw ledgerError('currency_mismatch', `Unknown currency ${String(ref.currency)}.`);
  if (!ref.kind) throw ledgerError('account_not_found', 'An account needs a kind.');
  if (ref.owner.type !== 'platform' && !ref.owner.id)
    throw ledgerError('account_not_found', 'An account owner needs an id.');
}

/** The database form of an owner: platform has the empty id. */
export function ownerKey(owner: AccountOwner): { ownerType: string; ownerId: string } {
  return owner.type === 'platform'
    ? { ownerType: 'platform', ownerId: '' }
    : { ownerType: owner.type, ownerId: owner.id };
}

export function ownerOf(ownerType: string, ownerId: string): AccountOwner {
  if (ownerType === 'platform') return { type: 'platform' };
  return { type: ownerType as 'member' | 'provider', id: ownerId };
}

export function accountKeyOf(ref: AccountRef): string {
  const { ownerType, ownerId } = ownerKey(ref.owner);
  return `${ownerType}\u0000${ownerId}\u0000${ref.currency}\u0000${ref.kind}`;
}

/** Members' accounts never go below zero (the CHECK in the migration says the same). */
export const mayGoNegative = (ownerType: string) => ownerType !== 'member';

/** sha256 of a canonical JSON (keys sorted): what an idempotency key was first used for. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
