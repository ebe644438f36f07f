import { DEFAULT_LOCALE } from './locale';
import en from './messages/en.json';

/** Every message id; English is the source catalog, so a missing id is a compile error. */
export type MessageId = keyof typeof en;
export type Messages = Record<MessageId, string>;

// English ships in the main bundle (it is also the fallback); every other language is its own chunk,
// fetched only by those who pick it. Adding a language is adding messages/<locale>.json.
const lazyCatalogs = import.meta.glob<{ default: Partial<Messages> }>([
  './messages/*.json',
  '!./messages/en.json',
]);

const localeOf = (path: string) => /\/([\w-]+)\.json$/.exec(path)?.[1] ?? '';

export const LOCALES: readonly string[] = [DEFAULT_LOCALE, ...Object.keys(lazyCatalogs).map(localeOf)];

export const englishMessages: Messages = en;

/** A locale's catalog over English, so a message not translated yet shows in English, not as its id. */
export async function loadMessages(locale: string): Promise<Messages> {
  const load = Object.entries(lazyCatalogs).find(([path]) => localeOf(path) === locale)?.[1];
  if (!load) return englishMessages;
  const { default: translated } = await load();
  return { ...englishMessages, ...translated };
}
