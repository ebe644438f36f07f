import type { IsoCurrencyCode } from '@souk/contracts';
import type { Database } from '../../platform/db/database.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { platformError } from '../../platform/http/errors.js';
import type { Logger } from '../../platform/logger.js';
import type { AuditOrigin, AuditService } from '../audit/index.js';
import { paymentsError } from './payments.errors.js';
import {
  type PaymentProvider,
  ProviderError,
  type ProviderEvent,
  type ProviderIntent,
} from './payments.provider.js';
import type { PaymentsRepository } from './payments.repository.js';
import { refundKey, refundRevertKey } from './payments.rules.js';
import type { PaymentRefundRow, PaymentRow } from './payments.schema.js';
import { clearingAccount, memberAvailable, type PaymentSync, type PaymentsLedger } from './payments.sync.js';

export type PaymentsServiceDeps = {
  database: Pick<Database, 'db'>;
  ledger: PaymentsLedger;
  repository: PaymentsRepository;
  provider: PaymentProvider;
  sync: PaymentSync;
  logger: Logger;
  /** The audit log: an admin's refund is recorded in the refund's transaction. */
  audit: Pick<AuditService, 'record'>;
  /** Souk's own return endpoint of a payment: `${returnBase}/<paymentId>/return`. */
  returnBase: string;
};

export type StartTopUpInput = {
  memberId: string;
  amount: number;
  currency: IsoCurrencyCode;
  returnUrl: string;
};
export type RefundInput = {
  paymentId: string;
  amount?: number;
  reason: string;
  idempotencyKey: string;
  /** Where the admin's request came from, for the audit entry. */
  origin?: AuditOrigin;
};

/**
 * Top-ups, captures, refunds and webhooks. Calls to the provider happen outside any transaction
 * (each with a key that never changes for the logical call); what they answer is applied by
 * `sync.apply`, the one place a payment changes and money is booked.
 */
export function createPaymentsService(deps: PaymentsServiceDeps) {
  const { repository, provider, sync, ledger, database } = deps;

  /** A provider failure as an HTTP problem: a retry may pass (503) or it will not (402). */
  function providerProblem(error: unknown): never {
    if (error instanceof ProviderError)
      throw error.transient
        ? paymentsError('provider_unavailable', error.message)
        : paymentsError('provider_refused', `${error.code}: ${error.message}`);
    throw error;
  }

  /** Captures an authorized payment (top-ups are captured as soon as they are authorized). */
  async function settle(row: PaymentRow): Promise<PaymentRow> {
    if (row.status !== 'authorized' || !row.providerPaymentId) return row;
    const intent = await provider
      .capture(row.providerPaymentId, { idempotencyKey: `capture-${row.id}` })
      .catch(providerProblem);
    return (await sync.apply(intent)).payment ?? row;
  }

  /** Applies what the provider says of an intent, then captures it when it is authorized. */
  async function applyAndSettle(intent: ProviderIntent): Promise<PaymentRow | null> {
    const { payment } = await sync.apply(intent);
    return payment ? settle(payment) : null;
  }

  async function ownPayment(ctx: RequestContext, paymentId: string): Promise<PaymentRow> {
    const userId = requireUser(ctx, 'Sign in to see your payments.');
    const row = await repository.byId(database.db, paymentId);
    if (!row || (row.memberId !== userId && !ctx.actor?.roles.includes('admin')))
      throw paymentsError('payment_not_found');
    return row;
  }

  return {
    provider: provider.name,

    /**
     * Starts a top-up: a payment row, then the provider's intent (keyed by the payment id, so a
     * retry finds the same intent). Answers the page the member pays on.
     */
    async startTopUp(
      ctx: RequestContext,
      input: StartTopUpInput,
    ): Promise<{ paymentId: string; checkoutUrl: string }> {
      requireUser(ctx, 'Sign in to top up your wallet.');
      if (!isSameSiteReturn(input.returnUrl)) throw paymentsError('return_url_not_allowed');
      if (!Number.isSafeInteger(input.amount) || input.amount <= 0 || input.amount > MAX_TOP_UP_MINOR)
        throw paymentsError('top_up_too_large', `At most ${MAX_TOP_UP_MINOR} minor units per top-up.`);
      const row = await ledger.transaction((tx) =>
        repository.insert(tx, {
          provider: provider.name,
          memberId: input.memberId,
          purpose: 'top_up',
          amount: input.amount,
          currency: input.currency,
          returnUrl: input.returnUrl,
        }),
      );
      const { intent, checkoutUrl } = await provider
        .createIntent({
          paymentId: row.id,
          memberId: input.memberId,
          amount: input.amount,
          currency: input.currency,
          returnUrl: `${deps.returnBase}/${row.id}/return`,
          idempotencyKey: `intent-${row.id}`,
        })
        .catch(providerProblem);
      await ledger.transaction((tx) =>
        repository.update(tx, row.id, { providerPaymentId: intent.id, checkoutUrl }),
      );
      return { paymentId: row.id, checkoutUrl };
    },

    get: ownPayment,

    /**
     * The member's browser came back from the provider's page: ask the provider (the redirect
     * proves nothing), apply, capture. Answers where to send the browser.
     */
    async returned(paymentId: string): Promise<{ location: string; payment: PaymentRow }> {
      const row = await repository.byId(database.db, paymentId);
      if (!row) throw paymentsError('payment_not_found');
      let current = row;
      if (row.providerPaymentId) {
        const intent = await provider.retrieve(row.providerPaymentId).catch(providerProblem);
        current = (await applyAndSettle(intent)) ?? row;
      }
      const separator = current.returnUrl.includes('?') ? '&' : '?';
      return {
        location: `${current.returnUrl}${separator}paymentId=${current.id}&status=${current.status}`,
        payment: current,
      };
    },

    /**
     * A webhook: verified (a forged or stale one is a 400 before anything is read), answered at
     * once when the inbox has it (a redelivery), else applied and captured if authorized, then
     * recorded. Recording after the work means a crash in between redoes the work on the
     * redelivery, which books nothing twice (the row lock and the ledger's key); recording first
     * could lose it.
     */
    async handleWebhook(
      providerName: string,
      rawBody: Buffer,
      signature: string | undefined,
    ): Promise<{ received: true; duplicate: boolean }> {
      if (providerName !== provider.name) throw platformError('route_not_found', 'No such webhook endpoint.');
      const event: ProviderEvent = await provider.parseWebhook(rawBody, signature);
      if (await repository.webhookSeen(database.db, provider.name, event.id))
        return { received: true, duplicate: true };
      const payment = event.intent ? await applyAndSettle(event.intent) : null;
      const first = await ledger.transaction((tx) =>
        repository.recordWebhook(tx, {
          provider: provider.name,
          eventId: event.id,
          type: event.type,
          providerPaymentId: event.intent?.id ?? null,
          outcome: event.intent ? (payment ? `applied:${payment.status}` : 'unknown_payment') : 'ignored',
        }),
      );
      return { received: true, duplicate: !first };
    },

    /**
     * Refunds a captured payment in full or part. The money leaves the member's balance first
     * (in the same transaction as the refund row), then the provider is asked with the refund's
     * id as its key; a refusal puts the money back, a provider that does not answer leaves the
     * refund pending for reconciliation to ask again.
     */
    async refund(
      ctx: RequestContext,
      input: RefundInput,
    ): Promise<{ refund: PaymentRefundRow; payment: PaymentRow }> {
      const payment = await ownPayment(ctx, input.paymentId);
      const refund = await ledger.transaction(async (tx) => {
        const row = await repository.lock(tx, payment.id);
        if (!row) throw paymentsError('payment_not_found');
        const earlier = await repository.refundByKey(tx, row.id, input.idempotencyKey);
        if (earlier) return earlier;
        if (row.status !== 'captured' && row.status !== 'partially_refunded')
          throw paymentsError('payment_not_refundable', `The payment is ${row.status}.`);
        const pending = (await repository.refundsOf(tx, row.id))
          .filter((candidate) => candidate.status === 'pending')
          .reduce((total, candidate) => total + candidate.amount, 0);
        const left = row.capturedAmount - row.refundedAmount - pending;
        const amount = input.amount ?? left;
        if (amount <= 0 || amount > left)
          throw paymentsError('refund_exceeds_captured', `At most ${left} minor units are left to refund.`);
        const created = await repository.insertRefund(tx, {
          paymentId: row.id,
          amount,
          origin: 'souk',
          reason: input.reason,
          idempotencyKey: input.idempotencyKey,
        });
        if (!created) throw new Error('refund key taken under the payment lock');
        await ledger.transfer(tx, {
          idempotencyKey: refundKey(created.id),
          reference: { type: `${row.purpose}_refund`, id: row.id },
          legs: [
            {
              from: memberAvailable(row.memberId, row.currency),
              to: clearingAccount(provider.name, row.currency),
              amount,
            },
          ],
          metadata: { refundId: created.id, reason: input.reason },
        });
        // A replay of the same key returned above: one refund, one entry.
        await deps.audit.record(tx, ctx, {
          action: 'refund.issued',
          target: { type: 'payment', id: row.id },
          before: {
            status: row.status,
            refunded: { amountMinor: row.refundedAmount, currency: row.currency },
          },
          after: {
            refundId: created.id,
            memberId: row.memberId,
            amount: { amountMinor: amount, currency: row.currency },
            reason: input.reason,
          },
          ...(input.origin ? { origin: input.origin } : {}),
        });
        return created;
      });
      if (refund.status !== 'pending')
        return { refund, payment: (await repository.byId(database.db, payment.id)) ?? payment };
      return askProviderToRefund(refund, payment);
    },

    askProviderToRefund: (refund: PaymentRefundRow) => askProviderToRefund(refund, null),
    settle,
    applyAndSettle,
  };

  async function askProviderToRefund(
    refund: PaymentRefundRow,
    known: PaymentRow | null,
  ): Promise<{ refund: PaymentRefundRow; payment: PaymentRow }> {
    const payment = known ?? (await repository.byId(database.db, refund.paymentId));
    if (!payment?.providerPaymentId) throw paymentsError('payment_not_found');
    try {
      const answer = await provider.refund(payment.providerPaymentId, {
        amount: refund.amount,
        idempotencyKey: `refund-${refund.id}`,
      });
      await ledger.transaction((tx) =>
        repository.updateRefunds(tx, [refund.id], { providerRefundId: answer.refundId }),
      );
      const { payment: updated } = await sync.apply(answer.intent);
      const [row] = (await repository.refundsOf(database.db, payment.id)).filter((r) => r.id === refund.id);
      return { refund: row ?? refund, payment: updated ?? payment };
    } catch (error) {
      if (!(error instanceof ProviderError) || error.transient) {
        deps.logger.warn(
          { err: error, refundId: refund.id },
          'refund left pending; reconciliation asks again',
        );
        return { refund, payment };
      }
      // Refused for good: the member gets the money back, the refund is failed.
      await ledger.transaction(async (tx) => {
        await ledger.transfer(tx, {
          idempotencyKey: refundRevertKey(refund.id),
          reference: { type: `${payment.purpose}_refund`, id: payment.id },
          legs: [
            {
              from: clearingAccount(provider.name, payment.currency),
              to: memberAvailable(payment.memberId, payment.currency),
              amount: refund.amount,
            },
          ],
          metadata: { refundId: refund.id, providerError: error.code },
        });
        await repository.updateRefunds(tx, [refund.id], { status: 'failed' });
      });
      throw paymentsError('provider_refused', `${error.code}: ${error.message}`);
    }
  }
}

export type PaymentsService = ReturnType<typeof createPaymentsService>;

/**
 * The most one top-up may be, in minor units: what Stripe takes (eight digits), so a payment the
 * sandbox accepts is one Stripe would too, and balances stay far from the safe-integer edge.
 */
export const MAX_TOP_UP_MINOR = 99_999_999;

/**
 * A return address on this site: a path, not another origin (an open redirect otherwise), and
 * no control characters (a CR/LF would reach the Location header of the return's redirect).
 */
export function isSameSiteReturn(url: string): boolean {
  return (
    url.startsWith('/') &&
    !url.startsWith('//') &&
    !url.includes('\\') &&
    url.length <= 2000 &&
    ![...url].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)
  );
}
