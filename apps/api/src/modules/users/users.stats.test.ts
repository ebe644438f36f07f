import type { ListingPage, ListingSummary } from '@souk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAppDemoListings } from '../../demo-data.js';
import { listingFixtures } from '../../test-support/listing-fixtures.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';

/*
 * Issue 16 #18: a seller's stats counted 0 listings and 0 sales whatever they had, and the public
 * profile showed none of their listings. The profile page reads GET /users/:id/stats and
 * GET /listings?seller=<id> (apps/web/src/pages/user-profile-page.tsx).
 */

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t?.close());

const get = async (url: string) => {
  const response = await t.app.inject({ method: 'GET', url: `/api/v1${url}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

/** Every page of the profile's listing feed, as the web app loads them ("Load more"). */
async function profileListings(sellerId: string): Promise<ListingSummary[]> {
  const items: ListingSummary[] = [];
  for (let cursor: string | null = null; ; ) {
    const page: ListingPage = await get(
      `/listings?seller=${sellerId}&limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    items.push(...page.items);
    if (!page.nextCursor) return items;
    cursor = page.nextCursor;
  }
}

describe('seller stats and the public profile', () => {
  it('count active listings and sales, and the profile lists the active ones', async () => {
    const f = await listingFixtures(t);
    const seller = await t.signUp();
    const active = [];
    for (let index = 0; index < 3; index++)
      active.push(await f.publish(seller, { title: `Toyota Vitz ${index}` }));
    const sold = await f.publish(seller, { title: 'Toyota Vitz sold' });
    expect((await f.call('POST', `/listings/${sold.id}/sold`, seller)).statusCode).toBe(200);
    await f.draft(seller, { title: 'Toyota Vitz draft' });
    const deleted = await f.publish(seller, { title: 'Toyota Vitz deleted' });
    expect((await f.call('DELETE', `/listings/${deleted.id}`, seller)).statusCode).toBe(204);

    expect(await get(`/users/${seller.userId}/stats`)).toEqual({
      listings: 3,
      sales: 1,
      reviews: 0,
      responseRate: null,
    });
    const shown = await profileListings(seller.userId);
    expect(shown.map((listing) => listing.id).sort()).toEqual(active.map((listing) => listing.id).sort());
    expect(shown.every((listing) => listing.status === 'active')).toBe(true);

    const newcomer = await t.signUp();
    expect(await get(`/users/${newcomer.userId}/stats`)).toMatchObject({ listings: 0, sales: 0 });
  });

  it('agree with the demo data: each demo seller’s active and sold listings', async () => {
    await t.app.modules.catalog.seedDemoData();
    await seedAppDemoListings(t.app, t.platform, { count: 300, sellerCount: 5 });
    const rows = (await t.platform.database.db.execute(
      `select seller_id, count(*) filter (where status = 'active')::int as active,
         count(*) filter (where status = 'sold')::int as sold
       from listings where deleted_at is null and external_id is null and seller_id in (
         select seller_id from listings group by seller_id having count(*) >= 30)
       group by seller_id order by seller_id`,
    )) as unknown as { rows: { seller_id: string; active: number; sold: number }[] };
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const row of rows.rows) {
      expect(row.active).toBeGreaterThan(0);
      expect(row.sold).toBeGreaterThan(0);
      const stats = await get(`/users/${row.seller_id}/stats`);
      expect(stats).toMatchObject({ listings: row.active, sales: row.sold });
      expect((await profileListings(row.seller_id)).length).toBe(row.active);
    }
  }, 120_000);
});
