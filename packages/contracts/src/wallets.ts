import { z } from 'zod';
import { Id, IsoDateTime } from './common.js';
import { CurrencyCode, IsoCurrencyCode, Money } from './money.js';

/*
 * Wallets, payouts, fees and FX rates (issue 18, decision 037). Every amount is Money: integer
 * minor units and an ISO code. Balances and history are read from the ledger; the server decides
 * fees, minimums and statuses, a client never sends them.
 */

/** The member-side ledger accounts a wallet shows. */
export const WalletAccountKind = z.enum(['available', 'held', 'pending_payout']);
export type WalletAccountKind = z.infer<typeof WalletAccountKind>;

export const WalletBalance = z
  .object({
    currency: IsoCurrencyCode,
    available: Money,
    held: Money,
    pendingPayout: Money,
  })
  .meta({ id: 'WalletBalance' });
export type WalletBalance = z.infer<typeof WalletBalance>;

export const PayoutPolicy = z
  .object({
    /** The smallest payout per currency. */
    minimums: z.array(Money),
    /** A payout above this (per currency) waits for an operator. */
    reviewAbove: z.array(Money),
    /** New sellers' payouts wait this many days after the account was opened. */
    newSellerHoldDays: z.number().int().min(0),
    /** When this member's payouts stop waiting for the new-seller hold (null: never held). */
    heldUntil: IsoDateTime.nullable(),
  })
  .meta({ id: 'PayoutPolicy' });
export type PayoutPolicy = z.infer<typeof PayoutPolicy>;

export const WalletSummary = z
  .object({ balances: z.array(WalletBalance), payoutPolicy: PayoutPolicy })
  .meta({ id: 'WalletSummary' });
export type WalletSummary = z.infer<typeof WalletSummary>;

/** One line of a wallet's history: a ledger entry on one of the member's accounts. */
export const WalletTransaction = z
  .object({
    id: Id,
    transferId: Id,
    at: IsoDateTime,
    account: WalletAccountKind,
    /** What caused it: top_up, top_up_refund, payout, payout_return, order, fee… */
    referenceType: z.string(),
    referenceId: z.string(),
    /** Signed: money in is positive, money out negative. */
    amount: Money,
    balanceAfter: Money,
  })
  .meta({ id: 'WalletTransaction' });
export type WalletTransaction = z.infer<typeof WalletTransaction>;

const DateBound = z.union([z.iso.date(), IsoDateTime]);

export const WalletHistoryFilter = z.object({
  currency: IsoCurrencyCode.optional(),
  account: WalletAccountKind.optional(),
  referenceType: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, 'a reference type such as top_up or payout')
    .optional(),
  /** From this day or instant on (inclusive); a bare date is its start in UTC. */
  from: DateBound.optional(),
  /** Before this day's end or this instant. */
  to: DateBound.optional(),
});
export type WalletHistoryFilter = z.infer<typeof WalletHistoryFilter>;

export const WalletHistoryQuery = WalletHistoryFilter.extend({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(300).optional(),
});
export type WalletHistoryQuery = z.infer<typeof WalletHistoryQuery>;

export const WalletHistoryPage = z
  .object({ items: z.array(WalletTransaction), nextCursor: z.string().nullable() })
  .meta({ id: 'WalletHistoryPage' });
export type WalletHistoryPage = z.infer<typeof WalletHistoryPage>;

export const BalanceHistoryQuery = z.object({
  currency: IsoCurrencyCode,
  days: z.coerce.number().int().min(1).max(366).default(90),
});

/** The available balance after each change, oldest first, and where it stood before the window. */
export const BalanceHistory = z
  .object({
    currency: IsoCurrencyCode,
    opening: Money,
    points: z.array(z.object({ at: IsoDateTime, balance: Money })),
  })
  .meta({ id: 'BalanceHistory' });
export type BalanceHistory = z.infer<typeof BalanceHistory>;

export const WalletTopUpBody = z
  .object({
    amount: Money.extend({ currency: CurrencyCode }).refine(
      (value) => value.amountMinor > 0,
      'must be more than zero',
    ),
  })
  .meta({ id: 'WalletTopUpBody' });
export type WalletTopUpBody = z.infer<typeof WalletTopUpBody>;

export const WalletTopUpStarted = z
  .object({ paymentId: Id, checkoutUrl: z.string() })
  .meta({ id: 'WalletTopUpStarted' });
export type WalletTopUpStarted = z.infer<typeof WalletTopUpStarted>;

export const PayoutMethodType = z.enum(['sandbox_bank', 'stripe_connect']);
export type PayoutMethodType = z.infer<typeof PayoutMethodType>;

export const PayoutMethod = z
  .object({
    id: Id,
    type: PayoutMethodType,
    /** "Bank account ••••6789": the full number is never kept. */
    label: z.string(),
    holderName: z.string(),
    country: z.string().length(2),
    createdAt: IsoDateTime,
  })
  .meta({ id: 'PayoutMethod' });
export type PayoutMethod = z.infer<typeof PayoutMethod>;

export const AddPayoutMethodBody = z
  .object({
    holderName: z.string().trim().min(2).max(120),
    /** Letters and digits of an account number or IBAN (spaces and dashes are dropped). */
    accountNumber: z
      .string()
      .transform((value) => value.replace(/[\s-]/g, '').toUpperCase())
      .pipe(z.string().regex(/^[A-Z0-9]{6,34}$/, 'an account number or IBAN of 6 to 34 letters and digits')),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'a two-letter country code'),
  })
  .meta({ id: 'AddPayoutMethodBody' });
export type AddPayoutMethodBody = z.input<typeof AddPayoutMethodBody>;

export const PayoutMethodList = z.object({ items: z.array(PayoutMethod) }).meta({ id: 'PayoutMethodList' });
export const PayoutMethodParams = z.object({ methodId: Id });

export const PayoutStatus = z.enum(['pending', 'in_review', 'processing', 'paid', 'failed', 'rejected']);
export type PayoutStatus = z.infer<typeof PayoutStatus>;

export const Payout = z
  .object({
    id: Id,
    memberId: Id,
    methodId: Id,
    methodLabel: z.string(),
    amount: Money,
    status: PayoutStatus,
    /** A pending payout is not sent before this (the new-seller hold). */
    releaseAt: IsoDateTime,
    rejectionReason: z.string().nullable(),
    failureCode: z.string().nullable(),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'Payout' });
export type Payout = z.infer<typeof Payout>;

export const RequestPayoutBody = z
  .object({
    amount: Money.refine((value) => value.amountMinor > 0, 'must be more than zero'),
    methodId: Id,
  })
  .meta({ id: 'RequestPayoutBody' });
export type RequestPayoutBody = z.infer<typeof RequestPayoutBody>;

export const PayoutsQuery = z.object({
  status: PayoutStatus.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(300).optional(),
});
export const PayoutPage = z
  .object({ items: z.array(Payout), nextCursor: z.string().nullable() })
  .meta({ id: 'PayoutPage' });
export type PayoutPage = z.infer<typeof PayoutPage>;
export const PayoutParams = z.object({ payoutId: Id });
export const RejectPayoutBody = z.object({ reason: z.string().trim().min(3).max(500) });

/** Fees: commission on a sale and the payment-processing fee, in basis points plus a fixed part. */
export const FeeKind = z.enum(['commission', 'processing']);
export type FeeKind = z.infer<typeof FeeKind>;

export const FeeRule = z
  .object({
    id: Id,
    kind: FeeKind,
    /** Null: the global rule; else this category and those below it without a rule of their own. */
    categoryId: Id.nullable(),
    /** Hundredths of a percent: 250 = 2.5 %. */
    percentBps: z.number().int().min(0).max(10_000),
    /** Added to the percentage when the sale is in this currency. */
    fixed: Money.nullable(),
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'FeeRule' });
export type FeeRule = z.infer<typeof FeeRule>;

export const SetFeeRuleBody = z
  .object({
    kind: FeeKind,
    categoryId: Id.nullable(),
    percentBps: z.number().int().min(0).max(10_000),
    fixed: Money.refine((value) => value.amountMinor >= 0, 'may not be negative').nullable(),
  })
  .meta({ id: 'SetFeeRuleBody' });
export type SetFeeRuleBody = z.infer<typeof SetFeeRuleBody>;

export const FeeRuleList = z.object({ items: z.array(FeeRule) }).meta({ id: 'FeeRuleList' });
export const FeeRuleParams = z.object({ ruleId: Id });

export const FeeQuoteQuery = z.object({
  amountMinor: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  currency: IsoCurrencyCode,
  categoryId: Id.optional(),
});

export const FeeQuote = z
  .object({
    price: Money,
    commission: Money,
    processing: Money,
    /** What the seller receives: price minus both fees (never below zero). */
    sellerNet: Money,
  })
  .meta({ id: 'FeeQuote' });
export type FeeQuote = z.infer<typeof FeeQuote>;

/** An exchange rate: 1 unit of `base` is `rate` units of `quote` (a decimal string, up to 9 places). */
export const FxRateValue = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,9})?$/, 'a positive decimal with at most 9 places')
  .refine((value) => Number(value) > 0, 'must be more than zero');

export const FxRate = z
  .object({
    base: IsoCurrencyCode,
    quote: IsoCurrencyCode,
    rate: FxRateValue,
    source: z.string(),
    updatedAt: IsoDateTime,
  })
  .meta({ id: 'FxRate' });
export type FxRate = z.infer<typeof FxRate>;

export const FxRateList = z.object({ items: z.array(FxRate) }).meta({ id: 'FxRateList' });
export const FxPairParams = z.object({ base: IsoCurrencyCode, quote: IsoCurrencyCode });
export const SetFxRateBody = z.object({ rate: FxRateValue }).meta({ id: 'SetFxRateBody' });
export const FxImportReport = z
  .object({ source: z.string(), imported: z.number().int() })
  .meta({ id: 'FxImportReport' });

export const ConvertQuery = z.object({
  amountMinor: z.coerce.number().int().refine(Number.isSafeInteger, 'is too large'),
  from: IsoCurrencyCode,
  to: IsoCurrencyCode,
});
export const Converted = z.object({ from: Money, to: Money, rate: FxRateValue }).meta({ id: 'Converted' });
export type Converted = z.infer<typeof Converted>;
