/**
 * The language the interface speaks right now. Formatting helpers outside React (money, dates)
 * read it here, so a language switch reaches them without threading a locale through every call.
 */
export const DEFAULT_LOCALE = 'en';

let active = DEFAULT_LOCALE;

export function activeLocale(): string {
  return active;
}

export function setActiveLocale(locale: string): void {
  active = locale;
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}

/** One Intl formatter per locale and options: building them is the slow part. */
export function cachedFormatter<F>(cache: Map<string, F>, key: string, make: (locale: string) => F): F {
  const fullKey = `${active}|${key}`;
  let formatter = cache.get(fullKey);
  if (!formatter) {
    formatter = make(active);
    cache.set(fullKey, formatter);
  }
  return formatter;
}
