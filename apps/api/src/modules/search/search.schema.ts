import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { users } from '../auth/auth.schema.js';
import { categories } from '../catalog/catalog.schema.js';
import { listings } from '../listings/listings.schema.js';

export type AlertFrequency = 'off' | 'instant' | 'daily' | 'weekly';

/** The query and filters of a search, as the API takes them (validated again on every use). */
export type StoredSearch = Record<string, unknown>;

/** Every search run through the API: trending searches and zero-result reports read it. */
export const searchQueries = pgTable(
  'search_queries',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** Lower-cased, unaccented, spaces collapsed: the key trending counts group by. */
    normalized: text('normalized').notNull(),
    text: text('text').notNull(),
    filters: jsonb('filters').$type<StoredSearch>().notNull().default({}),
    resultCount: integer('result_count').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('search_queries_created_idx').on(table.createdAt),
    index('search_queries_zero_idx').on(table.createdAt).where(sql`${table.resultCount} = 0`),
  ],
);

export const savedSearches = pgTable(
  'saved_searches',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    query: jsonb('query').$type<StoredSearch>().notNull(),
    alert: text('alert').$type<AlertFrequency>().notNull().default('off'),
    /** Matches found after this were not yet sent in a digest. */
    lastDigestAt: timestamp('last_digest_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('saved_searches_user_idx').on(table.userId, table.createdAt),
    index('saved_searches_alert_idx').on(table.alert).where(sql`${table.alert} <> 'off'`),
    check('saved_searches_alert', sql`${table.alert} in ('off', 'instant', 'daily', 'weekly')`),
  ],
);

/** A listing found for a saved search: at most one row, so at most one alert, per pair. */
export const alertMatches = pgTable(
  'alert_matches',
  {
    savedSearchId: uuid('saved_search_id')
      .notNull()
      .references(() => savedSearches.id, { onDelete: 'cascade' }),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    matchedAt: timestamp('matched_at', { withTimezone: true }).notNull().defaultNow(),
    /** Null while a digest has yet to carry it. */
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (table) => [
    primaryKey({ columns: [table.savedSearchId, table.listingId] }),
    index('alert_matches_pending_idx').on(table.savedSearchId).where(sql`${table.sentAt} is null`),
  ],
);

export const recentlyViewed = pgTable(
  'recently_viewed',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    viewedAt: timestamp('viewed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.listingId] }),
    index('recently_viewed_user_idx').on(table.userId, table.viewedAt),
  ],
);

/**
 * The facets of browsing a category (no text, no other filter), counted over every active
 * listing of its subtree by a scheduled job (docs/decisions/018). A browse is the commonest
 * search; from here its facets are one indexed read instead of a 1,000-row sample. `facet` is
 * what the search port's facet rows say (`category`, `attr:<key>`, `hist:<name>`, and `sample`:
 * the listings counted); `value` is '' where the port's is null.
 */
export const searchBrowseFacets = pgTable(
  'search_browse_facets',
  {
    categoryId: uuid('category_id')
      .notNull()
      .references(() => categories.id, { onDelete: 'cascade' }),
    facet: text('facet').notNull(),
    value: text('value').notNull(),
    count: integer('count').notNull(),
    refreshedAt: timestamp('refreshed_at', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.categoryId, table.facet, table.value] })],
);

export type SavedSearchRow = typeof savedSearches.$inferSelect;
