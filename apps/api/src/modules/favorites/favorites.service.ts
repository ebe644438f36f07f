import { randomBytes } from 'node:crypto';
import type {
  Favorite,
  FavoritePage,
  FavoriteState,
  ListingSummary,
  SharedWishlist,
  WishlistShare,
} from '@souk/contracts';
import { z } from 'zod';
import type { Database, Queryable } from '../../platform/db/database.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import type { NotifyInput } from '../notifications/index.js';
import { favoritesError } from './favorites.errors.js';
import type { FavoritePosition, FavoritesRepository } from './favorites.repository.js';
import type { WishlistShareRow } from './favorites.schema.js';

/** Open (unexpired, unrevoked) wishlist links one member may keep. */
export const MAX_OPEN_SHARES = 20;
/** Savers notified per transaction when a listing's price drops or it ends. */
const FAN_OUT_BATCH = 200;

export type FavoritesPorts = {
  listings: {
    access(listingId: string): Promise<{ sellerId: string; status: string } | null>;
    cardsOf(listingIds: string[]): Promise<ListingSummary[]>;
  };
  /** The public display name of a member (shared wishlists show it and nothing else of them). */
  displayNameOf(userId: string): Promise<string | null>;
  notify(tx: Queryable, input: NotifyInput): Promise<unknown>;
};

type Price = { type: string | null; amount: number | null; currency: string | null };
type EndedKind = 'sold' | 'expired' | 'removed';

/** Drafts and removed listings are their seller's only: nobody else sees their card. */
const isPublic = (card: ListingSummary) => card.status !== 'draft' && card.status !== 'removed';

/** Where a page of favorites stops: the saving time, then the listing id (newest first). */
const FavoriteCursor = z.object({ at: z.coerce.date(), listingId: z.guid() });

/** "LKR 4,500,000.00": how a price reads in a notification. */
function formatPrice(price: Price): string {
  if (price.type === 'free') return 'free';
  if (price.amount === null) return 'price on request';
  const major = (price.amount / 100).toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  });
  return `${price.currency ?? ''} ${major}`.trim();
}

/** A drop: a lower amount in the same currency, or a priced listing that became free. */
export function isPriceDrop(from: Price, to: Price): boolean {
  if (to.type === 'free') return from.type !== 'free' && from.amount !== null && from.amount > 0;
  if (from.amount === null || to.amount === null || from.currency !== to.currency) return false;
  return to.amount < from.amount;
}

export function createFavoritesService(deps: {
  database: Database;
  repository: FavoritesRepository;
  ports: FavoritesPorts;
}) {
  const { database, repository, ports } = deps;

  function toShare(row: WishlistShareRow, now = new Date()): WishlistShare {
    return {
      id: row.id,
      token: row.token,
      path: `/wishlists/${row.token}`,
      expiresAt: row.expiresAt.toISOString(),
      revokedAt: row.revokedAt?.toISOString() ?? null,
      createdAt: row.createdAt.toISOString(),
      active: row.revokedAt === null && row.expiresAt > now,
    };
  }

  /** A page of favorites as cards; drafts and removed listings are left out of what is shown. */
  async function cardsPage(userId: string, limit: number, cursor: string | undefined) {
    const after = decodeCursor(cursor, FavoriteCursor);
    const rows = await repository.page(database.db, userId, limit + 1, after);
    const page = rows.slice(0, limit);
    const cards = new Map(
      (await ports.listings.cardsOf(page.map((row) => row.listingId))).map((card) => [card.id, card]),
    );
    const last = page.at(-1);
    return {
      items: page.flatMap((row) => {
        const card = cards.get(row.listingId);
        return card && isPublic(card) ? [{ listing: card, favoritedAt: row.createdAt.toISOString() }] : [];
      }),
      nextCursor:
        rows.length > limit && last
          ? encodeCursor<FavoritePosition>({ at: last.createdAt, listingId: last.listingId })
          : null,
    };
  }

  /** Notifies every saver of a listing (never its seller), a batch per transaction. */
  async function fanOut(
    listingId: string,
    sellerId: string,
    message: (userId: string) => Omit<NotifyInput, 'userId'>,
  ): Promise<number> {
    let after: string | null = null;
    let notified = 0;
    for (;;) {
      const savers = await repository.savers(database.db, listingId, after, FAN_OUT_BATCH);
      if (savers.length === 0) return notified;
      after = savers.at(-1) as string;
      await database.transaction(async (tx) => {
        for (const userId of savers) {
          if (userId === sellerId) continue;
          // The dedupe key (unique per user) makes a retried event add nothing.
          await ports.notify(tx, { userId, ...message(userId) });
          notified += 1;
        }
      });
      if (savers.length < FAN_OUT_BATCH) return notified;
    }
  }

  return {
    /** Saves an active listing; saving it again changes nothing. */
    async add(ctx: RequestContext, listingId: string): Promise<FavoriteState> {
      const userId = requireUser(ctx);
      const access = await ports.listings.access(listingId);
      if (!access || access.status === 'draft' || access.status === 'removed') {
        throw favoritesError('listing_not_found');
      }
      if (access.status !== 'active') {
        // A sold or expired listing the member already saved stays saved: adding is then a no-op.
        const [already] = await repository.which(database.db, userId, [listingId]);
        if (!already) throw favoritesError('listing_not_available', `This listing is ${access.status}.`);
      } else {
        await repository.add(database.db, userId, listingId);
      }
      return { listingId, favorited: true, count: await repository.countFor(database.db, listingId) };
    },

    /** Removing what is not saved is not an error: the end state is the same. */
    async remove(ctx: RequestContext, listingId: string): Promise<FavoriteState> {
      const userId = requireUser(ctx);
      await repository.remove(database.db, userId, listingId);
      return { listingId, favorited: false, count: await repository.countFor(database.db, listingId) };
    },

    async clear(ctx: RequestContext): Promise<{ removed: number }> {
      const userId = requireUser(ctx);
      return { removed: await repository.clear(database.db, userId) };
    },

    async list(
      ctx: RequestContext,
      query: { limit: number; cursor?: string | undefined },
    ): Promise<FavoritePage> {
      const userId = requireUser(ctx);
      const page = await cardsPage(userId, query.limit, query.cursor);
      return { items: page.items satisfies Favorite[], nextCursor: page.nextCursor };
    },

    /** Which of these listings the caller saved: one call for a page of cards. */
    async which(ctx: RequestContext, listingIds: string[]): Promise<{ ids: string[] }> {
      const userId = requireUser(ctx);
      const unique = [...new Set(listingIds)];
      const saved = new Set(await repository.which(database.db, userId, unique));
      return { ids: unique.filter((id) => saved.has(id)) };
    },

    async count(_ctx: RequestContext, listingId: string): Promise<{ listingId: string; count: number }> {
      const access = await ports.listings.access(listingId);
      if (!access || access.status === 'draft' || access.status === 'removed') {
        throw favoritesError('listing_not_found');
      }
      return { listingId, count: await repository.countFor(database.db, listingId) };
    },

    async createShare(ctx: RequestContext, input: { expiresInDays: number }): Promise<WishlistShare> {
      const userId = requireUser(ctx);
      if ((await repository.countOpenShares(database.db, userId)) >= MAX_OPEN_SHARES) {
        throw favoritesError('too_many_shares', 'Withdraw a link you no longer need.');
      }
      const row = await repository.insertShare(database.db, {
        userId,
        token: randomBytes(24).toString('base64url'),
        expiresAt: new Date(Date.now() + input.expiresInDays * 86_400_000),
      });
      return toShare(row);
    },

    async listShares(ctx: RequestContext): Promise<{ items: WishlistShare[] }> {
      const userId = requireUser(ctx);
      const now = new Date();
      return { items: (await repository.listShares(database.db, userId)).map((row) => toShare(row, now)) };
    },

    async revokeShare(ctx: RequestContext, id: string): Promise<void> {
      const userId = requireUser(ctx);
      const row = await repository.revokeShare(database.db, userId, id);
      if (!row) throw favoritesError('share_not_found');
    },

    /** The public side of a link: the owner's display name and public cards, nothing else. */
    async shared(
      _ctx: RequestContext,
      token: string,
      query: { limit: number; cursor?: string | undefined },
    ): Promise<SharedWishlist> {
      const share = await repository.shareByToken(database.db, token);
      if (!share) throw favoritesError('share_not_found');
      if (share.revokedAt || share.expiresAt <= new Date()) throw favoritesError('share_expired');
      const [ownerName, page] = await Promise.all([
        ports.displayNameOf(share.userId),
        cardsPage(share.userId, query.limit, query.cursor),
      ]);
      return {
        ownerName: ownerName ?? 'A Souk member',
        expiresAt: share.expiresAt.toISOString(),
        items: page.items.map((item) => item.listing),
        nextCursor: page.nextCursor,
      };
    },

    /** `listing.price_changed`: savers hear of a drop (never of a rise), once per event. */
    async onPriceChanged(
      event: { listingId: string; sellerId: string; from: Price; to: Price },
      occurredAt: string,
    ): Promise<number> {
      if (!isPriceDrop(event.from, event.to)) return 0;
      const access = await ports.listings.access(event.listingId);
      if (access?.status !== 'active') return 0;
      const [card] = await ports.listings.cardsOf([event.listingId]);
      if (!card) return 0;
      return fanOut(event.listingId, event.sellerId, () => ({
        type: 'price_drop',
        title: `Price drop: ${card.title}`,
        body: `Now ${formatPrice(event.to)} (was ${formatPrice(event.from)}).`,
        url: `/listings/${event.listingId}`,
        data: { listingId: event.listingId, from: event.from, to: event.to },
        dedupeKey: `favorite-price-drop:${event.listingId}:${occurredAt}`,
      }));
    },

    /** `listing.sold`, `.expired`, `.removed`: savers hear that it is gone, once per event. */
    async onListingEnded(
      event: { listingId: string; sellerId: string },
      kind: EndedKind,
      occurredAt: string,
    ): Promise<number> {
      const [card] = await ports.listings.cardsOf([event.listingId]);
      if (!card) return 0;
      const what = { sold: 'was sold', expired: 'has expired', removed: 'was taken down' }[kind];
      return fanOut(event.listingId, event.sellerId, () => ({
        type: 'favorite_unavailable',
        title: `No longer available: ${card.title}`,
        body: `A listing you saved ${what}.`,
        // A removed listing has no page any more; the favorites page is where it was saved.
        url: kind === 'removed' ? '/account/favorites' : `/listings/${event.listingId}`,
        data: { listingId: event.listingId, reason: kind },
        dedupeKey: `favorite-ended:${event.listingId}:${kind}:${occurredAt}`,
      }));
    },
  };
}

export type FavoritesService = ReturnType<typeof createFavoritesService>;
