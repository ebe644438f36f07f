import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const paymentsErrors = {
  payment_not_found: { status: 404, title: 'No such payment' },
  webhook_signature_invalid: { status: 400, title: 'The webhook signature does not verify' },
  refund_exceeds_captured: { status: 409, title: 'The refund is more than what is left to refund' },
  payment_not_refundable: { status: 409, title: 'Only a captured payment can be refunded' },
  provider_unavailable: { status: 503, title: 'The payments provider does not answer; try again' },
  provider_refused: { status: 402, title: 'The payments provider refused the request' },
  return_url_not_allowed: { status: 400, title: 'The return address must be on this site' },
  top_up_too_large: { status: 422, title: 'A top-up is at most 99,999,999 minor units' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type PaymentsErrorCode = keyof typeof paymentsErrors;

export const paymentsError = errorFactory(paymentsErrors);
