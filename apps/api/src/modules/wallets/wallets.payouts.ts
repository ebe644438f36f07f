import type {
  AddPayoutMethodBody,
  IsoCurrencyCode,
  Payout,
  PayoutMethod,
  PayoutPage,
  PayoutStatus,
} from '@souk/contracts';
import { AddPayoutMethodBody as AddPayoutMethodSchema, money } from '@souk/contracts';
import { z } from 'zod';
import type { Database, Queryable } from '../../platform/db/database.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { AuditOrigin, AuditService } from '../audit/index.js';
import type { PaymentProvider } from '../payments/index.js';
import { ProviderError } from '../payments/index.js';
import type { WalletsLedger } from './wallets.balances.js';
import { walletsError } from './wallets.errors.js';
import { notifyPayout, type PayoutNotify } from './wallets.notices.js';
import type { WalletsRepository } from './wallets.repository.js';
import {
  maskAccount,
  memberAccount,
  type PayoutEvent,
  type PayoutPolicySettings,
  payoutKeys,
  payoutMachine,
  planPayout,
  providerClearing,
} from './wallets.rules.js';
import type { PayoutMethodRow, PayoutRow } from './wallets.schema.js';

export const PAYOUTS_QUEUE = 'wallets.payouts.process';
/** A payout left `processing` this long (a crash mid-send) is sent again with the same key. */
const STUCK_AFTER_MS = 5 * 60_000;

export type PayoutProvider = Pick<PaymentProvider, 'name' | 'createPayoutAccount' | 'payout'>;

export type PayoutsDeps = {
  database: Pick<Database, 'db'>;
  ledger: WalletsLedger;
  repository: WalletsRepository;
  provider: PayoutProvider;
  jobs: Pick<Jobs, 'send'>;
  logger: Logger;
  policy: PayoutPolicySettings;
  /** When the member's account was opened (the new-seller hold) and where the provider writes. */
  members: (memberId: string) => Promise<{ since: Date; email: string | null } | null>;
  /** The member hears of review, paid, rejected and failed in the change's transaction. */
  notify: PayoutNotify;
  audit: Pick<AuditService, 'record'>;
  now?: () => Date;
};

const PayoutPosition = z.object({ at: z.iso.datetime(), id: z.uuid() });

export function methodView(row: PayoutMethodRow): PayoutMethod {
  return {
    id: row.id,
    type: row.type as PayoutMethod['type'],
    label: row.label,
    holderName: row.holderName,
    country: row.country,
    createdAt: row.createdAt.toISOString(),
  };
}

export function payoutView(row: PayoutRow, methodLabel: string): Payout {
  return {
    id: row.id,
    memberId: row.memberId,
    methodId: row.methodId,
    methodLabel,
    amount: money(row.amount, row.currency as IsoCurrencyCode),
    status: row.status as PayoutStatus,
    releaseAt: row.releaseAt.toISOString(),
    rejectionReason: row.rejectionReason,
    failureCode: row.failureCode,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** An operator's review in the audit log, in the review's transaction (decision 039). */
async function recordReview(
  audit: Pick<AuditService, 'record'>,
  tx: Queryable,
  ctx: RequestContext,
  review: { action: 'payout.approved' | 'payout.rejected'; before: PayoutRow; after: PayoutRow },
  origin: AuditOrigin | undefined,
): Promise<void> {
  const { before, after } = review;
  await audit.record(tx, ctx, {
    action: review.action,
    target: { type: 'payout', id: after.id },
    before: { status: before.status },
    after: {
      status: after.status,
      memberId: after.memberId,
      amount: { amountMinor: after.amount, currency: after.currency },
      ...(after.rejectionReason ? { reason: after.rejectionReason } : {}),
    },
    ...(origin ? { origin } : {}),
  });
}

/**
 * Payout methods and requests (decision 037). A request reserves the money at once (available
 * -> pending_payout, in the transaction that writes the payout, so a second request cannot
 * spend it again); the job sends due payouts to the provider outside any transaction with a key
 * that never changes, then books the outcome: paid (pending_payout -> the provider's clearing
 * account) or failed (back to available). An operator rejecting one also gives the money back.
 */
export function createWalletPayouts(deps: PayoutsDeps) {
  const { ledger, repository, provider, database } = deps;
  const now = deps.now ?? (() => new Date());

  async function labelsOf(rows: PayoutRow[]): Promise<Map<string, string>> {
    const labels = new Map<string, string>();
    for (const id of new Set(rows.map((row) => row.methodId))) {
      const method = await repository.methodById(database.db, id);
      labels.set(id, method?.label ?? '');
    }
    return labels;
  }

  async function views(rows: PayoutRow[]): Promise<Payout[]> {
    const labels = await labelsOf(rows);
    return rows.map((row) => payoutView(row, labels.get(row.methodId) ?? ''));
  }

  /** Applies `event` under the row lock; answers null when the payout is not in a state for it. */
  async function step(
    tx: Queryable,
    payoutId: string,
    event: PayoutEvent,
    values: Partial<PayoutRow> = {},
    strict = false,
  ): Promise<{ before: PayoutRow; after: PayoutRow } | null> {
    const before = await repository.lockPayout(tx, payoutId);
    if (!before) throw walletsError('payout_not_found');
    const status = before.status as PayoutStatus;
    if (!payoutMachine.accepts(status, event)) {
      if (strict) payoutMachine.transition(status, event, undefined);
      return null;
    }
    const { to } = payoutMachine.transition(status, event, undefined);
    const after = await repository.updatePayout(tx, payoutId, { ...values, status: to });
    return { before, after };
  }

  /** The reserved money goes back to the member's available balance (reject, fail). */
  async function release(tx: Queryable, row: PayoutRow): Promise<void> {
    const currency = row.currency as IsoCurrencyCode;
    await ledger.transfer(tx, {
      idempotencyKey: payoutKeys.release(row.id),
      reference: { type: 'payout_return', id: row.id },
      legs: [
        {
          from: memberAccount(row.memberId, currency, 'pending_payout'),
          to: memberAccount(row.memberId, currency, 'available'),
          amount: row.amount,
        },
      ],
      metadata: { status: row.status },
    });
  }

  async function send(payoutId: string): Promise<PayoutRow | null> {
    const claimed = await ledger.transaction(async (tx) => {
      const row = await repository.lockPayout(tx, payoutId);
      if (!row) return null;
      // Processing and recently touched: another run is sending it now.
      if (row.status === 'processing') {
        if (row.updatedAt.getTime() > now().getTime() - STUCK_AFTER_MS) return null;
        return repository.updatePayout(tx, payoutId, { attempts: row.attempts + 1 });
      }
      if (row.status !== 'pending' || row.releaseAt > now()) return null;
      return (await step(tx, payoutId, 'send', { attempts: row.attempts + 1 }))?.after ?? null;
    });
    if (!claimed) return null;
    const method = await repository.methodById(database.db, claimed.methodId);
    try {
      if (!method) throw new ProviderError('payout_method_missing', 'The payout method is gone.', false);
      const { transferId } = await provider.payout({
        accountId: method.providerAccountId,
        amount: claimed.amount,
        currency: claimed.currency as IsoCurrencyCode,
        idempotencyKey: payoutKeys.provider(claimed.id),
        metadata: { payoutId: claimed.id, memberId: claimed.memberId },
      });
      return ledger.transaction(async (tx) => {
        const done = await step(tx, payoutId, 'complete', { providerTransferId: transferId });
        if (!done) return repository.lockPayout(tx, payoutId);
        const currency = done.after.currency as IsoCurrencyCode;
        await ledger.transfer(tx, {
          idempotencyKey: payoutKeys.settle(payoutId),
          reference: { type: 'payout', id: payoutId },
          legs: [
            {
              from: memberAccount(done.after.memberId, currency, 'pending_payout'),
              to: providerClearing(provider.name, currency),
              amount: done.after.amount,
            },
          ],
          metadata: { provider: provider.name, providerTransferId: transferId },
        });
        await notifyPayout(deps.notify, tx, done.after);
        return done.after;
      });
    } catch (error) {
      if (error instanceof ProviderError && !error.transient) {
        deps.logger.warn(
          { payoutId, code: error.code },
          'the provider refused a payout: the money goes back',
        );
        return ledger.transaction(async (tx) => {
          const failed = await step(tx, payoutId, 'fail', { failureCode: error.code });
          if (failed) await release(tx, failed.after);
          if (failed) await notifyPayout(deps.notify, tx, failed.after);
          return failed?.after ?? null;
        });
      }
      // Transient: left processing; the sweep sends it again with the same key.
      deps.logger.warn({ err: error, payoutId }, 'a payout could not reach the provider; it will be retried');
      return null;
    }
  }

  return {
    async addMethod(ctx: RequestContext, body: AddPayoutMethodBody): Promise<PayoutMethod> {
      const memberId = requireUser(ctx, 'Sign in to add a payout method.');
      const input = AddPayoutMethodSchema.parse(body);
      const member = await deps.members(memberId);
      if (!member) throw walletsError('payout_method_not_found', 'Your account was not found.');
      const { accountId } = await provider
        .createPayoutAccount({ memberId, email: member.email ?? '', country: input.country })
        .catch((error: unknown) => {
          if (error instanceof ProviderError) throw walletsError('payout_provider_failed', error.message);
          throw error;
        });
      const row = await repository.insertMethod(database.db, {
        memberId,
        type: provider.name === 'stripe' ? 'stripe_connect' : 'sandbox_bank',
        providerAccountId: accountId,
        label: maskAccount(input.accountNumber),
        holderName: input.holderName,
        country: input.country,
      });
      return methodView(row);
    },

    async methods(ctx: RequestContext): Promise<PayoutMethod[]> {
      const memberId = requireUser(ctx);
      return (await repository.methodsOf(database.db, memberId)).map(methodView);
    },

    async removeMethod(ctx: RequestContext, methodId: string): Promise<void> {
      const memberId = requireUser(ctx);
      if (!(await repository.removeMethod(database.db, memberId, methodId)))
        throw walletsError('payout_method_not_found');
    },

    /**
     * A payout request: refused below the minimum or beyond the available balance (nothing
     * written), else the money reserved and the payout `pending` until its release time, or
     * `in_review` above the threshold. The member's Idempotency-Key makes it one payout.
     */
    async request(
      ctx: RequestContext,
      input: {
        amount: { amountMinor: number; currency: IsoCurrencyCode };
        methodId: string;
        idempotencyKey: string;
      },
    ): Promise<{ payout: Payout; created: boolean }> {
      const memberId = requireUser(ctx, 'Sign in to request a payout.');
      const earlier = await repository.payoutByKey(database.db, memberId, input.idempotencyKey);
      const same = (row: PayoutRow) =>
        row.amount === input.amount.amountMinor &&
        row.currency === input.amount.currency &&
        row.methodId === input.methodId;
      if (earlier) {
        if (!same(earlier)) throw walletsError('idempotency_key_reused');
        return { payout: (await views([earlier]))[0] as Payout, created: false };
      }
      const method = await repository.methodById(database.db, input.methodId);
      if (!method || method.memberId !== memberId || method.removedAt)
        throw walletsError('payout_method_not_found');
      const member = await deps.members(memberId);
      if (!member) throw walletsError('payout_method_not_found', 'Your account was not found.');
      const amount = money(input.amount.amountMinor, input.amount.currency);
      const plan = planPayout(amount, deps.policy, member.since, now());
      const status: PayoutStatus = plan.needsReview
        ? payoutMachine.transition('pending', 'review', undefined).to
        : 'pending';
      const result = await ledger.transaction(async (tx) => {
        const row = await repository.insertPayout(tx, {
          memberId,
          methodId: method.id,
          amount: amount.amountMinor,
          currency: amount.currency,
          status,
          releaseAt: plan.releaseAt,
          idempotencyKey: input.idempotencyKey,
        });
        if (!row) return { row: null, created: false };
        await ledger.transfer(tx, {
          idempotencyKey: payoutKeys.reserve(row.id),
          reference: { type: 'payout', id: row.id },
          legs: [
            {
              from: memberAccount(memberId, amount.currency, 'available'),
              to: memberAccount(memberId, amount.currency, 'pending_payout'),
              amount: amount.amountMinor,
            },
          ],
          metadata: { methodId: method.id },
        });
        await notifyPayout(deps.notify, tx, row);
        if (status === 'pending' && row.releaseAt <= now())
          await deps.jobs.send(PAYOUTS_QUEUE, { payoutId: row.id }, { tx });
        return { row, created: true };
      });
      const row = result.row ?? (await repository.payoutByKey(database.db, memberId, input.idempotencyKey));
      if (!row) throw new Error('payout key taken but not found');
      if (!result.created && !same(row)) throw walletsError('idempotency_key_reused');
      return { payout: payoutView(row, method.label), created: result.created };
    },

    async list(
      ctx: RequestContext | null,
      query: { status?: PayoutStatus | undefined; limit: number; cursor?: string | undefined },
    ): Promise<PayoutPage> {
      const memberId = ctx ? requireUser(ctx) : undefined;
      const position = decodeCursor(query.cursor, PayoutPosition);
      const rows = await repository.payoutPage(
        database.db,
        { ...(memberId ? { memberId } : {}), ...(query.status ? { status: query.status } : {}) },
        query.limit + 1,
        position ? { at: new Date(position.at), id: position.id } : undefined,
      );
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: await views(page),
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor({ at: last.createdAt.toISOString(), id: last.id })
            : null,
      };
    },

    /** An operator lets a payout above the threshold go: it waits for its release time as any other. */
    async approve(ctx: RequestContext, payoutId: string, origin?: AuditOrigin): Promise<Payout> {
      const reviewer = requireUser(ctx);
      const row = await ledger.transaction(async (tx) => {
        const done = await step(tx, payoutId, 'approve', { reviewedBy: reviewer }, true);
        if (!done) throw walletsError('payout_not_found');
        await recordReview(deps.audit, tx, ctx, { action: 'payout.approved', ...done }, origin);
        if (done.after.releaseAt <= now()) await deps.jobs.send(PAYOUTS_QUEUE, { payoutId }, { tx });
        return done.after;
      });
      return (await views([row]))[0] as Payout;
    },

    /** An operator refuses a payout: the reserved money goes back to the member's balance. */
    async reject(
      ctx: RequestContext,
      payoutId: string,
      reason: string,
      origin?: AuditOrigin,
    ): Promise<Payout> {
      const reviewer = requireUser(ctx);
      const row = await ledger.transaction(async (tx) => {
        const done = await step(
          tx,
          payoutId,
          'reject',
          { reviewedBy: reviewer, rejectionReason: reason },
          true,
        );
        if (!done) throw walletsError('payout_not_found');
        await recordReview(deps.audit, tx, ctx, { action: 'payout.rejected', ...done }, origin);
        await release(tx, done.after);
        await notifyPayout(deps.notify, tx, done.after);
        return done.after;
      });
      return (await views([row]))[0] as Payout;
    },

    send,

    /** The job: every due payout (hold over, or stuck processing), one at a time. */
    async processDue(limit = 50): Promise<number> {
      const at = now();
      const ids = await repository.duePayouts(
        database.db,
        at,
        new Date(at.getTime() - STUCK_AFTER_MS),
        limit,
      );
      let sent = 0;
      for (const id of ids) if (await send(id)) sent += 1;
      return sent;
    },
  };
}

export type WalletPayouts = ReturnType<typeof createWalletPayouts>;
