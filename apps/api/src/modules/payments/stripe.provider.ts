import Stripe from 'stripe';
import {
  type CreateIntentInput,
  intentFromStripe,
  type PaymentProvider,
  ProviderError,
  type ProviderEvent,
  type ProviderIntent,
  type StripeShapedIntent,
} from './payments.provider.js';
import { verifyWebhook } from './payments.signature.js';

export type StripeProviderOptions = {
  secretKey: string;
  webhookSecret: string;
  /** Another API origin (a local fake in tests): `http://127.0.0.1:12111`. Stripe's by default. */
  apiUrl?: string | undefined;
  /** Souk's page that mounts Stripe's Payment Element: `${checkoutPath}/<paymentId>`. */
  checkoutPath: string;
};

/** Stripe through its official SDK: PaymentIntents with manual capture, refunds, Connect. */
export type StripeProvider = PaymentProvider & {
  client: Stripe;
  /** What Stripe.js needs to show the payment form for an intent. */
  clientSecretOf(intentId: string): Promise<string>;
};

export function createStripeProvider(options: StripeProviderOptions): StripeProvider {
  const api = options.apiUrl ? new URL(options.apiUrl) : null;
  const stripe = new Stripe(options.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    ...(api
      ? {
          host: api.hostname,
          port: api.port || (api.protocol === 'https:' ? 443 : 80),
          protocol: api.protocol === 'https:' ? 'https' : 'http',
        }
      : {}),
  });

  /** The SDK's errors in the port's terms: a retry may help (network, 5xx, 429) or not. */
  function translate(error: unknown): never {
    if (error instanceof Stripe.errors.StripeError) {
      const transient =
        error instanceof Stripe.errors.StripeConnectionError ||
        error instanceof Stripe.errors.StripeAPIError ||
        error instanceof Stripe.errors.StripeRateLimitError ||
        (error.statusCode ?? 0) >= 500;
      throw new ProviderError(error.code ?? error.type, error.message, transient);
    }
    throw error;
  }

  const retrieve = async (intentId: string): Promise<ProviderIntent> => {
    const intent = await stripe.paymentIntents
      .retrieve(intentId, { expand: ['latest_charge'] })
      .catch(translate);
    return intentFromStripe(intent as unknown as StripeShapedIntent);
  };

  return {
    name: 'stripe',
    client: stripe,

    async createIntent(input: CreateIntentInput) {
      const intent = await stripe.paymentIntents
        .create(
          {
            amount: input.amount,
            currency: input.currency.toLowerCase(),
            capture_method: 'manual',
            automatic_payment_methods: { enabled: true },
            metadata: { paymentId: input.paymentId, memberId: input.memberId, returnUrl: input.returnUrl },
          },
          { idempotencyKey: input.idempotencyKey },
        )
        .catch(translate);
      return {
        intent: intentFromStripe(intent as unknown as StripeShapedIntent),
        checkoutUrl: `${options.checkoutPath}/${input.paymentId}`,
      };
    },

    retrieve,

    async clientSecretOf(intentId) {
      const intent = await stripe.paymentIntents.retrieve(intentId).catch(translate);
      if (!intent.client_secret)
        throw new ProviderError('no_client_secret', 'The intent has no client secret.', false);
      return intent.client_secret;
    },

    async capture(intentId, { idempotencyKey }) {
      try {
        await stripe.paymentIntents.capture(intentId, {}, { idempotencyKey });
      } catch (error) {
        // A capture the bank refuses leaves the intent with its error: answer the intent, so the
        // payment fails; anything else is the caller's problem.
        if (!(error instanceof Stripe.errors.StripeCardError)) translate(error);
      }
      return retrieve(intentId);
    },

    async cancel(intentId, { idempotencyKey }) {
      await stripe.paymentIntents.cancel(intentId, {}, { idempotencyKey }).catch(translate);
      return retrieve(intentId);
    },

    async refund(intentId, input) {
      const refund = await stripe.refunds
        .create({ payment_intent: intentId, amount: input.amount }, { idempotencyKey: input.idempotencyKey })
        .catch(translate);
      return { refundId: refund.id, intent: await retrieve(intentId) };
    },

    async *listSince(since) {
      const pages = stripe.paymentIntents.list({
        created: { gte: Math.floor(since.getTime() / 1000) },
        limit: 100,
        expand: ['data.latest_charge'],
      });
      try {
        for await (const intent of pages) yield intentFromStripe(intent as unknown as StripeShapedIntent);
      } catch (error) {
        translate(error);
      }
    },

    /**
     * Verified with the SDK's `constructEvent`; the intent is then fetched afresh, so an event
     * that arrives late never carries an old picture of the payment (Stripe's own advice).
     */
    async parseWebhook(rawBody, signature): Promise<ProviderEvent> {
      const event = verifyWebhook(rawBody, signature, options.webhookSecret) as Stripe.Event;
      const object = event.data.object as { object?: string; id?: string; payment_intent?: unknown };
      const intentId =
        object.object === 'payment_intent'
          ? object.id
          : typeof object.payment_intent === 'string'
            ? object.payment_intent
            : undefined;
      return {
        id: event.id,
        type: event.type,
        created: new Date(event.created * 1000),
        intent: intentId ? await retrieve(intentId) : null,
      };
    },

    async createPayoutAccount(input) {
      const account = await stripe.accounts
        .create({
          type: 'express',
          country: input.country,
          email: input.email,
          capabilities: { transfers: { requested: true } },
          metadata: { memberId: input.memberId },
        })
        .catch(translate);
      return { accountId: account.id };
    },

    async payout(input) {
      const transfer = await stripe.transfers
        .create(
          {
            amount: input.amount,
            currency: input.currency.toLowerCase(),
            destination: input.accountId,
            metadata: input.metadata ?? {},
          },
          { idempotencyKey: input.idempotencyKey },
        )
        .catch(translate);
      return { transferId: transfer.id };
    },
  };
}
