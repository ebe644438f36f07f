import type { CategoryDetail, Listing, LocationNode } from '@souk/contracts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';

let t: TestApp;
let seller: TestUser;
let other: TestUser;
let admin: TestUser;
let cars: CategoryDetail;
let colomboId: string;

beforeAll(async () => {
  t = await createTestApp();
  await t.app.modules.catalog.seedDemoData();
  [seller, other, admin] = await Promise.all([t.signUp(), t.signUp(), t.signUp({ role: 'admin' })]);
  cars = (await t.app.inject({ method: 'GET', url: '/api/v1/categories/cars' })).json();
  const lanka = (await t.app.inject({ method: 'GET', url: '/api/v1/locations?country=LK' })).json()
    .items[0] as LocationNode;
  const cities = lanka.children
    .flatMap((province) => province.children)
    .flatMap((district) => district.children);
  colomboId = (cities.find((city) => city.name === 'Colombo') as LocationNode).id;
});
afterAll(() => t.close());

const carAttributes = {
  year: 2018,
  mileageKm: 45_000,
  fuel: 'hybrid',
  condition: 'used',
  make: 'toyota',
  model: 'corolla',
  transmission: 'automatic',
};

function draftBody(overrides: object = {}) {
  return {
    categoryId: cars.id,
    title: 'Toyota Corolla 2018, one owner',
    description: 'Well kept, full service history.\nNew tyres.',
    price: { type: 'fixed', amount: 7_500_000_00, currency: 'LKR' },
    condition: 'used',
    locationId: colomboId,
    coordinates: { latitude: 6.927079, longitude: 79.861244 },
    attributes: carAttributes,
    features: ['Reverse camera', 'Alloy wheels'],
    ...overrides,
  };
}

async function createDraft(who: TestUser = seller, overrides: object = {}): Promise<Listing> {
  const response = await t.call('POST', '/listings', who, draftBody(overrides));
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function createActive(who: TestUser = seller, overrides: object = {}): Promise<Listing> {
  const draft = await createDraft(who, overrides);
  const published = await t.call('POST', `/listings/${draft.id}/publish`, who);
  expect(published.statusCode, published.body).toBe(200);
  return published.json();
}

describe('creating and editing', () => {
  it('creates a draft that only its seller can see', async () => {
    const draft = await createDraft();
    expect(draft).toMatchObject({
      status: 'draft',
      kind: 'classified',
      price: { type: 'fixed', amount: 7_500_000_00, currency: 'LKR' },
      category: { slug: 'cars' },
      location: { name: 'Colombo', countryCode: 'LK' },
      seller: { id: seller.userId },
      viewCount: 0,
    });
    expect((await t.call('GET', `/listings/${draft.id}`, seller)).statusCode).toBe(200);
    expect((await t.call('GET', `/listings/${draft.id}`, other)).statusCode).toBe(404);
    expect((await t.call('GET', `/listings/${draft.id}`, null)).statusCode).toBe(404);
  });

  it('refuses attributes that break the category schema, one error per field, storing nothing', async () => {
    const mine = async () =>
      (await t.call('GET', '/listings/mine?limit=100', seller)).json().items as Listing[];
    const before = await mine();
    const response = await t.call(
      'POST',
      '/listings',
      seller,
      draftBody({
        attributes: {
          year: 1800, // below the minimum
          mileageKm: 12.5, // not a whole number
          fuel: 'steam', // not an option
          make: 'honda',
          model: 'corolla', // a Toyota model under Honda
          colourful: true, // not an attribute of cars
        },
      }),
    );
    expect(response.statusCode).toBe(400);
    const problem = response.json();
    expect(problem.code).toBe('invalid_attributes');
    expect(problem.errors.map((error: { path: string }) => error.path).sort()).toEqual(
      [
        'body.attributes.colourful',
        'body.attributes.fuel',
        'body.attributes.mileageKm',
        'body.attributes.model',
        'body.attributes.year',
      ].sort(),
    );
    // Nothing stored: the seller's listings are the same as before the refused request.
    expect((await mine()).map((item) => item.id)).toEqual(before.map((item) => item.id));
  });

  it('refuses a price sent as a float or negative, and other malformed input', async () => {
    const cases = [
      { price: { type: 'fixed', amount: 1999.99, currency: 'LKR' } },
      { price: { type: 'fixed', amount: -100, currency: 'LKR' } },
      { price: { type: 'fixed', amount: '100', currency: 'LKR' } },
      { price: { type: 'fixed', amount: 100, currency: 'XYZ' } },
      { price: { type: 'fixed', amount: 100 } },
      { title: 'x' },
      { title: 'y'.repeat(121) },
      { quantity: -1 },
      { categoryId: 'not-a-uuid' },
      { kind: 'raffle' },
      { coordinates: { latitude: 91, longitude: 0 } },
      { status: 'active' },
      { sellerId: other.userId },
      { viewCount: 1000 },
    ];
    for (const overrides of cases) {
      const response = await t.call('POST', '/listings', seller, draftBody(overrides));
      expect(response.statusCode, JSON.stringify(overrides)).toBe(400);
      expect(response.json().errors.length).toBeGreaterThan(0);
    }
    const unknownCategory = await t.call(
      'POST',
      '/listings',
      seller,
      draftBody({ categoryId: '01900000-0000-7000-8000-0000000000ff' }),
    );
    expect(unknownCategory.statusCode).toBe(400);
    expect(unknownCategory.json().code).toBe('category_not_found');
    const unknownLocation = await t.call(
      'POST',
      '/listings',
      seller,
      draftBody({ locationId: '01900000-0000-7000-8000-0000000000ff' }),
    );
    expect(unknownLocation.json().code).toBe('location_not_found');
    expect((await t.call('POST', '/listings', null, draftBody())).statusCode).toBe(401);
  });

  it('updates its own listing; another user gets 403 and nothing changes; status cannot be set', async () => {
    const draft = await createDraft();
    const renamed = await t.call('PATCH', `/listings/${draft.id}`, seller, {
      title: 'Toyota Corolla 2018, price drop',
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().title).toBe('Toyota Corolla 2018, price drop');

    const hijack = await t.call('PATCH', `/listings/${draft.id}`, other, { title: 'Mine now' });
    expect(hijack.statusCode).toBe(403);
    expect((await t.call('DELETE', `/listings/${draft.id}`, other)).statusCode).toBe(403);
    expect((await t.call('POST', `/listings/${draft.id}/publish`, other)).statusCode).toBe(403);
    const unchanged = (await t.call('GET', `/listings/${draft.id}`, seller)).json();
    expect(unchanged.title).toBe('Toyota Corolla 2018, price drop');
    expect(unchanged.status).toBe('draft');

    const statusChange = await t.call('PATCH', `/listings/${draft.id}`, seller, { status: 'active' });
    expect(statusChange.statusCode).toBe(400);
    expect((await t.call('GET', `/listings/${draft.id}`, seller)).json().status).toBe('draft');
    expect((await t.call('PATCH', `/listings/${draft.id}`, seller, {})).statusCode).toBe(400);

    const byAdmin = await t.call('PATCH', `/listings/${draft.id}`, admin, { title: 'Edited by an admin' });
    expect(byAdmin.statusCode).toBe(200);
  });

  it('keeps the description plain text', async () => {
    const draft = await createDraft(seller, {
      description: 'Line one\r\n\r\n\r\n\r\nLine two\u0007 <b>bold</b>',
    });
    expect(draft.description).toBe('Line one\n\nLine two <b>bold</b>');
  });
});

describe('lifecycle', () => {
  it('publishes a complete draft and refuses an incomplete one with what is missing', async () => {
    const incomplete = await createDraft(seller, {
      attributes: { year: 2018 },
      locationId: null,
      price: undefined,
    });
    const refused = await t.call('POST', `/listings/${incomplete.id}/publish`, seller);
    expect(refused.statusCode).toBe(400);
    const paths = refused.json().errors.map((error: { path: string }) => error.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'body.attributes.make',
        'body.attributes.model',
        'body.price',
        'body.locationId',
      ]),
    );
    expect((await t.call('GET', `/listings/${incomplete.id}`, seller)).json().status).toBe('draft');

    const active = await createActive();
    expect(active.status).toBe('active');
    expect(active.publishedAt).not.toBeNull();
    expect(new Date(active.expiresAt as string).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect((await t.call('POST', `/listings/${active.id}/publish`, seller)).statusCode).toBe(409);
  });

  it('unpublishes, sells, and refuses impossible transitions', async () => {
    const active = await createActive();
    const draft = await t.call('POST', `/listings/${active.id}/unpublish`, seller);
    expect(draft.json().status).toBe('draft');
    await t.call('POST', `/listings/${active.id}/publish`, seller);
    const sold = await t.call('POST', `/listings/${active.id}/sold`, seller);
    expect(sold.json().status).toBe('sold');
    expect((await t.call('POST', `/listings/${active.id}/unpublish`, seller)).statusCode).toBe(409);
    expect((await t.call('POST', `/listings/${active.id}/renew`, seller)).statusCode).toBe(409);
    // A sold listing stays visible to everyone, marked sold.
    expect((await t.call('GET', `/listings/${active.id}`, null)).json().status).toBe('sold');
  });

  it('expires listings past their date through the job, and renews them', async () => {
    const active = await createActive();
    const expired = await t.app.modules.listings.service.expireDue(new Date(Date.now() + 31 * 86_400_000));
    expect(expired).toBeGreaterThanOrEqual(1);
    expect((await t.call('GET', `/listings/${active.id}`, seller)).json().status).toBe('expired');
    const renewed = await t.call('POST', `/listings/${active.id}/renew`, seller);
    expect(renewed.json().status).toBe('active');
  });

  it('soft-deletes: gone for everyone, kept for admins', async () => {
    const active = await createActive();
    expect((await t.call('DELETE', `/listings/${active.id}`, seller)).statusCode).toBe(204);
    expect((await t.call('GET', `/listings/${active.id}`, null)).statusCode).toBe(404);
    expect((await t.call('GET', `/listings/${active.id}`, seller)).statusCode).toBe(404);
    const kept = await t.call('GET', `/listings/${active.id}`, admin);
    expect(kept.statusCode).toBe(200);
    expect(kept.json().status).toBe('removed');
    expect((await t.call('DELETE', `/listings/${active.id}`, seller)).statusCode).toBe(404);
  });
});

describe('reading', () => {
  it('counts a view once per viewer a day, never the seller’s own', async () => {
    const active = await createActive();
    await t.call('GET', `/listings/${active.id}`, seller);
    await t.call('GET', `/listings/${active.id}`, other);
    await t.call('GET', `/listings/${active.id}`, other);
    const seen = await t.call('GET', `/listings/${active.id}`, admin);
    expect(seen.json().viewCount).toBe(2);
  });

  it('shows the exact point to the seller and a rounded one to everyone else', async () => {
    const active = await createActive();
    expect((await t.call('GET', `/listings/${active.id}`, seller)).json().coordinates).toEqual({
      latitude: 6.927079,
      longitude: 79.861244,
    });
    expect((await t.call('GET', `/listings/${active.id}`, other)).json().coordinates).toEqual({
      latitude: 6.93,
      longitude: 79.86,
    });
  });

  it('lists active listings newest first with cursor paging and filters', async () => {
    const mine = await t.signUp();
    const created: Listing[] = [];
    for (let index = 0; index < 5; index++)
      created.push(await createActive(mine, { title: `Corolla number ${index}` }));
    const first = await t.call('GET', `/listings?seller=${mine.userId}&limit=2`, null);
    expect(first.statusCode).toBe(200);
    const page1 = first.json();
    expect(page1.items.map((item: Listing) => item.title)).toEqual(['Corolla number 4', 'Corolla number 3']);
    expect(page1.items[0].cardAttributes).toEqual(
      expect.arrayContaining([
        { key: 'make', label: 'Make', value: 'Toyota' },
        { key: 'mileageKm', label: 'Mileage', value: '45,000 km' },
      ]),
    );
    const page2 = (
      await t.call('GET', `/listings?seller=${mine.userId}&limit=2&cursor=${page1.nextCursor}`, null)
    ).json();
    const page3 = (
      await t.call('GET', `/listings?seller=${mine.userId}&limit=2&cursor=${page2.nextCursor}`, null)
    ).json();
    expect([...page2.items, ...page3.items].map((item: Listing) => item.title)).toEqual([
      'Corolla number 2',
      'Corolla number 1',
      'Corolla number 0',
    ]);
    expect(page3.nextCursor).toBeNull();

    const inVehicles = (
      await t.call('GET', `/listings?category=vehicles&seller=${mine.userId}`, null)
    ).json();
    expect(inVehicles.items).toHaveLength(5);
    const inProperty = (
      await t.call('GET', `/listings?category=property&seller=${mine.userId}`, null)
    ).json();
    expect(inProperty.items).toHaveLength(0);
    expect((await t.call('GET', '/listings?cursor=bogus', null)).statusCode).toBe(400);
    expect((await t.call('GET', '/listings?limit=1000', null)).statusCode).toBe(400);
    // Someone else's drafts cannot be listed by status.
    expect((await t.call('GET', `/listings?seller=${mine.userId}&status=draft`, other)).statusCode).toBe(403);
  });

  it('gives me my listings with counts per status', async () => {
    const me = await t.signUp();
    await createDraft(me);
    const sold = await createActive(me);
    await t.call('POST', `/listings/${sold.id}/sold`, me);
    await createActive(me);
    const response = await t.call('GET', '/listings/mine', me);
    expect(response.statusCode).toBe(200);
    expect(response.json().counts).toEqual({ draft: 1, active: 1, sold: 1, expired: 0, removed: 0 });
    expect(response.json().items).toHaveLength(3);
    const drafts = (await t.call('GET', '/listings/mine?status=draft', me)).json();
    expect(drafts.items).toHaveLength(1);
    expect((await t.call('GET', '/listings/mine', null)).statusCode).toBe(401);
  });

  it('features a listing for a window set by an admin', async () => {
    const active = await createActive();
    const window = {
      from: new Date(Date.now() - 60_000).toISOString(),
      until: new Date(Date.now() + 86_400_000).toISOString(),
    };
    expect((await t.call('PUT', `/listings/${active.id}/feature`, seller, window)).statusCode).toBe(403);
    const featured = await t.call('PUT', `/listings/${active.id}/feature`, admin, window);
    expect(featured.statusCode).toBe(200);
    expect(featured.json().featured).toBe(true);
    const list = (await t.call('GET', '/listings/featured', null)).json();
    expect(list.items.map((item: Listing) => item.id)).toContain(active.id);
    const backwards = await t.call('PUT', `/listings/${active.id}/feature`, admin, {
      from: window.until,
      until: window.from,
    });
    expect(backwards.statusCode).toBe(400);
    await t.call('DELETE', `/listings/${active.id}/feature`, admin);
    expect(
      (await t.call('GET', '/listings/featured', null)).json().items.map((item: Listing) => item.id),
    ).not.toContain(active.id);
  });
});

describe('events', () => {
  it('publishes an event for each status and price change', async () => {
    const published: string[] = [];
    const spy = vi.spyOn(t.app.events, 'publish').mockImplementation(async (_tx, type) => {
      published.push(type);
    });
    try {
      const draft = await createDraft();
      await t.call('PATCH', `/listings/${draft.id}`, seller, {
        price: { type: 'negotiable', amount: 7_000_000_00, currency: 'LKR' },
      });
      await t.call('POST', `/listings/${draft.id}/publish`, seller);
      await t.call('POST', `/listings/${draft.id}/sold`, seller);
      expect(published).toEqual([
        'listing.created',
        'listing.price_changed',
        'listing.published',
        'listing.sold',
      ]);
    } finally {
      spy.mockRestore();
    }
  });
});
