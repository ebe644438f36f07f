import { type IsoCurrencyCode, money, toDecimalString } from '@souk/contracts';
import type { Queryable } from '../../platform/db/database.js';
import type { NotifyInput } from '../notifications/index.js';
import type { PayoutRow } from './wallets.schema.js';

/** notifications.notify: a notification in the caller's transaction (the payout's change). */
export type PayoutNotify = (tx: Queryable, input: NotifyInput) => Promise<unknown>;

/** The payout states a member hears about, and what they are told. */
const NOTICES = {
  in_review: {
    title: 'Your payout is being reviewed',
    body: (amount: string) =>
      `Your payout of ${amount} is above the amount sent without a check. An operator will review it; the money stays reserved until then.`,
  },
  paid: {
    title: 'Your payout was sent',
    body: (amount: string) => `${amount} was sent to your bank account.`,
  },
  rejected: {
    title: 'Your payout was refused',
    body: (amount: string, reason: string | null) =>
      `Your payout of ${amount} was refused${reason ? `: ${reason}` : ''}. The money is back in your available balance.`,
  },
  failed: {
    title: 'Your payout could not be sent',
    body: (amount: string) =>
      `The bank refused your payout of ${amount}. The money is back in your available balance; check your payout method and ask again.`,
  },
} as const;

export type NoticedPayoutStatus = keyof typeof NOTICES;

/** What the member is told about `row` in its current state; null for states that tell nothing. */
export function payoutNotice(row: PayoutRow): NotifyInput | null {
  const status = row.status as NoticedPayoutStatus;
  const notice = NOTICES[status];
  if (!notice) return null;
  const amount = `${row.currency} ${toDecimalString(money(row.amount, row.currency as IsoCurrencyCode))}`;
  return {
    userId: row.memberId,
    type: 'payout_updated',
    title: notice.title,
    body: notice.body(amount, row.rejectionReason),
    url: '/account/wallet',
    data: {
      payoutId: row.id,
      status: row.status,
      amount: { amountMinor: row.amount, currency: row.currency },
    },
    // A retried job or a replayed request adds nothing.
    dedupeKey: `payout:${row.id}:${row.status}`,
  };
}

/** Tells the member about the payout's new state, in the transaction that changed it. */
export async function notifyPayout(notify: PayoutNotify, tx: Queryable, row: PayoutRow): Promise<void> {
  const input = payoutNotice(row);
  if (input) await notify(tx, input);
}
