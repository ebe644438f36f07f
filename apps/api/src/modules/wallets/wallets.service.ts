import type { IsoCurrencyCode, PayoutPolicy, WalletSummary } from '@souk/contracts';
import type { Database } from '../../platform/db/database.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { AuditService } from '../audit/index.js';
import { createWalletBalances, type WalletsLedger } from './wallets.balances.js';
import { createWalletFees } from './wallets.fees.js';
import { createWalletFx, type FxRatesProvider } from './wallets.fx.js';
import type { PayoutNotify } from './wallets.notices.js';
import { createWalletPayouts, type PayoutProvider } from './wallets.payouts.js';
import type { WalletsRepository } from './wallets.repository.js';
import { heldUntil, type PayoutPolicySettings, policyMoney } from './wallets.rules.js';

/** What the wallet asks of other modules. */
export type WalletsPorts = {
  ledger: WalletsLedger;
  /** payments.startTopUp: a payment and the page to pay on. */
  startTopUp: (
    ctx: RequestContext,
    input: { memberId: string; amount: number; currency: IsoCurrencyCode; returnUrl: string },
  ) => Promise<{ paymentId: string; checkoutUrl: string }>;
  /** The payments provider's payout side (sandbox bank accounts, Stripe Connect). */
  payoutProvider: PayoutProvider;
  /** When an account was opened and its address (auth). */
  members: (memberId: string) => Promise<{ since: Date; email: string | null } | null>;
  /** A category and its ancestors, nearest first (catalog). */
  categoryPath: (categoryId: string) => Promise<string[]>;
  fxProvider: FxRatesProvider;
  /** notifications.notify: payout news for the member, in the payout's transaction. */
  notify: PayoutNotify;
  /** The audit log: admin reviews, fee rules and rates are recorded in their own transaction. */
  audit: Pick<AuditService, 'record'>;
};

export type WalletsServiceDeps = {
  database: Pick<Database, 'db' | 'transaction'>;
  jobs: Pick<Jobs, 'send'>;
  logger: Logger;
  repository: WalletsRepository;
  policy: PayoutPolicySettings;
  ports: WalletsPorts;
  now?: () => Date;
};

/** Where a finished top-up sends the member back to. */
export const WALLET_PAGE = '/account/wallet';

/**
 * The wallet (decision 037), put together from its parts: balances and history (read from the
 * ledger), payouts, fees and FX rates.
 */
export function createWalletsService(deps: WalletsServiceDeps) {
  const { ports, policy } = deps;
  const balances = createWalletBalances({ database: deps.database, ledger: ports.ledger });
  const payouts = createWalletPayouts({
    database: deps.database,
    ledger: ports.ledger,
    repository: deps.repository,
    provider: ports.payoutProvider,
    jobs: deps.jobs,
    logger: deps.logger,
    policy,
    members: ports.members,
    notify: ports.notify,
    audit: ports.audit,
    ...(deps.now ? { now: deps.now } : {}),
  });
  const fees = createWalletFees({
    database: deps.database,
    repository: deps.repository,
    ledger: ports.ledger,
    categoryPath: ports.categoryPath,
    audit: ports.audit,
  });
  const fx = createWalletFx({
    database: deps.database,
    repository: deps.repository,
    provider: ports.fxProvider,
    audit: ports.audit,
  });

  async function payoutPolicy(memberId: string): Promise<PayoutPolicy> {
    const member = await ports.members(memberId);
    const until = member ? heldUntil(member.since, policy.newSellerHoldDays) : null;
    return {
      minimums: policyMoney(policy.minimums),
      reviewAbove: policyMoney(policy.reviewAbove),
      newSellerHoldDays: policy.newSellerHoldDays,
      heldUntil: until && until > (deps.now?.() ?? new Date()) ? until.toISOString() : null,
    };
  }

  return {
    async summary(ctx: RequestContext): Promise<WalletSummary> {
      const memberId = requireUser(ctx, 'Sign in to see your wallet.');
      return { balances: await balances.balances(memberId), payoutPolicy: await payoutPolicy(memberId) };
    },
    history: (ctx: RequestContext, query: Parameters<typeof balances.history>[1]) =>
      balances.history(requireUser(ctx), query),
    statement: (ctx: RequestContext, filter: Parameters<typeof balances.statement>[1]) =>
      balances.statement(requireUser(ctx), filter),
    balanceHistory: (ctx: RequestContext, currency: IsoCurrencyCode, days: number) =>
      balances.balanceHistory(requireUser(ctx), currency, days),
    /** Balances of any member, for other modules (orders checking a wallet, the admin). */
    balancesOf: balances.balances,

    /** A top-up by card through the payments module; the member comes back to the wallet page. */
    async startTopUp(ctx: RequestContext, amount: { amountMinor: number; currency: IsoCurrencyCode }) {
      const memberId = requireUser(ctx, 'Sign in to top up your wallet.');
      return ports.startTopUp(ctx, {
        memberId,
        amount: amount.amountMinor,
        currency: amount.currency,
        returnUrl: WALLET_PAGE,
      });
    },

    payouts,
    fees,
    fx,
  };
}

export type WalletsService = ReturnType<typeof createWalletsService>;
