import {
  type CategoryDetail,
  type CreateListingBody,
  type Listing,
  type UpdateListingBody,
  validateAttributeValues,
} from '@souk/contracts';
import type { z } from 'zod';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { EventPublisher } from '../../platform/events.js';
import { type RequestContext, requireUser as requireMember } from '../../platform/http/context.js';
import { platformError } from '../../platform/http/errors.js';
import { listingError } from './listings.errors.js';
import type { ListingEvents } from './listings.events.js';
import type { ListingsRepository } from './listings.repository.js';
import {
  ACTION_EVENTS,
  actionValues,
  assertNoShowcasePrice,
  cleanDescription,
  DEFAULT_CONTACT,
  type ListingAction,
  listingMachine,
  priceChangedEvent,
  priceColumns,
  publishedEvent,
} from './listings.rules.js';
import type { AttributeValue, ListingRow, NewListingRow } from './listings.schema.js';
import type { ListingsPorts } from './listings.service.js';
import { isAdmin, isOwner, type ListingViews } from './listings.views.js';

/** A create as the route hands it over: the contract's body after its defaults are applied. */
export type CreateListingInput = z.output<typeof CreateListingBody>;
export type UpdateListingInput = z.output<typeof UpdateListingBody>;

export function requireUser(ctx: RequestContext): string {
  return requireMember(ctx, 'Sign in to manage listings.');
}

/**
 * The listing's writes: the only place that opens transactions and publishes events. Every status
 * change goes through `listingMachine` (listings.rules.ts); reads of other modules happen before
 * the transaction (the embedded database has one connection).
 */
export function createListingLifecycle(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: ListingsRepository;
  events: EventPublisher<ListingEvents>;
  ports: ListingsPorts;
  views: Pick<ListingViews, 'toListing'>;
  config: { ttlDays: number };
}) {
  const { database, repository, events, ports, views } = deps;

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

  /**
   * One status change by the table: lock, ask the machine (its guard for publishing), write the
   * action's columns and publish the action's event, all in one transaction.
   */
  async function transition(
    ctx: RequestContext,
    id: string,
    action: Exclude<ListingAction, 'expire' | 'remove'>,
    before: {
      category?: CategoryDetail | null;
      coverImageId?: string | null;
      values?: (row: ListingRow) => Partial<NewListingRow>;
    } = {},
  ): Promise<Listing> {
    const row = await database.transaction(async (tx) => {
      const current = await lockForChange(ctx, tx, id);
      const { to } = listingMachine.transition(current.status, action, {
        row: current,
        category: before.category ?? null,
      });
      const now = new Date();
      const updated = await repository.update(tx, id, {
        status: to,
        ...actionValues(action, current, now, deps.config.ttlDays),
        ...before.values?.(current),
      });
      if (action === 'publish') {
        await events.publish(
          tx,
          'listing.published',
          publishedEvent(current, updated, before.coverImageId ?? null),
        );
      } else {
        await events.publish(tx, ACTION_EVENTS[action], {
          listingId: id,
          sellerId: current.sellerId,
          from: current.status,
          to,
        });
      }
      return updated;
    });
    return views.toListing(ctx, row);
  }

  /** The id of the image a card shows first, read before a publishing transaction. */
  async function coverOf(listingId: string): Promise<string | null> {
    const images = (await ports.images([listingId])).get(listingId) ?? [];
    return (images.find((image) => image.primary) ?? images[0])?.id ?? null;
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
          status: listingMachine.initial,
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
      return views.toListing(ctx, row);
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
        const priceChanged = priceChangedEvent(current, updated);
        if (priceChanged) await events.publish(tx, 'listing.price_changed', priceChanged);
        return updated;
      });
      return views.toListing(ctx, row);
    },

    async publish(ctx: RequestContext, id: string): Promise<Listing> {
      await ports.requireVerifiedEmail(requireUser(ctx), 'publish a listing');
      // The schema and the cover are read before the transaction (one-connection embedded database).
      const existing = await repository.findById(database.db, id);
      const [category, coverImageId] = existing
        ? await Promise.all([ports.catalog.categoryById(existing.categoryId), coverOf(id)])
        : [null, null];
      // A draft written before city points existed (or by hand) gets one as it goes public.
      const point =
        existing && existing.latitude === null ? await searchPoint(existing.locationId, null) : null;
      return transition(ctx, id, 'publish', {
        category,
        coverImageId,
        values: (row) =>
          point && row.latitude === null && row.locationId === existing?.locationId ? point : {},
      });
    },

    unpublish: (ctx: RequestContext, id: string): Promise<Listing> => transition(ctx, id, 'unpublish'),

    markSold: (ctx: RequestContext, id: string): Promise<Listing> => transition(ctx, id, 'sell'),

    async renew(ctx: RequestContext, id: string): Promise<Listing> {
      await ports.requireVerifiedEmail(requireUser(ctx), 'publish a listing');
      return transition(ctx, id, 'renew');
    },

    /** Soft delete: gone from every list and page, kept for moderation and disputes. */
    async remove(ctx: RequestContext, id: string): Promise<void> {
      await database.transaction(async (tx) => {
        const current = await lockForChange(ctx, tx, id);
        const { to } = listingMachine.transition(current.status, 'remove', { row: current, category: null });
        await repository.update(tx, id, { status: to, ...actionValues('remove', current, new Date(), 0) });
        await events.publish(tx, 'listing.removed', {
          listingId: id,
          sellerId: current.sellerId,
          from: current.status,
          to,
        });
      });
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
      return views.toListing(ctx, row);
    },

    /** The scheduled job: expires active listings past their date, in batches, with events. */
    async expireDue(now = new Date()): Promise<number> {
      let total = 0;
      for (;;) {
        const expired = await database.transaction(async (tx) => {
          // The table's `active --expire--> expired`, for many rows in one statement.
          const rows = await repository.expireDue(tx, now, 200);
          await events.publishMany(
            tx,
            ACTION_EVENTS.expire,
            rows.map((row) => ({ listingId: row.id, sellerId: row.sellerId, from: 'active', to: 'expired' })),
          );
          return rows.length;
        });
        total += expired;
        if (expired < 200) return total;
      }
    },
  };
}
