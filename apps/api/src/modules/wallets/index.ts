import type { Database } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { WalletsSettings } from './wallets.config.js';
import { referenceRatesProvider, staticFileRatesProvider } from './wallets.fx.js';
import { PAYOUTS_QUEUE } from './wallets.payouts.js';
import { createWalletsRepository } from './wallets.repository.js';
import { walletsRoutes } from './wallets.routes.js';
import { DEFAULT_PAYOUT_POLICY, type PayoutPolicySettings } from './wallets.rules.js';
import { createWalletsService, type WalletsPorts } from './wallets.service.js';

export { computeFees, type FeeRuleInput, type Fees, feeLegs, platformFeesRevenue } from './fees.rules.js';
export { convertAt, rateFor } from './fx.rules.js';
export { loadWalletsSettings, type WalletsSettings } from './wallets.config.js';
export { type FxRatesProvider, referenceRatesProvider, staticFileRatesProvider } from './wallets.fx.js';
export { PAYOUTS_QUEUE } from './wallets.payouts.js';
export { DEFAULT_PAYOUT_POLICY, type PayoutPolicySettings, payoutMachine } from './wallets.rules.js';
export type { WalletsPorts, WalletsService } from './wallets.service.js';

export const FX_IMPORT_QUEUE = 'wallets.fx.import';

/**
 * Wallets (decision 037): balances, history and statements read from the ledger; top-ups through
 * the payments module; payout methods and requests (reserved at once, the new-seller hold, an
 * operator's review above a threshold, sent by a job); fees (the operator's rules, a pure
 * `computeFees`, booked as their own entries: `service.fees.bookFees` / `legsFor`); FX rates
 * (admin-set or imported through a provider port) and `service.fx.convert` for display and
 * search sorting in one currency.
 */
export function createWalletsModule(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  jobs: Jobs;
  logger: Logger;
  settings: WalletsSettings;
  ports: Omit<WalletsPorts, 'fxProvider'> & { fxProvider?: WalletsPorts['fxProvider'] };
  policy?: Partial<PayoutPolicySettings>;
  now?: () => Date;
}) {
  const repository = createWalletsRepository();
  const fxProvider =
    deps.ports.fxProvider ??
    (deps.settings.FX_RATES_FILE
      ? staticFileRatesProvider(deps.settings.FX_RATES_FILE)
      : referenceRatesProvider());
  const service = createWalletsService({
    database: deps.database,
    jobs: deps.jobs,
    logger: deps.logger,
    repository,
    policy: {
      ...DEFAULT_PAYOUT_POLICY,
      newSellerHoldDays: deps.settings.WALLET_PAYOUT_HOLD_DAYS,
      ...deps.policy,
    },
    ports: { ...deps.ports, fxProvider },
    ...(deps.now ? { now: deps.now } : {}),
  });

  deps.jobs.define<{ payoutId?: string }>(PAYOUTS_QUEUE, async (data) => {
    if (data.payoutId) await service.payouts.send(data.payoutId);
    else await service.payouts.processDue();
  });
  deps.jobs.schedule(PAYOUTS_QUEUE, deps.settings.WALLET_PAYOUT_CRON);
  deps.jobs.define(FX_IMPORT_QUEUE, async () => {
    await service.fx.importRates();
  });
  deps.jobs.schedule(FX_IMPORT_QUEUE, deps.settings.FX_IMPORT_CRON);

  return { service, routes: walletsRoutes(service) };
}

export type WalletsModule = ReturnType<typeof createWalletsModule>;
