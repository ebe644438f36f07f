import {
  type CategoryDetail,
  type FieldError,
  type PriceInput,
  type ResolvedAttribute,
  validateAttributeValues,
} from '@souk/contracts';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../../platform/db/database.js';
import type { EventPublisher } from '../../platform/events.js';
import type { RequestContext } from '../../platform/http/context.js';
import { platformError } from '../../platform/http/errors.js';
import type { ListingEvents } from './listings.events.js';
import { requireUser } from './listings.lifecycle.js';
import type { ListingsRepository } from './listings.repository.js';
import {
  ACTION_EVENTS,
  actionValues,
  cleanDescription,
  completenessErrors,
  DEFAULT_CONTACT,
  dedupeErrors,
  importStatusChange,
  type ListingAction,
  priceChangedEvent,
  priceColumns,
  publishedEvent,
  type StatusEvent,
} from './listings.rules.js';
import type { AttributeValue, ListingRow, ListingStatus, NewListingRow } from './listings.schema.js';
import type { ListingsPorts } from './listings.service.js';
import { isAdmin } from './listings.views.js';

/**
 * One row of an import file, parsed by the imports module into plain values. Names are those of
 * the file format (docs/import.md); the listings module resolves slugs and checks the rules.
 */
export type ImportRowInput = {
  externalId: string;
  /** Category slug. */
  category: string;
  title: string;
  description: string;
  /** Minor units; null with type free, or no price at all. */
  price: { type: 'fixed' | 'negotiable' | 'free'; amount: number | null; currency: string | null } | null;
  condition: 'new' | 'used' | 'refurbished' | null;
  quantity: number;
  /** City slug, or `CC/slug` when two countries have a city of that slug. */
  city: string | null;
  coordinates: { latitude: number; longitude: number } | null;
  /** Values as written; text is turned into numbers, booleans and lists by the attribute's type. */
  attributes: Record<string, AttributeValue>;
  features: string[];
  status: ListingStatus;
};

/** What an import does with a row, decided before anything is written. */
export type ImportAction = 'create' | 'update' | 'unchanged';

/** A listing as an export writes it: the import's row plus its id, seller and images. */
export type ExportedListing = ImportRowInput & { id: string; sellerId: string };

export type CityRef = {
  id: string;
  slug: string;
  countryCode: string;
  latitude: number | null;
  longitude: number | null;
};

/** Finds cities by `slug` or `CC/slug`, or the nearest one to a point; names them back for exports. */
export function cityIndex(cities: CityRef[]) {
  const bySlug = new Map<string, CityRef[]>();
  const byId = new Map<string, CityRef>();
  for (const city of cities) {
    bySlug.set(city.slug, [...(bySlug.get(city.slug) ?? []), city]);
    byId.set(city.id, city);
  }
  return {
    find(name: string): { city: CityRef } | { error: string } {
      const [code, slug] = name.includes('/') ? name.split('/', 2) : [null, name];
      const found = (bySlug.get(slug ?? '') ?? []).filter(
        (city) => code === null || city.countryCode === code.toUpperCase(),
      );
      if (found.length === 1) return { city: found[0] as CityRef };
      if (found.length === 0) return { error: `"${name}" is not a known city` };
      const options = found.map((city) => `${city.countryCode}/${city.slug}`).join(', ');
      return { error: `"${name}" is ambiguous: write one of ${options}` };
    },
    /** The closest city with coordinates (flat-earth distance is fine for picking the nearest). */
    nearest(point: { latitude: number; longitude: number }): CityRef | null {
      let best: CityRef | null = null;
      let bestDistance = Number.POSITIVE_INFINITY;
      const cos = Math.cos((point.latitude * Math.PI) / 180);
      for (const city of cities) {
        if (city.latitude === null || city.longitude === null) continue;
        const dx = (city.longitude - point.longitude) * cos;
        const dy = city.latitude - point.latitude;
        const distance = dx * dx + dy * dy;
        if (distance < bestDistance) {
          bestDistance = distance;
          best = city;
        }
      }
      return best;
    },
    /** The name an export writes: the bare slug when it is unique, else `CC/slug`. */
    nameOf(id: string): string | null {
      const city = byId.get(id);
      if (!city) return null;
      return (bySlug.get(city.slug)?.length ?? 0) > 1 ? `${city.countryCode}/${city.slug}` : city.slug;
    },
  };
}

const TRUE = new Set(['true', 'yes', '1', 'y']);
const FALSE = new Set(['false', 'no', '0', 'n']);

/**
 * Text from a spreadsheet typed by the category's schema: "2018" for an integer attribute is
 * 2018, "yes" for a boolean is true, "a|b" for a multi-choice is ["a", "b"]. Anything that does
 * not convert is left as it is, for the validator to name.
 */
export function coerceAttributes(
  schema: ResolvedAttribute[],
  values: Record<string, AttributeValue>,
): Record<string, AttributeValue> {
  const byKey = new Map(schema.map((attribute) => [attribute.key, attribute]));
  const result: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(values)) {
    const attribute = byKey.get(key);
    if (typeof value !== 'string' || !attribute) {
      result[key] = value;
      continue;
    }
    const text = value.trim();
    switch (attribute.type) {
      case 'integer':
      case 'decimal':
        result[key] = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : value;
        break;
      case 'boolean':
        result[key] = TRUE.has(text.toLowerCase()) ? true : FALSE.has(text.toLowerCase()) ? false : value;
        break;
      case 'multi_enum':
        result[key] = text === '' ? [] : text.split('|').map((item) => item.trim());
        break;
      default:
        result[key] = value;
    }
  }
  return result;
}

/** `body.attributes.year` (the API's paths) as the import file names it: `attributes.year`. */
export function importPath(path: string): string {
  const field = path.replace(/^body\./, '');
  if (field.startsWith('attributes.')) return field;
  if (field.startsWith('price')) return 'price';
  if (field === 'categoryId') return 'category';
  if (field === 'locationId') return 'city';
  return field;
}

export const importErrors = (errors: FieldError[]): FieldError[] =>
  errors.map((error) => ({ path: importPath(error.path), message: error.message }));

/** JSON equality that ignores key order (jsonb keeps its own order of object keys). */
export function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What an import will do with one row; `failed` rows carry the reason per field. */
export type ImportPlanRow =
  | { index: number; action: 'failed'; errors: FieldError[] }
  | {
      index: number;
      action: ImportAction;
      listingId: string;
      values: NewListingRow & { id: string };
      current: ListingRow | null;
      statusEvent: StatusEvent | null;
    };
export type PlannedImportRow = Extract<ImportPlanRow, { listingId: string }>;

/** What planning a row needs that was read once for the whole file. */
type PlanContext = {
  sellerId: string;
  categories: Map<string, CategoryDetail | null>;
  cities: ReturnType<typeof cityIndex>;
  byExternalId: Map<string, ListingRow>;
  now: Date;
  ttlDays: number;
};

/**
 * One row's plan, with no I/O: the same rules as the API (attributes against the category's
 * schema, completeness for active listings, and only the status changes the table allows).
 */
export function planImportRow(row: ImportRowInput, index: number, context: PlanContext): ImportPlanRow {
  const errors: FieldError[] = [];
  const category = context.categories.get(row.category) ?? null;
  if (!category) errors.push({ path: 'category', message: `"${row.category}" is not a category` });
  let locationId: string | null = null;
  let cityPoint: { latitude: number; longitude: number } | null = null;
  if (row.city) {
    const found = context.cities.find(row.city);
    if ('error' in found) errors.push({ path: 'city', message: found.error });
    else {
      locationId = found.city.id;
      const { latitude, longitude } = found.city;
      if (latitude !== null && longitude !== null) cityPoint = { latitude, longitude };
    }
  } else if (row.coordinates) {
    locationId = context.cities.nearest(row.coordinates)?.id ?? null;
  }
  // The row's own point, else its city's for distance search (see the lifecycle's searchPoint).
  const point = row.coordinates
    ? { ...row.coordinates, pointFromCity: false }
    : cityPoint
      ? { ...cityPoint, pointFromCity: true }
      : { latitude: null, longitude: null, pointFromCity: false };
  const current = context.byExternalId.get(row.externalId) ?? null;
  const from = current?.status ?? null;
  const change = importStatusChange(from, row.status);
  let status = row.status;
  let action: ListingAction | null = null;
  if ('error' in change) {
    errors.push({ path: 'status', message: change.error });
    status = from ?? 'draft';
  } else action = change.action;
  const attributes = category ? coerceAttributes(category.attributes, row.attributes) : row.attributes;
  const values: NewListingRow & { id: string } = {
    id: current?.id ?? uuidv7(),
    sellerId: context.sellerId,
    // A listing found by its own id (exported without an external id) keeps having none.
    externalId: current && current.externalId === null ? null : row.externalId,
    categoryId: category?.id ?? '',
    kind: current?.kind ?? 'classified',
    status,
    title: row.title,
    description: cleanDescription(row.description),
    ...priceColumns(row.price as PriceInput | undefined),
    condition: row.condition,
    quantity: row.quantity,
    locationId,
    ...point,
    attributes,
    features: row.features,
    contact: current?.contact ?? DEFAULT_CONTACT,
    publishedAt: current?.publishedAt ?? null,
    expiresAt: current?.expiresAt ?? null,
  };
  if (category) {
    if (status === 'active') {
      const candidate = { ...(current ?? {}), ...values } as ListingRow;
      errors.push(...importErrors(completenessErrors(candidate, category)));
    } else {
      errors.push(
        ...importErrors(validateAttributeValues(category.attributes, attributes, { complete: false })),
      );
    }
  }
  if (errors.length > 0) return { index, action: 'failed', errors: dedupeErrors(errors) };
  // A new listing that arrives active is published by its create, as a draft published at once.
  const stamping = action ?? (!current && status === 'active' ? 'publish' : null);
  if (stamping) Object.assign(values, actionValues(stamping, values, context.now, context.ttlDays));
  const statusEvent = action ? ACTION_EVENTS[action] : null;
  if (!current)
    return { index, action: 'create', listingId: values.id, values, current: null, statusEvent: null };
  const same =
    current.externalId === values.externalId &&
    current.categoryId === values.categoryId &&
    current.status === values.status &&
    current.title === values.title &&
    current.description === values.description &&
    current.priceType === values.priceType &&
    current.priceAmount === values.priceAmount &&
    current.currency === values.currency &&
    current.condition === values.condition &&
    current.quantity === values.quantity &&
    current.locationId === values.locationId &&
    current.latitude === values.latitude &&
    current.longitude === values.longitude &&
    current.pointFromCity === values.pointFromCity &&
    sameJson(current.attributes, values.attributes) &&
    sameJson(current.features, values.features);
  return {
    index,
    action: same ? 'unchanged' : 'update',
    listingId: current.id,
    values,
    current,
    statusEvent,
  };
}

/**
 * Imports and exports of a seller's listings: plan without writing, apply a batch in one
 * transaction with the API's events, withdraw what a sync file no longer lists, and export.
 */
export function createListingImport(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: ListingsRepository;
  events: EventPublisher<ListingEvents>;
  ports: ListingsPorts;
  config: { ttlDays: number };
}) {
  const { database, repository, events, ports } = deps;

  function assertImporter(ctx: RequestContext, sellerId: string) {
    requireUser(ctx);
    if (ctx.actor?.userId !== sellerId && !isAdmin(ctx))
      throw platformError('forbidden', 'Only admins import listings for another seller.');
  }

  function assertExporter(ctx: RequestContext, sellerId: string | null) {
    const userId = requireUser(ctx);
    if (sellerId !== userId && !isAdmin(ctx))
      throw platformError('forbidden', 'Only admins export the listings of other sellers.');
  }

  return {
    /**
     * Decides, without writing, what an import does with each row for `sellerId`: create, update
     * or leave unchanged (matched by the seller's external id), or fail with the reason per
     * field (see planImportRow).
     */
    async planImport(
      ctx: RequestContext,
      sellerId: string,
      rows: ImportRowInput[],
    ): Promise<ImportPlanRow[]> {
      assertImporter(ctx, sellerId);
      const categories = new Map<string, CategoryDetail | null>();
      for (const slug of new Set(rows.map((row) => row.category))) {
        const id = await ports.catalog.categoryIdOf(slug);
        categories.set(slug, id ? await ports.catalog.categoryById(id) : null);
      }
      const cities = cityIndex(await ports.catalog.cities());
      const existing = await repository.findForImport(
        database.db,
        sellerId,
        rows.map((row) => row.externalId),
      );
      const byExternalId = new Map<string, ListingRow>();
      for (const row of existing) byExternalId.set(row.externalId ?? row.id, row);
      const context = {
        sellerId,
        categories,
        cities,
        byExternalId,
        now: new Date(),
        ttlDays: deps.config.ttlDays,
      };
      return rows.map((row, index) => planImportRow(row, index, context));
    },

    /**
     * Writes planned rows in one transaction (multi-row INSERT and UPDATE) with the same events
     * as the API. Returns the ids of new listings that another import created first (skipped).
     */
    async applyImport(ctx: RequestContext, rows: PlannedImportRow[]): Promise<Set<string>> {
      requireUser(ctx);
      const inserts = rows.filter((row) => row.action === 'create');
      const updates = rows.filter((row) => row.action === 'update');
      if (inserts.length === 0 && updates.length === 0) return new Set();
      return database.transaction(async (tx) => {
        const inserted = await repository.insertImported(
          tx,
          inserts.map((row) => row.values),
        );
        await repository.updateImported(
          tx,
          updates.map((row) => row.values),
        );
        // A batch's new listings publish their events in one statement per subscriber, not one
        // round trip each: with subscribers (search alerts) that was most of an import's time.
        const created = inserts.filter((row) => inserted.has(row.listingId));
        await events.publishMany(
          tx,
          'listing.created',
          created.map((row) => ({
            listingId: row.listingId,
            sellerId: row.values.sellerId,
            categoryId: row.values.categoryId,
          })),
        );
        // Images come after the rows in an import, so a new listing has no cover yet.
        await events.publishMany(
          tx,
          'listing.published',
          created
            .filter((row) => row.values.status === 'active')
            .map((row) =>
              publishedEvent(
                { id: row.listingId, sellerId: row.values.sellerId, status: 'draft' },
                asRow(row.values),
                null,
              ),
            ),
        );
        for (const row of updates) {
          const current = row.current as ListingRow;
          const after = { ...current, ...asRow(row.values) };
          if (row.statusEvent === 'listing.published') {
            await events.publish(tx, 'listing.published', publishedEvent(current, after, null));
          } else if (row.statusEvent) {
            await events.publish(tx, row.statusEvent, {
              listingId: row.listingId,
              sellerId: current.sellerId,
              from: current.status,
              to: row.values.status as ListingStatus,
            });
          }
          const priceChanged = priceChangedEvent(current, after);
          if (priceChanged) await events.publish(tx, 'listing.price_changed', priceChanged);
        }
        return new Set(inserts.filter((row) => !inserted.has(row.listingId)).map((row) => row.listingId));
      });
    },

    /**
     * A nightly sync: the seller's active imported listings whose external id the file did not
     * list go back to draft (reversible: the next file that lists them publishes them again).
     * Listings created by hand (no external id) are left alone. Returns how many were withdrawn.
     */
    async withdrawMissing(ctx: RequestContext, sellerId: string, seen: Set<string>): Promise<number> {
      assertImporter(ctx, sellerId);
      const missing: string[] = [];
      for (let after: string | null = null; ; ) {
        const page = await repository.activeExternalIds(database.db, sellerId, after, 5000);
        for (const row of page) if (!seen.has(row.externalId)) missing.push(row.id);
        if (page.length < 5000) break;
        after = page.at(-1)?.id ?? null;
      }
      let withdrawn = 0;
      for (let start = 0; start < missing.length; start += 500) {
        withdrawn += await database.transaction(async (tx) => {
          // The table's `active --unpublish--> draft`, for many rows in one statement.
          const rows = await repository.unpublishMany(tx, missing.slice(start, start + 500));
          await events.publishMany(
            tx,
            ACTION_EVENTS.unpublish,
            rows.map((row) => ({ listingId: row.id, sellerId: row.sellerId, from: 'active', to: 'draft' })),
          );
          return rows.length;
        });
      }
      return withdrawn;
    },

    /** The attribute keys in use by the listings an export covers: its CSV columns. */
    async exportAttributeKeys(ctx: RequestContext, sellerId: string | null): Promise<string[]> {
      assertExporter(ctx, sellerId);
      return repository.attributeKeys(database.db, sellerId);
    },

    /**
     * Live listings of `sellerId` (null: everyone's, admins only), a page at a time in id order,
     * as the import reads them. A listing without an external id is named by its own id.
     */
    async *exportListings(ctx: RequestContext, sellerId: string | null, pageSize = 500) {
      assertExporter(ctx, sellerId);
      const cities = cityIndex(await ports.catalog.cities());
      for (let after: string | null = null; ; ) {
        const rows = await repository.exportPage(database.db, sellerId, after, pageSize);
        if (rows.length === 0) return;
        const categories = await ports.catalog.categoryRefs(rows.map((row) => row.categoryId));
        yield rows.map(
          (row): ExportedListing => ({
            id: row.id,
            sellerId: row.sellerId,
            externalId: row.externalId ?? row.id,
            category: categories.get(row.categoryId)?.slug ?? 'unknown',
            title: row.title,
            description: row.description,
            price: row.priceType
              ? { type: row.priceType, amount: row.priceAmount, currency: row.currency }
              : null,
            condition: (row.condition as ExportedListing['condition']) ?? null,
            quantity: row.quantity,
            city: row.locationId ? cities.nameOf(row.locationId) : null,
            // A point taken from the city is not the seller's: importing the export sets it again.
            coordinates:
              row.latitude === null || row.longitude === null || row.pointFromCity
                ? null
                : { latitude: row.latitude, longitude: row.longitude },
            attributes: row.attributes,
            features: row.features,
            status: row.status,
          }),
        );
        if (rows.length < pageSize) return;
        after = rows.at(-1)?.id ?? null;
      }
    },
  };
}

/** A planned row's values as the columns an event reads (the insert fills the rest). */
function asRow(values: NewListingRow & { id: string }) {
  return {
    title: values.title,
    kind: values.kind ?? 'classified',
    categoryId: values.categoryId,
    locationId: values.locationId ?? null,
    priceType: values.priceType ?? null,
    priceAmount: values.priceAmount ?? null,
    currency: values.currency ?? null,
    publishedAt: values.publishedAt ?? null,
  };
}
