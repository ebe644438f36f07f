import { z } from 'zod';

/*
 * Money for server and web alike (decision 034): an integer amount in the currency's minor unit
 * plus an ISO 4217 code, never a float. The one currency list is here; arithmetic refuses to mix
 * currencies or to leave the integers, and every rounding is named by the caller.
 */

type CurrencyFacts = { readonly minorUnits: 0 | 2 | 3; readonly name: string };

/** ISO 4217 codes with their minor units (the exponent): JPY 0, USD 2, KWD 3. */
export const ISO_CURRENCIES = {
  AED: { minorUnits: 2, name: 'UAE dirham' },
  ARS: { minorUnits: 2, name: 'Argentine peso' },
  AUD: { minorUnits: 2, name: 'Australian dollar' },
  BDT: { minorUnits: 2, name: 'Bangladeshi taka' },
  BHD: { minorUnits: 3, name: 'Bahraini dinar' },
  BRL: { minorUnits: 2, name: 'Brazilian real' },
  CAD: { minorUnits: 2, name: 'Canadian dollar' },
  CHF: { minorUnits: 2, name: 'Swiss franc' },
  CLP: { minorUnits: 0, name: 'Chilean peso' },
  CNY: { minorUnits: 2, name: 'Chinese yuan' },
  CZK: { minorUnits: 2, name: 'Czech koruna' },
  DKK: { minorUnits: 2, name: 'Danish krone' },
  EGP: { minorUnits: 2, name: 'Egyptian pound' },
  EUR: { minorUnits: 2, name: 'Euro' },
  GBP: { minorUnits: 2, name: 'British pound' },
  HKD: { minorUnits: 2, name: 'Hong Kong dollar' },
  HUF: { minorUnits: 2, name: 'Hungarian forint' },
  IDR: { minorUnits: 2, name: 'Indonesian rupiah' },
  ILS: { minorUnits: 2, name: 'Israeli new shekel' },
  INR: { minorUnits: 2, name: 'Indian rupee' },
  IQD: { minorUnits: 3, name: 'Iraqi dinar' },
  ISK: { minorUnits: 0, name: 'Icelandic króna' },
  JOD: { minorUnits: 3, name: 'Jordanian dinar' },
  JPY: { minorUnits: 0, name: 'Japanese yen' },
  KES: { minorUnits: 2, name: 'Kenyan shilling' },
  KRW: { minorUnits: 0, name: 'South Korean won' },
  KWD: { minorUnits: 3, name: 'Kuwaiti dinar' },
  LKR: { minorUnits: 2, name: 'Sri Lankan rupee' },
  LYD: { minorUnits: 3, name: 'Libyan dinar' },
  MAD: { minorUnits: 2, name: 'Moroccan dirham' },
  MVR: { minorUnits: 2, name: 'Maldivian rufiyaa' },
  MXN: { minorUnits: 2, name: 'Mexican peso' },
  MYR: { minorUnits: 2, name: 'Malaysian ringgit' },
  NGN: { minorUnits: 2, name: 'Nigerian naira' },
  NOK: { minorUnits: 2, name: 'Norwegian krone' },
  NPR: { minorUnits: 2, name: 'Nepalese rupee' },
  NZD: { minorUnits: 2, name: 'New Zealand dollar' },
  OMR: { minorUnits: 3, name: 'Omani rial' },
  PHP: { minorUnits: 2, name: 'Philippine peso' },
  PKR: { minorUnits: 2, name: 'Pakistani rupee' },
  PLN: { minorUnits: 2, name: 'Polish złoty' },
  QAR: { minorUnits: 2, name: 'Qatari riyal' },
  RUB: { minorUnits: 2, name: 'Russian ruble' },
  SAR: { minorUnits: 2, name: 'Saudi riyal' },
  SEK: { minorUnits: 2, name: 'Swedish krona' },
  SGD: { minorUnits: 2, name: 'Singapore dollar' },
  THB: { minorUnits: 2, name: 'Thai baht' },
  TND: { minorUnits: 3, name: 'Tunisian dinar' },
  TRY: { minorUnits: 2, name: 'Turkish lira' },
  TWD: { minorUnits: 2, name: 'New Taiwan dollar' },
  UGX: { minorUnits: 0, name: 'Ugandan shilling' },
  USD: { minorUnits: 2, name: 'US dollar' },
  VND: { minorUnits: 0, name: 'Vietnamese đồng' },
  XAF: { minorUnits: 0, name: 'Central African CFA franc' },
  XOF: { minorUnits: 0, name: 'West African CFA franc' },
  ZAR: { minorUnits: 2, name: 'South African rand' },
} as const satisfies Record<string, CurrencyFacts>;

export type IsoCurrencyCode = keyof typeof ISO_CURRENCIES;
const ISO_CODES = Object.keys(ISO_CURRENCIES) as [IsoCurrencyCode, ...IsoCurrencyCode[]];
export const IsoCurrencyCode = z.enum(ISO_CODES);

/**
 * The currencies Souk trades in today: what a listing may be priced in and a member may prefer.
 * Adding one here is the whole change (the web's pickers and the import read this list).
 */
export const MARKET_CURRENCIES = [
  'LKR',
  'USD',
  'SAR',
  'AED',
  'EUR',
  'GBP',
] as const satisfies readonly IsoCurrencyCode[];
export const CurrencyCode = z.enum(MARKET_CURRENCIES);
export type CurrencyCode = z.infer<typeof CurrencyCode>;

export function isIsoCurrency(value: unknown): value is IsoCurrencyCode {
  return typeof value === 'string' && Object.hasOwn(ISO_CURRENCIES, value);
}

export function isMarketCurrency(value: unknown): value is CurrencyCode {
  return typeof value === 'string' && (MARKET_CURRENCIES as readonly string[]).includes(value);
}

/** Digits after the decimal point of `currency`'s minor unit. */
export function minorUnitsOf(currency: IsoCurrencyCode): number {
  return ISO_CURRENCIES[currency].minorUnits;
}

export const Money = z
  .object({
    amountMinor: z
      .number()
      .int('send the amount in minor units (cents) as a whole number')
      .refine(Number.isSafeInteger, 'is too large')
      .describe('Integer amount in the minor unit of the currency (cents; yen; fils)'),
    currency: IsoCurrencyCode,
  })
  .meta({ id: 'Money' });
export type Money = z.infer<typeof Money>;

/** A money error: mixing currencies, leaving the integers, or an impossible split. */
export class MoneyError extends Error {
  override name = 'MoneyError';
}

export function money(amountMinor: number, currency: IsoCurrencyCode): Money {
  if (!Number.isSafeInteger(amountMinor))
    throw new MoneyError(`${amountMinor} is not a whole number of minor units (or is beyond 2^53)`);
  if (!isIsoCurrency(currency))
    throw new MoneyError(`${String(currency)} is not an ISO 4217 code Souk knows`);
  return { amountMinor, currency };
}

function sameCurrency(a: Money, b: Money): void {
  if (a.currency !== b.currency) throw new MoneyError(`cannot combine ${a.currency} with ${b.currency}`);
}

function checked(amount: bigint, currency: IsoCurrencyCode): Money {
  if (amount > BigInt(Number.MAX_SAFE_INTEGER) || amount < BigInt(Number.MIN_SAFE_INTEGER))
    throw new MoneyError('the result is beyond the safe integer range');
  return { amountMinor: Number(amount), currency };
}

export function addMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return checked(BigInt(a.amountMinor) + BigInt(b.amountMinor), a.currency);
}

export function subtractMoney(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return checked(BigInt(a.amountMinor) - BigInt(b.amountMinor), a.currency);
}

/** Sums amounts of one currency; an empty list is zero of `currency`. */
export function sumMoney(amounts: readonly Money[], currency: IsoCurrencyCode): Money {
  return amounts.reduce((total, amount) => addMoney(total, amount), money(0, currency));
}

/** Multiplies by a whole number (a quantity); a fractional factor is a rate: use `percentOf`. */
export function multiplyMoney(amount: Money, factor: number): Money {
  if (!Number.isSafeInteger(factor)) throw new MoneyError(`${factor} is not a whole-number factor`);
  return checked(BigInt(amount.amountMinor) * BigInt(factor), amount.currency);
}

export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.amountMinor < b.amountMinor ? -1 : a.amountMinor > b.amountMinor ? 1 : 0;
}

/**
 * How a fraction of a minor unit is settled. `half-up` rounds halves away from zero (a shop's
 * rounding), `half-even` to the even neighbour (banker's, unbiased over many sums), `down`
 * towards zero, `up` away from zero (a fee that never under-charges).
 */
export type Rounding = 'half-up' | 'half-even' | 'down' | 'up';

function divideRounded(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = n / d;
  const remainder = n % d;
  let magnitude = quotient;
  if (remainder !== 0n) {
    const twice = remainder * 2n;
    if (rounding === 'up') magnitude += 1n;
    else if (rounding === 'half-up' && twice >= d) magnitude += 1n;
    else if (rounding === 'half-even' && (twice > d || (twice === d && quotient % 2n === 1n)))
      magnitude += 1n;
  }
  return negative ? -magnitude : magnitude;
}

/**
 * `basisPoints` hundredths of a percent of `amount` (250 = 2.5 %), rounded as named: a fee,
 * a commission, a tax. The rate is an integer so that no float enters the sum.
 */
export function percentOf(amount: Money, basisPoints: number, rounding: Rounding): Money {
  if (!Number.isSafeInteger(basisPoints))
    throw new MoneyError(`${basisPoints} basis points is not a whole number`);
  return checked(
    divideRounded(BigInt(amount.amountMinor) * BigInt(basisPoints), 10_000n, rounding),
    amount.currency,
  );
}

/**
 * Splits `amount` by whole-number `ratios` without losing or inventing a minor unit (largest
 * remainder): each part gets its exact share rounded down, and the units left over go one each
 * to the parts with the largest remainders (the earliest first on a tie). The parts sum to
 * `amount` exactly, and none is more than one unit from its exact share.
 */
export function allocateMoney(amount: Money, ratios: readonly number[]): Money[] {
  if (ratios.length === 0) throw new MoneyError('allocate needs at least one ratio');
  if (ratios.some((ratio) => !Number.isSafeInteger(ratio) || ratio < 0))
    throw new MoneyError('ratios must be whole numbers, zero or more');
  const total = ratios.reduce((sum, ratio) => sum + BigInt(ratio), 0n);
  if (total === 0n) throw new MoneyError('the ratios sum to zero');
  const whole = BigInt(amount.amountMinor);
  const sign = whole < 0n ? -1n : 1n;
  const magnitude = whole * sign;
  const parts = ratios.map((ratio, index) => {
    const exact = magnitude * BigInt(ratio);
    return { index, share: exact / total, remainder: exact % total };
  });
  let left = magnitude - parts.reduce((sum, part) => sum + part.share, 0n);
  const order = [...parts].sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const part of order) {
    if (left === 0n) break;
    part.share += 1n;
    left -= 1n;
  }
  return parts.map((part) => checked(part.share * sign, amount.currency));
}

/** Minor units as an exact decimal string ("-1234.50"), so no float ever rounds a big amount. */
export function toDecimalString(amount: Money): string {
  const digits = minorUnitsOf(amount.currency);
  const negative = amount.amountMinor < 0;
  const text = String(Math.abs(amount.amountMinor)).padStart(digits + 1, '0');
  const body = digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
  return negative ? `-${body}` : body;
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * The amount for people, by locale: `formatMoney(m, 'en-LK')` → "LKR 4,500,000.00",
 * `formatMoney(m, 'ar-SA')` in Arabic digits. `wholeWithoutFraction` drops ".00" from a round
 * amount (cards and price tags); an amount with cents always shows all the currency's digits.
 */
export function formatMoney(
  amount: Money,
  locale: string | undefined,
  options: {
    wholeWithoutFraction?: boolean;
    currencyDisplay?: 'code' | 'symbol' | 'narrowSymbol' | 'name';
  } = {},
): string {
  const digits = minorUnitsOf(amount.currency);
  const whole = amount.amountMinor % 10 ** digits === 0;
  const minimum = options.wholeWithoutFraction && whole ? 0 : digits;
  const cacheKey = `${locale ?? ''}|${amount.currency}|${minimum}|${options.currencyDisplay ?? ''}`;
  let formatter = formatters.get(cacheKey);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: amount.currency,
      minimumFractionDigits: minimum,
      maximumFractionDigits: digits,
      ...(options.currencyDisplay ? { currencyDisplay: options.currencyDisplay } : {}),
    });
    formatters.set(cacheKey, formatter);
  }
  // A decimal string is formatted exactly (Intl.NumberFormat v3); a Number would round past 2^53.
  return formatter.format(toDecimalString(amount) as unknown as number);
}
