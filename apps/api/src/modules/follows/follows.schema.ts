import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from '../auth/auth.schema.js';
import { categories } from '../catalog/catalog.schema.js';

/** `follower_id` follows member `followed_id`. */
export const memberFollows = pgTable(
  'member_follows',
  {
    followerId: uuid('follower_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    followedId: uuid('followed_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.followerId, table.followedId] }),
    // Fan-out on publish and follower counts read by the followed side.
    index('member_follows_followed_idx').on(table.followedId),
    index('member_follows_follower_idx').on(table.followerId, table.createdAt),
    check('member_follows_not_self', sql`${table.followerId} <> ${table.followedId}`),
  ],
);

/** `follower_id` follows category `category_id` (and so everything under it). */
export const categoryFollows = pgTable(
  'category_follows',
  {
    followerId: uuid('follower_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => categories.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.followerId, table.categoryId] }),
    index('category_follows_category_idx').on(table.categoryId),
    index('category_follows_follower_idx').on(table.followerId, table.createdAt),
  ],
);

export type MemberFollowRow = typeof memberFollows.$inferSelect;
export type CategoryFollowRow = typeof categoryFollows.$inferSelect;
