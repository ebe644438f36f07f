import type { Comparison, Listing } from '@souk/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listingFixtures } from '../../test-support/listing-fixtures.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';

let t: TestApp;
let alice: TestUser;
let bob: TestUser;
let seller: TestUser;
let f: Awaited<ReturnType<typeof listingFixtures>>;
let cars: Listing[];
let phone: Listing;

beforeAll(async () => {
  t = await createTestApp();
  f = await listingFixtures(t);
  [alice, bob, seller] = await Promise.all([t.signUp(), t.signUp(), t.signUp()]);
  cars = [
    await f.publish(seller, {
      title: 'Toyota Aqua 2015',
      amount: 4_500_000_00,
      attributes: { make: 'toyota', model: 'aqua', year: 2015, mileageKm: 80_000, fuel: 'hybrid' },
    }),
    await f.publish(seller, {
      title: 'Honda Fit 2015',
      amount: 4_200_000_00,
      city: 'Kandy',
      attributes: { make: 'honda', model: 'fit', year: 2015, mileageKm: 60_000, fuel: 'hybrid' },
    }),
    await f.publish(seller, { title: 'Car three' }),
    await f.publish(seller, { title: 'Car four' }),
    await f.publish(seller, { title: 'Car five' }),
  ];
  phone = await f.publish(seller, { category: 'mobile-phones', title: 'A phone', amount: 50_000_00 });
});
afterAll(() => t.close());

async function comparisonOf(who: TestUser): Promise<Comparison> {
  const response = await t.call('GET', '/compare', who);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const idsOf = (comparison: Comparison) => comparison.listings.map((listing) => listing.id);

describe('comparison', () => {
  it('aligns attribute rows from the schema with a differs flag, plus price, condition and location', async () => {
    await t.call('POST', `/compare/${cars[0]?.id}`, alice);
    const response = await t.call('POST', `/compare/${cars[1]?.id}`, alice);
    expect(response.statusCode, response.body).toBe(200);
    const comparison: Comparison = response.json();
    expect(comparison.topCategory?.slug).toBe('vehicles');
    expect(comparison.listings.map((listing) => listing.title)).toEqual([
      'Toyota Aqua 2015',
      'Honda Fit 2015',
    ]);
    const row = (key: string) => comparison.rows.find((candidate) => candidate.key === key);
    expect(row('price')).toMatchObject({
      group: 'overview',
      differs: true,
      values: ['LKR 4,500,000', 'LKR 4,200,000'],
    });
    // Cars say their condition as an attribute: one row, not two.
    expect(comparison.rows.filter((r) => r.key === 'condition')).toMatchObject([
      { group: 'attributes', values: ['Brand new', 'Brand new'], differs: false },
    ]);
    expect(row('location')).toMatchObject({ values: ['Colombo', 'Kandy'], differs: true });
    expect(row('make')).toMatchObject({
      group: 'attributes',
      label: 'Make',
      values: ['Toyota', 'Honda'],
      differs: true,
    });
    expect(row('year')).toMatchObject({ values: ['2015', '2015'], differs: false });
    expect(row('mileageKm')).toMatchObject({ unit: 'km', values: ['80,000', '60,000'], differs: true });
    expect(row('fuel')?.differs).toBe(false);
    // Rows follow the schema's order.
    const keys = comparison.rows.filter((r) => r.group === 'attributes').map((r) => r.key);
    expect(keys.indexOf('make')).toBeLessThan(keys.indexOf('model'));
    expect(idsOf(await comparisonOf(alice))).toEqual([cars[0]?.id, cars[1]?.id]);
    // Bob's comparison is his own.
    expect(idsOf(await comparisonOf(bob))).toEqual([]);
    await t.call('DELETE', '/compare', alice);
  });

  it('holds four at most, one top category, refuses with a clear 4xx and changes nothing', async () => {
    for (const car of cars.slice(0, 4)) {
      const added = await t.call('POST', `/compare/${car.id}`, alice);
      expect(added.statusCode, added.body).toBe(200);
    }
    // Adding one already there is a no-op, not a fifth.
    expect((await t.call('POST', `/compare/${cars[0]?.id}`, alice)).statusCode).toBe(200);
    const fifth = await t.call('POST', `/compare/${cars[4]?.id}`, alice);
    expect(fifth.statusCode).toBe(409);
    expect(fifth.json().code).toBe('compare_full');
    expect(idsOf(await comparisonOf(alice))).toEqual(cars.slice(0, 4).map((car) => car.id));

    await t.call('DELETE', `/compare/${cars[3]?.id}`, alice);
    const other = await t.call('POST', `/compare/${phone.id}`, alice);
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('compare_category_mismatch');
    expect(idsOf(await comparisonOf(alice))).toEqual(cars.slice(0, 3).map((car) => car.id));

    expect((await t.call('POST', '/compare/not-a-uuid', alice)).statusCode).toBe(400);
    expect((await t.call('DELETE', '/compare/not-a-uuid', alice)).statusCode).toBe(400);
    // Taking out what is not there (or only in someone else's list) changes nothing.
    await t.call('POST', `/compare/${cars[4]?.id}`, bob);
    expect(idsOf((await t.call('DELETE', `/compare/${cars[4]?.id}`, alice)).json())).toHaveLength(3);
    expect(idsOf(await comparisonOf(bob))).toEqual([cars[4]?.id]);
    await t.call('DELETE', '/compare', bob);
    expect((await t.call('POST', '/compare/01900000-0000-7000-8000-000000000000', alice)).statusCode).toBe(
      404,
    );
    expect(idsOf(await comparisonOf(alice))).toHaveLength(3);

    expect((await t.call('DELETE', '/compare', alice)).statusCode).toBe(204);
    expect(idsOf(await comparisonOf(alice))).toEqual([]);
    // An empty list takes any top category again.
    expect((await t.call('POST', `/compare/${phone.id}`, alice)).statusCode).toBe(200);
    await t.call('DELETE', '/compare', alice);
  });

  it('only active listings can be added', async () => {
    const sold = await f.publish(seller, { title: 'Sold car' });
    await t.call('POST', `/listings/${sold.id}/sold`, seller);
    expect((await t.call('POST', `/compare/${sold.id}`, bob)).json().code).toBe('listing_not_available');
    expect(idsOf(await comparisonOf(bob))).toEqual([]);
  });

  it('concurrent adds keep the cap of four', async () => {
    const responses = await Promise.all(cars.map((car) => t.call('POST', `/compare/${car.id}`, bob)));
    expect(responses.filter((response) => response.statusCode === 200)).toHaveLength(4);
    expect(responses.filter((response) => response.statusCode === 409)).toHaveLength(1);
    expect(idsOf(await comparisonOf(bob))).toHaveLength(4);
    await t.call('DELETE', '/compare', bob);
  });

  it("merges a guest's list: skips invalid ids and other top categories, respects the cap", async () => {
    await t.call('POST', `/compare/${cars[0]?.id}`, alice);
    const merged = await t.call('POST', '/compare/merge', alice, {
      listingIds: [
        phone.id,
        cars[0]?.id,
        '01900000-0000-7000-8000-000000000000',
        cars[1]?.id,
        cars[2]?.id,
        cars[3]?.id,
        cars[4]?.id,
      ],
    });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(idsOf(merged.json())).toEqual(cars.slice(0, 4).map((car) => car.id));
    expect((await t.call('POST', '/compare/merge', alice, { listingIds: ['nope'] })).statusCode).toBe(400);
    expect(
      (await t.call('POST', '/compare/merge', alice, { listingIds: Array(21).fill(phone.id) })).statusCode,
    ).toBe(400);
    expect((await t.call('POST', '/compare/merge', null, { listingIds: [] })).statusCode).toBe(401);
    expect(idsOf(await comparisonOf(alice))).toHaveLength(4);
    await t.call('DELETE', '/compare', alice);
  });

  it('shows a guest comparison from ids without storing anything', async () => {
    const view = await t.call('GET', `/compare/view?listingIds=${cars[0]?.id},${cars[1]?.id}`, null);
    expect(view.statusCode, view.body).toBe(200);
    expect(idsOf(view.json())).toEqual([cars[0]?.id, cars[1]?.id]);
    const five = cars.map((car) => car.id).join(',');
    expect((await t.call('GET', `/compare/view?listingIds=${five}`, null)).statusCode).toBe(400);
    expect((await t.call('GET', '/compare', null)).statusCode).toBe(401);
  });

  it('shares a snapshot that anyone can open, recomputed from current data, until it expires', async () => {
    await t.call('POST', `/compare/${cars[0]?.id}`, alice);
    const tooFew = await t.call('POST', '/compare/share', alice);
    expect(tooFew.statusCode).toBe(409);
    expect(tooFew.json().code).toBe('compare_too_few');
    await t.call('POST', `/compare/${cars[1]?.id}`, alice);
    const shared = await t.call('POST', '/compare/share', alice);
    expect(shared.statusCode, shared.body).toBe(201);
    const { token, path } = shared.json();
    expect(path).toBe(`/compare/shared/${token}`);

    // Later changes to Alice's list do not change the link; changes to the listings do.
    await t.call('DELETE', '/compare', alice);
    await t.call('PATCH', `/listings/${cars[1]?.id}`, seller, {
      price: { type: 'fixed', amount: 3_900_000_00, currency: 'LKR' },
    });
    const open = await t.call('GET', `/compare/shared/${token}`, null);
    expect(open.statusCode, open.body).toBe(200);
    expect(idsOf(open.json())).toEqual([cars[0]?.id, cars[1]?.id]);
    expect(open.json().rows.find((row: { key: string }) => row.key === 'price').values[1]).toBe(
      'LKR 3,900,000',
    );
    expect(open.body).not.toContain(alice.userId);

    await t.platform.database.db.execute(
      sql`update shared_comparisons set expires_at = now() - interval '1 second' where token = ${token}`,
    );
    expect((await t.call('GET', `/compare/shared/${token}`, null)).statusCode).toBe(410);
    expect((await t.call('GET', `/compare/shared/${'y'.repeat(32)}`, null)).statusCode).toBe(404);
    expect((await t.call('POST', '/compare/share', null)).statusCode).toBe(401);
  });
});
