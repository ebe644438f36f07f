import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { users } from '../auth/auth.schema.js';

/**
 * One payment per provider intent (decision 036). `status` moves only through `paymentMachine`
 * (payments.rules.ts); `captured_amount` and `refunded_amount` are what Souk has booked in the
 * ledger, written in the same transaction as the ledger transfer, so they never run ahead of it.
 */
export const payments = pgTable(
  'payments',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    provider: text('provider').notNull(),
    /** Null only between the row's insert and the provider's answer (a crash there is reconciled). */
    providerPaymentId: text('provider_payment_id'),
    memberId: uuid('member_id')
      .notNull()
      .references(() => users.id),
    purpose: text('purpose').notNull().default('top_up'),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    status: text('status').notNull().default('created'),
    capturedAmount: bigint('captured_amount', { mode: 'number' }).notNull().default(0),
    refundedAmount: bigint('refunded_amount', { mode: 'number' }).notNull().default(0),
    /** The ledger transfer that booked the capture (null until booked). */
    captureTransferId: text('capture_transfer_id'),
    returnUrl: text('return_url').notNull(),
    checkoutUrl: text('checkout_url'),
    failureCode: text('failure_code'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('payments_provider_payment_key').on(table.provider, table.providerPaymentId),
    index('payments_member_idx').on(table.memberId, table.createdAt),
    index('payments_status_idx').on(table.status, table.updatedAt),
    check('payments_amount_positive', sql`${table.amount} > 0`),
    check(
      'payments_status',
      sql`${table.status} in ('created', 'requires_action', 'authorized', 'captured', 'partially_refunded', 'refunded', 'failed', 'canceled')`,
    ),
    check(
      'payments_booked_within_amount',
      sql`${table.capturedAmount} between 0 and ${table.amount} and ${table.refundedAmount} between 0 and ${table.capturedAmount}`,
    ),
  ],
);

/**
 * A refund: asked by Souk (`origin = 'souk'`, booked before the provider is asked) or found at the
 * provider (`origin = 'provider'`, a dashboard refund, booked when its webhook or reconciliation
 * sees it). Pending refunds count against what may still be refunded.
 */
export const paymentRefunds = pgTable(
  'payment_refunds',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    paymentId: uuid('payment_id')
      .notNull()
      .references(() => payments.id),
    providerRefundId: text('provider_refund_id'),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    status: text('status').notNull().default('pending'),
    origin: text('origin').notNull().default('souk'),
    reason: text('reason').notNull().default(''),
    /** The caller's key: a retried refund request finds its first row. */
    idempotencyKey: text('idempotency_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('payment_refunds_key').on(table.paymentId, table.idempotencyKey),
    index('payment_refunds_payment_idx').on(table.paymentId),
    check('payment_refunds_amount_positive', sql`${table.amount} > 0`),
    check('payment_refunds_status', sql`${table.status} in ('pending', 'succeeded', 'failed')`),
  ],
);

/** The webhook inbox: one row per provider event, so a redelivered event is recognised. */
export const paymentWebhookEvents = pgTable(
  'payment_webhook_events',
  {
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    providerPaymentId: text('provider_payment_id'),
    outcome: text('outcome').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.provider, table.eventId] })],
);

/** What reconciliation could not repair: for an operator to look at. */
export const paymentDiscrepancies = pgTable(
  'payment_discrepancies',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    provider: text('provider').notNull(),
    providerPaymentId: text('provider_payment_id').notNull(),
    paymentId: uuid('payment_id'),
    kind: text('kind').notNull(),
    detail: jsonb('detail').$type<Record<string, unknown>>().notNull(),
    foundAt: timestamp('found_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('payment_discrepancies_key').on(table.provider, table.providerPaymentId, table.kind),
  ],
);

/*
 * The sandbox provider's own books: what Stripe keeps on its side. Souk's payment code reaches
 * them only through the provider port (sandbox.provider.ts), as it would reach Stripe's API.
 */
export const sandboxIntents = pgTable(
  'sandbox_intents',
  {
    id: text('id').primaryKey(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    status: text('status').notNull(),
    amountCaptured: bigint('amount_captured', { mode: 'number' }).notNull().default(0),
    amountRefunded: bigint('amount_refunded', { mode: 'number' }).notNull().default(0),
    card: text('card'),
    lastError: text('last_error'),
    metadata: jsonb('metadata').$type<Record<string, string>>().notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('sandbox_intents_key').on(table.idempotencyKey),
    index('sandbox_intents_created_idx').on(table.createdAt),
  ],
);

export const sandboxRefunds = pgTable(
  'sandbox_refunds',
  {
    id: text('id').primaryKey(),
    intentId: text('intent_id')
      .notNull()
      .references(() => sandboxIntents.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('sandbox_refunds_key').on(table.idempotencyKey)],
);

/** Payout destinations (a sandbox bank account) and the transfers paid to them. */
export const sandboxAccounts = pgTable('sandbox_accounts', {
  id: text('id').primaryKey(),
  memberId: uuid('member_id').notNull(),
  country: text('country').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const sandboxTransfers = pgTable(
  'sandbox_transfers',
  {
    id: text('id').primaryKey(),
    accountId: text('account_id')
      .notNull()
      .references(() => sandboxAccounts.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('sandbox_transfers_key').on(table.idempotencyKey)],
);

/** Events the sandbox sends to Souk's webhook endpoint, retried with backoff until answered 2xx. */
export const sandboxEvents = pgTable(
  'sandbox_events',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    intentId: text('intent_id').notNull(),
    payload: text('payload').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastStatus: integer('last_status'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('sandbox_events_intent_idx').on(table.intentId, table.createdAt)],
);

export type PaymentRow = typeof payments.$inferSelect;
export type PaymentRefundRow = typeof paymentRefunds.$inferSelect;
export type SandboxIntentRow = typeof sandboxIntents.$inferSelect;
