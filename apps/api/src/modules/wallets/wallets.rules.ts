import { type IsoCurrencyCode, type Money, money, type PayoutStatus } from '@souk/contracts';
import { defineMachine } from '../../platform/state-machine.js';
import type { AccountRef } from '../ledger/index.js';
import { walletsError } from './wallets.errors.js';

/*
 * Payout rules, pure (decision 037). A request moves the money available -> pending_payout at
 * once, so it cannot be spent twice; it then waits (new-seller hold) or waits for an operator
 * (above the review threshold), is sent to the provider, and ends paid (the money leaves) or
 * rejected / failed (the money comes back).
 */

export type PayoutEvent = 'review' | 'approve' | 'reject' | 'send' | 'complete' | 'fail';

export const payoutMachine = defineMachine<PayoutStatus, PayoutEvent>({
  entity: 'payout',
  states: ['pending', 'in_review', 'processing', 'paid', 'failed', 'rejected'],
  initial: 'pending',
  final: ['paid', 'failed', 'rejected'],
  transitions: [
    { from: 'pending', event: 'review', to: 'in_review' },
    { from: 'in_review', event: 'approve', to: 'pending' },
    { from: ['in_review', 'pending'], event: 'reject', to: 'rejected' },
    { from: 'pending', event: 'send', to: 'processing' },
    { from: 'processing', event: 'complete', to: 'paid' },
    { from: 'processing', event: 'fail', to: 'failed' },
  ],
});

export type PayoutPolicySettings = {
  /** Minimum per currency in minor units; a currency without one is not paid out. */
  minimums: Partial<Record<IsoCurrencyCode, number>>;
  /** Above this (per currency, minor units) an operator approves first. */
  reviewAbove: Partial<Record<IsoCurrencyCode, number>>;
  newSellerHoldDays: number;
};

export const DEFAULT_PAYOUT_POLICY: PayoutPolicySettings = {
  minimums: { LKR: 100_000, USD: 1_000, EUR: 1_000, GBP: 1_000, SAR: 5_000, AED: 5_000 },
  reviewAbove: { LKR: 10_000_000, USD: 100_000, EUR: 100_000, GBP: 100_000, SAR: 500_000, AED: 500_000 },
  newSellerHoldDays: 7,
};

/** When a member's payouts stop waiting: `holdDays` after the account was opened. */
export function heldUntil(memberSince: Date, holdDays: number): Date {
  return new Date(memberSince.getTime() + holdDays * 86_400_000);
}

/**
 * What a new request becomes: refused (below the minimum, a currency not paid out), or created
 * `pending` with its release time, and whether it goes to review first.
 */
export function planPayout(
  amount: Money,
  policy: PayoutPolicySettings,
  memberSince: Date,
  now: Date,
): { releaseAt: Date; needsReview: boolean } {
  const minimum = policy.minimums[amount.currency];
  if (minimum === undefined)
    throw walletsError('payout_currency_not_supported', `Payouts in ${amount.currency} are not offered.`);
  if (amount.amountMinor < minimum)
    throw walletsError(
      'payout_below_minimum',
      `The smallest payout is ${minimum} minor units of ${amount.currency}.`,
    );
  const hold = heldUntil(memberSince, policy.newSellerHoldDays);
  const reviewAbove = policy.reviewAbove[amount.currency];
  return {
    releaseAt: hold > now ? hold : now,
    needsReview: reviewAbove !== undefined && amount.amountMinor > reviewAbove,
  };
}

/** The policy as a member sees it (Money per currency). */
export function policyMoney(values: Partial<Record<IsoCurrencyCode, number>>): Money[] {
  return Object.entries(values).map(([currency, amount]) => money(amount ?? 0, currency as IsoCurrencyCode));
}

export const memberAccount = (
  memberId: string,
  currency: IsoCurrencyCode,
  kind: 'available' | 'held' | 'pending_payout',
): AccountRef => ({ owner: { type: 'member', id: memberId }, currency, kind });

/** Where paid-out money goes: the provider's clearing account (the provider sends it on). */
export const providerClearing = (provider: string, currency: IsoCurrencyCode): AccountRef => ({
  owner: { type: 'provider', id: provider },
  currency,
  kind: 'provider_clearing',
});

/** Ledger keys: one booking per payout and step, whatever the retries. */
export const payoutKeys = {
  reserve: (payoutId: string) => `payout:${payoutId}:reserve`,
  settle: (payoutId: string) => `payout:${payoutId}:settle`,
  release: (payoutId: string) => `payout:${payoutId}:release`,
  provider: (payoutId: string) => `payout-${payoutId}`,
};

/** "Bank account ••••6789": what a member sees of a number they gave. */
export function maskAccount(accountNumber: string): string {
  return `••••${accountNumber.slice(-4)}`;
}
