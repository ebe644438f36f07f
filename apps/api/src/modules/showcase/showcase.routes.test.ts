import type { CategoryDetail, Listing, ShowcaseFeedPage, ShowcasePost, UpvoteState } from '@souk/contracts';
import { eq, inArray, sql } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Caller } from '../../platform/http/context.js';
import { encodeCursor } from '../../platform/http/cursor.js';
import { openSocket } from '../../test-support/realtime-client.js';
import { createTestApp, type HttpMethod, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { users as accounts } from '../auth/auth.schema.js';
import { profiles } from '../users/users.schema.js';
import { showcasePosts, showcaseUpvotes } from './showcase.schema.js';

let t: TestApp;
let owner: TestUser;
let maker: TestUser;
let voter: TestUser;
let devTools: CategoryDetail;
let cars: CategoryDetail;

/**
 * Members made straight in the tables (no password hashing: a hundred sign-ups would take
 * most of a minute), who call as `x-test-member: <id>`; everyone else signs in for real.
 */
type Member = { userId: string; headers: Record<string, string> };
const TEST_MEMBER = 'x-test-member';

// Rate-limit counters live in Redis on the PostgreSQL run, for a minute: each run uses its own addresses.
const net = 1 + Math.floor(Math.random() * 250);
let address = 0;
const nextAddress = () => `10.${net}.${Math.floor(++address / 250)}.${(address % 250) + 1}`;

beforeAll(async () => {
  t = await createTestApp({
    work: true,
    // Votes are limited per address: each call below comes from one of its own.
    env: { TRUST_PROXY: 'loopback' },
    resolveActor: async (request): Promise<Caller | null> => {
      const member = request.headers[TEST_MEMBER];
      if (typeof member === 'string')
        return { actor: { userId: member, roles: ['member'] }, sessionId: null };
      return t.app.modules.auth.resolveCaller(request);
    },
  });
  await t.app.modules.catalog.seedDemoData();
  [owner, maker, voter] = await Promise.all([
    t.signUp({ displayName: 'Olga Owner' }),
    t.signUp({ displayName: 'Mina Maker' }),
    t.signUp({ displayName: 'Vik Voter' }),
  ]);
  devTools = (await t.app.inject({ method: 'GET', url: '/api/v1/categories/developer-tools' })).json();
  cars = (await t.app.inject({ method: 'GET', url: '/api/v1/categories/cars' })).json();
});

afterAll(async () => {
  await t?.close();
});

async function members(count: number, ageDays = 0): Promise<Member[]> {
  const created = Array.from({ length: count }, () => ({ id: uuidv7() }));
  const since = new Date(Date.now() - ageDays * 86_400_000);
  const db = t.platform.database.db;
  await db.insert(accounts).values(created.map(({ id }) => ({ id, email: `${id}@members.test` })));
  await db.insert(profiles).values(
    created.map(({ id }, index) => ({
      userId: id,
      displayName: `Member ${index + 1}`,
      preferences: { language: 'en', currency: 'LKR', theme: 'system', notifications: {} },
      createdAt: since,
    })) as never,
  );
  return created.map(({ id }) => ({ userId: id, headers: { [TEST_MEMBER]: id } }));
}

type Who = { headers: Record<string, string> } | null;

/** t.call from an address of its own (X-Forwarded-For, trusted from the loopback in this file). */
const call = (method: HttpMethod, path: string, who: Who, body?: unknown, ip = nextAddress()) =>
  t.call(method, path, null, body, { ...who?.headers, 'x-forwarded-for': ip });

async function showcaseListing(who: TestUser = owner, publish = true): Promise<Listing> {
  const draft = await call('POST', '/listings', who, {
    kind: 'showcase',
    categoryId: devTools.id,
    title: 'pgpeek – see what your queries do',
    description: 'A small tool that explains PostgreSQL query plans in plain words.',
    attributes: { website: 'https://pgpeek.example', platforms: ['web', 'linux'], pricingModel: 'free' },
  });
  expect(draft.statusCode, draft.body).toBe(201);
  if (!publish) return draft.json();
  const published = await call('POST', `/listings/${draft.json().id}/publish`, who);
  expect(published.statusCode, published.body).toBe(200);
  return published.json();
}

const details = (extra: object = {}) => ({
  name: 'pgpeek',
  tagline: 'See what your PostgreSQL queries really do',
  link: 'https://pgpeek.example/',
  tags: ['Databases', 'developer tools'],
  makerIds: [maker.userId],
  launchDate: '2026-11-20',
  ...extra,
});

async function post(listingId: string, who: Who = null): Promise<ShowcasePost> {
  const response = await call('GET', `/listings/${listingId}/showcase`, who);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function upvote(listingId: string, who: Who, method: 'PUT' | 'DELETE' = 'PUT'): Promise<UpvoteState> {
  const response = await call(method, `/listings/${listingId}/upvote`, who);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function feed(query: string, who: Who = null): Promise<ShowcaseFeedPage> {
  const response = await call('GET', `/showcase/${query}`, who);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe('showcase listings', () => {
  it('publishes without a price or a city, and refuses a price', async () => {
    const listing = await showcaseListing();
    expect(listing.kind).toBe('showcase');
    expect(listing.price).toBeNull();
    expect(listing.status).toBe('active');

    const before = (await call('GET', '/listings/mine', owner)).json().counts.draft;
    const priced = await call('POST', '/listings', owner, {
      kind: 'showcase',
      categoryId: devTools.id,
      title: 'Priced product',
      price: { type: 'fixed', amount: 1000, currency: 'USD' },
    });
    expect(priced.statusCode).toBe(400);
    expect(priced.json().code).toBe('invalid_price');
    expect((await call('GET', '/listings/mine', owner)).json().counts.draft).toBe(before);

    const patched = await call('PATCH', `/listings/${listing.id}`, owner, {
      price: { type: 'free' },
    });
    expect(patched.statusCode).toBe(400);
    expect((await call('GET', `/listings/${listing.id}`, owner)).json().price).toBeNull();
  });
});

describe('showcase details', () => {
  it('the owner sets name, tagline, link, tags, makers and launch date; everyone reads them', async () => {
    const listing = await showcaseListing();
    // Before any details, the post is named by its listing's title.
    expect((await post(listing.id)).name).toBe(listing.title);

    const saved = await call('PUT', `/listings/${listing.id}/showcase`, owner, details());
    expect(saved.statusCode, saved.body).toBe(200);
    const shown = await post(listing.id);
    expect(shown).toMatchObject({
      listingId: listing.id,
      ownerId: owner.userId,
      name: 'pgpeek',
      tagline: 'See what your PostgreSQL queries really do',
      link: 'https://pgpeek.example/',
      tags: ['databases', 'developer tools'],
      makers: [{ id: maker.userId, displayName: 'Mina Maker', avatarUrl: null }],
      launchDate: '2026-11-20',
      upvotes: 0,
      upvoted: false,
    });
    expect(shown.postedAt).toBe(listing.publishedAt);
  });

  it('refuses bad details with a 4xx and changes nothing', async () => {
    const listing = await showcaseListing();
    expect((await call('PUT', `/listings/${listing.id}/showcase`, owner, details())).statusCode).toBe(200);
    const before = await post(listing.id);
    const cases: [Who, object, number, string?][] = [
      [voter, details({ name: 'Hijacked' }), 403, 'forbidden'],
      [null, details(), 401],
      [owner, details({ link: 'javascript:alert(1)' }), 400, 'validation_failed'],
      [owner, details({ link: 'ftp://files.example/x' }), 400, 'validation_failed'],
      [owner, details({ name: '' }), 400, 'validation_failed'],
      [owner, details({ name: 'x'.repeat(81) }), 400, 'validation_failed'],
      [owner, details({ tags: ['a', 'b', 'c', 'd', 'e', 'f'] }), 400, 'validation_failed'],
      [owner, details({ tags: ['<script>'] }), 400, 'validation_failed'],
      [owner, details({ launchDate: '2026-02-30' }), 400, 'validation_failed'],
      [owner, details({ makerIds: ['not-a-uuid'] }), 400, 'validation_failed'],
      [owner, details({ makerIds: [uuidv7()] }), 400, 'maker_not_found'],
      [owner, details({ makerIds: [owner.userId] }), 400, 'maker_not_found'],
      [owner, { ...details(), upvotes: 1000 }, 400, 'validation_failed'],
    ];
    for (const [who, body, status, code] of cases) {
      const response = await call('PUT', `/listings/${listing.id}/showcase`, who, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(status);
      if (code) expect(response.json().code).toBe(code);
    }
    expect(await post(listing.id)).toEqual(before);
  });

  it('answers 404 for a stranger on a draft and 409 for a listing that is not a showcase post', async () => {
    const draft = await showcaseListing(owner, false);
    expect((await call('GET', `/listings/${draft.id}/showcase`, voter)).statusCode).toBe(404);
    expect((await call('GET', `/listings/${draft.id}/showcase`, owner)).statusCode).toBe(200);
    expect((await call('GET', `/listings/${uuidv7()}/showcase`, null)).statusCode).toBe(404);
    expect((await call('GET', '/listings/nope/showcase', null)).statusCode).toBe(400);

    const car = await call('POST', '/listings', owner, {
      categoryId: cars.id,
      title: 'A car, not a product post',
    });
    expect(car.statusCode, car.body).toBe(201);
    const response = await call('PUT', `/listings/${car.json().id}/showcase`, owner, details());
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe('not_a_showcase_post');
  });
});

describe('upvotes', () => {
  it('counts one per member, toggles, and upvoting twice changes nothing', async () => {
    const listing = await showcaseListing();
    expect(await upvote(listing.id, voter)).toEqual({ listingId: listing.id, upvotes: 1, upvoted: true });
    expect(await upvote(listing.id, voter)).toEqual({ listingId: listing.id, upvotes: 1, upvoted: true });
    expect((await post(listing.id, voter)).upvoted).toBe(true);
    expect((await post(listing.id)).upvoted).toBe(false);
    expect(await upvote(listing.id, voter, 'DELETE')).toEqual({
      listingId: listing.id,
      upvotes: 0,
      upvoted: false,
    });
    expect(await upvote(listing.id, voter, 'DELETE')).toEqual({
      listingId: listing.id,
      upvotes: 0,
      upvoted: false,
    });
    // Toggled twice: back to none.
    await upvote(listing.id, voter);
    expect((await upvote(listing.id, voter, 'DELETE')).upvotes).toBe(0);
    expect((await post(listing.id)).upvotes).toBe(0);
  });

  it('100 concurrent upvotes from 100 members count exactly 100, and their weights add up', async () => {
    const listing = await showcaseListing();
    const crowd = await members(100);
    const results = await Promise.all(
      crowd.map((member) => call('PUT', `/listings/${listing.id}/upvote`, member)),
    );
    expect(results.map((response) => response.statusCode)).toEqual(crowd.map(() => 200));
    expect((await post(listing.id)).upvotes).toBe(100);
    const db = t.platform.database.db;
    const [row] = await db.select().from(showcasePosts).where(eq(showcasePosts.listingId, listing.id));
    const [sum] = await db
      .select({ count: sql<number>`count(*)::int`, weight: sql<number>`sum(weight)::int` })
      .from(showcaseUpvotes)
      .where(eq(showcaseUpvotes.listingId, listing.id));
    expect(row?.voteCount).toBe(100);
    expect(sum?.count).toBe(100);
    // Brand-new accounts: each vote weighs the minimum 0.2.
    expect(row?.voteWeight).toBe(100 * 200);
    expect(sum?.weight).toBe(row?.voteWeight);

    // And 100 concurrent take-backs leave exactly none.
    await Promise.all(crowd.map((member) => call('DELETE', `/listings/${listing.id}/upvote`, member)));
    expect((await post(listing.id)).upvotes).toBe(0);
    const [after] = await db.select().from(showcasePosts).where(eq(showcasePosts.listingId, listing.id));
    expect(after?.voteWeight).toBe(0);
    await db.delete(accounts).where(
      inArray(
        accounts.id,
        crowd.map((member) => member.userId),
      ),
    );
  });

  it('refuses upvotes on your own post, by its makers, signed out, on drafts and on sold posts', async () => {
    const listing = await showcaseListing();
    await call('PUT', `/listings/${listing.id}/showcase`, owner, details());
    const own = await call('PUT', `/listings/${listing.id}/upvote`, owner);
    expect(own.statusCode).toBe(403);
    expect(own.json().code).toBe('cannot_upvote_own');
    expect((await call('PUT', `/listings/${listing.id}/upvote`, maker)).json().code).toBe(
      'cannot_upvote_own',
    );
    expect((await call('PUT', `/listings/${listing.id}/upvote`, null)).statusCode).toBe(401);
    expect((await call('PUT', `/listings/${uuidv7()}/upvote`, voter)).statusCode).toBe(404);
    expect((await call('PUT', '/listings/123/upvote', voter)).statusCode).toBe(400);

    const draft = await showcaseListing(owner, false);
    expect((await call('PUT', `/listings/${draft.id}/upvote`, voter)).statusCode).toBe(404);
    const car = (
      await call('POST', '/listings', owner, { categoryId: cars.id, title: 'A car listing' })
    ).json();
    expect((await call('PUT', `/listings/${car.id}/upvote`, voter)).statusCode).toBe(404);

    await upvote(listing.id, voter);
    expect((await call('POST', `/listings/${listing.id}/sold`, owner)).statusCode).toBe(200);
    const closed = await call('DELETE', `/listings/${listing.id}/upvote`, voter);
    expect(closed.statusCode).toBe(409);
    expect(closed.json().code).toBe('post_not_open');
    expect((await post(listing.id)).upvotes).toBe(1);
  });

  it('sends the new count live on the listing channel', async () => {
    const listing = await showcaseListing();
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const socket = await openSocket(`${address.replace('http', 'ws')}/ws`, { headers: owner.headers });
    try {
      await socket.subscribe(`listing:${listing.id}`);
      await upvote(listing.id, voter);
      const event = await socket.next(
        (frame) => frame.type === 'event' && frame.event === 'showcase.upvotes',
        { timeoutMs: 10_000 },
      );
      expect(event).toMatchObject({
        channel: `listing:${listing.id}`,
        data: { listingId: listing.id, upvotes: 1 },
      });
    } finally {
      await socket.close();
    }
  });

  it('rate-limits a burst of votes from one address with 429', async () => {
    const listing = await showcaseListing();
    const ip = nextAddress();
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1) {
      const response = await call('PUT', `/listings/${listing.id}/upvote`, voter, undefined, ip);
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 30).every((status) => status === 200)).toBe(true);
    expect(statuses[30]).toBe(429);
    const limited = await call('PUT', `/listings/${listing.id}/upvote`, voter, undefined, ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('rate_limited');
    // The refused ones changed nothing: still the one vote.
    expect((await post(listing.id)).upvotes).toBe(1);
    // Another address is not affected.
    expect((await call('PUT', `/listings/${listing.id}/upvote`, voter)).statusCode).toBe(200);
  });
});

describe('feeds and the leaderboard', () => {
  it('rank by weighted votes: an old account outweighs two new ones; paging by cursor', async () => {
    const [old] = await members(1, 90);
    const fresh = await members(3);
    const a = await showcaseListing();
    const b = await showcaseListing();
    const c = await showcaseListing();
    await call('PUT', `/listings/${a.id}/showcase`, owner, details({ name: 'Alpha', makerIds: [] }));
    await call('PUT', `/listings/${b.id}/showcase`, owner, details({ name: 'Beta', makerIds: [] }));
    await call('PUT', `/listings/${c.id}/showcase`, owner, details({ name: 'Gamma', makerIds: [] }));
    await upvote(a.id, old as Member);
    await upvote(b.id, fresh[0] as Member);
    await upvote(b.id, fresh[1] as Member);
    await upvote(c.id, fresh[2] as Member);

    const today = new Date().toISOString().slice(0, 10);
    const board = await feed(`leaderboard?date=${today}&limit=100`, voter);
    const order = board.items
      .map((item) => item.post.listingId)
      .filter((id) => [a.id, b.id, c.id].includes(id));
    expect(order).toEqual([a.id, b.id, c.id]);
    const alpha = board.items.find((item) => item.post.listingId === a.id);
    expect(alpha?.post.name).toBe('Alpha');
    expect(alpha?.listing.title).toBe(a.title);
    expect(alpha?.rank).toBeGreaterThan(0);

    const hot = await feed('feed?window=today&limit=100');
    const hotOrder = hot.items
      .map((item) => item.post.listingId)
      .filter((id) => [a.id, b.id, c.id].includes(id));
    expect(hotOrder).toEqual([a.id, b.id, c.id]);
    const week = await feed('feed?window=week&limit=100');
    expect(week.items.map((item) => item.post.listingId)).toEqual(expect.arrayContaining([a.id, b.id, c.id]));

    // Page by page, every post once.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ShowcaseFeedPage = await feed(
        `leaderboard?date=${today}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((item) => item.post.listingId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(board.items.map((item) => item.post.listingId));

    expect((await feed('leaderboard?date=2001-01-01')).items).toEqual([]);
  });

  it('a showcase listing published without details reaches the feed through its listing event', async () => {
    const listing = await showcaseListing();
    await vi.waitFor(
      async () => {
        const page = await feed('feed?window=today&limit=100');
        expect(page.items.some((item) => item.post.listingId === listing.id)).toBe(true);
      },
      { timeout: 15_000, interval: 200 },
    );
    // Taken down: out of the feeds.
    expect((await call('DELETE', `/listings/${listing.id}`, owner)).statusCode).toBe(204);
    await vi.waitFor(
      async () => {
        const page = await feed('feed?window=week&limit=100');
        expect(page.items.some((item) => item.post.listingId === listing.id)).toBe(false);
      },
      { timeout: 15_000, interval: 200 },
    );
  });

  it('refuses bad feed queries with 400', async () => {
    for (const query of [
      'feed?window=month',
      'feed?limit=0',
      'feed?limit=101',
      'feed?cursor=%%%',
      'feed?cursor=bm9wZQ',
      'leaderboard?date=yesterday',
      'leaderboard?date=2026-13-01',
      // A feed position is no leaderboard position.
      `leaderboard?cursor=${encodeCursor({ list: 'feed', offset: 2 })}`,
    ]) {
      expect((await call('GET', `/showcase/${query}`, null)).statusCode, query).toBe(400);
    }
    const feedCursor = `feed?cursor=${encodeCursor({ list: 'feed', offset: 2 })}`;
    expect((await call('GET', `/showcase/${feedCursor}`, null)).statusCode).toBe(200);
  });
});
