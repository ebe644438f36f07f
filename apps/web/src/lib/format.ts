import { activeLocale, cachedFormatter } from '../i18n/locale';

// Dates and numbers follow the interface's language, not the browser's: a page in one language
// with dates in another reads as broken.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

export function dateFormat(options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cachedFormatter(
    dateFormats,
    JSON.stringify(options),
    (locale) => new Intl.DateTimeFormat(locale, options),
  );
}

export function numberFormat(options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  return cachedFormatter(
    numberFormats,
    JSON.stringify(options),
    (locale) => new Intl.NumberFormat(locale, options),
  );
}

/** 12500 -> "12,500" in the interface's language. */
export function formatNumber(value: number): string {
  return numberFormat().format(value);
}

export function formatDate(iso: string): string {
  return dateFormat({ dateStyle: 'medium' }).format(new Date(iso));
}

export function formatDateTime(iso: string): string {
  return dateFormat({ dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

export function formatMonth(iso: string): string {
  return dateFormat({ month: 'long', year: 'numeric' }).format(new Date(iso));
}

/** Up to two letters for an avatar placeholder: "Amaya Perera" -> "AP". */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words.at(-1)] : [words[0]];
  return (
    letters
      .map((word) => (word ? [...word][0] : ''))
      .join('')
      .toUpperCase() || '?'
  );
}

let regionNames: Intl.DisplayNames | null | undefined;

/** "LK" -> "Sri Lanka" in the reader's language; the code itself where the browser cannot say. */
export function countryName(code: string): string {
  if (regionNames === undefined) {
    try {
      regionNames = new Intl.DisplayNames(activeLocale(), { type: 'region' });
    } catch {
      regionNames = null;
    }
  }
  try {
    return regionNames?.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}
