import {
  FOLLOWS_MAX,
  type FollowedItem,
  type FollowingPage,
  type FollowState,
  type FollowTarget,
  type ListingPage,
} from '@souk/contracts';
import { z } from 'zod';
import type { Database, Queryable } from '../../platform/db/database.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import type { Logger } from '../../platform/logger.js';
import type { NotifyInput } from '../notifications/index.js';
import { followsError } from './follows.errors.js';
import type { FollowEntry, FollowsRepository } from './follows.repository.js';

const SIGN_IN = 'Sign in to follow members and categories.';

/** What follows need from other modules, each reached through its service. */
export type FollowsPorts = {
  users: (ids: string[]) => Promise<Map<string, { displayName: string; avatarUrl: string | null }>>;
  /** A category with its ancestors (from the root down) and its slug; null when there is none. */
  category: (
    id: string,
  ) => Promise<{ id: string; slug: string; name: string; ancestors: { id: string }[] } | null>;
  /** Ids of a category and everything under it. */
  subtreeIds: (slug: string) => Promise<string[] | null>;
  listings: {
    refsOf: (
      ids: string[],
    ) => Promise<Map<string, { sellerId: string; categoryId: string; title: string; status: string }>>;
    feedOf: (query: {
      sellerIds: string[];
      categoryIds: string[];
      limit: number;
      cursor?: string | undefined;
    }) => Promise<ListingPage>;
  };
  notify: (tx: Queryable, input: NotifyInput) => Promise<unknown>;
};

/** Followers notified per transaction when someone publishes. */
const NOTIFY_BATCH = 200;
const MIN_ID = '00000000-0000-0000-0000-000000000000';
const MAX_ID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/**
 * Where a page of follows stops, in its order (time desc, members before categories, id desc).
 * The time is the follow's, at millisecond precision, which an ISO string carries exactly.
 */
const FollowingCursor = z.object({
  at: z.coerce.date(),
  type: z.enum(['member', 'category']),
  id: z.guid(),
});

function encodeFollowingCursor(entry: FollowEntry): string {
  return encodeCursor<z.input<typeof FollowingCursor>>({
    at: entry.createdAt,
    type: entry.type,
    id: entry.id,
  });
}

export function createFollowsService(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: FollowsRepository;
  ports: FollowsPorts;
  logger?: Pick<Logger, 'warn'> | undefined;
}) {
  const { database, repository, ports } = deps;
  const db = database.db;

  async function assertTarget(type: FollowTarget, id: string) {
    if (type === 'member') {
      if (!(await ports.users([id])).has(id)) throw followsError('member_not_found');
    } else if (!(await ports.category(id))) {
      throw followsError('category_not_found');
    }
  }

  async function state(ctx: RequestContext, type: FollowTarget, id: string): Promise<FollowState> {
    const [following, followers] = await Promise.all([
      ctx.actor ? repository.isFollowing(db, type, ctx.actor.userId, id) : Promise.resolve(false),
      repository.followerCount(db, type, id),
    ]);
    return { type, id, following, followers };
  }

  return {
    async follow(ctx: RequestContext, type: FollowTarget, id: string): Promise<FollowState> {
      const userId = requireUser(ctx, SIGN_IN);
      if (type === 'member' && id === userId) throw followsError('cannot_follow_self');
      await assertTarget(type, id);
      await database.transaction(async (tx) => {
        const created = await repository.follow(tx, type, userId, id);
        // Checked after the insert, in its transaction: a burst of follows cannot pass the cap
        // together by each reading the count before the others wrote.
        if (created && (await repository.followingCount(tx, type, userId)) > FOLLOWS_MAX)
          throw followsError('too_many_follows');
      });
      return state(ctx, type, id);
    },

    async unfollow(ctx: RequestContext, type: FollowTarget, id: string): Promise<FollowState> {
      const userId = requireUser(ctx, SIGN_IN);
      await database.transaction((tx) => repository.unfollow(tx, type, userId, id));
      return state(ctx, type, id);
    },

    async state(ctx: RequestContext, type: FollowTarget, id: string): Promise<FollowState> {
      await assertTarget(type, id);
      return state(ctx, type, id);
    },

    /** Whom and which categories I follow, newest follow first. */
    async following(
      ctx: RequestContext,
      query: { limit: number; cursor?: string | undefined; type?: FollowTarget | undefined },
    ): Promise<FollowingPage> {
      const userId = requireUser(ctx, SIGN_IN);
      const after = decodeCursor(query.cursor, FollowingCursor);
      const kinds: FollowTarget[] = query.type ? [query.type] : ['member', 'category'];
      const lists = await Promise.all(
        kinds.map((type) =>
          repository.following(db, type, userId, {
            limit: query.limit + 1,
            // The order is (time desc, members before categories, id desc): a cursor of the other
            // kind at the same millisecond takes all of this kind's ties (category list after a
            // member) or none of them (member list after a category).
            after:
              after &&
              (after.type === type ? after : { at: after.at, id: type === 'member' ? MIN_ID : MAX_ID }),
          }),
        ),
      );
      const merged = lists
        .flat()
        .sort(
          (a, b) =>
            b.createdAt.getTime() - a.createdAt.getTime() ||
            (a.type === b.type ? (a.id < b.id ? 1 : -1) : a.type === 'member' ? -1 : 1),
        );
      const page = merged.slice(0, query.limit);
      const memberIds = page.filter((entry) => entry.type === 'member').map((entry) => entry.id);
      const users = await ports.users(memberIds);
      const items: FollowedItem[] = [];
      for (const entry of page) {
        if (entry.type === 'member') {
          const user = users.get(entry.id);
          items.push({
            type: 'member',
            id: entry.id,
            name: user?.displayName ?? 'Deleted user',
            slug: null,
            avatarUrl: user?.avatarUrl ?? null,
            followedAt: entry.createdAt.toISOString(),
          });
        } else {
          const category = await ports.category(entry.id);
          items.push({
            type: 'category',
            id: entry.id,
            name: category?.name ?? 'Unknown',
            slug: category?.slug ?? null,
            avatarUrl: null,
            followedAt: entry.createdAt.toISOString(),
          });
        }
      }
      const last = page.at(-1);
      return { items, nextCursor: merged.length > query.limit && last ? encodeFollowingCursor(last) : null };
    },

    /** New active listings from the members and categories (with their subcategories) I follow. */
    async feed(
      ctx: RequestContext,
      query: { limit: number; cursor?: string | undefined },
    ): Promise<ListingPage> {
      const userId = requireUser(ctx, SIGN_IN);
      const [sellerIds, followedCategories] = await Promise.all([
        repository.allFollowed(db, 'member', userId),
        repository.allFollowed(db, 'category', userId),
      ]);
      const categoryIds = new Set<string>();
      for (const id of followedCategories) {
        const category = await ports.category(id);
        if (!category) continue;
        for (const sub of (await ports.subtreeIds(category.slug)) ?? [id]) categoryIds.add(sub);
      }
      return ports.listings.feedOf({ sellerIds, categoryIds: [...categoryIds], ...query });
    },

    /**
     * `listing.published`: tells the seller's followers and the followers of its category (or any
     * category above it), once per listing and follower (the dedupe key), whatever the retries.
     */
    async onListingPublished(event: {
      listingId: string;
      sellerId: string;
      title?: string | undefined;
      categoryId?: string | undefined;
    }): Promise<number> {
      // The event names what was published; only jobs queued before it did read the listing back.
      const listing =
        event.title !== undefined && event.categoryId !== undefined
          ? { title: event.title, categoryId: event.categoryId }
          : await (async () => {
              const ref = (await ports.listings.refsOf([event.listingId])).get(event.listingId);
              return ref?.status === 'active' ? ref : null;
            })();
      if (!listing) return 0;
      const category = await ports.category(listing.categoryId);
      const categoryIds = category ? [category.id, ...category.ancestors.map((level) => level.id)] : [];
      const seller = (await ports.users([event.sellerId])).get(event.sellerId);
      let afterId: string | null = null;
      let notified = 0;
      for (;;) {
        const batch = await repository.followersOf(
          db,
          { memberId: event.sellerId, categoryIds },
          afterId,
          NOTIFY_BATCH,
        );
        if (batch.length === 0) break;
        afterId = batch.at(-1) as string;
        const recipients = batch.filter((id) => id !== event.sellerId);
        notified += await database.transaction(async (tx) => {
          let sent = 0;
          for (const userId of recipients) {
            const created = await ports.notify(tx, {
              userId,
              type: 'followed_listing_published',
              title: `${seller?.displayName ?? 'Someone you follow'} published: ${listing.title}`,
              body: category
                ? `A new listing in ${category.name} from someone or something you follow.`
                : 'A new listing from someone you follow.',
              url: `/listings/${event.listingId}`,
              data: { listingId: event.listingId, sellerId: event.sellerId },
              dedupeKey: `followed-listing:${event.listingId}`,
            });
            if (created) sent += 1;
          }
          return sent;
        });
      }
      return notified;
    },
  };
}

export type FollowsService = ReturnType<typeof createFollowsService>;
