import type { Database } from '../../platform/db/database.js';
import type { EventPublisher } from '../../platform/events.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { AuditService } from '../audit/index.js';
import type { PaymentsSettings } from './payments.config.js';
import type { PaymentsEvents } from './payments.events.js';
import { createExpirer, EXPIRE_QUEUE } from './payments.expiry.js';
import type { PaymentProvider } from './payments.provider.js';
import { createReconciler, RECONCILE_QUEUE } from './payments.reconcile.js';
import { createPaymentsRepository } from './payments.repository.js';
import { paymentsRoutes } from './payments.routes.js';
import type { PaymentRow } from './payments.schema.js';
import { createPaymentsService } from './payments.service.js';
import { createPaymentSync, type PaymentsLedger } from './payments.sync.js';
import { sandboxCheckoutRoutes } from './sandbox.checkout.js';
import { createSandboxProvider, type SandboxProvider } from './sandbox.provider.js';
import { stripeCheckoutRoutes } from './stripe.checkout.js';
import { createStripeProvider, type StripeProvider } from './stripe.provider.js';

export { loadPaymentsSettings, type PaymentsSettings } from './payments.config.js';
export type { PaymentsEvents } from './payments.events.js';
export { EXPIRE_QUEUE, type ExpiryReport } from './payments.expiry.js';
export type { PaymentProvider, ProviderIntent } from './payments.provider.js';
export { ProviderError } from './payments.provider.js';
export type { ReconcileReport } from './payments.reconcile.js';
export type { PaymentsService, RefundInput, StartTopUpInput } from './payments.service.js';
export { SANDBOX_CARDS, type SandboxProvider } from './sandbox.provider.js';

/** Where Souk's payment routes live (the sandbox's checkout and the return are same-origin). */
export const PAYMENTS_BASE = '/api/v1/payments';

/**
 * Payments (decision 036): top-ups by card through a provider port, the built-in sandbox (test
 * cards, a hosted checkout with a 3-D Secure page, Stripe-signed webhooks retried with backoff)
 * or Stripe (PaymentIntents with manual capture, refunds, Connect payouts). A captured payment
 * is booked in the ledger once, keyed by the provider's payment id, whichever of the return
 * redirect, a webhook or reconciliation gets there first.
 *
 * For other modules: {@link PaymentsService.startTopUp} answers `{ paymentId, checkoutUrl }`;
 * {@link PaymentsService.refund}; the `payments.captured` and `payments.failed` events; and
 * `provider.createPayoutAccount` / `provider.payout` for payouts.
 */
export function createPaymentsModule(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  jobs: Jobs;
  events: EventPublisher<PaymentsEvents>;
  ledger: PaymentsLedger;
  logger: Logger;
  settings: PaymentsSettings;
  /** Signs the sandbox's webhooks (derived from Souk's secret: nothing to configure). */
  sandboxWebhookSecret: string;
  /** This node's origin, where the sandbox delivers webhooks unless PAYMENTS_WEBHOOK_URL says. */
  localOrigin: string;
  /** The audit log (decision 039): admin refunds are recorded in their transaction. */
  audit: Pick<AuditService, 'record'>;
  /** Test seams: a provider of the test's own, a pause just before a booking commits. */
  provider?: PaymentProvider;
  beforeCommit?: (payment: PaymentRow) => Promise<void>;
}) {
  const { settings } = deps;
  const checkoutPath = `${PAYMENTS_BASE}/sandbox/checkout`;
  const sandbox: SandboxProvider | null =
    deps.provider || settings.PAYMENTS_PROVIDER !== 'sandbox'
      ? null
      : createSandboxProvider({
          database: deps.database,
          jobs: deps.jobs,
          logger: deps.logger,
          webhookSecret: deps.sandboxWebhookSecret,
          webhookUrl: settings.PAYMENTS_WEBHOOK_URL ?? `${deps.localOrigin}${PAYMENTS_BASE}/webhooks/sandbox`,
          checkoutPath,
        });
  const stripe: StripeProvider | null =
    deps.provider || sandbox
      ? null
      : createStripeProvider({
          secretKey: settings.STRIPE_SECRET_KEY ?? '',
          webhookSecret: settings.STRIPE_WEBHOOK_SECRET ?? '',
          apiUrl: settings.STRIPE_API_URL,
          checkoutPath: `${PAYMENTS_BASE}/stripe/checkout`,
        });
  const provider: PaymentProvider = deps.provider ?? sandbox ?? (stripe as StripeProvider);

  const repository = createPaymentsRepository();
  const sync = createPaymentSync({
    ledger: deps.ledger,
    events: deps.events,
    repository,
    provider,
    ...(deps.beforeCommit ? { beforeCommit: deps.beforeCommit } : {}),
  });
  const service = createPaymentsService({
    database: deps.database,
    ledger: deps.ledger,
    repository,
    provider,
    sync,
    logger: deps.logger,
    audit: deps.audit,
    returnBase: PAYMENTS_BASE,
  });
  const reconcile = createReconciler({
    database: deps.database,
    ledger: deps.ledger,
    repository,
    provider,
    sync,
    service,
    logger: deps.logger,
  });

  deps.jobs.define(RECONCILE_QUEUE, async () => {
    const report = await reconcile({
      since: new Date(Date.now() - settings.PAYMENTS_RECONCILE_HOURS * 3_600_000),
    });
    if (report.bookedCaptures.length || report.bookedRefunds.length || report.flagged.length)
      deps.logger.warn({ report }, 'payments reconciliation repaired or flagged differences');
  });
  deps.jobs.schedule(RECONCILE_QUEUE, settings.PAYMENTS_RECONCILE_CRON);

  const expireUnpaid = createExpirer({
    database: deps.database,
    ledger: deps.ledger,
    repository,
    provider,
    sync,
    service,
    logger: deps.logger,
  });
  deps.jobs.define(EXPIRE_QUEUE, async () => {
    const report = await expireUnpaid({
      olderThan: new Date(Date.now() - settings.PAYMENTS_EXPIRE_MINUTES * 60_000),
    });
    if (report.canceled.length || report.advanced.length)
      deps.logger.info({ report }, 'unpaid payments expired');
  });
  deps.jobs.schedule(EXPIRE_QUEUE, settings.PAYMENTS_EXPIRE_CRON);

  return {
    service,
    provider,
    /** The sandbox provider with its test switches (delivery, transport), when it is the provider. */
    sandbox,
    reconcile,
    /** Cancels unpaid top-ups created before `olderThan` (the expiry job's work; tests call it). */
    expireUnpaid,
    discrepancies: () => repository.discrepancies(deps.database.db),
    routes: paymentsRoutes({
      service,
      reconcile: (since) => reconcile({ since }),
      checkout: sandbox
        ? { plugin: sandboxCheckoutRoutes(sandbox, checkoutPath), prefix: '/payments/sandbox/checkout' }
        : stripe && settings.STRIPE_PUBLISHABLE_KEY
          ? {
              plugin: stripeCheckoutRoutes({
                service,
                stripe,
                publishableKey: settings.STRIPE_PUBLISHABLE_KEY,
                returnBase: PAYMENTS_BASE,
              }),
              prefix: '/payments/stripe/checkout',
            }
          : null,
    }),
  };
}

export type PaymentsModule = ReturnType<typeof createPaymentsModule>;
