import type { AttributeDefinition, LocationKind } from '@souk/contracts';
import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  unique,
  uuid,
} from 'drizzle-orm/pg-core';
import { v7 as uuidv7 } from 'uuid';

export const categories = pgTable(
  'categories',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    // RESTRICT: deleting a category with children is refused, never a silent cascade.
    parentId: uuid('parent_id').references((): AnyPgColumn => categories.id, { onDelete: 'restrict' }),
    slug: text('slug').notNull().unique(),
    name: text('name').notNull(),
    description: text('description'),
    icon: text('icon'),
    position: integer('position').notNull().default(0),
    /** The attributes this category defines itself; children inherit them. */
    attributes: jsonb('attributes').$type<AttributeDefinition[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('categories_parent_position_idx').on(table.parentId, table.position),
    check('categories_slug_format', sql`${table.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
    check('categories_not_own_parent', sql`${table.parentId} is null or ${table.parentId} <> ${table.id}`),
  ],
);

export const locations = pgTable(
  'locations',
  {
    id: uuid('id').primaryKey().$defaultFn(uuidv7),
    parentId: uuid('parent_id').references((): AnyPgColumn => locations.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<LocationKind>().notNull(),
    slug: text('slug').notNull(),
    name: text('name').notNull(),
    countryCode: text('country_code').notNull(),
    latitude: doublePrecision('latitude'),
    longitude: doublePrecision('longitude'),
    position: integer('position').notNull().default(0),
  },
  (table) => [
    // NULLS NOT DISTINCT: two top-level countries may not share a slug either.
    unique('locations_parent_slug_key').on(table.parentId, table.slug).nullsNotDistinct(),
    index('locations_country_idx').on(table.countryCode),
    check('locations_kind', sql`${table.kind} in ('country', 'region', 'city')`),
    check('locations_country_code', sql`${table.countryCode} ~ '^[A-Z]{2}$'`),
    check(
      'locations_coordinates',
      sql`(${table.latitude} is null or ${table.latitude} between -90 and 90) and (${table.longitude} is null or ${table.longitude} between -180 and 180)`,
    ),
  ],
);

export type CategoryRow = typeof categories.$inferSelect;
export type NewCategoryRow = typeof categories.$inferInsert;
export type LocationRow = typeof locations.$inferSelect;
export type NewLocationRow = typeof locations.$inferInsert;
