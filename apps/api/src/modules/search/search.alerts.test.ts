import type { CategoryDetail, Listing, LocationNode, SavedSearch } from '@souk/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';

let t: TestApp;
let alice: TestUser;
let bob: TestUser;
let admin: TestUser;
let cars: CategoryDetail;
let colomboId: string;

async function draft(who: TestUser, title: string, attributes: object = {}): Promise<Listing> {
  const response = await t.call('POST', '/listings', who, {
    categoryId: cars.id,
    title,
    description: 'Well kept.',
    price: { type: 'fixed', amount: 5_000_000_00, currency: 'LKR' },
    condition: 'used',
    locationId: colomboId,
    coordinates: { latitude: 6.93, longitude: 79.86 },
    attributes: {
      year: 2018,
      mileageKm: 45_000,
      condition: 'used',
      fuel: 'petrol',
      make: 'toyota',
      model: 'corolla',
      transmission: 'automatic',
      ...attributes,
    },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

/** Publishes, then runs the search module's `listing.published` handler as its job would. */
async function publish(who: TestUser, title: string, attributes: object = {}): Promise<Listing> {
  const created = await draft(who, title, attributes);
  const published = await t.call('POST', `/listings/${created.id}/publish`, who);
  expect(published.statusCode, published.body).toBe(200);
  await t.app.modules.search.service.onListingPublished({ listingId: created.id, sellerId: who.userId });
  return published.json();
}

async function alertsOf(who: TestUser): Promise<{ title: string; url: string | null }[]> {
  const response = await t.call('GET', '/notifications?limit=50', who);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().items as { type: string; title: string; url: string | null }[]).filter(
    (item) => item.type === 'saved_search_alert',
  );
}

/** How each alert of `who` goes out by e-mail: `pending` (a mail of its own now) or `digest`. */
async function alertMailStatus(who: TestUser): Promise<string[]> {
  const result = await t.platform.database.db.execute(sql`
    select d.status from notification_deliveries d join notifications n on n.id = d.notification_id
    where n.user_id = ${who.userId} and n.type = 'saved_search_alert' and d.channel = 'email'
    order by n.created_at`);
  return (result as unknown as { rows: { status: string }[] }).rows.map((row) => row.status);
}

async function save(who: TestUser, body: object): Promise<SavedSearch> {
  const response = await t.call('POST', '/search/saved', who, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

beforeAll(async () => {
  t = await createTestApp();
  await t.app.modules.catalog.seedDemoData();
  [alice, bob, admin] = await Promise.all([t.signUp(), t.signUp(), t.signUp({ role: 'admin' })]);
  cars = (await t.call('GET', '/categories/cars', null)).json();
  const lanka = (await t.call('GET', '/locations?country=LK', null)).json().items[0] as LocationNode;
  colomboId = (
    lanka.children
      .flatMap((province) => province.children)
      .flatMap((district) => district.children)
      .find((city) => city.name === 'Colombo') as LocationNode
  ).id;
});
afterAll(() => t.close());

describe('saved searches', () => {
  it('saves, lists, renames and deletes; only the owner sees them', async () => {
    const saved = await save(alice, {
      name: 'Hybrids',
      query: { q: 'hybrid', category: 'cars', 'attr.year': '2015..2020' },
    });
    expect(saved).toMatchObject({ name: 'Hybrids', alert: 'off', query: { q: 'hybrid', category: 'cars' } });
    expect((await t.call('GET', '/search/saved', alice)).json().items).toHaveLength(1);
    expect((await t.call('GET', '/search/saved', bob)).json().items).toHaveLength(0);
    expect((await t.call('PATCH', `/search/saved/${saved.id}`, bob, { name: 'Mine' })).statusCode).toBe(404);
    const renamed = await t.call('PATCH', `/search/saved/${saved.id}`, alice, { name: 'Cheap hybrids' });
    expect(renamed.json()).toMatchObject({ name: 'Cheap hybrids' });
    expect((await t.call('DELETE', `/search/saved/${saved.id}`, bob)).statusCode).toBe(404);
    expect((await t.call('DELETE', `/search/saved/${saved.id}`, alice)).statusCode).toBe(204);
    expect((await t.call('GET', '/search/saved', alice)).json().items).toHaveLength(0);
    expect((await t.call('GET', '/search/saved', null)).statusCode).toBe(401);
  });

  it('refuses a search that could not run', async () => {
    const response = await t.call('POST', '/search/saved', alice, {
      name: 'Bad',
      query: { category: 'cars', 'attr.year': '2020..2010' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('invalid_range');
  });
});

describe('alerts', () => {
  it('an instant alert fires once for a matching new listing, not for others nor the owner’s own', async () => {
    const saved = await save(alice, {
      name: 'Toyota Aqua',
      query: { category: 'cars', 'attr.make': 'toyota', 'attr.model': 'aqua' },
      alert: 'instant',
    });
    await publish(bob, 'Honda Civic 2016', { make: 'honda', model: 'civic' });
    await publish(alice, 'My own Toyota Aqua', { model: 'aqua' });
    expect(await alertsOf(alice)).toEqual([]);

    const aqua = await publish(bob, 'Toyota Aqua 2017, low mileage', { model: 'aqua' });
    expect(await alertsOf(alice)).toEqual([
      expect.objectContaining({
        title: `New for "Toyota Aqua": Toyota Aqua 2017, low mileage`,
        url: `/listings/${aqua.id}`,
      }),
    ]);
    // Instant: its own e-mail goes out now (a delivery job), not with the digest of chatty news.
    expect(await alertMailStatus(alice)).toEqual(['pending']);
    // The handler running again (a retried job) sends nothing more.
    await t.app.modules.search.service.onListingPublished({ listingId: aqua.id, sellerId: bob.userId });
    expect(await alertsOf(alice)).toHaveLength(1);
    expect(await alertMailStatus(alice)).toEqual(['pending']);
    await t.call('DELETE', `/search/saved/${saved.id}`, alice);
  });

  it('a daily digest collects the day’s matches in one notification, once', async () => {
    const saved = await save(bob, { name: 'Priuses', query: { q: 'prius' }, alert: 'daily' });
    await publish(admin, 'Toyota Prius 2019', { model: 'prius' });
    await publish(admin, 'Toyota Prius 2021 hybrid', { model: 'prius' });
    await publish(admin, 'Toyota Vitz', { model: 'vitz' });
    expect(await alertsOf(bob)).toEqual([]);

    const now = new Date();
    expect(await t.app.modules.search.service.sendDigests('daily', now)).toBe(1);
    const alerts = await alertsOf(bob);
    expect(alerts).toEqual([expect.objectContaining({ title: '2 new for "Priuses"' })]);
    expect(alerts[0]?.url).toBe('/search?q=prius');
    // A daily alert is a digest already: its e-mail waits for the notifications digest as before.
    expect(await alertMailStatus(bob)).toEqual(['digest']);
    // Not due again the same day, and nothing new to send anyway.
    expect(await t.app.modules.search.service.sendDigests('daily', now)).toBe(0);
    expect(
      await t.app.modules.search.service.sendDigests('daily', new Date(now.getTime() + 86_400_000)),
    ).toBe(0);
    expect(await alertsOf(bob)).toHaveLength(1);
    await t.call('DELETE', `/search/saved/${saved.id}`, bob);
  });
});

describe('discovery', () => {
  it('suggests categories, makes, models and titles, tolerating a typo', async () => {
    const prefix = (await t.call('GET', '/search/suggestions?q=toyo', null)).json();
    expect(prefix.items.map((item: { type: string }) => item.type)).toContain('make');
    expect(prefix.items).toContainEqual(
      expect.objectContaining({ type: 'title', search: { q: 'Toyota Aqua 2017, low mileage' } }),
    );
    const typo = (await t.call('GET', '/search/suggestions?q=toyta', null)).json();
    expect(typo.items[0]).toMatchObject({
      type: 'make',
      search: { category: 'cars', attributes: { make: 'toyota' } },
    });
    const category = (await t.call('GET', '/search/suggestions?q=motorc', null)).json();
    expect(category.items[0]).toMatchObject({ type: 'category', search: { category: 'motorcycles' } });
    expect((await t.call('GET', '/search/suggestions?q=', null)).statusCode).toBe(400);
  });

  it('lists similar listings: same category, shared words', async () => {
    const first = await publish(bob, 'Toyota Prius 2015 silver', { model: 'prius' });
    const similar = (await t.call('GET', `/listings/${first.id}/similar`, null)).json();
    expect(similar.items.length).toBeGreaterThan(0);
    expect(similar.items.map((item: Listing) => item.id)).not.toContain(first.id);
    expect(similar.items[0].title).toMatch(/Prius/);
    expect(
      (await t.call('GET', '/listings/01900000-0000-7000-8000-000000000000/similar', null)).statusCode,
    ).toBe(404);
  });

  it('remembers what a signed-in user viewed, newest first', async () => {
    const a = await publish(bob, 'Toyota Axio 2014', { model: 'axio' });
    const b = await publish(bob, 'Toyota Allion 2016', { model: 'allion' });
    for (const id of [a.id, b.id, a.id]) {
      expect((await t.call('POST', '/search/recently-viewed', alice, { listingId: id })).statusCode).toBe(
        204,
      );
    }
    const viewed = (await t.call('GET', '/search/recently-viewed', alice)).json();
    expect(viewed.items.map((item: Listing) => item.id)).toEqual([a.id, b.id]);
    expect((await t.call('GET', '/search/recently-viewed', null)).statusCode).toBe(401);
  });

  it('logs searches for the trending and zero-result reports (admins only)', async () => {
    for (const q of ['prius', 'Prius', 'zeppelin']) {
      expect((await t.call('GET', `/search?q=${q}`, null)).statusCode).toBe(200);
    }
    const trending = (await t.call('GET', '/admin/search/trending', admin)).json();
    expect(trending.items[0]).toMatchObject({ text: 'prius', searches: 2 });
    const zero = (await t.call('GET', '/admin/search/zero-results', admin)).json();
    expect(zero.items.map((item: { text: string }) => item.text)).toEqual(['zeppelin']);
    expect((await t.call('GET', '/admin/search/trending', alice)).statusCode).toBe(403);
  });
});
