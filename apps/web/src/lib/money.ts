import type { Price } from '@souk/contracts';
import { numberFormat } from './format';

export const CURRENCIES = ['LKR', 'USD', 'SAR', 'AED', 'EUR', 'GBP'] as const;
export type Currency = (typeof CURRENCIES)[number];

export const CURRENCY_NAMES: Record<Currency, string> = {
  LKR: 'Sri Lankan rupee',
  USD: 'US dollar',
  SAR: 'Saudi riyal',
  AED: 'UAE dirham',
  EUR: 'Euro',
  GBP: 'British pound',
};

export function isCurrency(value: unknown): value is Currency {
  return typeof value === 'string' && (CURRENCIES as readonly string[]).includes(value);
}

const digitsCache = new Map<string, number>();

/** Digits after the decimal point of a currency's minor unit (2 for cents; 0 for yen). */
export function minorDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits;
    } catch {
      digits = 2;
    }
    digitsCache.set(currency, digits ?? 2);
  }
  return digits ?? 2;
}

export type ParsedAmount = { ok: true; minor: number } | { ok: false; message: string };

/**
 * "1,250,000.50" in major units -> 125000050 minor units, by string arithmetic so no float ever
 * reaches the API. Commas and spaces are grouping; a dot separates the minor part.
 */
export function parseMajorAmount(input: string, currency: string): ParsedAmount {
  const digits = minorDigits(currency);
  const text = input.replace(/[\s,'\u00a0\u202f]/g, '');
  if (!text) return { ok: false, message: 'enter an amount' };
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) return { ok: false, message: 'use digits only, with a dot before the cents' };
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (fraction.length > digits) {
    return {
      ok: false,
      message: digits === 0 ? `${currency} has no cents` : `use at most ${digits} digits after the dot`,
    };
  }
  const minorText = `${whole}${fraction.padEnd(digits, '0')}`.replace(/^0+(?=\d)/, '');
  const minor = Number.parseInt(minorText, 10);
  if (!Number.isSafeInteger(minor) || minor > 100_000_000_000_000) {
    return { ok: false, message: 'is too large' };
  }
  return { ok: true, minor };
}

/** 125000050 minor units -> "1250000.50", the way the amount input shows it for editing. */
export function minorToMajorInput(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  if (digits === 0) return String(minor);
  const text = String(minor).padStart(digits + 1, '0');
  const whole = text.slice(0, -digits);
  const fraction = text.slice(-digits);
  return /^0+$/.test(fraction) ? whole : `${whole}.${fraction}`;
}

export function formatMoney(minor: number, currency: string): string {
  const digits = minorDigits(currency);
  const major = minor / 10 ** digits;
  const whole = Number.isInteger(major);
  return numberFormat({
    style: 'currency',
    currency,
    // A round amount reads better without ".00": LKR 2,450,000 rather than LKR 2,450,000.00.
    minimumFractionDigits: whole ? 0 : digits,
    maximumFractionDigits: digits,
  }).format(major);
}

export type PriceLabel = { main: string; note: string | null };

/** What a price says on a card or a listing page: the amount, and "Negotiable" when it is. */
export function priceLabel(price: Price | null | undefined): PriceLabel {
  if (!price) return { main: 'Price not set', note: null };
  if (price.type === 'free') return { main: 'Free', note: null };
  const amount = price.amount !== null && price.currency ? formatMoney(price.amount, price.currency) : null;
  if (price.type === 'negotiable') {
    return amount ? { main: amount, note: 'Negotiable' } : { main: 'Negotiable', note: null };
  }
  return { main: amount ?? 'Price not set', note: null };
}
