import { z } from 'zod';

/**
 * The payments settings, read from the environment by this module (the platform's config knows
 * nothing of providers). Stripe's keys go together; without them the sandbox is the provider.
 */
export const PaymentsSettings = z
  .object({
    PAYMENTS_PROVIDER: z.enum(['sandbox', 'stripe']).default('sandbox'),
    STRIPE_SECRET_KEY: z.string().min(1).optional(),
    STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
    /** For Stripe's payment page (Stripe.js); without it Stripe mode has no payment page of Souk's. */
    STRIPE_PUBLISHABLE_KEY: z.string().min(1).optional(),
    /** Another Stripe API origin (a local fake of Stripe's API in tests). */
    STRIPE_API_URL: z.url().optional(),
    /** Where the sandbox delivers its webhooks; default this node's own endpoint. */
    PAYMENTS_WEBHOOK_URL: z.url().optional(),
    /** When the reconciliation job runs (cron, UTC) and how far back it looks. */
    PAYMENTS_RECONCILE_CRON: z.string().min(9).default('*/10 * * * *'),
    PAYMENTS_RECONCILE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 90)
      .default(72),
    /** A top-up not paid this many minutes after it started is canceled (and when that job runs). */
    PAYMENTS_EXPIRE_MINUTES: z.coerce
      .number()
      .int()
      .min(5)
      .max(7 * 24 * 60)
      .default(60),
    PAYMENTS_EXPIRE_CRON: z.string().min(9).default('*/5 * * * *'),
  })
  .superRefine((settings, context) => {
    if (
      settings.PAYMENTS_PROVIDER === 'stripe' &&
      !(settings.STRIPE_SECRET_KEY && settings.STRIPE_WEBHOOK_SECRET)
    )
      context.addIssue({
        code: 'custom',
        path: ['PAYMENTS_PROVIDER'],
        message: 'stripe needs STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET',
      });
  });
export type PaymentsSettings = z.output<typeof PaymentsSettings>;

export function loadPaymentsSettings(env: NodeJS.ProcessEnv): PaymentsSettings {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = PaymentsSettings.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`);
  throw new Error(`Invalid payments configuration: ${problems.join('; ')}`);
}
