import { type IsoCurrencyCode, type Money, MoneyError, minorUnitsOf, money } from '@souk/contracts';

/*
 * Conversion, pure (decision 037). A rate is a decimal string with at most 9 places, read into
 * an integer of billionths so no float enters: 1 base = rate quote. A converted amount is
 * rounded half-even to the target's minor unit; it is for showing prices and sorting search in
 * one currency, never for settling (orders settle in the listing's currency).
 */

const SCALE = 1_000_000_000n;

/** "312.5" -> 312_500_000_000n billionths. */
export function rateToBillionths(rate: string): bigint {
  const match = /^(\d{1,12})(?:\.(\d{1,9}))?$/.exec(rate.trim());
  if (!match) throw new MoneyError(`${rate} is not a rate`);
  const [, whole = '0', fraction = ''] = match;
  const value = BigInt(whole) * SCALE + BigInt(fraction.padEnd(9, '0'));
  if (value <= 0n) throw new MoneyError('a rate is more than zero');
  return value;
}

/** Billionths back to the shortest decimal string ("312.5"). */
export function billionthsToRate(value: bigint): string {
  const whole = value / SCALE;
  const fraction = (value % SCALE).toString().padStart(9, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : `${whole}`;
}

function divideHalfEven(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  const quotient = n / denominator;
  const twice = (n % denominator) * 2n;
  const rounded =
    twice > denominator || (twice === denominator && quotient % 2n === 1n) ? quotient + 1n : quotient;
  return negative ? -rounded : rounded;
}

/** `amount` in `to` at `rate` (1 amount.currency = rate to), in `to`'s minor unit. */
export function convertAt(amount: Money, to: IsoCurrencyCode, rate: string): Money {
  if (amount.currency === to) return amount;
  const shift = minorUnitsOf(to) - minorUnitsOf(amount.currency);
  let numerator = BigInt(amount.amountMinor) * rateToBillionths(rate);
  let denominator = SCALE;
  if (shift > 0) numerator *= 10n ** BigInt(shift);
  else denominator *= 10n ** BigInt(-shift);
  const result = divideHalfEven(numerator, denominator);
  if (result > BigInt(Number.MAX_SAFE_INTEGER) || result < BigInt(Number.MIN_SAFE_INTEGER))
    throw new MoneyError('the converted amount is beyond the safe integer range');
  return money(Number(result), to);
}

export type RateTable = ReadonlyMap<string, string>;
export const pairKey = (base: string, quote: string) => `${base}/${quote}`;

/**
 * The rate of a pair from a table: the pair itself, else the inverse of the reverse pair (to 9
 * places), else through a pivot currency both sides have a rate with (USD first). Null when
 * nothing connects them.
 */
export function rateFor(table: RateTable, from: IsoCurrencyCode, to: IsoCurrencyCode): string | null {
  if (from === to) return '1';
  const direct = table.get(pairKey(from, to));
  if (direct) return direct;
  const reverse = table.get(pairKey(to, from));
  if (reverse) return invert(reverse);
  for (const pivot of ['USD', 'EUR', ...new Set([...table.keys()].map((key) => key.split('/')[0] ?? ''))]) {
    if (pivot === from || pivot === to || !pivot) continue;
    const first = directOrInverse(table, from, pivot);
    const second = directOrInverse(table, pivot, to);
    if (first && second)
      return billionthsToRate(divideHalfEven(rateToBillionths(first) * rateToBillionths(second), SCALE));
  }
  return null;
}

function directOrInverse(table: RateTable, from: string, to: string): string | null {
  const direct = table.get(pairKey(from, to));
  if (direct) return direct;
  const reverse = table.get(pairKey(to, from));
  return reverse ? invert(reverse) : null;
}

function invert(rate: string): string {
  const inverted = divideHalfEven(SCALE * SCALE, rateToBillionths(rate));
  if (inverted <= 0n) throw new MoneyError(`${rate} is too large to invert to 9 places`);
  return billionthsToRate(inverted);
}
