import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  index,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { users } from '../auth/auth.schema.js';
import { categories } from '../catalog/catalog.schema.js';

/*
 * Wallets (decision 037). Balances and history are the ledger's; these tables hold what the
 * ledger does not: where a member is paid, the payouts and their status, the operator's fee
 * rules and the exchange rates.
 */

/** Where a member's payouts go: a sandbox bank account or a Stripe Connect account. */
export const payoutMethods = pgTable(
  'payout_methods',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    memberId: uuid('member_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type').notNull(),
    /** The provider's id of the destination (the account number itself is never stored). */
    providerAccountId: text('provider_account_id').notNull(),
    label: text('label').notNull(),
    holderName: text('holder_name').notNull(),
    country: text('country').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Removed methods stay for the payouts that named them. */
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (table) => [index('payout_methods_member_idx').on(table.memberId, table.createdAt)],
);

/**
 * A payout request. Its status moves only through `payoutMachine` (wallets.rules.ts); the money
 * moved available -> pending_payout when it was made, leaves on `paid`, and comes back on
 * `rejected` or `failed`, each booking keyed by the payout's id.
 */
export const payouts = pgTable(
  'payouts',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    memberId: uuid('member_id')
      .notNull()
      .references(() => users.id),
    methodId: uuid('method_id')
      .notNull()
      .references(() => payoutMethods.id),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    currency: text('currency').notNull(),
    status: text('status').notNull(),
    /** Not sent before this: the new-seller hold. */
    releaseAt: timestamp('release_at', { withTimezone: true }).notNull(),
    /** The member's Idempotency-Key: one payout per key, whatever the retries. */
    idempotencyKey: text('idempotency_key').notNull(),
    rejectionReason: text('rejection_reason'),
    reviewedBy: uuid('reviewed_by'),
    failureCode: text('failure_code'),
    providerTransferId: text('provider_transfer_id'),
    attempts: integer('attempts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('payouts_member_key_idx').on(table.memberId, table.idempotencyKey),
    index('payouts_member_recent_idx').on(table.memberId, table.createdAt, table.id),
    index('payouts_due_idx').on(table.status, table.releaseAt),
    check('payouts_amount_positive', sql`${table.amount} > 0`),
    check(
      'payouts_status_known',
      sql`${table.status} in ('pending', 'in_review', 'processing', 'paid', 'failed', 'rejected')`,
    ),
  ],
);

/**
 * The operator's fees: per kind, one global rule (no category) and at most one per category.
 * A sale's rule is its category's, else the nearest ancestor's, else the global one.
 */
export const feeRules = pgTable(
  'fee_rules',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    kind: text('kind').notNull(),
    categoryId: uuid('category_id').references(() => categories.id, { onDelete: 'cascade' }),
    percentBps: integer('percent_bps').notNull(),
    fixedAmount: bigint('fixed_amount', { mode: 'number' }),
    fixedCurrency: text('fixed_currency'),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('fee_rules_global_idx').on(table.kind).where(sql`${table.categoryId} is null`),
    uniqueIndex('fee_rules_category_idx')
      .on(table.kind, table.categoryId)
      .where(sql`${table.categoryId} is not null`),
    check('fee_rules_kind_known', sql`${table.kind} in ('commission', 'processing')`),
    check('fee_rules_percent_range', sql`${table.percentBps} between 0 and 10000`),
    check(
      'fee_rules_fixed_whole',
      sql`(${table.fixedAmount} is null) = (${table.fixedCurrency} is null) and coalesce(${table.fixedAmount}, 0) >= 0`,
    ),
  ],
);

/** 1 `base` = `rate` `quote`; set by an admin or imported from a rates provider. */
export const fxRates = pgTable(
  'fx_rates',
  {
    base: text('base').notNull(),
    quote: text('quote').notNull(),
    rate: numeric('rate', { precision: 21, scale: 9 }).notNull(),
    source: text('source').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.base, table.quote] }),
    check('fx_rates_positive', sql`${table.rate} > 0`),
    check('fx_rates_pair', sql`${table.base} <> ${table.quote}`),
  ],
);

export type PayoutMethodRow = typeof payoutMethods.$inferSelect;
export type PayoutRow = typeof payouts.$inferSelect;
export type FeeRuleRow = typeof feeRules.$inferSelect;
export type FxRateRow = typeof fxRates.$inferSelect;
