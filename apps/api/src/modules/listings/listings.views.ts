import { createHash } from 'node:crypto';
import {
  type CategoryDetail,
  formatAttributeValue,
  type Listing,
  type ListingImage,
  type ListingPage,
  type ListingSummary,
  type MyListings,
} from '@souk/contracts';
import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { platformError } from '../../platform/http/errors.js';
import { listingError } from './listings.errors.js';
import type { ListingCardRow, ListingCursor, ListingsRepository } from './listings.repository.js';
import { PUBLIC_COORDINATE_DECIMALS, priceOf } from './listings.rules.js';
import type { ListingRow, ListingStatus } from './listings.schema.js';
import type { ListingsPorts } from './listings.service.js';

/** A listing card: the contract's summary, as search results and lists show it. */
export type ListingCard = ListingSummary;

/**
 * What other modules decide by: who sells it, what it is, and whether it is live. Deleted
 * listings are included (status `removed`, `deleted: true`) so a conversation or a review can
 * still name them.
 */
export type ListingRef = {
  id: string;
  sellerId: string;
  categoryId: string;
  kind: ListingRow['kind'];
  title: string;
  status: ListingStatus;
  deleted: boolean;
  publishedAt: Date | null;
  price: Listing['price'];
  acceptsMessages: boolean;
  attributes: Listing['attributes'];
};

export type ListingRefWithImage = ListingRef & { primaryImage: ListingImage | null };

export function isAdmin(ctx: RequestContext): boolean {
  return ctx.actor?.roles.includes('admin') ?? false;
}
export function isOwner(ctx: RequestContext, row: Pick<ListingRow, 'sellerId'>): boolean {
  return ctx.actor?.userId === row.sellerId;
}
/**
 * Who sees a listing, for `get` and every other read that takes a listing id (similar
 * listings...): drafts and removed listings are their seller's and admins' only, deleted ones
 * admins' only; to anyone else they answer 404, as a listing that never existed.
 */
export function visibleTo(ctx: RequestContext, row: ListingRow): boolean {
  return (
    (!row.deletedAt || isAdmin(ctx)) &&
    (isOwner(ctx, row) || isAdmin(ctx) || (row.status !== 'draft' && row.status !== 'removed'))
  );
}

/**
 * Where a page of listings stops: the time the list is ordered by (`by`: published, updated or
 * created; a cursor of a list in another order is refused), at millisecond precision, and the id.
 */
const ListingPosition = z.object({
  by: z.enum(['published', 'updated', 'created']),
  at: z.coerce.date(),
  id: z.guid(),
});
type ListingOrder = z.infer<typeof ListingPosition>['by'];

function encodeListingCursor(by: ListingOrder, at: Date, id: string): string {
  return encodeCursor<z.input<typeof ListingPosition>>({ by, at, id });
}
function decodeListingCursor(by: ListingOrder, cursor: string | undefined): ListingCursor | undefined {
  const position = decodeCursor(cursor, ListingPosition.extend({ by: z.literal(by) }));
  return position && { at: position.at, id: position.id };
}

export function toRef(row: ListingRow): ListingRef {
  return {
    id: row.id,
    sellerId: row.sellerId,
    categoryId: row.categoryId,
    kind: row.kind,
    title: row.title,
    status: row.deletedAt ? 'removed' : row.status,
    deleted: row.deletedAt !== null,
    publishedAt: row.publishedAt,
    price: priceOf(row),
    acceptsMessages: row.contact.messages,
    attributes: row.attributes,
  };
}

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

/**
 * The module's reads: the listing page, the lists, and the two shapes other modules get (cards
 * and refs). No transaction opens here and nothing is published.
 */
export function createListingViews(deps: {
  database: Pick<Database, 'db' | 'readDb'>;
  repository: ListingsRepository;
  ports: ListingsPorts;
}) {
  const { database, repository, ports } = deps;

  async function summaries(rows: ListingCardRow[]): Promise<ListingCard[]> {
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
            value: formatAttributeValue(attribute, row.attributes[attribute.key]),
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

  /**
   * Refs of these listings, deleted ones included; an unknown id is simply absent. `images`
   * adds the image a card shows first (a conversation's header), one more query.
   */
  function refs(listingIds: string[]): Promise<Map<string, ListingRef>>;
  function refs(listingIds: string[], options: { images: true }): Promise<Map<string, ListingRefWithImage>>;
  async function refs(
    listingIds: string[],
    options?: { images: true },
  ): Promise<Map<string, ListingRef | ListingRefWithImage>> {
    const unique = [...new Set(listingIds)];
    if (unique.length === 0) return new Map();
    const [rows, images] = await Promise.all([
      repository.findByIds(database.db, unique),
      options?.images ? ports.images(unique) : undefined,
    ]);
    return new Map(
      rows.map((row) => {
        const ref = toRef(row);
        if (!images) return [row.id, ref];
        const listingImages = images.get(row.id) ?? [];
        return [
          row.id,
          { ...ref, primaryImage: listingImages.find((image) => image.primary) ?? listingImages[0] ?? null },
        ];
      }),
    );
  }

  return {
    toListing,

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
      // A listing's page tolerates a little lag; its seller's own edits are read back (decision 029).
      const row = await repository.findById(await database.readDb(ctx), id);
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
      // Active listings are listed by publication, the others by their last change.
      const order = query.status && query.status !== 'active' ? 'updated' : 'published';
      const rows = await repository.listPublic(
        await database.readDb(ctx),
        { categoryIds, sellerId: query.seller, kind: query.kind, status: query.status },
        { limit: query.limit + 1, after: decodeListingCursor(order, query.cursor) },
      );
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const orderedBy = (row: ListingRow) =>
        order === 'updated' ? row.updatedAt : (row.publishedAt ?? row.createdAt);
      return {
        items: await summaries(page),
        nextCursor:
          rows.length > query.limit && last ? encodeListingCursor(order, orderedBy(last), last.id) : null,
      };
    },

    async mine(
      sellerId: string,
      query: { limit: number; cursor?: string | undefined; status?: ListingStatus | undefined },
    ): Promise<MyListings> {
      const rows = await repository.listBySeller(database.db, sellerId, query.status, {
        limit: query.limit + 1,
        after: decodeListingCursor('created', query.cursor),
      });
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      const counts = await repository.countsBySeller(database.db, sellerId);
      return {
        items: await summaries(page),
        nextCursor:
          rows.length > query.limit && last ? encodeListingCursor('created', last.createdAt, last.id) : null,
        counts: Object.fromEntries(
          (['draft', 'active', 'sold', 'expired', 'removed'] as const).map((status) => [
            status,
            counts[status] ?? 0,
          ]),
        ) as MyListings['counts'],
      };
    },

    async featured(_ctx: RequestContext): Promise<{ items: ListingCard[] }> {
      return { items: await summaries(await repository.listFeatured(database.db, new Date(), 24)) };
    },

    /** Cards of these listings in the order given (search results); missing ids are skipped. */
    async cardsOf(listingIds: string[]): Promise<ListingCard[]> {
      if (listingIds.length === 0) return [];
      const rows = await repository.findCardsByIds(database.db, listingIds);
      const byId = new Map(rows.map((row) => [row.id, row]));
      return summaries(listingIds.flatMap((id) => byId.get(id) ?? []));
    },

    refs,

    /** One listing's ref, or null when there is no such listing (a deleted one is a ref). */
    async ref(listingId: string): Promise<ListingRef | null> {
      const row = await repository.findById(database.db, listingId);
      return row ? toRef(row) : null;
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
        { limit: query.limit + 1, after: decodeListingCursor('published', query.cursor) },
      );
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: await summaries(page),
        nextCursor:
          rows.length > query.limit && last
            ? encodeListingCursor('published', last.publishedAt ?? last.createdAt, last.id)
            : null,
      };
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
  };
}

export type ListingViews = ReturnType<typeof createListingViews>;
