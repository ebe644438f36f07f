import type { CategoryDetail, Listing, LocationNode, SearchResult } from '@souk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';

let t: TestApp;
let seller: TestUser;
let buyer: TestUser;
let admin: TestUser;
let cars: CategoryDetail;
const ids: Record<string, string> = {};
const cityIds: Record<string, string> = {};

const COLOMBO = { latitude: 6.927079, longitude: 79.861244 };
const KANDY = { latitude: 7.290572, longitude: 80.633728 };

async function publish(who: TestUser, overrides: Record<string, unknown>): Promise<Listing> {
  const { attributes, ...rest } = overrides as { attributes?: object };
  const draft = await t.call('POST', '/listings', who, {
    categoryId: cars.id,
    title: 'A car',
    description: 'Well kept.',
    price: { type: 'fixed', amount: 5_000_000_00, currency: 'LKR' },
    condition: 'used',
    coordinates: COLOMBO,
    locationId: cityIds.Colombo,
    contact: { messages: true, phone: false, offers: true },
    ...rest,
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
  expect(draft.statusCode, draft.body).toBe(201);
  const published = await t.call('POST', `/listings/${draft.json().id}/publish`, who);
  expect(published.statusCode, published.body).toBe(200);
  return published.json();
}

async function search(query: string, who: TestUser | null = null): Promise<SearchResult> {
  const response = await t.call('GET', `/search?${query}`, who);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const titles = (result: SearchResult) => result.items.map((item) => item.title);

beforeAll(async () => {
  t = await createTestApp();
  await t.app.modules.catalog.seedDemoData();
  [seller, buyer, admin] = await Promise.all([t.signUp(), t.signUp(), t.signUp({ role: 'admin' })]);
  cars = (await t.call('GET', '/categories/cars', null)).json();
  const lanka = (await t.call('GET', '/locations?country=LK', null)).json().items[0] as LocationNode;
  for (const city of lanka.children
    .flatMap((province) => province.children)
    .flatMap((district) => district.children)) {
    cityIds[city.name] = city.id;
  }
  // Published one after another: newest last.
  ids.corolla = (
    await publish(seller, {
      title: 'Toyota Corolla 2018 hybrid, one owner',
      price: { type: 'fixed', amount: 7_500_000_00, currency: 'LKR' },
      attributes: { fuel: 'hybrid', year: 2018, mileageKm: 45_000 },
    })
  ).id;
  ids.civic = (
    await publish(seller, {
      title: 'Honda Civic 2015',
      description: 'Runs like a Corolla but sportier.',
      price: { type: 'fixed', amount: 4_000_000_00, currency: 'LKR' },
      coordinates: KANDY,
      locationId: cityIds.Kandy,
      condition: 'refurbished',
      attributes: { make: 'honda', model: 'civic', year: 2015, mileageKm: 90_000, transmission: 'manual' },
    })
  ).id;
  ids.prius = (
    await publish(buyer, {
      title: 'Crème Toyota Prius 2020',
      price: { type: 'fixed', amount: 9_000_000_00, currency: 'USD' },
      coordinates: null,
      attributes: { model: 'prius', year: 2020, mileageKm: 20_000, fuel: 'hybrid' },
    })
  ).id;
});
afterAll(() => t.close());

describe('text search', () => {
  it('finds by stemmed, accent-insensitive words and ranks title over description', async () => {
    expect(titles(await search('q=corollas'))).toEqual([
      'Toyota Corolla 2018 hybrid, one owner',
      'Honda Civic 2015',
    ]);
    expect(titles(await search('q=creme'))).toEqual(['Crème Toyota Prius 2020']);
    expect(titles(await search('q=CRÈME'))).toEqual(['Crème Toyota Prius 2020']);
  });

  it('takes web-search syntax: phrases, -word and or', async () => {
    expect(titles(await search('q=toyota -prius'))).toEqual(['Toyota Corolla 2018 hybrid, one owner']);
    expect(titles(await search(`q=${encodeURIComponent('"one owner"')}`))).toEqual([
      'Toyota Corolla 2018 hybrid, one owner',
    ]);
    expect(titles(await search('q=prius or civic&sort=newest'))).toEqual([
      'Crème Toyota Prius 2020',
      'Honda Civic 2015',
    ]);
  });

  it('matches attribute values (make, model) as words', async () => {
    expect(titles(await search('q=honda'))).toEqual(['Honda Civic 2015']);
  });

  it('suggests a correction when a misspelt word finds nothing', async () => {
    const result = await search('q=toyotta');
    expect(result.total).toBe(0);
    expect(result.didYouMean).toBe('toyota');
    expect((await search('q=toyota')).didYouMean).toBeNull();
  });

  it('suggests nothing when the words exist but the filters leave nothing', async () => {
    const filtered = await search('q=toyota&category=cars&attr.make=honda');
    expect(filtered.total).toBe(0);
    expect(filtered.didYouMean).toBeNull();
    // A typo under the same filters is still corrected to what the filters keep.
    const typo = await search('q=hondda&category=cars&attr.make=honda');
    expect(typo.total).toBe(0);
    expect(typo.didYouMean).toBe('honda');
  });
});

describe('filters', () => {
  it('filters by category (with descendants), enum attributes and numeric ranges', async () => {
    expect((await search('category=vehicles')).total).toBe(3);
    expect((await search('category=property')).total).toBe(0);
    expect(titles(await search('category=cars&attr.make=honda'))).toEqual(['Honda Civic 2015']);
    expect((await search('category=cars&attr.make=honda,toyota')).total).toBe(3);
    expect((await search('category=cars&attr.fuel=hybrid&attr.year=2016..2020')).total).toBe(2);
    expect(titles(await search('category=cars&attr.mileageKm=..30000'))).toEqual(['Crème Toyota Prius 2020']);
    expect(titles(await search('category=cars&attr.year=2015'))).toEqual(['Honda Civic 2015']);
  });

  it('filters by price, currency, condition, seller, age and photos', async () => {
    expect(titles(await search('priceMin=500000000&priceMax=800000000'))).toEqual([
      'Toyota Corolla 2018 hybrid, one owner',
    ]);
    expect(titles(await search('currency=USD'))).toEqual(['Crème Toyota Prius 2020']);
    expect(titles(await search('condition=refurbished'))).toEqual(['Honda Civic 2015']);
    expect((await search(`seller=${seller.userId}`)).total).toBe(2);
    expect((await search('postedWithinDays=1')).total).toBe(3);
    expect((await search('withPhotos=true')).total).toBe(0);
    expect((await search('kind=auction')).total).toBe(0);
  });

  it('filters by distance from a point and sorts by it', async () => {
    // The Prius has no exact point: it is found at its city's centre (Colombo; issue 16 #17).
    const inColombo = ['Crème Toyota Prius 2020', 'Toyota Corolla 2018 hybrid, one owner'];
    const near = await search(`lat=${COLOMBO.latitude}&lon=${COLOMBO.longitude}&radiusKm=10`);
    expect(titles(near).sort()).toEqual(inColombo);
    const wide = await search(`lat=${KANDY.latitude}&lon=${KANDY.longitude}&radiusKm=200&sort=distance`);
    expect(titles(wide)[0]).toBe('Honda Civic 2015');
    expect(titles(wide).slice(1).sort()).toEqual(inColombo);
    expect(wide.items[0]?.distanceKm).toBe(0);
    for (const item of wide.items.slice(1)) {
      expect(item.distanceKm).toBeGreaterThan(80);
      expect(item.distanceKm).toBeLessThan(110);
    }
  });
});

describe('sorting, paging and totals', () => {
  it('sorts by newest and by price both ways', async () => {
    expect(titles(await search('sort=newest'))).toEqual([
      'Crème Toyota Prius 2020',
      'Honda Civic 2015',
      'Toyota Corolla 2018 hybrid, one owner',
    ]);
    expect(titles(await search('sort=price_asc')).at(0)).toBe('Honda Civic 2015');
    expect(titles(await search('sort=price_desc')).at(0)).toBe('Crème Toyota Prius 2020');
    expect((await search('sort=ending_soon')).total).toBe(3);
  });

  it('pages by cursor without repeats, even when a listing is published meanwhile', async () => {
    const first = await search('sort=price_asc&limit=2');
    expect(first.items).toHaveLength(2);
    expect(first.total).toBe(3);
    expect(first.totalIsEstimate).toBe(false);
    const cheap = await publish(admin, {
      title: 'Cheap Toyota Vitz',
      price: { type: 'fixed', amount: 1_000_00, currency: 'LKR' },
      attributes: { model: 'vitz' },
    });
    const second = await search(`sort=price_asc&limit=2&cursor=${first.nextCursor}`);
    expect(titles(second)).toEqual(['Crème Toyota Prius 2020']);
    expect(second.nextCursor).toBeNull();
    await t.call('DELETE', `/listings/${cheap.id}`, admin);
  });

  it('pages a category with subcategories one subcategory at a time, merged in order', async () => {
    // "vehicles" holds cars and more: each page merges per-subcategory index walks.
    for (const sort of ['newest', 'price_asc', 'price_desc']) {
      const all = await search(`category=vehicles&sort=${sort}&limit=50`);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof search>> = await search(
          `category=vehicles&sort=${sort}&limit=1${cursor ? `&cursor=${cursor}` : ''}`,
        );
        paged.push(...titles(page));
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged, sort).toEqual(titles(all));
      expect(paged.length).toBe(all.total);
    }
  });
});

describe('facets', () => {
  it('counts categories, enum values and price and year buckets of the result set', async () => {
    const result = await search('category=cars&q=toyota');
    expect(result.facets?.categories).toEqual([expect.objectContaining({ slug: 'cars', count: 2 })]);
    const make = result.facets?.attributes.find((facet) => facet.key === 'make');
    expect(make?.values).toEqual([{ value: 'toyota', label: 'Toyota', count: 2 }]);
    const fuel = result.facets?.attributes.find((facet) => facet.key === 'fuel');
    expect(fuel?.values.map((value) => [value.value, value.count])).toEqual([['hybrid', 2]]);
    const years = result.facets?.histograms.find((histogram) => histogram.key === 'year');
    expect(years?.buckets.reduce((sum, bucket) => sum + bucket.count, 0)).toBe(2);
    const prices = result.facets?.histograms.find((histogram) => histogram.key === 'price');
    expect(prices?.buckets.map((bucket) => bucket.count).reduce((a, b) => a + b, 0)).toBe(2);
    for (const bucket of prices?.buckets ?? []) expect(bucket.max).toBeGreaterThan(bucket.min);
  });
});

describe('bad input', () => {
  const cases: [string, string, string][] = [
    ['unknown attribute', 'category=cars&attr.wings=2', 'unknown_attribute'],
    ['attribute without category', 'attr.make=toyota', 'unknown_attribute'],
    ['unknown parameter', 'colour=red', 'unknown_filter'],
    ['unknown option', 'category=cars&attr.make=zeppelin', 'invalid_filter'],
    ['range min above max', 'category=cars&attr.year=2020..2015', 'invalid_range'],
    ['price min above max', 'priceMin=10&priceMax=5', 'invalid_range'],
    ['radius of a million km', 'lat=6.9&lon=79.8&radiusKm=1000000', 'validation_failed'],
    ['radius without a point', 'radiusKm=5', 'invalid_filter'],
    ['distance sort without a point', 'sort=distance', 'invalid_filter'],
    ['a 10 KB query', `q=${'a'.repeat(10_240)}`, 'validation_failed'],
    ['an invalid cursor', 'cursor=not-a-cursor', 'invalid_cursor'],
    [
      'a cursor of another sort',
      `cursor=${Buffer.from('{"s":"newest","k":1,"i":"x"}').toString('base64url')}`,
      'invalid_cursor',
    ],
    [
      'a relevance window cursor with a bad window',
      `q=toyota&cursor=${Buffer.from('{"s":"relevance","k":0.5,"i":"01900000-0000-7000-8000-000000000000","w":"soon","p":1}').toString('base64url')}`,
      'invalid_cursor',
    ],
    [
      'a relevance window cursor with a bad phase',
      `q=toyota&cursor=${Buffer.from('{"s":"relevance","k":0.5,"i":"01900000-0000-7000-8000-000000000000","w":"2026-01-01T00:00:00Z","p":7}').toString('base64url')}`,
      'invalid_cursor',
    ],
    [
      'a window on another sort',
      `sort=newest&cursor=${Buffer.from('{"s":"newest","k":"2026-01-01T00:00:00Z","i":"01900000-0000-7000-8000-000000000000","w":"2026-01-01T00:00:00Z","p":1}').toString('base64url')}`,
      'invalid_cursor',
    ],
    ['an unknown category', 'category=no-such-thing', 'category_not_found'],
  ];
  it.each(cases)('%s is a 400 problem', async (_name, query, code) => {
    const response = await t.call('GET', `/search?${query}`, null);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json().code).toBe(code);
  });
});
