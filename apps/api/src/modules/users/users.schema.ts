import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.schema.js';
import { locations } from '../catalog/catalog.schema.js';

export type Theme = 'system' | 'light' | 'dark';
export type NotificationChannel = 'in_app' | 'email' | 'push';
export type Preferences = {
  language: string;
  currency: string;
  theme: Theme;
  /** Channels per notification type, e.g. { messages: ['in_app', 'email'] }. */
  notifications: Record<string, NotificationChannel[]>;
};
export type OpeningHours = {
  day: 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
  opens: string;
  closes: string;
}[];

/** The public and private profile of an account; one row per user, created with the account. */
export const profiles = pgTable('profiles', {
  // Integrity across modules stays in the database; the code still goes through services.
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  displayName: text('display_name').notNull(),
  bio: text('bio'),
  avatarKey: text('avatar_key'),
  locationId: uuid('location_id').references(() => locations.id, { onDelete: 'set null' }),
  phone: text('phone'),
  sellerBusinessName: text('seller_business_name'),
  sellerDescription: text('seller_description'),
  sellerWebsite: text('seller_website'),
  sellerOpeningHours: jsonb('seller_opening_hours').$type<OpeningHours>(),
  preferences: jsonb('preferences').$type<Preferences>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type ProfileRow = typeof profiles.$inferSelect;
