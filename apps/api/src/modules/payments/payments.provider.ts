import type { IsoCurrencyCode } from '@souk/contracts';

/*
 * The provider port (decision 036): what Souk asks of a payments provider. Two implement it, the
 * built-in sandbox (sandbox.provider.ts) and Stripe (stripe.provider.ts). Every call that changes
 * something at the provider carries an idempotency key that never changes for one logical call,
 * so a retry after a crash or a timeout is answered with the first result.
 */

export type ProviderName = 'sandbox' | 'stripe';

/** A provider's payment intent, as Stripe shapes it (the sandbox speaks the same). */
export type ProviderIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'succeeded'
  | 'canceled';

export type ProviderIntent = {
  id: string;
  status: ProviderIntentStatus;
  amount: number;
  currency: IsoCurrencyCode;
  /** What was captured (Stripe's amount_received). */
  amountCaptured: number;
  /** Refunded in total so far (the latest charge's amount_refunded). */
  amountRefunded: number;
  /** Why the last attempt failed (a decline code), or null. */
  lastError: string | null;
  /** `paymentId` (Souk's id) is always there: it links an intent Souk never heard back about. */
  metadata: Record<string, string>;
  created: Date;
};

/** A verified webhook event with the intent it is about, as the provider sees it now or then. */
export type ProviderEvent = {
  id: string;
  type: string;
  created: Date;
  intent: ProviderIntent | null;
};

export type CreateIntentInput = {
  paymentId: string;
  memberId: string;
  amount: number;
  currency: IsoCurrencyCode;
  /** Where the provider's page sends the member back to (Souk's return endpoint). */
  returnUrl: string;
  idempotencyKey: string;
};

export type PaymentProvider = {
  readonly name: ProviderName;
  /** Creates an intent with manual capture; answers the page the member pays on. */
  createIntent(input: CreateIntentInput): Promise<{ intent: ProviderIntent; checkoutUrl: string }>;
  retrieve(intentId: string): Promise<ProviderIntent>;
  /** Captures an authorized intent; a capture that fails answers the failed intent. */
  capture(intentId: string, options: { idempotencyKey: string }): Promise<ProviderIntent>;
  cancel(intentId: string, options: { idempotencyKey: string }): Promise<ProviderIntent>;
  refund(
    intentId: string,
    input: { amount: number; idempotencyKey: string },
  ): Promise<{ refundId: string; intent: ProviderIntent }>;
  /** Intents created at or after `since`, oldest first: what reconciliation compares. */
  listSince(since: Date): AsyncIterable<ProviderIntent>;
  /**
   * Checks the `Stripe-Signature` header over the raw body (a forged one or one older than the
   * tolerance throws a `webhook_signature_invalid` AppError) and answers the event.
   */
  parseWebhook(rawBody: Buffer, signature: string | undefined): Promise<ProviderEvent>;
  /** Payout destinations: a Connect account (Stripe) or a sandbox bank account. */
  createPayoutAccount(input: {
    memberId: string;
    email: string;
    country: string;
  }): Promise<{ accountId: string }>;
  /** Sends money from the platform to a payout account. */
  payout(input: {
    accountId: string;
    amount: number;
    currency: IsoCurrencyCode;
    idempotencyKey: string;
    metadata?: Record<string, string>;
  }): Promise<{ transferId: string }>;
};

/** A provider that answered with an error (a decline, a refusal, a network failure). */
export class ProviderError extends Error {
  override name = 'ProviderError';
  constructor(
    readonly code: string,
    message: string,
    /** True when retrying the same call may succeed (network, 5xx, rate limit). */
    readonly transient: boolean,
  ) {
    super(message);
  }
}

/** The fields of a Stripe PaymentIntent Souk reads (the sandbox sends the same shape). */
export type StripeShapedIntent = {
  id: string;
  status: string;
  amount: number;
  currency: string;
  amount_received?: number | null;
  latest_charge?: string | { amount_refunded?: number | null } | null;
  last_payment_error?: { code?: string | null; decline_code?: string | null } | null;
  metadata?: Record<string, string> | null;
  created: number;
};

/** A Stripe-shaped intent as the port's ProviderIntent (currency upper-cased, refunds summed). */
export function intentFromStripe(object: StripeShapedIntent): ProviderIntent {
  const charge = typeof object.latest_charge === 'object' ? object.latest_charge : null;
  const error = object.last_payment_error;
  return {
    id: object.id,
    status: object.status as ProviderIntentStatus,
    amount: object.amount,
    currency: object.currency.toUpperCase() as IsoCurrencyCode,
    amountCaptured: object.status === 'succeeded' ? (object.amount_received ?? object.amount) : 0,
    amountRefunded: charge?.amount_refunded ?? 0,
    lastError: error ? (error.decline_code ?? error.code ?? 'payment_failed') : null,
    metadata: object.metadata ?? {},
    created: new Date(object.created * 1000),
  };
}
