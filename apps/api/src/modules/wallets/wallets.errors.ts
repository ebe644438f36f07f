import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const walletsErrors = {
  payout_method_not_found: { status: 404, title: 'No such payout method' },
  payout_not_found: { status: 404, title: 'No such payout' },
  payout_below_minimum: { status: 400, title: 'The payout is below the minimum' },
  payout_currency_not_supported: { status: 400, title: 'Payouts are not offered in this currency' },
  insufficient_funds: { status: 409, title: 'Your available balance does not cover this payout' },
  idempotency_key_reused: { status: 422, title: 'This Idempotency-Key was used for another payout' },
  fee_rule_not_found: { status: 404, title: 'No such fee rule' },
  fx_rate_not_found: { status: 404, title: 'No exchange rate for this pair' },
  fx_import_failed: { status: 502, title: 'The rates provider did not answer with rates' },
  payout_provider_failed: { status: 502, title: 'The payments provider did not accept this payout method' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type WalletsErrorCode = keyof typeof walletsErrors;

export const walletsError = errorFactory(walletsErrors);
