import type { Database } from '../../platform/db/database.js';
import type { Logger } from '../../platform/logger.js';
import type { PaymentProvider } from './payments.provider.js';
import type { PaymentsRepository } from './payments.repository.js';
import { captureKey } from './payments.rules.js';
import type { PaymentsService } from './payments.service.js';
import { clearingAccount, memberAvailable, type PaymentSync, type PaymentsLedger } from './payments.sync.js';

export type ReconcileReport = {
  /** Provider intents compared. */
  checked: number;
  /** Captures booked by this run (a webhook lost, a process killed before its commit). */
  bookedCaptures: string[];
  /** Provider refunds booked by this run. */
  bookedRefunds: string[];
  /** Authorized payments this run captured. */
  captured: string[];
  /** Souk refunds still pending that were sent to the provider again. */
  retriedRefunds: string[];
  /** New entries in payment_discrepancies. */
  flagged: { providerPaymentId: string; kind: string }[];
};

export const RECONCILE_QUEUE = 'payments.reconcile';

/**
 * Compares the provider's records with Souk's books and repairs what it can: every intent the
 * provider has (since `since`) is applied as a webhook would be (a capture nobody booked is booked
 * now, once: the ledger key is the provider's payment id), the ledger is asked whether each
 * booked capture is really there (the same transfer again must be a replay), and what cannot be
 * explained is flagged for an operator.
 */
export function createReconciler(deps: {
  database: Pick<Database, 'db'>;
  ledger: PaymentsLedger;
  repository: PaymentsRepository;
  provider: PaymentProvider;
  sync: PaymentSync;
  service: Pick<PaymentsService, 'settle' | 'askProviderToRefund'>;
  logger: Logger;
}) {
  const { provider, repository, ledger, database } = deps;

  async function flag(report: ReconcileReport, entry: Parameters<PaymentsRepository['flag']>[1]) {
    if (await repository.flag(database.db, entry))
      report.flagged.push({ providerPaymentId: entry.providerPaymentId, kind: entry.kind });
  }

  return async function reconcile(options: {
    since: Date;
    pendingRefundAgeMs?: number;
  }): Promise<ReconcileReport> {
    const report: ReconcileReport = {
      checked: 0,
      bookedCaptures: [],
      bookedRefunds: [],
      captured: [],
      retriedRefunds: [],
      flagged: [],
    };
    for await (const intent of provider.listSince(options.since)) {
      report.checked += 1;
      const outcome = await deps.sync.apply(intent);
      const payment = outcome.payment;
      if (!payment) {
        // An intent Souk has no payment for: money may have moved with nothing to show for it.
        if (intent.status === 'succeeded')
          await flag(report, {
            provider: provider.name,
            providerPaymentId: intent.id,
            paymentId: null,
            kind: 'unknown_intent',
            detail: {
              amountCaptured: intent.amountCaptured,
              currency: intent.currency,
              metadata: intent.metadata,
            },
          });
        continue;
      }
      if (outcome.bookedCapture) report.bookedCaptures.push(payment.id);
      if (outcome.bookedRefund > 0) report.bookedRefunds.push(payment.id);
      if (outcome.flagged) report.flagged.push({ providerPaymentId: intent.id, kind: outcome.flagged });
      if (payment.status === 'authorized') {
        const settled = await deps.service.settle(payment).catch((error: unknown) => {
          deps.logger.warn({ err: error, paymentId: payment.id }, 'reconciliation could not capture');
          return payment;
        });
        if (settled.status !== 'authorized') report.captured.push(payment.id);
        continue;
      }
      if (payment.captureTransferId && intent.status === 'succeeded') {
        // The ledger's word, not the payment row's: the same transfer again must be a replay.
        const answer = await ledger
          .transaction((tx) =>
            ledger.transfer(tx, {
              idempotencyKey: captureKey(provider.name, intent.id),
              reference: { type: payment.purpose, id: payment.id },
              legs: [
                {
                  from: clearingAccount(provider.name, payment.currency),
                  to: memberAvailable(payment.memberId, payment.currency),
                  amount: payment.capturedAmount,
                },
              ],
              metadata: { provider: provider.name, providerPaymentId: intent.id },
            }),
          )
          .then(
            (transfer) => ({ replayed: transfer.replayed, error: null }),
            (error: unknown) => ({
              replayed: false,
              error: error instanceof Error ? error.message : String(error),
            }),
          );
        if (answer.error)
          await flag(report, {
            provider: provider.name,
            providerPaymentId: intent.id,
            paymentId: payment.id,
            kind: 'ledger_disagrees',
            detail: { error: answer.error },
          });
        else if (!answer.replayed) {
          // The payment said booked and the ledger had no such transfer: booked now, and told.
          report.bookedCaptures.push(payment.id);
          await flag(report, {
            provider: provider.name,
            providerPaymentId: intent.id,
            paymentId: payment.id,
            kind: 'capture_missing_from_ledger',
            detail: { amount: payment.capturedAmount, repaired: true },
          });
        }
        if (payment.capturedAmount !== intent.amountCaptured)
          await flag(report, {
            provider: provider.name,
            providerPaymentId: intent.id,
            paymentId: payment.id,
            kind: 'amount_mismatch',
            detail: { booked: payment.capturedAmount, provider: intent.amountCaptured },
          });
      }
    }
    const olderThan = new Date(Date.now() - (options.pendingRefundAgeMs ?? 5 * 60_000));
    for (const refund of await repository.pendingRefunds(database.db, olderThan)) {
      await deps.service.askProviderToRefund(refund).then(
        () => report.retriedRefunds.push(refund.id),
        (error: unknown) =>
          deps.logger.warn({ err: error, refundId: refund.id }, 'pending refund still refused'),
      );
    }
    return report;
  };
}

export type Reconciler = ReturnType<typeof createReconciler>;
