import {
  type FeeKind,
  type Money,
  MoneyError,
  money,
  percentOf,
  subtractMoney,
  sumMoney,
} from '@souk/contracts';
import type { AccountRef, TransferLeg } from '../ledger/index.js';

/*
 * Fees, pure (decision 037): an operator sets, per kind (commission on a sale, payment
 * processing), a global rule and rules per category; a sale's rule is the one of its category,
 * else of the nearest ancestor that has one, else the global one. A fee is `percentBps` of the
 * price, rounded up (a fee never under-charges by a fraction), plus the fixed part when it is in
 * the sale's currency, and never more than the price. Orders settle in the listing's currency,
 * so no conversion happens here.
 */

export type FeeRuleInput = {
  kind: FeeKind;
  categoryId: string | null;
  percentBps: number;
  fixed: Money | null;
};

export type Fees = { price: Money; commission: Money; processing: Money; sellerNet: Money };

/** The rule that applies: `categoryPath` is the sale's category first, then its ancestors. */
export function ruleFor(
  rules: readonly FeeRuleInput[],
  kind: FeeKind,
  categoryPath: readonly string[],
): FeeRuleInput | null {
  const ofKind = rules.filter((rule) => rule.kind === kind);
  for (const categoryId of categoryPath) {
    const rule = ofKind.find((candidate) => candidate.categoryId === categoryId);
    if (rule) return rule;
  }
  return ofKind.find((rule) => rule.categoryId === null) ?? null;
}

export function feeOf(price: Money, rule: FeeRuleInput | null): Money {
  if (!rule) return money(0, price.currency);
  const percent = percentOf(price, rule.percentBps, 'up');
  const fixed = rule.fixed && rule.fixed.currency === price.currency ? rule.fixed.amountMinor : 0;
  return money(Math.min(price.amountMinor, percent.amountMinor + fixed), price.currency);
}

/** Commission and processing on a sale at `price`; the seller nets the rest (at least zero). */
export function computeFees(
  price: Money,
  rules: readonly FeeRuleInput[],
  categoryPath: readonly string[] = [],
): Fees {
  if (price.amountMinor < 0) throw new MoneyError('a price is not negative');
  const commission = feeOf(price, ruleFor(rules, 'commission', categoryPath));
  // Both fees together never exceed the price: processing takes at most what commission left.
  const processingFull = feeOf(price, ruleFor(rules, 'processing', categoryPath));
  const processing = money(
    Math.min(processingFull.amountMinor, price.amountMinor - commission.amountMinor),
    price.currency,
  );
  const sellerNet = subtractMoney(price, sumMoney([commission, processing], price.currency));
  return { price, commission, processing, sellerNet };
}

export const platformFeesRevenue = (currency: Money['currency']): AccountRef => ({
  owner: { type: 'platform' },
  currency,
  kind: 'fees_revenue',
});

/**
 * The fees as their own ledger legs from `payer` (a seller's available account, or the held
 * funds an order posts) to the platform's fees revenue: one leg per fee so the books show each.
 */
export function feeLegs(payer: AccountRef, fees: Fees): TransferLeg[] {
  const to = platformFeesRevenue(fees.price.currency);
  return [fees.commission, fees.processing]
    .filter((fee) => fee.amountMinor > 0)
    .map((fee) => ({ from: payer, to, amount: fee.amountMinor }));
}
