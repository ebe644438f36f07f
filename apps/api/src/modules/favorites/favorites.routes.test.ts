import type { Listing } from '@souk/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listingFixtures } from '../../test-support/listing-fixtures.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';

let t: TestApp;
let alice: TestUser;
let bob: TestUser;
let seller: TestUser;
let f: Awaited<ReturnType<typeof listingFixtures>>;

beforeAll(async () => {
  t = await createTestApp();
  f = await listingFixtures(t);
  [alice, bob, seller] = await Promise.all([
    t.signUp({ displayName: 'Alice Saver' }),
    t.signUp({ displayName: 'Bob' }),
    t.signUp({ displayName: 'Sam Seller' }),
  ]);
});
afterAll(() => t.close());

async function favoriteIds(who: TestUser): Promise<string[]> {
  const response = await t.call('GET', '/favorites?limit=100', who);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items.map((item: { listing: Listing }) => item.listing.id);
}

async function notificationsOf(who: TestUser, type: string) {
  const response = await t.call('GET', '/notifications?limit=100', who);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().items as { type: string; title: string; body: string; url: string }[]).filter(
    (item) => item.type === type,
  );
}

describe('favorites', () => {
  it('adds idempotently, lists newest first with cards, counts, removes and clears', async () => {
    const first = await f.publish(seller, { title: 'Toyota Aqua 2015' });
    const second = await f.publish(seller, { title: 'Honda Fit 2016' });
    const added = await t.call('POST', `/favorites/${first.id}`, alice);
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json()).toEqual({ listingId: first.id, favorited: true, count: 1 });
    expect((await t.call('POST', `/favorites/${first.id}`, alice)).json().count).toBe(1);
    await t.call('POST', `/favorites/${second.id}`, alice);
    await t.call('POST', `/favorites/${second.id}`, bob);

    const list = (await t.call('GET', '/favorites', alice)).json();
    expect(list.items.map((item: { listing: Listing }) => item.listing.title)).toEqual([
      'Honda Fit 2016',
      'Toyota Aqua 2015',
    ]);
    expect(list.items[0].listing).toMatchObject({ id: second.id, price: { amount: 5_000_000_00 } });
    expect(list.nextCursor).toBeNull();

    expect((await t.call('GET', `/listings/${second.id}/favorites/count`, null)).json()).toEqual({
      listingId: second.id,
      count: 2,
    });

    const removed = await t.call('DELETE', `/favorites/${second.id}`, alice);
    expect(removed.json()).toEqual({ listingId: second.id, favorited: false, count: 1 });
    expect((await t.call('DELETE', `/favorites/${second.id}`, alice)).statusCode).toBe(200);
    expect(await favoriteIds(alice)).toEqual([first.id]);
    // Bob's favorite is his own: Alice's remove did not touch it.
    expect(await favoriteIds(bob)).toEqual([second.id]);

    expect((await t.call('DELETE', '/favorites', alice)).json()).toEqual({ removed: 1 });
    expect(await favoriteIds(alice)).toEqual([]);
    expect(await favoriteIds(bob)).toEqual([second.id]);
    await t.call('DELETE', '/favorites', bob);
  });

  it('pages by cursor and refuses a bad cursor or limit', async () => {
    const listings = [];
    for (let i = 0; i < 5; i++) listings.push(await f.publish(seller, { title: `Paged car ${i}` }));
    for (const listing of listings) await t.call('POST', `/favorites/${listing.id}`, alice);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/favorites?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.call('GET', url, alice)).json();
      seen.push(...page.items.map((item: { listing: Listing }) => item.listing.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(listings.map((listing) => listing.id).reverse());
    expect((await t.call('GET', '/favorites?cursor=garbage', alice)).json().code).toBe('invalid_cursor');
    expect((await t.call('GET', '/favorites?limit=1000', alice)).statusCode).toBe(400);
    await t.call('DELETE', '/favorites', alice);
  });

  it('needs a session for everything but the count and shared links', async () => {
    const listing = await f.publish(seller);
    for (const [method, url] of [
      ['GET', '/favorites'],
      ['GET', `/favorites/ids?listingIds=${listing.id}`],
      ['POST', `/favorites/${listing.id}`],
      ['DELETE', `/favorites/${listing.id}`],
      ['DELETE', '/favorites'],
      ['GET', '/favorites/shares'],
      ['POST', '/favorites/shares'],
    ] as const) {
      const response = await t.call(method, url, null, method === 'POST' ? {} : undefined);
      expect(response.statusCode, `${method} ${url}`).toBe(401);
    }
    expect((await t.call('GET', `/listings/${listing.id}/favorites/count`, null)).statusCode).toBe(200);
  });

  it('saves only active listings; bad ids are 4xx and change nothing', async () => {
    const active = await f.publish(seller);
    const sold = await f.publish(seller);
    await t.call('POST', `/listings/${sold.id}/sold`, seller);
    const draft = await t.call('POST', '/listings', seller, {
      categoryId: active.category.id,
      title: 'A draft car',
      description: '',
    });
    expect(draft.statusCode, draft.body).toBe(201);

    expect((await t.call('POST', `/favorites/${sold.id}`, alice)).json().code).toBe('listing_not_available');
    expect((await t.call('POST', `/favorites/${draft.json().id}`, alice)).json().code).toBe(
      'listing_not_found',
    );
    expect((await t.call('GET', `/listings/${draft.json().id}/favorites/count`, null)).statusCode).toBe(404);
    const unknown = '01900000-0000-7000-8000-000000000000';
    expect((await t.call('POST', `/favorites/${unknown}`, alice)).statusCode).toBe(404);
    expect((await t.call('POST', '/favorites/not-a-uuid', alice)).statusCode).toBe(400);
    expect((await t.call('DELETE', '/favorites/not-a-uuid', alice)).statusCode).toBe(400);
    expect(await favoriteIds(alice)).toEqual([]);

    // A listing saved while active and sold later stays saved, and saving it again is a no-op.
    await t.call('POST', `/favorites/${active.id}`, alice);
    await t.call('POST', `/listings/${active.id}/sold`, seller);
    const again = await t.call('POST', `/favorites/${active.id}`, alice);
    expect(again.statusCode, again.body).toBe(200);
    expect((await t.call('GET', '/favorites', alice)).json().items[0].listing.status).toBe('sold');
    await t.call('DELETE', '/favorites', alice);
  });

  it('answers which of a page of cards I saved, in one call, capped at 100 ids', async () => {
    const [a, b, c] = [await f.publish(seller), await f.publish(seller), await f.publish(seller)];
    await t.call('POST', `/favorites/${a.id}`, alice);
    await t.call('POST', `/favorites/${c.id}`, alice);
    await t.call('POST', `/favorites/${b.id}`, bob);
    const mine = await t.call('GET', `/favorites/ids?listingIds=${a.id},${b.id},${c.id},${a.id}`, alice);
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().ids.sort()).toEqual([a.id, c.id].sort());
    expect((await t.call('GET', `/favorites/ids?listingIds=${a.id},${b.id}`, bob)).json().ids).toEqual([
      b.id,
    ]);

    const many = Array.from({ length: 101 }, () => a.id).join(',');
    expect((await t.call('GET', `/favorites/ids?listingIds=${many}`, alice)).statusCode).toBe(400);
    expect((await t.call('GET', '/favorites/ids?listingIds=nope', alice)).statusCode).toBe(400);
    expect((await t.call('GET', '/favorites/ids', alice)).statusCode).toBe(400);
    await t.call('DELETE', '/favorites', alice);
    await t.call('DELETE', '/favorites', bob);
  });

  it('concurrent adds of the same favorite make one row', async () => {
    const listing = await f.publish(seller);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => t.call('POST', `/favorites/${listing.id}`, alice)),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array(20).fill(200));
    expect((await t.call('GET', `/listings/${listing.id}/favorites/count`, null)).json().count).toBe(1);
    expect(await favoriteIds(alice)).toEqual([listing.id]);
    await t.call('DELETE', '/favorites', alice);
  });
});

describe('shared wishlists', () => {
  it('shows the owner name and cards, nothing private, and stops after revoking or expiry', async () => {
    const listing = await f.publish(seller, { title: 'Shared Suzuki Alto' });
    await t.call('POST', `/favorites/${listing.id}`, alice);
    const created = await t.call('POST', '/favorites/shares', alice, { expiresInDays: 7 });
    expect(created.statusCode, created.body).toBe(201);
    const share = created.json();
    expect(share).toMatchObject({ active: true, revokedAt: null, path: `/wishlists/${share.token}` });
    expect(Date.parse(share.expiresAt) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

    const open = await t.call('GET', `/favorites/shared/${share.token}`, null);
    expect(open.statusCode, open.body).toBe(200);
    expect(open.json()).toMatchObject({ ownerName: 'Alice Saver', nextCursor: null });
    expect(open.json().items.map((item: Listing) => item.title)).toEqual(['Shared Suzuki Alto']);
    expect(open.body).not.toContain(alice.email);
    expect(open.body).not.toContain(alice.userId);
    expect(Object.keys(open.json()).sort()).toEqual(['expiresAt', 'items', 'nextCursor', 'ownerName']);

    // Only the owner lists and withdraws their links.
    expect((await t.call('GET', '/favorites/shares', bob)).json().items).toEqual([]);
    expect((await t.call('DELETE', `/favorites/shares/${share.id}`, bob)).statusCode).toBe(404);
    expect((await t.call('GET', `/favorites/shared/${share.token}`, null)).statusCode).toBe(200);
    expect((await t.call('GET', '/favorites/shares', alice)).json().items).toHaveLength(1);

    expect((await t.call('DELETE', `/favorites/shares/${share.id}`, alice)).statusCode).toBe(204);
    const revoked = await t.call('GET', `/favorites/shared/${share.token}`, null);
    expect(revoked.statusCode).toBe(410);
    expect(revoked.json().code).toBe('share_expired');
    expect((await t.call('GET', '/favorites/shares', alice)).json().items[0].active).toBe(false);

    const later = (await t.call('POST', '/favorites/shares', alice, {})).json();
    expect((await t.call('GET', `/favorites/shared/${later.token}`, null)).statusCode).toBe(200);
    await t.platform.database.db.execute(
      sql`update wishlist_shares set expires_at = now() - interval '1 second' where id = ${later.id}`,
    );
    expect((await t.call('GET', `/favorites/shared/${later.token}`, null)).statusCode).toBe(410);
    expect((await t.call('GET', `/favorites/shared/${'x'.repeat(32)}`, null)).statusCode).toBe(404);
    expect((await t.call('GET', '/favorites/shared/short', null)).statusCode).toBe(400);
    await t.call('DELETE', '/favorites', alice);
  });

  it('refuses bad share input and changes nothing', async () => {
    const before = (await t.call('GET', '/favorites/shares', bob)).json().items.length;
    for (const body of [
      { expiresInDays: 0 },
      { expiresInDays: 1000 },
      { expiresInDays: 'ten' },
      { expiresInDays: 1.5 },
      { expiresInDays: 3, owner: alice.userId },
    ]) {
      const response = await t.call('POST', '/favorites/shares', bob, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
    }
    expect((await t.call('DELETE', '/favorites/shares/not-a-uuid', bob)).statusCode).toBe(400);
    expect((await t.call('GET', '/favorites/shares', bob)).json().items).toHaveLength(before);
  });
});

describe('notifications of saved listings', () => {
  it('is subscribed to the listing events it needs', () => {
    for (const type of [
      'listing.price_changed',
      'listing.sold',
      'listing.expired',
      'listing.removed',
    ] as const) {
      expect(t.app.events.subscribers(type)).toContain('favorites');
    }
  });

  it('a price drop notifies each saver once (not the seller, not on a rise), even when retried', async () => {
    const listing = await f.publish(seller, { title: 'Nissan Leaf', amount: 4_000_000_00 });
    await t.call('POST', `/favorites/${listing.id}`, alice);
    await t.call('POST', `/favorites/${listing.id}`, seller);
    const price = (amount: number) => ({ type: 'fixed', amount, currency: 'LKR' });

    const rise = await t.call('PATCH', `/listings/${listing.id}`, seller, { price: price(4_200_000_00) });
    expect(rise.statusCode, rise.body).toBe(200);
    await t.app.modules.favorites.service.onPriceChanged(
      { listingId: listing.id, sellerId: seller.userId, from: price(4_000_000_00), to: price(4_200_000_00) },
      new Date().toISOString(),
    );
    expect(await notificationsOf(alice, 'price_drop')).toEqual([]);

    await t.call('PATCH', `/listings/${listing.id}`, seller, { price: price(3_500_000_00) });
    const event = {
      listingId: listing.id,
      sellerId: seller.userId,
      from: price(4_200_000_00),
      to: price(3_500_000_00),
    };
    const occurredAt = new Date().toISOString();
    expect(await t.app.modules.favorites.service.onPriceChanged(event, occurredAt)).toBe(1);
    // The job retried: the same envelope again adds nothing.
    await t.app.modules.favorites.service.onPriceChanged(event, occurredAt);
    const drops = await notificationsOf(alice, 'price_drop');
    expect(drops).toHaveLength(1);
    expect(drops[0]).toMatchObject({ title: 'Price drop: Nissan Leaf', url: `/listings/${listing.id}` });
    expect(drops[0]?.body).toContain('3,500,000.00');
    expect(await notificationsOf(seller, 'price_drop')).toEqual([]);
    expect(await notificationsOf(bob, 'price_drop')).toEqual([]);
    await t.call('DELETE', '/favorites', alice);
    await t.call('DELETE', '/favorites', seller);
  });

  it('sold, expired or removed notifies savers once', async () => {
    const sold = await f.publish(seller, { title: 'Sold Vitz' });
    const removed = await f.publish(seller, { title: 'Removed Swift' });
    await t.call('POST', `/favorites/${sold.id}`, alice);
    await t.call('POST', `/favorites/${sold.id}`, bob);
    await t.call('POST', `/favorites/${removed.id}`, alice);
    await t.call('POST', `/listings/${sold.id}/sold`, seller);
    expect((await t.call('DELETE', `/listings/${removed.id}`, seller)).statusCode).toBe(204);

    const service = t.app.modules.favorites.service;
    const at = new Date().toISOString();
    const soldEvent = { listingId: sold.id, sellerId: seller.userId };
    expect(await service.onListingEnded(soldEvent, 'sold', at)).toBe(2);
    await service.onListingEnded(soldEvent, 'sold', at);
    await service.onListingEnded({ listingId: removed.id, sellerId: seller.userId }, 'removed', at);

    const aliceNews = await notificationsOf(alice, 'favorite_unavailable');
    expect(aliceNews.map((item) => item.title).sort()).toEqual([
      'No longer available: Removed Swift',
      'No longer available: Sold Vitz',
    ]);
    expect(await notificationsOf(bob, 'favorite_unavailable')).toHaveLength(1);
    // A removed listing leaves the favorites list (its card is the seller's and admins' only).
    expect(await favoriteIds(alice)).toEqual([sold.id]);
  });
});
