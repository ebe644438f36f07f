import type {
  AttributeValue,
  ContactPreferences,
  CurrencyCode,
  ListingKind,
  ListingStatus,
  PriceType as PriceTypeEnum,
} from '@souk/contracts';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { users } from '../auth/auth.schema.js';
import { categories, locations } from '../catalog/catalog.schema.js';

// The contract is the one source of these; the columns are typed by it.
export type { AttributeValue, ListingKind, ListingStatus } from '@souk/contracts';
export type PriceType = z.infer<typeof PriceTypeEnum>;
export type Contact = z.output<typeof ContactPreferences>;
export type Currency = z.infer<typeof CurrencyCode>;

export const listings = pgTable(
  'listings',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    sellerId: uuid('seller_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => categories.id, { onDelete: 'restrict' }),
    locationId: uuid('location_id').references(() => locations.id, { onDelete: 'set null' }),
    /** The seller's own reference (a stock number), set by imports; unique per live listing. */
    externalId: text('external_id'),
    kind: text('kind').$type<ListingKind>().notNull(),
    status: text('status').$type<ListingStatus>().notNull().default('draft'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    priceType: text('price_type').$type<PriceType>(),
    /** Minor units of `currency`. */
    priceAmount: bigint('price_amount', { mode: 'number' }),
    currency: text('currency').$type<Currency>(),
    condition: text('condition'),
    quantity: integer('quantity').notNull().default(1),
    attributes: jsonb('attributes').$type<Record<string, AttributeValue>>().notNull().default({}),
    features: jsonb('features').$type<string[]>().notNull().default([]),
    contact: jsonb('contact').$type<Contact>().notNull(),
    /** The exact point, known to the owner; the public sees it rounded. */
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    /**
     * The point is the city's centre, not the seller's: set so distance search finds listings
     * placed in a city without an exact point; never shown or exported as the listing's own.
     */
    pointFromCity: boolean('point_from_city').notNull().default(false),
    viewCount: integer('view_count').notNull().default(0),
    featuredFrom: timestamp('featured_from', { withTimezone: true }),
    featuredUntil: timestamp('featured_until', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    soldAt: timestamp('sold_at', { withTimezone: true }),
    /** Soft delete by the owner: gone from every list, kept for moderation and disputes. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    // One live listing per seller and stock number: the key an import upserts by. A deleted
    // listing frees its number, so a later import creates a new listing for it.
    uniqueIndex('listings_seller_external_id_key')
      .on(table.sellerId, table.externalId)
      .where(sql`${table.externalId} is not null and ${table.deletedAt} is null`),
    index('listings_public_idx').on(table.status, table.publishedAt, table.id),
    index('listings_seller_idx').on(table.sellerId, table.status, table.createdAt),
    index('listings_category_idx').on(table.categoryId, table.status, table.publishedAt),
    index('listings_featured_idx').on(table.featuredUntil).where(sql`${table.featuredUntil} is not null`),
    // The home page's featured row, newest window first: read backwards (which is `desc` with
    // PostgreSQL's nulls first; drizzle's .desc() would say nulls last and not match), a dozen
    // entries however many listings were ever featured (186 ms at 1M listings without it).
    index('listings_featured_order_idx')
      .on(table.featuredFrom, table.id)
      .where(
        sql`${table.featuredUntil} is not null and ${table.status} = 'active' and ${table.deletedAt} is null`,
      ),
    index('listings_expiry_idx').on(table.expiresAt).where(sql`${table.status} = 'active'`),
    check('listings_kind', sql`${table.kind} in ('classified', 'auction', 'showcase')`),
    check('listings_status', sql`${table.status} in ('draft', 'active', 'sold', 'expired', 'removed')`),
    check(
      'listings_price_type',
      sql`${table.priceType} is null or ${table.priceType} in ('fixed', 'negotiable', 'free')`,
    ),
    check('listings_price_amount', sql`${table.priceAmount} is null or ${table.priceAmount} >= 0`),
    check('listings_quantity', sql`${table.quantity} >= 0`),
  ],
);

/** One row per listing, viewer and day: a view counts once a day per viewer. */
export const listingViews = pgTable(
  'listing_views',
  {
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    /** A user id, or a hash of the client address and user agent for anonymous viewers. */
    viewer: text('viewer').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    viewedAt: timestamp('viewed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.listingId, table.viewer, table.day] })],
);

export type ListingRow = typeof listings.$inferSelect;
export type NewListingRow = typeof listings.$inferInsert;
