import type { Preferences } from '@souk/contracts';

export type Theme = Preferences['theme'];

const STORAGE_KEY = 'souk-theme';
const darkQuery = typeof window === 'undefined' ? null : window.matchMedia('(prefers-color-scheme: dark)');
let current: Theme = 'system';

function isTheme(value: unknown): value is Theme {
  return value === 'system' || value === 'light' || value === 'dark';
}

/** The theme picked last on this device, so a page load does not flash before preferences arrive. */
export function storedTheme(): Theme {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isTheme(value) ? value : 'system';
  } catch {
    return 'system';
  }
}

function paint() {
  const dark = current === 'dark' || (current === 'system' && Boolean(darkQuery?.matches));
  const root = document.documentElement;
  root.classList.toggle('dark', dark);
  root.style.colorScheme = dark ? 'dark' : 'light';
}

export function applyTheme(theme: Theme): void {
  current = theme;
  try {
    localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Private browsing may refuse storage; the theme still applies for this visit.
  }
  paint();
}

// "System" follows the operating system as it switches between light and dark during the day.
darkQuery?.addEventListener('change', paint);
