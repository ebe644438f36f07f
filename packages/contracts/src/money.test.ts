import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMoney,
  allocateMoney,
  CurrencyCode,
  formatMoney,
  ISO_CURRENCIES,
  type IsoCurrencyCode,
  MARKET_CURRENCIES,
  Money,
  MoneyError,
  minorUnitsOf,
  money,
  multiplyMoney,
  percentOf,
  type Rounding,
  subtractMoney,
  sumMoney,
  toDecimalString,
} from './money.js';

const lkr = (amount: number) => money(amount, 'LKR');
const safeAmount = fc.integer({ min: -1_000_000_000_000_000, max: 1_000_000_000_000_000 });

describe('the currency list', () => {
  it('knows the minor units of ISO 4217: JPY 0, USD 2, KWD and BHD 3', () => {
    expect(minorUnitsOf('JPY')).toBe(0);
    expect(minorUnitsOf('USD')).toBe(2);
    expect(minorUnitsOf('LKR')).toBe(2);
    expect(minorUnitsOf('KWD')).toBe(3);
    expect(minorUnitsOf('BHD')).toBe(3);
    expect(minorUnitsOf('INR')).toBe(2);
  });

  it('lists only codes the runtime can format (CLDR cash digits may differ: PKR shows 0, ISO says 2)', () => {
    for (const code of Object.keys(ISO_CURRENCIES) as IsoCurrencyCode[])
      expect(fmt(money(100, code), 'en')).toMatch(/\d/);
  });

  it('lets listings and preferences use the market currencies only', () => {
    expect(MARKET_CURRENCIES).toEqual(['LKR', 'USD', 'SAR', 'AED', 'EUR', 'GBP']);
    expect(CurrencyCode.safeParse('LKR').success).toBe(true);
    expect(CurrencyCode.safeParse('JPY').success).toBe(false);
  });
});

/** Intl puts a no-break space between a code and the amount; tests read it as a space. */
const fmt = (...args: Parameters<typeof formatMoney>) => formatMoney(...args).replace(/\u00a0/g, ' ');

describe('Money', () => {
  it('accepts integer minor units of a known currency and refuses floats and unknown codes', () => {
    expect(Money.safeParse({ amountMinor: 450_000, currency: 'LKR' }).success).toBe(true);
    expect(Money.safeParse({ amountMinor: 4500.5, currency: 'LKR' }).success).toBe(false);
    expect(Money.safeParse({ amountMinor: 2 ** 53, currency: 'LKR' }).success).toBe(false);
    expect(Money.safeParse({ amountMinor: 1, currency: 'XYZ' }).success).toBe(false);
    expect(() => money(1.5, 'USD')).toThrow(MoneyError);
  });

  it('adds, subtracts and multiplies within one currency only', () => {
    expect(addMoney(lkr(150), lkr(250))).toEqual(lkr(400));
    expect(subtractMoney(lkr(150), lkr(250))).toEqual(lkr(-100));
    expect(multiplyMoney(lkr(333), 3)).toEqual(lkr(999));
    expect(sumMoney([lkr(1), lkr(2), lkr(3)], 'LKR')).toEqual(lkr(6));
    expect(() => addMoney(lkr(1), money(1, 'USD'))).toThrow(/cannot combine LKR with USD/);
    expect(() => multiplyMoney(lkr(1), 1.5)).toThrow(MoneyError);
    expect(() => addMoney(money(Number.MAX_SAFE_INTEGER, 'USD'), money(1, 'USD'))).toThrow(/safe integer/);
  });

  it('takes a percentage with the rounding the caller names', () => {
    // 2.5 % of 1,001 cents is 25.025 cents.
    const cases: [Rounding, number][] = [
      ['down', 25],
      ['half-up', 25],
      ['half-even', 25],
      ['up', 26],
    ];
    for (const [rounding, expected] of cases)
      expect(percentOf(money(1001, 'USD'), 250, rounding).amountMinor).toBe(expected);
    // Exactly half: 5 % of 10 = 0.5.
    expect(percentOf(money(10, 'USD'), 500, 'half-up').amountMinor).toBe(1);
    expect(percentOf(money(10, 'USD'), 500, 'half-even').amountMinor).toBe(0);
    expect(percentOf(money(30, 'USD'), 500, 'half-even').amountMinor).toBe(2);
    expect(percentOf(money(-10, 'USD'), 500, 'half-up').amountMinor).toBe(-1);
  });

  it('allocates by ratios without losing a unit: 100 by 1:1:1 is 34, 33, 33', () => {
    expect(allocateMoney(lkr(100), [1, 1, 1]).map((m) => m.amountMinor)).toEqual([34, 33, 33]);
    expect(allocateMoney(lkr(5), [3, 7]).map((m) => m.amountMinor)).toEqual([2, 3]);
    expect(allocateMoney(lkr(10), [1, 2, 3]).map((m) => m.amountMinor)).toEqual([2, 3, 5]);
    expect(allocateMoney(lkr(-100), [1, 1, 1]).map((m) => m.amountMinor)).toEqual([-34, -33, -33]);
    expect(allocateMoney(lkr(7), [0, 1]).map((m) => m.amountMinor)).toEqual([0, 7]);
    expect(() => allocateMoney(lkr(7), [0, 0])).toThrow(MoneyError);
    expect(() => allocateMoney(lkr(7), [0.5, 0.5])).toThrow(MoneyError);
  });

  it('formats by locale with the currency’s own digits, exactly even past 2^53 cents', () => {
    expect(fmt(lkr(450_000_000), 'en-US')).toBe('LKR 4,500,000.00');
    expect(fmt(lkr(450_000_000), 'en-US', { wholeWithoutFraction: true })).toBe('LKR 4,500,000');
    expect(fmt(lkr(450_000_050), 'en-US', { wholeWithoutFraction: true })).toBe('LKR 4,500,000.50');
    expect(fmt(money(1500, 'JPY'), 'en-US')).toBe('¥1,500');
    expect(fmt(money(1_234_567, 'KWD'), 'en-US')).toBe('KWD 1,234.567');
    expect(fmt(money(123_456, 'EUR'), 'de-DE')).toBe('1.234,56 €');
    expect(fmt(money(-5, 'USD'), 'en-US')).toBe('-$0.05');
    expect(toDecimalString(money(9_007_199_254_740_991, 'USD'))).toBe('90071992547409.91');
    expect(fmt(money(9_007_199_254_740_991, 'USD'), 'en-US')).toBe('$90,071,992,547,409.91');
  });
});

describe('Money (properties)', () => {
  const ratios = fc
    .array(fc.nat({ max: 1_000_000 }), { minLength: 1, maxLength: 12 })
    .filter((r) => r.some((x) => x > 0));

  it('an allocation sums to the amount exactly, each part within one unit of its exact share', () => {
    fc.assert(
      fc.property(safeAmount, ratios, (amount, parts) => {
        const shares = allocateMoney(lkr(amount), parts);
        expect(shares.reduce((sum, share) => sum + BigInt(share.amountMinor), 0n)).toBe(BigInt(amount));
        const total = parts.reduce((sum, ratio) => sum + ratio, 0);
        shares.forEach((share, index) => {
          // |share * total - amount * ratio| < total, in integers.
          const gap = BigInt(share.amountMinor) * BigInt(total) - BigInt(amount) * BigInt(parts[index] ?? 0);
          expect(gap < 0n ? -gap : gap).toBeLessThan(BigInt(total));
          if (parts[index] === 0) expect(share.amountMinor).toBe(0);
        });
      }),
    );
  });

  it('a fee is within one unit of the exact product, and the roundings are ordered', () => {
    fc.assert(
      fc.property(safeAmount, fc.integer({ min: 0, max: 10_000 }), (amount, bps) => {
        const exactTimes10k = BigInt(amount) * BigInt(bps);
        const fees = Object.fromEntries(
          (['down', 'half-up', 'half-even', 'up'] as const).map((r) => [
            r,
            BigInt(percentOf(lkr(amount), bps, r).amountMinor),
          ]),
        ) as Record<Rounding, bigint>;
        for (const fee of Object.values(fees)) {
          const gap = fee * 10_000n - exactTimes10k;
          expect(gap < 0n ? -gap : gap).toBeLessThan(10_000n);
        }
        const abs = (x: bigint) => (x < 0n ? -x : x);
        expect(abs(fees.down) <= abs(fees['half-even'])).toBe(true);
        expect(abs(fees['half-even']) <= abs(fees['half-up'])).toBe(true);
        expect(abs(fees['half-up']) <= abs(fees.up)).toBe(true);
        // A fee and what is left always make the whole.
        const rest = subtractMoney(lkr(amount), percentOf(lkr(amount), bps, 'half-even'));
        expect(BigInt(rest.amountMinor) + fees['half-even']).toBe(BigInt(amount));
      }),
    );
  });
});
