import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const ledgerErrors = {
  insufficient_funds: { status: 409, title: 'The balance does not cover this amount' },
  hold_not_pending: { status: 409, title: 'This hold was already posted or voided' },
  hold_not_found: { status: 404, title: 'No such hold' },
  idempotency_conflict: { status: 422, title: 'This idempotency key was used for a different transfer' },
  unbalanced_transfer: { status: 400, title: 'The transfer does not balance' },
  currency_mismatch: { status: 400, title: 'The accounts of a leg are in different currencies' },
  account_not_found: { status: 404, title: 'No such ledger account' },
  invalid_amount: { status: 400, title: 'Amounts are positive integers in minor units' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type LedgerErrorCode = keyof typeof ledgerErrors;

export const ledgerError = errorFactory(ledgerErrors);

/** True when `error` is the ledger's refusal `code` (callers branch on it). */
export function isLedgerError(error: unknown, code?: LedgerErrorCode): boolean {
  const candidate = error as { code?: unknown; name?: unknown } | null;
  return (
    candidate?.name === 'AppError' &&
    typeof candidate.code === 'string' &&
    candidate.code in ledgerErrors &&
    (code === undefined || candidate.code === code)
  );
}
