import type { Database } from '../../platform/db/database.js';
import type { Logger } from '../../platform/logger.js';
import type { PaymentProvider, ProviderIntent } from './payments.provider.js';
import { ProviderError } from './payments.provider.js';
import type { PaymentsRepository } from './payments.repository.js';
import { type PaymentStatus, paymentMachine } from './payments.rules.js';
import type { PaymentRow } from './payments.schema.js';
import type { PaymentsService } from './payments.service.js';
import type { PaymentSync, PaymentsLedger } from './payments.sync.js';

export const EXPIRE_QUEUE = 'payments.expire-unpaid';

/** The statuses of a top-up the member started and has not paid (yet). */
export const UNPAID: readonly PaymentStatus[] = ['created', 'requires_action'];

export type ExpiryReport = {
  /** Payments canceled at the provider and in Souk by this run. */
  canceled: string[];
  /** Payments the provider had in fact authorized or captured: applied (and captured) instead. */
  advanced: string[];
  /** Payments left for the next run (the provider did not answer). */
  skipped: string[];
};

/**
 * Top-ups started and never paid would stay `created` for ever. Each run takes the unpaid ones
 * older than the cut-off and asks the provider first (the member may have paid a moment ago: that
 * one is applied and captured, never canceled), then cancels the intent at the provider with a
 * key fixed per payment, and applies the canceled intent as a webhook would (through the state
 * machine, under the row lock, publishing `payments.failed`). The work is found by state, not
 * remembered, so a run killed half-way is finished by the next; a payment already canceled is
 * not found again, and a second cancel of one intent is the provider's replay.
 */
export function createExpirer(deps: {
  database: Pick<Database, 'db'>;
  ledger: Pick<PaymentsLedger, 'transaction'>;
  repository: PaymentsRepository;
  provider: PaymentProvider;
  sync: PaymentSync;
  service: Pick<PaymentsService, 'applyAndSettle'>;
  logger: Logger;
}) {
  const { repository, provider, database } = deps;

  /** A row whose intent was never created (a crash before the provider answered): nothing to cancel there. */
  async function cancelLocally(row: PaymentRow): Promise<boolean> {
    return deps.ledger.transaction(async (tx) => {
      const locked = await repository.lock(tx, row.id);
      if (!locked || locked.providerPaymentId || !UNPAID.includes(locked.status as PaymentStatus))
        return false;
      const { to } = paymentMachine.transition(locked.status as PaymentStatus, 'cancel', undefined);
      await repository.update(tx, row.id, { status: to, failureCode: 'expired' });
      return true;
    });
  }

  /** Where the payment ended up, as the report counts it. */
  function record(report: ExpiryReport, id: string, payment: PaymentRow | null): void {
    const status = (payment?.status ?? 'created') as PaymentStatus;
    if (status === 'canceled' || status === 'failed') report.canceled.push(id);
    else if (UNPAID.includes(status)) report.skipped.push(id);
    else report.advanced.push(id);
  }

  async function expireOne(row: PaymentRow, report: ExpiryReport): Promise<void> {
    const intentId = row.providerPaymentId;
    if (!intentId) {
      if (await cancelLocally(row)) report.canceled.push(row.id);
      return;
    }
    const current = await provider.retrieve(intentId);
    if (current.status === 'requires_capture' || current.status === 'succeeded') {
      // The member paid: applied and captured, never canceled.
      record(report, row.id, await deps.service.applyAndSettle(current));
      return;
    }
    let canceled: ProviderIntent;
    try {
      canceled = await provider.cancel(intentId, { idempotencyKey: `expire-${row.id}` });
    } catch (error) {
      if (!(error instanceof ProviderError) || error.transient) throw error;
      // Refused for good (paid between the look and the cancel, or already canceled there):
      // the provider's word wins.
      record(report, row.id, await deps.service.applyAndSettle(await provider.retrieve(intentId)));
      return;
    }
    record(report, row.id, (await deps.sync.apply(canceled)).payment);
  }

  return async function expireUnpaid(options: { olderThan: Date; limit?: number }): Promise<ExpiryReport> {
    const report: ExpiryReport = { canceled: [], advanced: [], skipped: [] };
    const rows = await repository.unpaidBefore(database.db, UNPAID, options.olderThan, options.limit ?? 500);
    for (const row of rows) {
      await expireOne(row, report).catch((error: unknown) => {
        deps.logger.warn(
          { err: error, paymentId: row.id },
          'unpaid payment not expired; the next run tries again',
        );
        report.skipped.push(row.id);
      });
    }
    return report;
  };
}

export type Expirer = ReturnType<typeof createExpirer>;
