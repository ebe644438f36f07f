import { money } from '@souk/contracts';
import { describe, expect, it } from 'vitest';
import { computeFees, type FeeRuleInput, feeLegs } from './fees.rules.js';
import { convertAt, rateFor, rateToBillionths } from './fx.rules.js';
import { DEFAULT_PAYOUT_POLICY, payoutMachine, planPayout } from './wallets.rules.js';

const rules: FeeRuleInput[] = [
  { kind: 'commission', categoryId: null, percentBps: 500, fixed: null },
  { kind: 'commission', categoryId: 'cars', percentBps: 150, fixed: money(5_000, 'LKR') },
  { kind: 'processing', categoryId: null, percentBps: 290, fixed: money(30, 'USD') },
];

describe('fees', () => {
  it('takes the category rule, else the nearest ancestor, else the global one', () => {
    const price = money(1_000_000, 'LKR');
    expect(computeFees(price, rules, ['sedans', 'cars']).commission).toEqual(money(20_000, 'LKR'));
    expect(computeFees(price, rules, ['phones', 'electronics']).commission).toEqual(money(50_000, 'LKR'));
    expect(computeFees(price, rules).commission).toEqual(money(50_000, 'LKR'));
  });

  it('adds the fixed part only in its own currency and rounds the percentage up', () => {
    const usd = computeFees(money(1_001, 'USD'), rules);
    // 2.9 % of 10.01 is 0.29029 -> 30 cents (up) + 30 fixed; 5 % of 10.01 is 50.05 -> 51 cents.
    expect(usd.processing).toEqual(money(60, 'USD'));
    expect(usd.commission).toEqual(money(51, 'USD'));
    expect(usd.sellerNet).toEqual(money(1_001 - 60 - 51, 'USD'));
    const lkr = computeFees(money(1_001, 'LKR'), rules);
    expect(lkr.processing).toEqual(money(30, 'LKR'));
  });

  it('never charges more than the price, and the parts always add up to it', () => {
    const tiny = computeFees(money(10, 'LKR'), rules, ['cars']);
    expect(tiny.commission).toEqual(money(10, 'LKR'));
    expect(tiny.sellerNet).toEqual(money(0, 'LKR'));
    for (const amount of [1, 99, 12_345, 987_654_321]) {
      const fees = computeFees(money(amount, 'USD'), rules);
      expect(fees.commission.amountMinor + fees.processing.amountMinor + fees.sellerNet.amountMinor).toBe(
        amount,
      );
    }
  });

  it('charges nothing without rules and books each fee as its own leg', () => {
    expect(computeFees(money(500, 'EUR'), []).sellerNet).toEqual(money(500, 'EUR'));
    const fees = computeFees(money(10_000, 'USD'), rules);
    const payer = { owner: { type: 'member', id: 'seller' }, currency: 'USD', kind: 'available' } as const;
    const legs = feeLegs(payer, fees);
    expect(legs.map((leg) => leg.amount)).toEqual([500, 320]);
    expect(legs.every((leg) => leg.to.kind === 'fees_revenue' && leg.to.owner.type === 'platform')).toBe(
      true,
    );
  });
});

describe('fx', () => {
  it('reads rates exactly and converts across minor units, half-even', () => {
    expect(rateToBillionths('298.5')).toBe(298_500_000_000n);
    expect(convertAt(money(1_000, 'USD'), 'LKR', '298.5')).toEqual(money(298_500, 'LKR'));
    // 1 USD = 150.25 JPY (0 decimals): 12.34 USD = 1854.085 -> 1854.
    expect(convertAt(money(1_234, 'USD'), 'JPY', '150.25')).toEqual(money(1_854, 'JPY'));
    // 1 KWD (3 decimals) = 3.25 USD: 1.001 KWD = 3.25325 USD -> 3.25.
    expect(convertAt(money(1_001, 'KWD'), 'USD', '3.25')).toEqual(money(325, 'USD'));
    expect(convertAt(money(5, 'USD'), 'EUR', '0.9')).toEqual(money(4, 'EUR')); // 4.5 -> 4 (even)
    expect(() => rateToBillionths('0')).toThrow();
    expect(() => rateToBillionths('-1')).toThrow();
  });

  it('finds a pair directly, by its inverse or through a pivot', () => {
    const table = new Map([
      ['USD/LKR', '300'],
      ['USD/EUR', '0.8'],
    ]);
    expect(rateFor(table, 'USD', 'LKR')).toBe('300');
    expect(rateFor(table, 'LKR', 'USD')).toBe('0.003333333');
    expect(rateFor(table, 'EUR', 'LKR')).toBe('375');
    expect(rateFor(table, 'GBP', 'LKR')).toBeNull();
    expect(rateFor(table, 'GBP', 'GBP')).toBe('1');
  });
});

describe('payouts', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  const oldMember = new Date('2026-01-01T00:00:00Z');

  it('refuses below the minimum and in currencies not paid out', () => {
    expect(() => planPayout(money(999, 'USD'), DEFAULT_PAYOUT_POLICY, oldMember, now)).toThrow(
      /smallest payout/,
    );
    expect(() => planPayout(money(10_000, 'JPY'), DEFAULT_PAYOUT_POLICY, oldMember, now)).toThrow(
      /not offered/,
    );
  });

  it('holds new sellers and sends established ones now; reviews above the threshold', () => {
    const established = planPayout(money(5_000, 'USD'), DEFAULT_PAYOUT_POLICY, oldMember, now);
    expect(established).toEqual({ releaseAt: now, needsReview: false });
    const newcomer = planPayout(
      money(5_000, 'USD'),
      DEFAULT_PAYOUT_POLICY,
      new Date('2026-12-06T00:00:00Z'),
      now,
    );
    expect(newcomer.releaseAt.toISOString()).toBe('2026-12-13T00:00:00.000Z');
    expect(planPayout(money(100_001, 'USD'), DEFAULT_PAYOUT_POLICY, oldMember, now).needsReview).toBe(true);
  });

  it('moves only through its table: paid, failed and rejected are final', () => {
    expect(payoutMachine.transition('in_review', 'approve', undefined).to).toBe('pending');
    expect(payoutMachine.transition('processing', 'complete', undefined).to).toBe('paid');
    expect(() => payoutMachine.transition('processing', 'reject', undefined)).toThrow(
      /cannot take the event/,
    );
    expect(() => payoutMachine.transition('paid', 'fail', undefined)).toThrow();
    expect(payoutMachine.eventsFrom('rejected')).toEqual([]);
  });
});
