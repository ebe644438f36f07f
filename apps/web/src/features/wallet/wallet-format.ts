import type { Money } from '@souk/contracts';
import type { MessageId } from '../../i18n/messages';
import { formatMoney } from '../../lib/money';

export const showMoney = (amount: Money) => formatMoney(amount.amountMinor, amount.currency);

/** Money in as "+LKR 1,000", money out as "−LKR 1,000". */
export function signedMoney(amount: Money): string {
  const text = formatMoney(Math.abs(amount.amountMinor), amount.currency);
  return amount.amountMinor < 0 ? `−${text}` : `+${text}`;
}

const REFERENCE_MESSAGES: Record<string, MessageId> = {
  top_up: 'wallet.reference.topUp',
  top_up_refund: 'wallet.reference.topUpRefund',
  payout: 'wallet.reference.payout',
  payout_return: 'wallet.reference.payoutReturn',
  order: 'wallet.reference.order',
  fee: 'wallet.reference.fee',
  demo_credit: 'wallet.reference.demoCredit',
};

/** What caused a line, in words; a type the page does not know yet is named as the server says. */
export function referenceMessage(type: string): MessageId | null {
  return REFERENCE_MESSAGES[type] ?? null;
}

export const ACCOUNT_MESSAGES: Record<string, MessageId> = {
  available: 'wallet.account.available',
  held: 'wallet.account.held',
  pending_payout: 'wallet.account.pendingPayout',
};

export const PAYOUT_STATUS_MESSAGES: Record<string, MessageId> = {
  pending: 'wallet.payoutStatus.pending',
  in_review: 'wallet.payoutStatus.inReview',
  processing: 'wallet.payoutStatus.processing',
  paid: 'wallet.payoutStatus.paid',
  failed: 'wallet.payoutStatus.failed',
  rejected: 'wallet.payoutStatus.rejected',
};
