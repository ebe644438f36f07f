import { boolean, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { users } from '../auth/auth.schema.js';
import { listings } from '../listings/listings.schema.js';

/**
 * An uploaded image and its stored variants (`<prefix>/<width>.webp`). An image whose listing
 * is gone, or that was never attached, is an orphan; a scheduled job removes its files.
 */
export const mediaImages = pgTable(
  'media_images',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    listingId: uuid('listing_id').references(() => listings.id, { onDelete: 'set null' }),
    /** A photo sent in a message (the messaging module's); such an image is not an orphan. */
    messageId: uuid('message_id'),
    /** Storage key prefix of the variants. */
    storagePrefix: text('storage_prefix').notNull(),
    /** Widths stored, e.g. [320, 800, 1600] (never wider than the original). */
    variantWidths: integer('variant_widths').array().notNull(),
    width: integer('width').notNull(),
    height: integer('height').notNull(),
    bytes: integer('bytes').notNull(),
    /** A tiny blurred WebP as a data: URI. */
    placeholder: text('placeholder').notNull(),
    /** Where an imported image came from (its URL, or `zip:<path>#<sha256>`); null for uploads. */
    source: text('source'),
    position: integer('position').notNull().default(0),
    isPrimary: boolean('is_primary').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (table) => [
    index('media_images_listing_idx').on(table.listingId, table.position),
    index('media_images_orphans_idx').on(table.createdAt),
    index('media_images_message_idx').on(table.messageId, table.position),
  ],
);

export type MediaImageRow = typeof mediaImages.$inferSelect;
