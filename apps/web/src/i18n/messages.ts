import shellEnglish from 'virtual:souk-messages/shell';
import { DEFAULT_LOCALE } from './locale';
import type englishCatalog from './messages/en.json';

/** Every message id; English is the source catalog, so a missing id is a compile error. */
export type MessageId = keyof typeof englishCatalog;
export type Messages = Record<MessageId, string>;

// The first chunk carries only the shell's English messages (catalog-parts.ts); the rest of English
// is one chunk fetched beside the first page's, and every other language is its own chunk, fetched
// only by those who read it. Adding a language is adding messages/<locale>.json.
const restOfEnglish = () => import('virtual:souk-messages/rest');
const lazyCatalogs = import.meta.glob<{ default: Partial<Messages> }>([
  './messages/*.json',
  '!./messages/en.json',
]);

const localeOf = (path: string) => /\/([\w-]+)\.json$/.exec(path)?.[1] ?? '';

export const LOCALES: readonly string[] = [DEFAULT_LOCALE, ...Object.keys(lazyCatalogs).map(localeOf)];

/** What the shell can show before any catalog chunk has arrived. */
export const shellMessages = shellEnglish as Partial<Messages>;

let english: Promise<Messages> | undefined;

/** The whole English catalog, fetched once (again after a failure). */
function loadEnglish(): Promise<Messages> {
  english ??= restOfEnglish().then(
    ({ default: rest }) => ({ ...shellEnglish, ...rest }) as Messages,
    (error: unknown) => {
      english = undefined;
      throw error;
    },
  );
  return english;
}

/** A locale's catalog over English, so a message not translated yet shows in English, not as its id. */
export async function loadMessages(locale: string): Promise<Messages> {
  const base = await loadEnglish();
  const load = Object.entries(lazyCatalogs).find(([path]) => localeOf(path) === locale)?.[1];
  if (!load) return base;
  const { default: translated } = await load();
  return { ...base, ...translated };
}
