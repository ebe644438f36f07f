import type {
  ListingSummary,
  ShowcaseFeedPage,
  ShowcasePost,
  ShowcaseWindow,
  UpvoteState,
} from '@souk/contracts';
import { z } from 'zod';
import type { Database } from '../../platform/db/database.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { platformError } from '../../platform/http/errors.js';
import type { Logger } from '../../platform/logger.js';
import { showcaseError } from './showcase.errors.js';
import { voteWeight } from './showcase.ranking.js';
import type { PostMirror, ShowcaseDetails, ShowcaseRepository } from './showcase.repository.js';
import type { ShowcasePostRow } from './showcase.schema.js';

const SIGN_IN = 'Sign in to do that.';

type ListingFacts = {
  id: string;
  sellerId: string;
  kind: 'classified' | 'auction' | 'showcase';
  status: 'draft' | 'active' | 'sold' | 'expired' | 'removed';
  title: string;
  publishedAt: Date | null;
};

/** What the showcase needs from other modules, each reached through its service. */
export type ShowcasePorts = {
  listing: (id: string) => Promise<ListingFacts | null>;
  cards: (ids: string[]) => Promise<ListingSummary[]>;
  users: (
    ids: string[],
  ) => Promise<Map<string, { displayName: string; avatarUrl: string | null; memberSince: string }>>;
};

/** The realtime hub's side the showcase uses (platform.realtime). */
export type ShowcaseRealtime = { signal(channel: string, type: string, data: unknown): Promise<void> };

/** Statuses the public sees a listing in; only `active` posts take votes. */
const PUBLIC = new Set(['active', 'sold', 'expired']);
const WINDOW_HOURS: Record<ShowcaseWindow, number> = { today: 24, week: 24 * 7 };
const HOUR = 3_600_000;

/**
 * Feed and leaderboard page by offset (ranks move as votes come in, so there is no stable key);
 * the list is in the position, so a cursor of one list is refused by the other.
 */
const feedPosition = (list: ShowcaseList) =>
  z.object({ list: z.literal(list), offset: z.number().int().min(0).max(999_999) });
type ShowcaseList = 'feed' | 'leaderboard';
const offsetOf = (list: ShowcaseList, cursor: string | undefined) =>
  decodeCursor(cursor, feedPosition(list))?.offset ?? 0;

const mirrorOf = (facts: ListingFacts): PostMirror => ({
  listingId: facts.id,
  ownerId: facts.sellerId,
  live: PUBLIC.has(facts.status) && facts.publishedAt !== null,
  postedAt: facts.publishedAt,
});

export function createShowcaseService(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: ShowcaseRepository;
  ports: ShowcasePorts;
  realtime: ShowcaseRealtime;
  logger?: Pick<Logger, 'warn'> | undefined;
  now?: () => Date;
}) {
  const { database, repository, ports } = deps;
  const db = database.db;
  const now = deps.now ?? (() => new Date());

  const isAdmin = (ctx: RequestContext) => ctx.actor?.roles.includes('admin') ?? false;

  /** A showcase listing the caller may see; anything else is 404 or 409. */
  async function showcaseListing(ctx: RequestContext, listingId: string): Promise<ListingFacts> {
    const facts = await ports.listing(listingId);
    const owner = facts && ctx.actor?.userId === facts.sellerId;
    if (!facts || (!PUBLIC.has(facts.status) && !(owner && facts.status === 'draft') && !isAdmin(ctx)))
      throw showcaseError('listing_not_found');
    if (facts.kind !== 'showcase') throw showcaseError('not_a_showcase_post');
    return facts;
  }

  async function toPosts(
    ctx: RequestContext,
    rows: ShowcasePostRow[],
    titles: Map<string, string>,
  ): Promise<Map<string, ShowcasePost>> {
    const makerIds = [...new Set(rows.flatMap((row) => row.makerIds))];
    const [makers, voted] = await Promise.all([
      ports.users(makerIds),
      ctx.actor
        ? repository.votedBy(
            db,
            ctx.actor.userId,
            rows.map((row) => row.listingId),
          )
        : new Set<string>(),
    ]);
    return new Map(
      rows.map((row) => [
        row.listingId,
        {
          listingId: row.listingId,
          ownerId: row.ownerId,
          // A showcase listing published before its details were filled in is named by its title.
          name: row.name || titles.get(row.listingId) || '',
          tagline: row.tagline,
          link: row.link,
          tags: row.tags,
          makers: row.makerIds.flatMap((id) => {
            const maker = makers.get(id);
            return maker ? [{ id, displayName: maker.displayName, avatarUrl: maker.avatarUrl }] : [];
          }),
          launchDate: row.launchDate,
          postedAt: row.postedAt?.toISOString() ?? null,
          upvotes: row.voteCount,
          upvoted: voted.has(row.listingId),
        },
      ]),
    );
  }

  async function feedPage(
    ctx: RequestContext,
    rows: ShowcasePostRow[],
    list: ShowcaseList,
    offset: number,
    limit: number,
  ): Promise<ShowcaseFeedPage> {
    const page = rows.slice(0, limit);
    const cards = await ports.cards(page.map((row) => row.listingId));
    const byId = new Map(cards.map((card) => [card.id, card]));
    const posts = await toPosts(ctx, page, new Map(cards.map((card) => [card.id, card.title])));
    const items: ShowcaseFeedPage['items'] = [];
    page.forEach((row, index) => {
      const listing = byId.get(row.listingId);
      const post = posts.get(row.listingId);
      // A listing taken down since the mirror last heard of it is left out.
      if (listing && post && PUBLIC.has(listing.status))
        items.push({ rank: offset + index + 1, post, listing });
    });
    return { items, nextCursor: rows.length > limit ? encodeCursor({ list, offset: offset + limit }) : null };
  }

  async function live(work: () => Promise<unknown>) {
    try {
      await work();
    } catch (error) {
      deps.logger?.warn({ err: error }, 'realtime signal failed');
    }
  }

  async function vote(ctx: RequestContext, listingId: string, up: boolean): Promise<UpvoteState> {
    const userId = requireUser(ctx, SIGN_IN);
    const facts = await showcaseListing(ctx, listingId);
    if (facts.status !== 'active') throw showcaseError('post_not_open');
    if (facts.sellerId === userId) throw showcaseError('cannot_upvote_own');
    // Read before the transaction: the embedded database has one connection.
    const weight = up
      ? voteWeight(
          await ports.users([userId]).then((found) => {
            const since = found.get(userId)?.memberSince;
            return since ? new Date(since) : null;
          }),
          now(),
        )
      : 0;
    const upvotes = await database.transaction(async (tx) => {
      await repository.sync(tx, mirrorOf(facts));
      if (up) {
        const post = await repository.find(tx, listingId);
        if (post?.makerIds.includes(userId)) throw showcaseError('cannot_upvote_own');
        return repository.addVote(tx, listingId, userId, weight);
      }
      return repository.removeVote(tx, listingId, userId);
    });
    await live(() =>
      deps.realtime.signal(`listing:${listingId}`, 'showcase.upvotes', { listingId, upvotes }),
    );
    return { listingId, upvotes, upvoted: up };
  }

  async function getPost(ctx: RequestContext, listingId: string): Promise<ShowcasePost> {
    const facts = await showcaseListing(ctx, listingId);
    const row =
      (await repository.find(db, listingId)) ??
      ({
        ...mirrorOf(facts),
        name: '',
        tagline: '',
        link: null,
        tags: [],
        makerIds: [],
        launchDate: null,
        voteCount: 0,
        voteWeight: 0,
        createdAt: new Date(),
        updatedAt: new Date(),
      } satisfies ShowcasePostRow);
    const posts = await toPosts(ctx, [row], new Map([[facts.id, facts.title]]));
    return posts.get(listingId) as ShowcasePost;
  }

  return {
    get: getPost,

    /** The owner sets the product details of a showcase listing (any status but removed). */
    async saveDetails(
      ctx: RequestContext,
      listingId: string,
      details: ShowcaseDetails,
    ): Promise<ShowcasePost> {
      const userId = requireUser(ctx, SIGN_IN);
      const facts = await showcaseListing(ctx, listingId);
      if (facts.sellerId !== userId && !isAdmin(ctx))
        throw platformError('forbidden', 'Only the owner can change a showcase post.');
      const errors: { path: string; message: string }[] = [];
      const makers = await ports.users(details.makerIds);
      details.makerIds.forEach((id, index) => {
        if (id === facts.sellerId)
          errors.push({ path: `body.makerIds.${index}`, message: 'is the owner: list the other makers' });
        else if (!makers.has(id)) errors.push({ path: `body.makerIds.${index}`, message: 'is not a member' });
      });
      if (errors.length > 0)
        throw showcaseError('maker_not_found', 'Fix the makers listed in errors.', errors);
      await database.transaction((tx) => repository.saveDetails(tx, mirrorOf(facts), details));
      return getPost(ctx, listingId);
    },

    upvote: (ctx: RequestContext, listingId: string) => vote(ctx, listingId, true),
    unvote: (ctx: RequestContext, listingId: string) => vote(ctx, listingId, false),

    /** Posts of the last 24 hours or 7 days, hottest first. */
    async feed(
      ctx: RequestContext,
      query: { window: ShowcaseWindow; limit: number; cursor?: string | undefined },
    ): Promise<ShowcaseFeedPage> {
      const offset = offsetOf('feed', query.cursor);
      const at = now();
      const since = new Date(at.getTime() - WINDOW_HOURS[query.window] * HOUR);
      const rows = await repository.hot(db, since, at, offset, query.limit + 1);
      return feedPage(ctx, rows, 'feed', offset, query.limit);
    },

    /** The posts that went live on one UTC day, most (weighted) votes first. */
    async leaderboard(
      ctx: RequestContext,
      query: { date?: string | undefined; limit: number; cursor?: string | undefined },
    ): Promise<ShowcaseFeedPage> {
      const offset = offsetOf('leaderboard', query.cursor);
      const from = new Date(`${query.date ?? now().toISOString().slice(0, 10)}T00:00:00.000Z`);
      const until = new Date(from.getTime() + 24 * HOUR);
      const rows = await repository.day(db, from, until, offset, query.limit + 1);
      return feedPage(ctx, rows, 'leaderboard', offset, query.limit);
    },

    /** A listing event: the post's mirror of its listing follows (showcase listings only). */
    async onListingChanged(listingId: string, kind?: ListingFacts['kind']): Promise<void> {
      // A published event names its kind: the listings that are no showcase post end here.
      if (kind !== undefined && kind !== 'showcase') return;
      // The status is read back: it may have moved again since the event (jobs run in any order).
      const facts = await ports.listing(listingId);
      if (facts?.kind !== 'showcase') return;
      await repository.sync(db, mirrorOf(facts));
    },
  };
}

export type ShowcaseService = ReturnType<typeof createShowcaseService>;
