import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Small facts the platform keeps about itself, such as which demo data sets were loaded. */
export const platformMeta = pgTable('platform_meta', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
