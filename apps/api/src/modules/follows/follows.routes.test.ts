import type { CategoryDetail, FollowedItem, Listing, ListingSummary } from '@souk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListingFixtures, listingFixtures } from '../../test-support/listing-fixtures.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { waitFor } from '../../test-support/wait.js';
import { categoryFollows, memberFollows } from './follows.schema.js';

let t: TestApp;
let seller: TestUser;
let fan: TestUser;
let catFan: TestUser;
let both: TestUser;
let loner: TestUser;
let cars: CategoryDetail;

let fx: ListingFixtures;

function createListing(who: TestUser, title: string, publish = true): Promise<Listing> {
  return publish ? fx.publish(who, { title }) : fx.draft(who, { title });
}

const followedNotifications = async (who: TestUser, listingId: string) =>
  (await t.call('GET', '/notifications?limit=100', who))
    .json()
    .items.filter(
      (item: { type: string; data: { listingId?: string } }) =>
        item.type === 'followed_listing_published' && item.data.listingId === listingId,
    );

beforeAll(async () => {
  t = await createTestApp({ work: true });
  fx = await listingFixtures(t);
  [seller, fan, catFan, both, loner] = await Promise.all([
    t.signUp({ displayName: 'Sunil Seller' }),
    t.signUp({ displayName: 'Fiona Fan' }),
    t.signUp({ displayName: 'Chathu Cars' }),
    t.signUp({ displayName: 'Bo Both' }),
    t.signUp({ displayName: 'Lonely Lal' }),
  ]);
  cars = await fx.category('cars');
});

afterAll(async () => {
  await t.close();
});

describe('following', () => {
  it('follows a member and a category idempotently, with follower counts', async () => {
    const first = await t.call('PUT', `/follows/member/${seller.userId}`, fan);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ type: 'member', id: seller.userId, following: true, followers: 1 });
    expect((await t.call('PUT', `/follows/member/${seller.userId}`, fan)).json().followers).toBe(1);

    expect((await t.call('PUT', `/follows/category/${cars.id}`, catFan)).json()).toMatchObject({
      following: true,
      followers: 1,
    });
    await t.call('PUT', `/follows/member/${seller.userId}`, both);
    await t.call('PUT', `/follows/category/${cars.id}`, both);

    expect((await t.call('GET', `/follows/member/${seller.userId}`, null)).json()).toEqual({
      type: 'member',
      id: seller.userId,
      following: false,
      followers: 2,
    });
    expect((await t.call('GET', `/follows/category/${cars.id}`, both)).json()).toMatchObject({
      following: true,
      followers: 2,
    });
  });

  it('refuses following yourself, unknown targets, bad input and signed-out callers', async () => {
    const self = await t.call('PUT', `/follows/member/${seller.userId}`, seller);
    expect(self.statusCode).toBe(400);
    expect(self.json().code).toBe('cannot_follow_self');
    const missing = '0190a000-0000-7000-8000-000000000000';
    expect((await t.call('PUT', `/follows/member/${missing}`, fan)).json().code).toBe('member_not_found');
    expect((await t.call('PUT', `/follows/category/${missing}`, fan)).json().code).toBe('category_not_found');
    expect((await t.call('PUT', `/follows/shop/${seller.userId}`, fan)).statusCode).toBe(400);
    expect((await t.call('PUT', '/follows/member/not-a-uuid', fan)).statusCode).toBe(400);
    expect((await t.call('PUT', `/follows/member/${seller.userId}`, null)).statusCode).toBe(401);
    expect((await t.call('GET', '/feed/following', null)).statusCode).toBe(401);
    expect((await t.call('GET', '/me/following?limit=0', fan)).statusCode).toBe(400);
    expect((await t.call('GET', '/me/following?cursor=zzz', fan)).statusCode).toBe(400);
    // Nothing changed.
    expect((await t.call('GET', `/follows/member/${seller.userId}`, null)).json().followers).toBe(2);
  });

  it('lists whom I follow, newest first, with paging across members and categories', async () => {
    const pages: FollowedItem[] = [];
    let cursor: string | null = null;
    do {
      const response = await t.call('GET', `/me/following?limit=1${cursor ? `&cursor=${cursor}` : ''}`, both);
      expect(response.statusCode, response.body).toBe(200);
      pages.push(...response.json().items);
      cursor = response.json().nextCursor;
    } while (cursor);
    expect(pages.map((item) => [item.type, item.name])).toEqual([
      ['category', 'Cars'],
      ['member', 'Sunil Seller'],
    ]);
    expect(pages[0]?.slug).toBe('cars');
    expect((await t.call('GET', '/me/following?type=member', both)).json().items).toHaveLength(1);
  });

  it('pages exactly when follows of both kinds share one millisecond', async () => {
    const reader = await t.signUp({ displayName: 'Tie Reader' });
    const others = await Promise.all([t.signUp(), t.signUp()]);
    const at = new Date('2026-01-01T00:00:00.000Z');
    const categoryIds = (await t.app.modules.catalog.service.allCategoryRefs())
      .filter((category) => category.id !== cars.id)
      .slice(0, 2)
      .map((category) => category.id);
    expect(categoryIds).toHaveLength(2);
    await t.platform.database.db
      .insert(memberFollows)
      .values(
        others.map((other) => ({ followerId: reader.userId, followedId: other.userId, createdAt: at })),
      );
    await t.platform.database.db
      .insert(categoryFollows)
      .values(categoryIds.map((categoryId) => ({ followerId: reader.userId, categoryId, createdAt: at })));
    for (const limit of [1, 2, 3]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const response = await t.call(
          'GET',
          `/me/following?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
          reader,
        );
        expect(response.statusCode, response.body).toBe(200);
        seen.push(...response.json().items.map((item: FollowedItem) => `${item.type}:${item.id}`));
        cursor = response.json().nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(4);
      expect(new Set(seen).size).toBe(4);
    }
  });
});

describe('the following feed and notifications', () => {
  it('shows new active listings from followed members and categories, newest first; empty for no follows', async () => {
    const draft = await createListing(seller, 'Draft that nobody sees', false);
    const older = await createListing(seller, 'Honda Civic 2016');
    const newer = await createListing(seller, 'Suzuki Alto 2020');
    const feed = (await t.call('GET', '/feed/following?limit=1', fan)).json();
    expect(feed.items.map((item: ListingSummary) => item.id)).toEqual([newer.id]);
    const next = (await t.call('GET', `/feed/following?limit=10&cursor=${feed.nextCursor}`, fan)).json();
    expect(next.items.map((item: ListingSummary) => item.id)).toContain(older.id);
    expect(next.items.map((item: ListingSummary) => item.id)).not.toContain(draft.id);
    // The category follower sees them through Cars.
    const catFeed = (await t.call('GET', '/feed/following', catFan)).json();
    expect(catFeed.items.map((item: ListingSummary) => item.id)).toEqual(
      expect.arrayContaining([older.id, newer.id]),
    );
    expect((await t.call('GET', '/feed/following', loner)).json()).toEqual({ items: [], nextCursor: null });
  });

  it('notifies each follower once per listing, even when following both seller and category or on redelivery', async () => {
    const listing = await createListing(seller, 'Nissan Leaf 2019');
    for (const who of [fan, catFan, both]) {
      const found = await waitFor(async () => {
        const items = await followedNotifications(who, listing.id);
        return items.length > 0 ? items : null;
      });
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ url: `/listings/${listing.id}` });
    }
    // The event delivered again (a retried job) and a second publish after unpublishing add nothing.
    await t.app.modules.follows.service.onListingPublished({
      listingId: listing.id,
      sellerId: seller.userId,
    });
    await t.call('POST', `/listings/${listing.id}/unpublish`, seller);
    await t.call('POST', `/listings/${listing.id}/publish`, seller);
    await t.app.modules.follows.service.onListingPublished({
      listingId: listing.id,
      sellerId: seller.userId,
    });
    for (const who of [fan, catFan, both])
      expect(await followedNotifications(who, listing.id)).toHaveLength(1);
    expect(await followedNotifications(seller, listing.id)).toHaveLength(0);
    expect(await followedNotifications(loner, listing.id)).toHaveLength(0);
  });

  it('stops after unfollowing (idempotent)', async () => {
    expect((await t.call('DELETE', `/follows/member/${seller.userId}`, fan)).json()).toMatchObject({
      following: false,
      followers: 1,
    });
    expect((await t.call('DELETE', `/follows/member/${seller.userId}`, fan)).statusCode).toBe(200);
    expect((await t.call('GET', '/feed/following', fan)).json().items).toEqual([]);
    const listing = await createListing(seller, 'Kia Picanto 2021');
    const notified = await t.app.modules.follows.service.onListingPublished({
      listingId: listing.id,
      sellerId: seller.userId,
    });
    // catFan and both were notified by the job or by this call; fan by neither.
    expect(notified).toBeLessThanOrEqual(2);
    await waitFor(async () => (await followedNotifications(catFan, listing.id)).length === 1);
    expect(await followedNotifications(fan, listing.id)).toHaveLength(0);
  });
});
