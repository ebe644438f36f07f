import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  date,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.schema.js';
import { listings } from '../listings/listings.schema.js';

/**
 * The product-post side of a listing of kind `showcase`, keyed by the listing. `live` and
 * `posted_at` mirror the listing's status and publish time (kept in step by the listing events
 * and on every write here), so the ranked feeds are one index scan of this table alone.
 * `vote_count` and `vote_weight` are the sums of `showcase_upvotes`, changed in the same
 * transaction as the vote row, so they are exact.
 */
export const showcasePosts = pgTable(
  'showcase_posts',
  {
    listingId: uuid('listing_id')
      .primaryKey()
      .references(() => listings.id, { onDelete: 'cascade' }),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Empty until the owner fills the details in (a showcase listing published without them). */
    name: text('name').notNull().default(''),
    tagline: text('tagline').notNull().default(''),
    link: text('link'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    makerIds: uuid('maker_ids').array().notNull().default(sql`'{}'::uuid[]`),
    launchDate: date('launch_date', { mode: 'string' }),
    live: boolean('live').notNull().default(false),
    postedAt: timestamp('posted_at', { withTimezone: true }),
    voteCount: integer('vote_count').notNull().default(0),
    /** Sum of the votes' weights in thousandths (an integer, so the sum is exact). */
    voteWeight: integer('vote_weight').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('showcase_posts_live_idx').on(table.postedAt).where(sql`${table.live}`),
    check('showcase_posts_vote_count', sql`${table.voteCount} >= 0`),
    check('showcase_posts_vote_weight', sql`${table.voteWeight} >= 0`),
  ],
);

/** One upvote per member and post; `weight` (thousandths) is fixed when the vote is cast. */
export const showcaseUpvotes = pgTable(
  'showcase_upvotes',
  {
    listingId: uuid('listing_id')
      .notNull()
      .references(() => showcasePosts.listingId, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    weight: integer('weight').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.listingId, table.userId] }),
    index('showcase_upvotes_user_idx').on(table.userId, table.createdAt),
    check('showcase_upvotes_weight', sql`${table.weight} between 0 and 1000`),
  ],
);

export type ShowcasePostRow = typeof showcasePosts.$inferSelect;
