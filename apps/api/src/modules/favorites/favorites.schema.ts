import { index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { users } from '../auth/auth.schema.js';
import { listings } from '../listings/listings.schema.js';

/**
 * A member saved a listing. The key is the pair, so a second add (or two at once) is one row;
 * the listing index serves the public count and the fan-out of price drops and endings.
 */
export const favorites = pgTable(
  'favorites',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.userId, table.listingId] }),
    index('favorites_user_recent_idx').on(table.userId, table.createdAt, table.listingId),
    index('favorites_listing_idx').on(table.listingId, table.userId),
  ],
);

/** A read-only link to a member's favorites, until it expires or they revoke it. */
export const wishlistShares = pgTable(
  'wishlist_shares',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** 24 random bytes, base64url: the link is the only credential. */
    token: text('token').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('wishlist_shares_token_key').on(table.token),
    index('wishlist_shares_user_idx').on(table.userId, table.createdAt),
  ],
);

export type FavoriteRow = typeof favorites.$inferSelect;
export type WishlistShareRow = typeof wishlistShares.$inferSelect;
