import { ISO_CURRENCIES, MARKET_CURRENCIES, type Preferences } from '@souk/contracts';

export type NotificationType = keyof Preferences['notifications'];
export type Channel = NonNullable<Preferences['notifications'][NotificationType]>[number];
/** Every type with its channels: what the grid edits. */
export type NotificationGridValue = Record<NotificationType, Channel[]>;

export const LANGUAGES: { value: Preferences['language']; label: string }[] = [
  { value: 'en', label: 'English' },
  { value: 'si', label: 'සිංහල (Sinhala)' },
  { value: 'ta', label: 'தமிழ் (Tamil)' },
  { value: 'ar', label: 'العربية (Arabic)' },
];

/** The market currencies of the contract, in its order: adding one there adds it here. */
export const CURRENCIES: { value: Preferences['currency']; label: string }[] = MARKET_CURRENCIES.map(
  (code) => ({
    value: code,
    label: `${code} · ${ISO_CURRENCIES[code].name}`,
  }),
);

export const THEMES: { value: Preferences['theme']; label: string; hint: string }[] = [
  { value: 'system', label: 'System', hint: 'Follow this device' },
  { value: 'light', label: 'Light', hint: 'Always light' },
  { value: 'dark', label: 'Dark', hint: 'Always dark' },
];

export const NOTIFICATION_TYPES: { value: NotificationType; label: string }[] = [
  { value: 'messages', label: 'Messages' },
  { value: 'offers', label: 'Offers' },
  { value: 'orders', label: 'Orders' },
  { value: 'saved_searches', label: 'Saved searches' },
  { value: 'price_drops', label: 'Price drops' },
  { value: 'reviews', label: 'Reviews' },
  { value: 'marketing', label: 'News and offers from Souk' },
];

export const CHANNELS: { value: Channel; label: string }[] = [
  { value: 'in_app', label: 'In the app' },
  { value: 'email', label: 'E-mail' },
  { value: 'push', label: 'Push' },
];

/**
 * A type left out "uses the platform default", which the API does not publish; the grid shows
 * in-app and e-mail (marketing off) for it. Saving stores every type, so what is shown is kept.
 */
export function withAllTypes(notifications: Preferences['notifications']): NotificationGridValue {
  return Object.fromEntries(
    NOTIFICATION_TYPES.map(({ value }) => [
      value,
      notifications[value] ?? (value === 'marketing' ? [] : ['in_app', 'email']),
    ]),
  ) as NotificationGridValue;
}
