import { sql } from 'drizzle-orm';
import { type AnyPgColumn, check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';
import { users } from '../auth/auth.schema.js';
import { listings } from '../listings/listings.schema.js';

/**
 * Threaded comments on a listing. `path` is the ids from the top-level comment down to this one
 * joined by '/': UUIDv7 ids sort by time as text, so ordering a thread by `path` is depth-first
 * with siblings oldest first, which is the order a client renders the tree in. `root_id` is the
 * top-level comment, the unit a thread page is cut by.
 *
 * A comment deleted while it has replies stays as a placeholder (`deleted_at` set, `body`
 * emptied) so the replies keep their place; one without replies is removed.
 */
export const comments = pgTable(
  'comments',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    listingId: uuid('listing_id')
      .notNull()
      .references(() => listings.id, { onDelete: 'cascade' }),
    parentId: uuid('parent_id').references((): AnyPgColumn => comments.id, { onDelete: 'cascade' }),
    rootId: uuid('root_id').notNull(),
    path: text('path').notNull(),
    depth: integer('depth').notNull(),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    body: text('body').notNull(),
    replyCount: integer('reply_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (table) => [
    index('comments_listing_roots_idx').on(table.listingId, table.id).where(sql`${table.parentId} is null`),
    index('comments_thread_idx').on(table.rootId, table.path),
    index('comments_parent_idx').on(table.parentId),
    check('comments_depth', sql`${table.depth} >= 0`),
    check('comments_reply_count', sql`${table.replyCount} >= 0`),
  ],
);

export type CommentRow = typeof comments.$inferSelect;
