import { DEFAULT_LOCALE, setActiveLocale } from './locale';
import { LOCALES, loadMessages, type Messages, shellMessages } from './messages';

/**
 * The catalog the interface speaks from: the shell's English part at first, the reader's whole
 * language once it has arrived. A store outside React, so the router can wait for it before it
 * renders a page (app.tsx) and the provider re-renders when it changes.
 */
export type Catalog = { locale: string; messages: Partial<Messages> };

let current: Catalog = { locale: DEFAULT_LOCALE, messages: shellMessages };
let ready: Promise<void> | undefined;
const listeners = new Set<() => void>();

/** The reader's first supported language, English otherwise. */
function preferredLocale(): string {
  const wanted = typeof navigator === 'undefined' ? [] : navigator.languages;
  for (const tag of wanted) {
    const base = tag.toLowerCase().split('-')[0] ?? '';
    if (LOCALES.includes(base)) return base;
  }
  return DEFAULT_LOCALE;
}

/** Resolves once the reader's whole catalog is in; started once, started again after a failure. */
export function catalogReady(): Promise<void> {
  ready ??= (async () => {
    const locale = preferredLocale();
    const messages = await loadMessages(locale);
    setActiveLocale(locale);
    current = { locale, messages };
    for (const listener of listeners) listener();
  })().catch((error: unknown) => {
    ready = undefined;
    throw error;
  });
  return ready;
}

export function currentCatalog(): Catalog {
  return current;
}

export function subscribeToCatalog(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
