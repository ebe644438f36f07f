import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { users } from '../auth/auth.schema.js';
import { listings } from '../listings/listings.schema.js';

export type ReviewReportReason = 'spam' | 'fake' | 'offensive' | 'personal_data' | 'other';

/** A member's review of a seller, optionally about one of the seller's listings. */
export const reviews = pgTable(
  'reviews',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reviewerId: uuid('reviewer_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    listingId: uuid('listing_id').references(() => listings.id, { onDelete: 'cascade' }),
    stars: smallint('stars').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    verifiedBuyer: boolean('verified_buyer').notNull().default(false),
    /** Kept by the vote writes themselves (+1/-1 in the vote's transaction). */
    helpfulCount: integer('helpful_count').notNull().default(0),
    responseText: text('response_text'),
    respondedAt: timestamp('responded_at', { withTimezone: true }),
    responseUpdatedAt: timestamp('response_updated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // Once per reviewer, seller and listing; and once per reviewer and seller without a listing.
    uniqueIndex('reviews_once_per_listing_key')
      .on(table.reviewerId, table.sellerId, table.listingId)
      .where(sql`${table.listingId} is not null`),
    uniqueIndex('reviews_once_per_seller_key')
      .on(table.reviewerId, table.sellerId)
      .where(sql`${table.listingId} is null`),
    // Pages order by id for "newest" (UUIDv7 ids grow with time, and unlike a timestamptz
    // they survive a round trip through a cursor exactly).
    index('reviews_seller_newest_idx').on(table.sellerId, table.id),
    index('reviews_seller_helpful_idx').on(table.sellerId, table.helpfulCount, table.id),
    index('reviews_listing_idx').on(table.listingId, table.id),
    check('reviews_stars', sql`${table.stars} between 1 and 5`),
    check('reviews_not_self', sql`${table.reviewerId} <> ${table.sellerId}`),
    check('reviews_helpful_count', sql`${table.helpfulCount} >= 0`),
  ],
);

/**
 * One row per seller with a review: the exact aggregate, changed only by atomic increments in
 * the transaction of the review write (decision record "reviews and seller ratings").
 */
export const sellerRatings = pgTable(
  'seller_ratings',
  {
    sellerId: uuid('seller_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    reviewCount: integer('review_count').notNull().default(0),
    starsTotal: integer('stars_total').notNull().default(0),
    stars1: integer('stars_1').notNull().default(0),
    stars2: integer('stars_2').notNull().default(0),
    stars3: integer('stars_3').notNull().default(0),
    stars4: integer('stars_4').notNull().default(0),
    stars5: integer('stars_5').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check(
      'seller_ratings_consistent',
      sql`${table.reviewCount} = ${table.stars1} + ${table.stars2} + ${table.stars3} + ${table.stars4} + ${table.stars5} and ${table.stars1} >= 0 and ${table.stars2} >= 0 and ${table.stars3} >= 0 and ${table.stars4} >= 0 and ${table.stars5} >= 0`,
    ),
  ],
);

export const reviewHelpfulVotes = pgTable(
  'review_helpful_votes',
  {
    reviewId: uuid('review_id')
      .notNull()
      .references(() => reviews.id, { onDelete: 'cascade' }),
    voterId: uuid('voter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.reviewId, table.voterId] })],
);

/** A report for the moderation queue, with the review as it was: the evidence outlives edits. */
export const reviewReports = pgTable(
  'review_reports',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    /** Null once the review is deleted; the snapshot stays. */
    reviewId: uuid('review_id').references(() => reviews.id, { onDelete: 'set null' }),
    reporterId: uuid('reporter_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    reason: text('reason').$type<ReviewReportReason>().notNull(),
    text: text('text').notNull().default(''),
    snapshot: jsonb('snapshot')
      .$type<{
        sellerId: string;
        reviewerId: string;
        listingId: string | null;
        stars: number;
        title: string;
        text: string;
        response: string | null;
        createdAt: string;
        updatedAt: string;
      }>()
      .notNull(),
    status: text('status').$type<'open' | 'resolved' | 'dismissed'>().notNull().default('open'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('review_reports_open_key')
      .on(table.reviewId, table.reporterId)
      .where(sql`${table.status} = 'open'`),
    index('review_reports_queue_idx').on(table.status, table.createdAt),
    check(
      'review_reports_reason',
      sql`${table.reason} in ('spam', 'fake', 'offensive', 'personal_data', 'other')`,
    ),
  ],
);

export type ReviewRow = typeof reviews.$inferSelect;
export type SellerRatingRow = typeof sellerRatings.$inferSelect;
