import { Listing, type ListingPage, MyListings } from '@souk/contracts';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/http/context.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import {
  attachDemoImages,
  DEMO_SELLER_PASSWORD,
  type DemoListingsOptions,
  demoListingId,
  demoSellerEmail,
  mediaDemoImageStore,
  seedDemoListings,
} from './listings.seed.js';

let t: TestApp;
const SEED = 7;
const now = new Date();

beforeAll(async () => {
  t = await createTestApp();
  await t.app.modules.catalog.seedDemoData();
});
afterAll(() => t.close());

function seed(options: DemoListingsOptions) {
  return seedDemoListings(
    {
      database: t.platform.database,
      catalog: t.app.modules.catalog.service,
      accounts: t.app.modules.auth.service,
      ttlDays: t.platform.config.LISTING_TTL_DAYS,
    },
    { seed: SEED, now, sellerCount: 5, batchSize: 60, ...options },
  );
}

/** Every active listing, through the public list endpoint. */
async function allActive(): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${cursor}` : '';
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/listings?limit=100${query}` });
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json() as ListingPage;
    ids.push(...page.items.map((item) => item.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

describe('seeding the demo listings', () => {
  it('inserts them once: a second run, and a larger run over it, add no duplicates', async () => {
    const first = await seed({ count: 120 });
    expect(first).toMatchObject({ requested: 120, inserted: 120, skipped: false, sellers: 5 });
    const active = await allActive();
    expect(active.length).toBeGreaterThan(80);
    expect(new Set(active).size).toBe(active.length);

    const again = await seed({ count: 120 });
    expect(again).toMatchObject({ inserted: 0, skipped: true });
    expect((await allActive()).sort()).toEqual([...active].sort());

    // Listing i of a seed is always the same row: 200 over 120 adds the 80 missing ones.
    const more = await seed({ count: 200 });
    expect(more).toMatchObject({ inserted: 80, skipped: false, sellers: 5 });
    const after = await allActive();
    expect(new Set(after).size).toBe(after.length);
    expect(after.length).toBeGreaterThan(active.length);
    expect(after).toEqual(expect.arrayContaining(active));
  });

  it('serves a seeded listing like any other, to the public and to its seller', async () => {
    const id = (await allActive())[0] as string;
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/listings/${id}` });
    expect(response.statusCode, response.body).toBe(200);
    const listing = Listing.parse(response.json());
    expect(listing.status).toBe('active');
    expect(listing.location?.countryCode).toMatch(/^(LK|SA|AE)$/);
    expect(listing.seller.displayName).not.toBe('Deleted user');

    // The demo sellers sign in with the documented password and see their listings by status.
    const session = await t.app.modules.auth.service.login(
      systemContext(),
      { email: demoSellerEmail(1), password: DEMO_SELLER_PASSWORD },
      { ipAddress: null, userAgent: 'test' },
    );
    if (session.status !== 'signed_in') throw new Error('demo sellers have no second factor');
    const mine = await t.app.inject({
      method: 'GET',
      url: '/api/v1/listings/mine?limit=5',
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    expect(mine.statusCode, mine.body).toBe(200);
    const counts = MyListings.parse(mine.json()).counts;
    expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBeGreaterThan(0);
  });

  it('renders photos and hands them to the media store, the newest listings first', async () => {
    const stored: { listingId: string; sellerId: string; sizes: string[] }[] = [];
    const report = await attachDemoImages(
      {
        database: t.platform.database,
        catalog: t.app.modules.catalog.service,
        store: async ({ listingId, sellerId, images }) => {
          const sizes = await Promise.all(
            images.map(async ({ bytes }) => {
              const meta = await sharp(bytes).metadata();
              return `${meta.format} ${meta.width}x${meta.height}`;
            }),
          );
          stored.push({ listingId, sellerId, sizes });
        },
        hasImages: async (ids) => new Set(ids.filter((id) => id === demoListingId(SEED, 0))),
      },
      { seed: SEED, count: 200, limit: 3, perListing: 2 },
    );
    expect(report).toMatchObject({ listings: stored.length, images: stored.length * 2 });
    expect(stored.length).toBeGreaterThanOrEqual(2);
    expect(stored[0]?.sizes).toEqual(['jpeg 1200x800', 'jpeg 1200x800']);
    expect(stored.map((entry) => entry.listingId)).not.toContain(demoListingId(SEED, 0));
  });

  it('stores photos through the media module, which the listing then shows', async () => {
    const media = t.app.modules.media.service;
    const report = await attachDemoImages(
      {
        database: t.platform.database,
        catalog: t.app.modules.catalog.service,
        store: mediaDemoImageStore(media),
        hasImages: async (ids) => {
          const found = await media.imagesOf(ids);
          return new Set(ids.filter((id) => (found.get(id)?.length ?? 0) > 0));
        },
      },
      { seed: SEED, count: 200, limit: 1, perListing: 2 },
    );
    expect(report).toMatchObject({ listings: 1, images: 2 });
    const active = await allActive();
    const found = await media.imagesOf(active);
    const withPhotos = active.find((id) => (found.get(id)?.length ?? 0) > 0);
    const listing = Listing.parse(
      (await t.app.inject({ method: 'GET', url: `/api/v1/listings/${withPhotos}` })).json(),
    );
    expect(listing.images).toHaveLength(2);
    expect(listing.primaryImage?.id).toBe(listing.images[0]?.id);
    expect(listing.images[0]?.variants.map((variant) => variant.width)).toEqual([320, 800]);
  });
});
