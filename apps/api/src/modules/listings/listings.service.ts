import { createHash } from 'node:crypto';
import type {
  CategoryDetail,
  FieldError,
  Listing,
  ListingImage,
  ListingPage,
  ListingSummary,
  MyListings,
  PriceInput,
} from '@souk/contracts';
import { v7 as uuidv7 } from 'uuid';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { EventPublisher } from '../../platform/events.js';
import type { RequestContext } from '../../platform/http/context.js';
import { platformError } from '../../platform/http/errors.js';
import { formatAttributeValue, validateAttributeValues } from './listings.attributes.js';
import { listingError } from './listings.errors.js';
import type { ListingEvents } from './listings.events.js';
import type { CityRef } from './listings.import.js';
import {
  cityIndex,
  coerceAttributes,
  type ExportedListing,
  type ImportAction,
  type ImportRowInput,
  importErrors,
  sameJson,
} from './listings.import.js';
import type { ListingCardRow, ListingCursor, ListingsRepository } from './listings.repository.js';
import type { AttributeValue, Contact, ListingRow, ListingStatus, NewListingRow } from './listings.schema.js';

/** What listings need from other modules, each reached through its service. */
export type ListingsPorts = {
  catalog: {
    categoryById(id: string): Promise<CategoryDetail | null>;
    subtreeIds(slug: string): Promise<string[] | null>;
    categoryRefs(ids: string[]): Promise<Map<string, { id: string; slug: string; name: string }>>;
    categoryIdOf(slug: string): Promise<string | null>;
    cities(): Promise<CityRef[]>;
    /** A location's coordinates (a city's centre), null when it has none. */
    locationPoint(id: string): Promise<{ latitude: number; longitude: number } | null>;
    locationRefs(
      ids: string[],
    ): Promise<Map<string, { id: string; name: string; countryCode: string; kind: string }>>;
  };
  sellers: (
    ids: string[],
  ) => Promise<Map<string, { displayName: string; avatarUrl: string | null; memberSince: string }>>;
  images: (listingIds: string[]) => Promise<Map<string, ListingImage[]>>;
  /** Throws `email_unverified` (403) unless the account confirmed its address (auth). */
  requireVerifiedEmail: (userId: string, action: string) => Promise<void>;
};

export type CreateListingInput = {
  kind: 'classified' | 'auction' | 'showcase';
  categoryId: string;
  title: string;
  description: string;
  price?: PriceInput | undefined;
  condition?: 'new' | 'used' | 'refurbished' | null | undefined;
  quantity: number;
  locationId?: string | null | undefined;
  coordinates?: { latitude: number; longitude: number } | null | undefined;
  attributes: Record<string, AttributeValue>;
  features: string[];
  contact?: Partial<Contact> | undefined;
};
export type UpdateListingInput = Partial<Omit<CreateListingInput, 'kind'>>;

type StatusEvent = 'listing.published' | 'listing.unpublished' | 'listing.renewed';
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

const DEFAULT_CONTACT: Contact = { messages: true, phone: false, offers: true };
const PUBLIC_COORDINATE_DECIMALS = 2; // about 1.1 km at the equator

/** Plain text kept plain: no control characters, \n line ends, at most one blank line in a row. */
export function cleanDescription(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n\t ]/g, ' ')
    .replace(/[^\P{Cc}\n\t]/gu, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function priceColumns(
  price: PriceInput | undefined,
): Pick<NewListingRow, 'priceType' | 'priceAmount' | 'currency'> {
  if (!price) return { priceType: null, priceAmount: null, currency: null };
  if (price.type === 'free') return { priceType: 'free', priceAmount: null, currency: null };
  return { priceType: price.type, priceAmount: price.amount ?? null, currency: price.currency };
}

function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.getTime()}:${id}`).toString('base64url');
}
function decodeCursor(cursor: string | undefined): ListingCursor | undefined {
  if (cursor === undefined) return undefined;
  const [ms, id] = Buffer.from(cursor, 'base64url').toString().split(':');
  const at = new Date(Number(ms));
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(at.getTime())) throw listingError('invalid_cursor');
  return { at, id };
}

export function createListingsService(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: ListingsRepository;
  events: EventPublisher<ListingEvents>;
  ports: ListingsPorts;
  config: { ttlDays: number };
}) {
  const { database, repository, events, ports } = deps;

  const isAdmin = (ctx: RequestContext) => ctx.actor?.roles.includes('admin') ?? false;
  const isOwner = (ctx: RequestContext, row: ListingRow) => ctx.actor?.userId === row.sellerId;
  /**
   * Who sees a listing, for `get` and every other read that takes a listing id (similar
   * listings...): drafts and removed listings are their seller's and admins' only, deleted ones
   * admins' only; to anyone else they answer 404, as a listing that never existed.
   */
  const visibleTo = (ctx: RequestContext, row: ListingRow) =>
    (!row.deletedAt || isAdmin(ctx)) &&
    (isOwner(ctx, row) || isAdmin(ctx) || (row.status !== 'draft' && row.status !== 'removed'));

  function requireUser(ctx: RequestContext): string {
    if (!ctx.actor) throw platformError('unauthenticated', 'Sign in to manage listings.');
    return ctx.actor.userId;
  }

  /** Loads a listing for a change by its owner (or an admin): others get 403, nothing changes. */
  async function lockForChange(ctx: RequestContext, tx: Queryable, id: string): Promise<ListingRow> {
    requireUser(ctx);
    const row = await repository.lock(tx, id);
    if (!row || row.deletedAt) throw listingError('listing_not_found');
    if (!isOwner(ctx, row) && !isAdmin(ctx))
      throw platformError('forbidden', 'Only the seller can change this listing.');
    return row;
  }

  async function categoryOf(categoryId: string): Promise<CategoryDetail> {
    const category = await ports.catalog.categoryById(categoryId);
    if (!category) {
      throw listingError('category_not_found', 'Pick an existing category.', [
        { path: 'body.categoryId', message: 'is not a category' },
      ]);
    }
    return category;
  }

  async function assertLocation(locationId: string | null | undefined) {
    if (!locationId) return;
    const found = await ports.catalog.locationRefs([locationId]);
    if (!found.has(locationId)) {
      throw listingError('location_not_found', 'Pick a city from the list.', [
        { path: 'body.locationId', message: 'is not a known location' },
      ]);
    }
  }

  /**
   * Where a listing is searched by distance: the seller's exact point, or else its city's
   * centre, so that "within 25 km of Kandy" finds a listing placed in Kandy without "locate me"
   * (issue 16 #17). `pointFromCity` marks the fallback: it is never shown as the listing's
   * coordinates or exported, and follows the city when the seller changes it.
   */
  async function searchPoint(
    locationId: string | null,
    coordinates: { latitude: number; longitude: number } | null,
  ): Promise<Pick<NewListingRow, 'latitude' | 'longitude' | 'pointFromCity'>> {
    if (coordinates) return { ...coordinates, pointFromCity: false };
    const city = locationId ? await ports.catalog.locationPoint(locationId) : null;
    return city
      ? { ...city, pointFromCity: true }
      : { latitude: null, longitude: null, pointFromCity: false };
  }

  function assertAttributes(
    category: CategoryDetail,
    values: Record<string, AttributeValue>,
    complete: boolean,
  ) {
    const errors = validateAttributeValues(category.attributes, values, { complete });
    if (errors.length > 0)
      throw listingError('invalid_attributes', 'Fix the attributes listed in errors.', errors);
  }

  /** What publishing needs; each gap is one error pointing at the field to fill. */
  function completenessErrors(row: ListingRow, category: CategoryDetail | null) {
    if (!category) return [{ path: 'body.categoryId', message: 'pick a category' }];
    const errors = validateAttributeValues(category.attributes, row.attributes, { complete: true });
    if (row.title.trim().length < 3)
      errors.push({ path: 'body.title', message: 'needs at least 3 characters' });
    if (row.description.trim().length < 10)
      errors.push({ path: 'body.description', message: 'needs at least 10 characters' });
    if (row.kind !== 'showcase' && !row.priceType)
      errors.push({ path: 'body.price', message: 'set a price, or mark it free' });
    if (row.priceType === 'fixed' && row.priceAmount === null)
      errors.push({ path: 'body.price.amount', message: 'is required for a fixed price' });
    // A showcase post is a product, not goods in a place: it needs no city.
    if (!row.locationId && row.kind !== 'showcase')
      errors.push({ path: 'body.locationId', message: 'pick a city' });
    if (row.kind === 'classified' && row.quantity < 1)
      errors.push({ path: 'body.quantity', message: 'must be at least 1' });
    return errors;
  }

  async function transition(
    ctx: RequestContext,
    id: string,
    change: {
      from: ListingStatus[];
      to: ListingStatus;
      event: keyof Omit<ListingEvents, 'listing.created' | 'listing.price_changed'>;
      values?: (row: ListingRow, now: Date) => Partial<NewListingRow>;
      check?: (row: ListingRow) => Promise<void>;
    },
  ): Promise<Listing> {
    const row = await database.transaction(async (tx) => {
      const current = await lockForChange(ctx, tx, id);
      if (!change.from.includes(current.status)) {
        throw listingError('invalid_transition', `A ${current.status} listing cannot become ${change.to}.`);
      }
      await change.check?.(current);
      const now = new Date();
      const updated = await repository.update(tx, id, {
        status: change.to,
        ...change.values?.(current, now),
      });
      await events.publish(tx, change.event, {
        listingId: id,
        sellerId: current.sellerId,
        from: current.status,
        to: change.to,
      });
      return updated;
    });
    return toListing(ctx, row);
  }

  function assertExporter(ctx: RequestContext, sellerId: string | null) {
    const userId = requireUser(ctx);
    if (sellerId !== userId && !isAdmin(ctx))
      throw platformError('forbidden', 'Only admins export the listings of other sellers.');
  }

  const expiryFrom = (now: Date) => new Date(now.getTime() + deps.config.ttlDays * 86_400_000);

  /** The card of one listing, from what the other modules gave for it. */
  function summaryOf(
    row: ListingCardRow,
    category: { id: string; slug: string; name: string } | undefined,
    location: { id: string; name: string; countryCode: string } | undefined,
    listingImages: ListingImage[],
    now: Date,
  ): Omit<ListingSummary, 'cardAttributes'> {
    return {
      id: row.id,
      kind: row.kind,
      status: row.status,
      title: row.title,
      price: priceOf(row),
      condition: (row.condition as ListingSummary['condition']) ?? null,
      category: category ?? { id: row.categoryId, slug: 'unknown', name: 'Unknown' },
      location: location ? { id: location.id, name: location.name, countryCode: location.countryCode } : null,
      primaryImage: listingImages.find((image) => image.primary) ?? listingImages[0] ?? null,
      publishedAt: row.publishedAt?.toISOString() ?? null,
      featured: Boolean(
        row.featuredFrom && row.featuredUntil && row.featuredFrom <= now && row.featuredUntil > now,
      ),
      viewCount: row.viewCount,
    };
  }

  async function summaries(rows: ListingCardRow[]): Promise<ListingSummary[]> {
    const [categories, locations, images] = await Promise.all([
      ports.catalog.categoryRefs(rows.map((row) => row.categoryId)),
      ports.catalog.locationRefs(rows.flatMap((row) => (row.locationId ? [row.locationId] : []))),
      ports.images(rows.map((row) => row.id)),
    ]);
    const schemas = new Map<string, CategoryDetail | null>();
    for (const categoryId of new Set(rows.map((row) => row.categoryId))) {
      schemas.set(categoryId, await ports.catalog.categoryById(categoryId));
    }
    const now = new Date();
    return rows.map((row) => {
      const schema = schemas.get(row.categoryId)?.attributes ?? [];
      return {
        ...summaryOf(
          row,
          categories.get(row.categoryId),
          row.locationId ? locations.get(row.locationId) : undefined,
          images.get(row.id) ?? [],
          now,
        ),
        cardAttributes: schema
          .filter((attribute) => attribute.shownInCard && row.attributes[attribute.key] !== undefined)
          .map((attribute) => ({
            key: attribute.key,
            label: attribute.label,
            value: formatAttributeValue(attribute, row.attributes[attribute.key] as AttributeValue),
          })),
      };
    });
  }

  // One listing's page has the full attribute table, so no card attributes; its reads of other
  // modules go out at once (the images and the seller are queries, the catalog is in memory).
  async function toListing(ctx: RequestContext, row: ListingRow): Promise<Listing> {
    const [images, sellers, categories, locations] = await Promise.all([
      ports.images([row.id]),
      ports.sellers([row.sellerId]),
      ports.catalog.categoryRefs([row.categoryId]),
      row.locationId ? ports.catalog.locationRefs([row.locationId]) : undefined,
    ]);
    const listingImages = images.get(row.id) ?? [];
    const seller = sellers.get(row.sellerId);
    const exact = isOwner(ctx, row) || isAdmin(ctx);
    const round = (value: number) => Number(value.toFixed(PUBLIC_COORDINATE_DECIMALS));
    const summary = summaryOf(
      row,
      categories.get(row.categoryId),
      row.locationId ? locations?.get(row.locationId) : undefined,
      listingImages,
      new Date(),
    );
    return {
      id: summary.id,
      kind: summary.kind,
      status: summary.status,
      title: summary.title,
      price: summary.price,
      condition: summary.condition,
      category: summary.category,
      location: summary.location,
      primaryImage: summary.primaryImage,
      publishedAt: summary.publishedAt,
      featured: summary.featured,
      viewCount: summary.viewCount,
      description: row.description,
      quantity: row.quantity,
      attributes: row.attributes,
      features: row.features,
      contact: row.contact,
      coordinates:
        row.latitude === null || row.longitude === null || row.pointFromCity
          ? null
          : exact
            ? { latitude: row.latitude, longitude: row.longitude }
            : { latitude: round(row.latitude), longitude: round(row.longitude) },
      images: listingImages,
      seller: {
        id: row.sellerId,
        displayName: seller?.displayName ?? 'Deleted user',
        avatarUrl: seller?.avatarUrl ?? null,
        memberSince: seller?.memberSince ?? row.createdAt.toISOString(),
      },
      expiresAt: row.expiresAt?.toISOString() ?? null,
      featuredFrom: row.featuredFrom?.toISOString() ?? null,
      featuredUntil: row.featuredUntil?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  return {
    async create(ctx: RequestContext, input: CreateListingInput): Promise<Listing> {
      const sellerId = requireUser(ctx);
      if (input.kind === 'showcase') assertNoShowcasePrice(input.price);
      const category = await categoryOf(input.categoryId);
      assertAttributes(category, input.attributes, false);
      await assertLocation(input.locationId);
      const point = await searchPoint(input.locationId ?? null, input.coordinates ?? null);
      const row = await database.transaction(async (tx) => {
        const created = await repository.insert(tx, {
          sellerId,
          categoryId: category.id,
          kind: input.kind,
          status: 'draft',
          title: input.title,
          description: cleanDescription(input.description),
          ...priceColumns(input.price),
          condition: input.condition ?? null,
          quantity: input.quantity,
          locationId: input.locationId ?? null,
          ...point,
          attributes: input.attributes,
          features: input.features,
          contact: { ...DEFAULT_CONTACT, ...input.contact },
        });
        await events.publish(tx, 'listing.created', {
          listingId: created.id,
          sellerId,
          categoryId: category.id,
        });
        return created;
      });
      return toListing(ctx, row);
    },

    async update(ctx: RequestContext, id: string, input: UpdateListingInput): Promise<Listing> {
      requireUser(ctx);
      // Reads of other modules happen before the transaction (one-connection embedded database).
      const existing = await repository.findById(database.db, id);
      if (!existing || existing.deletedAt) throw listingError('listing_not_found');
      if (existing.kind === 'showcase') assertNoShowcasePrice(input.price);
      const category = await categoryOf(input.categoryId ?? existing.categoryId);
      const attributes = input.attributes ?? existing.attributes;
      assertAttributes(category, attributes, existing.status === 'active');
      await assertLocation(input.locationId);
      // A new exact point, none (back to the city's), or a new city under a point taken from the
      // old one; an exact point stays when only the city changes.
      const point =
        input.coordinates !== undefined ||
        (input.locationId !== undefined && (existing.pointFromCity || existing.latitude === null))
          ? await searchPoint(
              input.locationId === undefined ? existing.locationId : input.locationId,
              input.coordinates ?? null,
            )
          : null;
      const row = await database.transaction(async (tx) => {
        const current = await lockForChange(ctx, tx, id);
        if (current.status === 'active' && input.locationId === null) {
          throw listingError('listing_incomplete', 'An active listing needs a city.', [
            { path: 'body.locationId', message: 'pick a city' },
          ]);
        }
        const changes: Partial<NewListingRow> = {};
        if (input.categoryId !== undefined) changes.categoryId = input.categoryId;
        if (input.title !== undefined) changes.title = input.title;
        if (input.description !== undefined) changes.description = cleanDescription(input.description);
        if (input.price !== undefined) Object.assign(changes, priceColumns(input.price));
        if (input.condition !== undefined) changes.condition = input.condition;
        if (input.quantity !== undefined) changes.quantity = input.quantity;
        if (input.locationId !== undefined) changes.locationId = input.locationId;
        if (point) Object.assign(changes, point);
        if (input.attributes !== undefined) changes.attributes = input.attributes;
        if (input.features !== undefined) changes.features = input.features;
        if (input.contact !== undefined) changes.contact = { ...current.contact, ...input.contact };
        const updated = await repository.update(tx, id, changes);
        const before = priceOf(current);
        const after = priceOf(updated);
        if (JSON.stringify(before) !== JSON.stringify(after)) {
          const plain = (price: ReturnType<typeof priceOf>) => ({
            type: price?.type ?? null,
            amount: price?.amount ?? null,
            currency: price?.currency ?? null,
          });
          await events.publish(tx, 'listing.price_changed', {
            listingId: id,
            sellerId: current.sellerId,
            from: plain(before),
            to: plain(after),
          });
        }
        return updated;
      });
      return toListing(ctx, row);
    },

    async publish(ctx: RequestContext, id: string): Promise<Listing> {
      await ports.requireVerifiedEmail(requireUser(ctx), 'publish a listing');
      // The schema is read before the transaction (the embedded database has one connection).
      const existing = await repository.findById(database.db, id);
      const category = existing ? await ports.catalog.categoryById(existing.categoryId) : null;
      // A draft written before city points existed (or by hand) gets one as it goes public.
      const point =
        existing && existing.latitude === null ? await searchPoint(existing.locationId, null) : null;
      return transition(ctx, id, {
        from: ['draft'],
        to: 'active',
        event: 'listing.published',
        check: async (row) => {
          const errors = completenessErrors(row, category?.id === row.categoryId ? category : null);
          if (errors.length > 0)
            throw listingError('listing_incomplete', 'Fill in what errors lists, then publish.', errors);
        },
        values: (row, now) => ({
          publishedAt: row.publishedAt ?? now,
          expiresAt: expiryFrom(now),
          ...(point && row.latitude === null && row.locationId === existing?.locationId ? point : {}),
        }),
      });
    },

    unpublish(ctx: RequestContext, id: string): Promise<Listing> {
      return transition(ctx, id, { from: ['active'], to: 'draft', event: 'listing.unpublished' });
    },

    markSold(ctx: RequestContext, id: string): Promise<Listing> {
      return transition(ctx, id, {
        from: ['active'],
        to: 'sold',
        event: 'listing.sold',
        values: (_row, now) => ({ soldAt: now }),
      });
    },

    async renew(ctx: RequestContext, id: string): Promise<Listing> {
      await ports.requireVerifiedEmail(requireUser(ctx), 'publish a listing');
      return transition(ctx, id, {
        from: ['expired'],
        to: 'active',
        event: 'listing.renewed',
        values: (_row, now) => ({ expiresAt: expiryFrom(now), publishedAt: now }),
      });
    },

    /** Soft delete: gone from every list and page, kept for moderation and disputes. */
    async remove(ctx: RequestContext, id: string): Promise<void> {
      await database.transaction(async (tx) => {
        const current = await lockForChange(ctx, tx, id);
        await repository.update(tx, id, { status: 'removed', deletedAt: new Date() });
        await events.publish(tx, 'listing.removed', {
          listingId: id,
          sellerId: current.sellerId,
          from: current.status,
          to: 'removed',
        });
      });
    },

    /**
     * One listing. Drafts and removed listings are the seller's (and admins') only; everyone else
     * gets 404, as for a listing that never existed. A viewer other than the seller counts as one
     * view a day.
     */
    async get(
      ctx: RequestContext,
      id: string,
      viewer: { ip: string | null; userAgent: string | null },
    ): Promise<Listing> {
      const row = await repository.findById(database.db, id);
      if (!row || !visibleTo(ctx, row)) throw listingError('listing_not_found');
      if (!isOwner(ctx, row) && row.status === 'active') {
        const key = ctx.actor
          ? `user:${ctx.actor.userId}`
          : `anon:${createHash('sha256').update(`${viewer.ip}|${viewer.userAgent}`).digest('base64url').slice(0, 22)}`;
        const counted = await repository.recordView(
          database.db,
          id,
          key,
          new Date().toISOString().slice(0, 10),
        );
        if (counted) row.viewCount += 1;
      }
      return toListing(ctx, row);
    },

    async list(
      ctx: RequestContext,
      query: {
        limit: number;
        cursor?: string | undefined;
        category?: string | undefined;
        seller?: string | undefined;
        kind?: string | undefined;
        status?: ListingStatus | undefined;
      },
    ): Promise<ListingPage> {
      if (
        query.status &&
        query.status !== 'active' &&
        (!query.seller || query.seller !== ctx.actor?.userId) &&
        !isAdmin(ctx)
      ) {
        throw platformError(
          'forbidden',
          'Only your own listings can be listed by status (add seller=<your id>).',
        );
      }
      let categoryIds: string[] | undefined;
      if (query.category) {
        categoryIds = (await ports.catalog.subtreeIds(query.category)) ?? [];
        if (categoryIds.length === 0) return { items: [], nextCursor: null };
      }
      const rows = await repository.listPublic(
        database.db,
        { categoryIds, sellerId: query.seller, kind: query.kind, status: query.status },
        { limit: query.limit + 1, after: decodeCursor(query.cursor) },
      );
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const orderedBy = (row: ListingRow) =>
        query.status && query.status !== 'active' ? row.updatedAt : (row.publishedAt ?? row.createdAt);
      return {
        items: await summaries(page),
        nextCursor: rows.length > query.limit && last ? encodeCursor(orderedBy(last), last.id) : null,
      };
    },

    async mine(
      ctx: RequestContext,
      query: { limit: number; cursor?: string | undefined; status?: ListingStatus | undefined },
    ): Promise<MyListings> {
      const sellerId = requireUser(ctx);
      const rows = await repository.listBySeller(database.db, sellerId, query.status, {
        limit: query.limit + 1,
        after: decodeCursor(query.cursor),
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const counts = await repository.countsBySeller(database.db, sellerId);
      return {
        items: await summaries(page),
        nextCursor: rows.length > query.limit && last ? encodeCursor(last.createdAt, last.id) : null,
        counts: Object.fromEntries(
          (['draft', 'active', 'sold', 'expired', 'removed'] as const).map((status) => [
            status,
            counts[status] ?? 0,
          ]),
        ) as MyListings['counts'],
      };
    },

    async featured(_ctx: RequestContext): Promise<{ items: ListingSummary[] }> {
      return { items: await summaries(await repository.listFeatured(database.db, new Date(), 24)) };
    },

    async setFeature(
      ctx: RequestContext,
      id: string,
      window: { from: string; until: string } | null,
    ): Promise<Listing> {
      const row = await database.transaction(async (tx) => {
        const current = await repository.lock(tx, id);
        if (!current || current.deletedAt) throw listingError('listing_not_found');
        return repository.update(tx, id, {
          featuredFrom: window ? new Date(window.from) : null,
          featuredUntil: window ? new Date(window.until) : null,
        });
      });
      return toListing(ctx, row);
    },

    /** The scheduled job: expires active listings past their date, in batches, with events. */
    async expireDue(now = new Date()): Promise<number> {
      let total = 0;
      for (;;) {
        const expired = await database.transaction(async (tx) => {
          const rows = await repository.expireDue(tx, now, 200);
          await events.publishMany(
            tx,
            'listing.expired',
            rows.map((row) => ({ listingId: row.id, sellerId: row.sellerId, from: 'active', to: 'expired' })),
          );
          return rows.length;
        });
        total += expired;
        if (expired < 200) return total;
      }
    },

    /**
     * What a conversation shows of its listings (the messaging module's port): title, status,
     * price, primary image, who sells it and whether they take messages. Deleted listings too.
     */
    async refsOf(listingIds: string[]): Promise<
      Map<
        string,
        {
          id: string;
          sellerId: string;
          title: string;
          status: ListingStatus;
          price: Listing['price'];
          primaryImage: ListingImage | null;
          acceptsMessages: boolean;
        }
      >
    > {
      const unique = [...new Set(listingIds)];
      if (unique.length === 0) return new Map();
      const [rows, images] = await Promise.all([
        repository.findByIds(database.db, unique),
        ports.images(unique),
      ]);
      return new Map(
        rows.map((row) => {
          const listingImages = images.get(row.id) ?? [];
          return [
            row.id,
            {
              id: row.id,
              sellerId: row.sellerId,
              title: row.title,
              status: row.deletedAt ? 'removed' : row.status,
              price: priceOf(row),
              primaryImage: listingImages.find((image) => image.primary) ?? listingImages[0] ?? null,
              acceptsMessages: row.contact.messages,
            },
          ];
        }),
      );
    },

    /**
     * Decides, without writing, what an import does with each row for `sellerId`: create, update
     * or leave unchanged (matched by the seller's external id), or fail with the reason per
     * field. The same rules as the API: attributes against the category's schema, completeness
     * for active listings, and only the status changes the lifecycle allows.
     */
    async planImport(
      ctx: RequestContext,
      sellerId: string,
      rows: ImportRowInput[],
    ): Promise<ImportPlanRow[]> {
      requireUser(ctx);
      if (ctx.actor?.userId !== sellerId && !isAdmin(ctx))
        throw platformError('forbidden', 'Only admins import listings for another seller.');
      const slugs = [...new Set(rows.map((row) => row.category))];
      const categories = new Map<string, CategoryDetail | null>();
      for (const slug of slugs) {
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
      const now = new Date();

      return rows.map((row, index): ImportPlanRow => {
        const errors: FieldError[] = [];
        const category = categories.get(row.category) ?? null;
        if (!category) errors.push({ path: 'category', message: `"${row.category}" is not a category` });
        let locationId: string | null = null;
        let cityPoint: { latitude: number; longitude: number } | null = null;
        if (row.city) {
          const found = cities.find(row.city);
          if ('error' in found) errors.push({ path: 'city', message: found.error });
          else {
            locationId = found.city.id;
            const { latitude, longitude } = found.city;
            if (latitude !== null && longitude !== null) cityPoint = { latitude, longitude };
          }
        } else if (row.coordinates) {
          locationId = cities.nearest(row.coordinates)?.id ?? null;
        }
        // The row's own point, else its city's for distance search (see searchPoint).
        const point = row.coordinates
          ? { ...row.coordinates, pointFromCity: false }
          : cityPoint
            ? { ...cityPoint, pointFromCity: true }
            : { latitude: null, longitude: null, pointFromCity: false };
        const current = byExternalId.get(row.externalId) ?? null;
        let status = row.status;
        let statusEvent: StatusEvent | null = null;
        const from = current?.status ?? null;
        if (from === null ? status !== 'draft' && status !== 'active' : status !== from) {
          if (from === null || !['draft', 'active', 'expired'].includes(from) || status === 'expired') {
            errors.push({
              path: 'status',
              message: from
                ? `a ${from} listing cannot become ${status}`
                : 'must be draft or active for a new listing',
            });
          } else if (from === 'draft' && status === 'active') statusEvent = 'listing.published';
          else if (from === 'active' && status === 'draft') statusEvent = 'listing.unpublished';
          else if (from === 'expired' && status === 'active') statusEvent = 'listing.renewed';
          else errors.push({ path: 'status', message: `a ${from} listing cannot become ${status}` });
        }
        if (errors.length > 0 && errors.some((error) => error.path === 'status')) status = from ?? 'draft';
        const attributes = category ? coerceAttributes(category.attributes, row.attributes) : row.attributes;
        const values: NewListingRow & { id: string } = {
          id: current?.id ?? uuidv7(),
          sellerId,
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
        if (errors.length > 0) return { index, action: 'failed', errors: dedupe(errors) };
        if (statusEvent === 'listing.published' || (!current && status === 'active')) {
          values.publishedAt = current?.publishedAt ?? now;
          values.expiresAt = expiryFrom(now);
        } else if (statusEvent === 'listing.renewed') {
          values.publishedAt = now;
          values.expiresAt = expiryFrom(now);
        }
        if (!current) {
          return { index, action: 'create', listingId: values.id, values, current: null, statusEvent: null };
        }
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
      });
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
        await events.publishMany(
          tx,
          'listing.published',
          created
            .filter((row) => row.values.status === 'active')
            .map((row) => ({
              listingId: row.listingId,
              sellerId: row.values.sellerId,
              from: 'draft' as const,
              to: 'active' as const,
            })),
        );
        for (const row of updates) {
          const current = row.current as ListingRow;
          if (row.statusEvent) {
            await events.publish(tx, row.statusEvent, {
              listingId: row.listingId,
              sellerId: current.sellerId,
              from: current.status,
              to: row.values.status as ListingStatus,
            });
          }
          const before = priceOf(current);
          const after = priceOf({ ...current, ...row.values } as ListingRow);
          if (!sameJson(before, after)) {
            const plain = (price: ReturnType<typeof priceOf>) => ({
              type: price?.type ?? null,
              amount: price?.amount ?? null,
              currency: price?.currency ?? null,
            });
            await events.publish(tx, 'listing.price_changed', {
              listingId: row.listingId,
              sellerId: current.sellerId,
              from: plain(before),
              to: plain(after),
            });
          }
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
      requireUser(ctx);
      if (ctx.actor?.userId !== sellerId && !isAdmin(ctx))
        throw platformError('forbidden', 'Only admins import listings for another seller.');
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
          const rows = await repository.unpublishMany(tx, missing.slice(start, start + 500));
          await events.publishMany(
            tx,
            'listing.unpublished',
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

    /** Cards of these listings in the order given (search results); missing ids are skipped. */
    async cardsOf(listingIds: string[]): Promise<ListingSummary[]> {
      if (listingIds.length === 0) return [];
      const rows = await repository.findCardsByIds(database.db, listingIds);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return summaries(listingIds.flatMap((id) => byId.get(id) ?? []));
    },

    /**
     * The facts the showcase and comments modules decide by: kind, owner, status (removed for a
     * deleted listing) and first publish time. One primary-key read, nothing joined.
     */
    async facts(listingId: string): Promise<{
      id: string;
      sellerId: string;
      kind: ListingRow['kind'];
      status: ListingStatus;
      title: string;
      publishedAt: Date | null;
    } | null> {
      const row = await repository.findById(database.db, listingId);
      if (!row) return null;
      return {
        id: row.id,
        sellerId: row.sellerId,
        kind: row.kind,
        status: row.deletedAt ? 'removed' : row.status,
        title: row.title,
        publishedAt: row.publishedAt,
      };
    },

    /** Seller, category and title of each listing, no images (reviews' and follows' port). Deleted ones too. */
    async sellersOf(
      listingIds: string[],
    ): Promise<Map<string, { sellerId: string; categoryId: string; title: string; status: ListingStatus }>> {
      const unique = [...new Set(listingIds)];
      if (unique.length === 0) return new Map();
      const rows = await repository.findByIds(database.db, unique);
      return new Map(
        rows.map((row) => [
          row.id,
          {
            sellerId: row.sellerId,
            categoryId: row.categoryId,
            title: row.title,
            status: row.deletedAt ? 'removed' : row.status,
          },
        ]),
      );
    },

    /**
     * Active listings of any of these sellers or categories, newest published first (the follows
     * module's "following" feed). Category ids are taken as given: the caller expands subtrees.
     */
    async feedOf(query: {
      sellerIds: string[];
      categoryIds: string[];
      limit: number;
      cursor?: string | undefined;
    }): Promise<ListingPage> {
      if (query.sellerIds.length === 0 && query.categoryIds.length === 0)
        return { items: [], nextCursor: null };
      const rows = await repository.listPublic(
        database.db,
        { anyOf: { sellerIds: query.sellerIds, categoryIds: query.categoryIds } },
        { limit: query.limit + 1, after: decodeCursor(query.cursor) },
      );
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: await summaries(page),
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor(last.publishedAt ?? last.createdAt, last.id)
            : null,
      };
    },

    /**
     * The raw attribute values of these listings with their category and status (the compare
     * module's port: it aligns rows from the category schema). Deleted listings read as removed.
     */
    async attributesOf(
      listingIds: string[],
    ): Promise<
      Map<string, { categoryId: string; status: ListingStatus; attributes: Listing['attributes'] }>
    > {
      const unique = [...new Set(listingIds)];
      if (unique.length === 0) return new Map();
      const rows = await repository.findByIds(database.db, unique);
      return new Map(
        rows.map((row) => [
          row.id,
          {
            categoryId: row.categoryId,
            status: row.deletedAt ? 'removed' : row.status,
            attributes: row.attributes,
          },
        ]),
      );
    },

    /** A seller's active and sold listings, deleted ones left out (the profile's stats). */
    async sellerCounts(sellerId: string): Promise<{ active: number; sold: number }> {
      const counts = await repository.countsBySeller(database.db, sellerId);
      return { active: counts.active ?? 0, sold: counts.sold ?? 0 };
    },

    /** Whether the caller may see this listing: the rule of `get`, for reads of other modules. */
    async isVisibleTo(ctx: RequestContext, listingId: string): Promise<boolean> {
      const row = await repository.findById(database.db, listingId);
      return row !== undefined && visibleTo(ctx, row);
    },

    async access(listingId: string): Promise<{ sellerId: string; status: string } | null> {
      const row = await repository.findById(database.db, listingId);
      return row && !row.deletedAt ? { sellerId: row.sellerId, status: row.status } : null;
    },
  };
}

/**
 * A showcase post presents a product; it is not offered for a price (the product's own page
 * says what it costs), so a price on one is refused rather than silently dropped.
 */
function assertNoShowcasePrice(price: PriceInput | undefined) {
  if (price === undefined) return;
  throw listingError('invalid_price', 'A showcase post has no price.', [
    { path: 'body.price', message: 'leave it out for a showcase post' },
  ]);
}

/** One error per field and message (the completeness check repeats the attribute errors). */
function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.path}\n${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function priceOf(row: Pick<ListingRow, 'priceType' | 'priceAmount' | 'currency'>): Listing['price'] {
  if (!row.priceType) return null;
  if (row.priceType === 'free') return { type: 'free', amount: null, currency: null };
  return { type: row.priceType, amount: row.priceAmount, currency: row.currency as 'LKR' };
}

export type ListingsService = ReturnType<typeof createListingsService>;
