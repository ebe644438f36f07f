import {
  type CurrencyCode,
  formatMoney as formatContractMoney,
  isIsoCurrency,
  isMarketCurrency,
  MARKET_CURRENCIES,
  minorUnitsOf,
  money,
  type Price,
} from '@souk/contracts';
import { activeLocale } from '../i18n/locale';
import { numberFormat } from './format';

// The currency list and each currency's minor unit come from the contract (ISO 4217), so the
// pickers, the parser and the server agree.
export const CURRENCIES = MARKET_CURRENCIES;
export type Currency = CurrencyCode;

export const CURRENCY_NAMES: Record<Currency, string> = {
  LKR: 'Sri Lankan rupee',
  USD: 'US dollar',
  SAR: 'Saudi riyal',
  AED: 'UAE dirham',
  EUR: 'Euro',
  GBP: 'British pound',
};

export const isCurrency = isMarketCurrency;

/** Digits after the decimal point of a currency's minor unit (2 for cents; 0 for yen). */
export function minorDigits(currency: string): number {
  return isIsoCurrency(currency) ? minorUnitsOf(currency) : 2;
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

/** An amount in the interface's language, exactly (no float), without ".00" on a round amount. */
export function formatMoney(minor: number, currency: string): string {
  if (isIsoCurrency(currency) && Number.isSafeInteger(minor)) {
    return formatContractMoney(money(minor, currency), activeLocale(), { wholeWithoutFraction: true });
  }
  // A code the contract does not know still shows, as a plain number after it.
  return `${currency} ${numberFormat({ maximumFractionDigits: 2 }).format(minor / 100)}`;
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
