import { z } from 'zod';
import { Id, IsoDateTime } from './common.js';
import { CurrencyCode, Money } from './money.js';

/** A payment's status (the payments module's state machine, decision 036). */
export const PaymentStatus = z.enum([
  'created',
  'requires_action',
  'authorized',
  'captured',
  'partially_refunded',
  'refunded',
  'failed',
  'canceled',
]);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

/** Where the member comes back to after paying: a path on this site (`/account/wallet`). */
export const ReturnPath = z
  .string()
  .min(1)
  .max(2000)
  .regex(/^\/(?![/\\])/, 'must be a path on this site, starting with one /')
  .describe('A path on this site the member is sent back to after paying');

export const StartTopUpBody = z
  .object({
    amount: Money.extend({ currency: CurrencyCode }).refine(
      (value) => value.amountMinor > 0,
      'must be more than zero',
    ),
    returnUrl: ReturnPath,
  })
  .meta({ id: 'StartTopUpBody' });
export type StartTopUpBody = z.infer<typeof StartTopUpBody>;

export const TopUpStarted = z
  .object({
    paymentId: Id,
    checkoutUrl: z.string().describe('The page the member pays on (same origin for the sandbox)'),
  })
  .meta({ id: 'TopUpStarted' });
export type TopUpStarted = z.infer<typeof TopUpStarted>;

export const PaymentParams = z.object({ paymentId: Id });

export const Payment = z
  .object({
    id: Id,
    provider: z.enum(['sandbox', 'stripe']),
    purpose: z.string(),
    status: PaymentStatus,
    amount: Money,
    captured: Money,
    refunded: Money,
    failureCode: z.string().nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'Payment' });
export type Payment = z.infer<typeof Payment>;

export const RefundBody = z
  .object({
    amountMinor: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Minor units to refund; everything left when absent'),
    reason: z.string().trim().min(1).max(500),
  })
  .meta({ id: 'RefundBody' });
export type RefundBody = z.infer<typeof RefundBody>;

export const PaymentRefund = z
  .object({
    id: Id,
    paymentId: Id,
    amount: Money,
    status: z.enum(['pending', 'succeeded', 'failed']),
    payment: Payment,
  })
  .meta({ id: 'PaymentRefund' });
export type PaymentRefund = z.infer<typeof PaymentRefund>;

export const WebhookParams = z.object({ provider: z.enum(['sandbox', 'stripe']) });
export const WebhookReceived = z.object({ received: z.literal(true), duplicate: z.boolean() });

export const ReconcileReport = z
  .object({
    checked: z.number().int(),
    bookedCaptures: z.array(Id),
    bookedRefunds: z.array(Id),
    captured: z.array(Id),
    retriedRefunds: z.array(Id),
    flagged: z.array(z.object({ providerPaymentId: z.string(), kind: z.string() })),
  })
  .meta({ id: 'ReconcileReport' });
export type ReconcileReport = z.infer<typeof ReconcileReport>;
