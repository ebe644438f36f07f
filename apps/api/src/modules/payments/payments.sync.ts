import type { IsoCurrencyCode } from '@souk/contracts';
import type { Queryable } from '../../platform/db/database.js';
import type { EventPublisher } from '../../platform/events.js';
import type { AccountRef, LedgerService } from '../ledger/index.js';
import type { PaymentsEvents } from './payments.events.js';
import type { PaymentProvider, ProviderIntent } from './payments.provider.js';
import type { PaymentsRepository } from './payments.repository.js';
import {
  captureKey,
  contradicts,
  type PaymentStatus,
  paymentMachine,
  planSteps,
  refundKey,
  statusOfIntent,
} from './payments.rules.js';
import type { PaymentRefundRow, PaymentRow } from './payments.schema.js';

export type PaymentsLedger = Pick<LedgerService, 'transfer' | 'balances' | 'transaction'>;

export type SyncDeps = {
  ledger: PaymentsLedger;
  events: EventPublisher<PaymentsEvents>;
  repository: PaymentsRepository;
  provider: PaymentProvider;
  /** Test seam: runs inside the booking transaction just before it commits (the crash test). */
  beforeCommit?: (payment: PaymentRow) => Promise<void>;
};

export const clearingAccount = (provider: string, currency: string): AccountRef => ({
  owner: { type: 'provider', id: provider },
  currency: currency as IsoCurrencyCode,
  kind: 'provider_clearing',
});
export const memberAvailable = (memberId: string, currency: string): AccountRef => ({
  owner: { type: 'member', id: memberId },
  currency: currency as IsoCurrencyCode,
  kind: 'available',
});

export type SyncOutcome = {
  payment: PaymentRow | null;
  /** The capture was booked by this call (not before). */
  bookedCapture: boolean;
  /** Refunds the provider reported that this call booked. */
  bookedRefund: number;
  /** Something no forward step explains, written to payment_discrepancies. */
  flagged: string | null;
};

/**
 * Brings a payment to what the provider says of its intent, in one transaction under the
 * payment's row lock: the forward steps of the state machine, the capture booked to the member
 * (keyed by the provider's payment id, so the redirect, a webhook, its redelivery and
 * reconciliation book it once between them), and refunds the provider made that Souk has not
 * booked. A stale view (an old webhook) plans no step.
 */
export function createPaymentSync(deps: SyncDeps) {
  const { ledger, repository, provider } = deps;

  async function bookCapture(tx: Queryable, row: PaymentRow, intent: ProviderIntent): Promise<string> {
    const transfer = await ledger.transfer(tx, {
      idempotencyKey: captureKey(provider.name, intent.id),
      reference: { type: row.purpose, id: row.id },
      legs: [
        {
          from: clearingAccount(provider.name, row.currency),
          to: memberAvailable(row.memberId, row.currency),
          amount: intent.amountCaptured,
        },
      ],
      metadata: { provider: provider.name, providerPaymentId: intent.id },
    });
    return transfer.id;
  }

  /**
   * The provider refunded `intent.amountRefunded` in total. Souk's own pending refunds were
   * booked when asked for: they are marked done first; what is left (a refund made in the
   * provider's dashboard) is booked now, or flagged when the member's balance no longer holds it.
   */
  async function syncRefunds(
    tx: Queryable,
    row: PaymentRow,
    intent: ProviderIntent,
  ): Promise<{ refunded: number; booked: number; flagged: string | null }> {
    const refunds = await repository.refundsOf(tx, row.id);
    const done = sum(refunds.filter((refund) => refund.status === 'succeeded'));
    let unexplained = intent.amountRefunded - done;
    if (unexplained <= 0) return { refunded: done, booked: 0, flagged: null };
    const settled: PaymentRefundRow[] = [];
    for (const refund of refunds.filter((candidate) => candidate.status === 'pending')) {
      if (refund.amount > unexplained) break;
      settled.push(refund);
      unexplained -= refund.amount;
    }
    await repository.updateRefunds(
      tx,
      settled.map((refund) => refund.id),
      { status: 'succeeded' },
    );
    const settledAmount = sum(settled);
    if (unexplained <= 0) return { refunded: done + settledAmount, booked: 0, flagged: null };

    const member = memberAvailable(row.memberId, row.currency);
    const balance = (await ledger.balances(tx, member.owner)).find(
      (account) => account.currency === row.currency && account.kind === 'available',
    );
    if ((balance?.balance ?? 0) < unexplained) {
      await repository.flag(tx, {
        provider: provider.name,
        providerPaymentId: intent.id,
        paymentId: row.id,
        kind: 'refund_not_covered',
        detail: {
          amountRefunded: intent.amountRefunded,
          booked: done + settledAmount,
          balance: balance?.balance ?? 0,
        },
      });
      return { refunded: done + settledAmount, booked: 0, flagged: 'refund_not_covered' };
    }
    const external = await repository.insertRefund(tx, {
      paymentId: row.id,
      amount: unexplained,
      origin: 'provider',
      reason: 'refunded at the provider',
      // One per refunded total: a redelivered event finds the row of the first.
      idempotencyKey: `provider:${intent.id}:${intent.amountRefunded}`,
      status: 'succeeded',
    });
    if (!external) return { refunded: done + settledAmount, booked: 0, flagged: null };
    await ledger.transfer(tx, {
      idempotencyKey: refundKey(external.id),
      reference: { type: `${row.purpose}_refund`, id: row.id },
      legs: [{ from: member, to: clearingAccount(provider.name, row.currency), amount: unexplained }],
      metadata: { provider: provider.name, providerPaymentId: intent.id, refundId: external.id },
    });
    return { refunded: done + settledAmount + unexplained, booked: unexplained, flagged: null };
  }

  async function apply(intent: ProviderIntent): Promise<SyncOutcome> {
    return ledger.transaction(async (tx) => {
      const row = await repository.lockForIntent(tx, provider.name, intent.id, intent.metadata.paymentId);
      if (!row) return { payment: null, bookedCapture: false, bookedRefund: 0, flagged: null };
      let status = row.status as PaymentStatus;
      const patch: Partial<PaymentRow> = {};
      if (!row.providerPaymentId) patch.providerPaymentId = intent.id;

      if (contradicts(status, intent)) {
        await repository.flag(tx, {
          provider: provider.name,
          providerPaymentId: intent.id,
          paymentId: row.id,
          kind: 'captured_after_souk_gave_up',
          detail: {
            soukStatus: status,
            providerStatus: intent.status,
            amountCaptured: intent.amountCaptured,
          },
        });
        if (Object.keys(patch).length > 0) await repository.update(tx, row.id, patch);
        return {
          payment: row,
          bookedCapture: false,
          bookedRefund: 0,
          flagged: 'captured_after_souk_gave_up',
        };
      }

      let bookedCapture = false;
      for (const step of planSteps(status, statusOfIntent(intent))) {
        const { to, effects } = paymentMachine.transition(status, step, undefined);
        status = to;
        if (effects.includes('bookCapture')) {
          patch.captureTransferId = await bookCapture(tx, row, intent);
          patch.capturedAmount = intent.amountCaptured;
          bookedCapture = true;
        }
        if (effects.includes('publishCaptured'))
          await deps.events.publish(tx, 'payments.captured', {
            paymentId: row.id,
            memberId: row.memberId,
            purpose: row.purpose,
            amount: intent.amountCaptured,
            currency: row.currency,
            provider: provider.name,
            providerPaymentId: intent.id,
            transferId: patch.captureTransferId ?? '',
          });
        if (to === 'failed' || to === 'canceled') {
          patch.failureCode = intent.lastError;
          await deps.events.publish(tx, 'payments.failed', {
            paymentId: row.id,
            memberId: row.memberId,
            purpose: row.purpose,
            status: to,
            failureCode: intent.lastError,
          });
        }
      }
      if (status === 'created' && intent.lastError && row.failureCode !== intent.lastError)
        patch.failureCode = intent.lastError; // a Stripe decline: the member may try another card

      let bookedRefund = 0;
      let flagged: string | null = null;
      const captured = patch.capturedAmount ?? row.capturedAmount;
      if (captured > 0 && intent.amountRefunded > row.refundedAmount) {
        const refunds = await syncRefunds(tx, row, intent);
        bookedRefund = refunds.booked;
        flagged = refunds.flagged;
        if (refunds.refunded > row.refundedAmount) {
          status = paymentMachine.transition(status, 'refund', {
            refundedAfter: refunds.refunded,
            captured,
          }).to;
          patch.refundedAmount = refunds.refunded;
        }
      }
      if (status !== row.status) patch.status = status;
      const updated = Object.keys(patch).length > 0 ? await repository.update(tx, row.id, patch) : row;
      await deps.beforeCommit?.(updated);
      return { payment: updated, bookedCapture, bookedRefund, flagged };
    });
  }

  return { apply };
}

export type PaymentSync = ReturnType<typeof createPaymentSync>;

const sum = (refunds: PaymentRefundRow[]) => refunds.reduce((total, refund) => total + refund.amount, 0);
