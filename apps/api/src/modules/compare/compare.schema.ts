import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { users } from '../auth/auth.schema.js';

/**
 * A signed-in member's comparison: one row, the listing ids in the order they were added. One
 * row (locked for each change) keeps the cap and the same-top-category rule exact under
 * concurrent adds. The ids are not foreign keys: a listing that goes away simply drops out of
 * the table shown.
 */
export const compareLists = pgTable(
  'compare_lists',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    listingIds: uuid('listing_ids').array().notNull().default(sql`'{}'::uuid[]`),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('compare_lists_cap', sql`cardinality(${table.listingIds}) <= 4`)],
);

/** A shared comparison: a snapshot of the ids; the public page recomputes rows from current data. */
export const sharedComparisons = pgTable(
  'shared_comparisons',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    token: text('token').notNull(),
    listingIds: uuid('listing_ids').array().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('shared_comparisons_token_key').on(table.token),
    index('shared_comparisons_user_idx').on(table.userId, table.createdAt),
    check('shared_comparisons_cap', sql`cardinality(${table.listingIds}) between 1 and 4`),
  ],
);

export type CompareListRow = typeof compareLists.$inferSelect;
export type SharedComparisonRow = typeof sharedComparisons.$inferSelect;
