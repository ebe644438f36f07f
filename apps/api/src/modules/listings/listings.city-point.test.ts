import { readFileSync } from 'node:fs';
import type { ImportJob, Listing } from '@souk/contracts';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedAppDemoListings } from '../../demo-data.js';
import { type ListingFixtures, listingFixtures } from '../../test-support/listing-fixtures.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { waitFor } from '../../test-support/wait.js';
import { multipart } from '../media/media.test-support.js';

/*
 * Issue 16 #17: `location=<city>&radiusKm=25` missed every listing placed in that city without
 * an exact point (13 of 50 demo cars). A listing's search point falls back to its city's.
 */

let t: TestApp;
let f: ListingFixtures;
let seller: TestUser;

beforeAll(async () => {
  t = await createTestApp({ work: true });
  f = await listingFixtures(t);
  seller = await t.signUp();
});
afterAll(() => t?.close());

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/** The ids a distance search around a city finds (every page). */
async function near(city: string, extra = ''): Promise<string[]> {
  const ids: string[] = [];
  for (let cursor: string | null = null; ; ) {
    const response = await t.call(
      'GET',
      `/search?location=${f.cityId(city)}&radiusKm=25&limit=50${extra}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      null,
    );
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json() as { items: { id: string }[]; nextCursor: string | null };
    ids.push(...page.items.map((item) => item.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
}

describe("a listing's search point", () => {
  it('is its city when the seller gave no exact point, and stays private', async () => {
    const inKandy = await f.publish(seller, { title: 'Toyota Prius in Kandy', city: 'Kandy' });
    const inColombo = await f.publish(seller, { title: 'Toyota Prius in Colombo', city: 'Colombo' });
    const kandy = await near('Kandy');
    expect(kandy).toContain(inKandy.id);
    expect(kandy).not.toContain(inColombo.id);
    expect(await near('Colombo')).toContain(inColombo.id);
    // Neither the public nor the seller is shown the city's centre as the listing's own point.
    expect(inKandy.coordinates).toBeNull();
    expect((await t.call('GET', `/listings/${inKandy.id}`, null)).json().coordinates).toBeNull();
    expect((await t.call('GET', `/listings/${inKandy.id}`, seller)).json().coordinates).toBeNull();
  });

  it('follows the city when the seller moves the listing; an exact point stays where it was put', async () => {
    const moved = await f.publish(seller, { title: 'Nissan Leaf moving', city: 'Kandy' });
    const changed = await t.call('PATCH', `/listings/${moved.id}`, seller, { locationId: f.cityId('Galle') });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(await near('Kandy')).not.toContain(moved.id);
    expect(await near('Galle')).toContain(moved.id);

    // Peradeniya is 5 km from Kandy: an exact point there is found around Kandy, and stays
    // when only the city changes.
    const exact = { latitude: 7.2599, longitude: 80.5977 };
    const pinned = await t.call('PATCH', `/listings/${moved.id}`, seller, { coordinates: exact });
    expect(pinned.json().coordinates).toEqual(exact);
    expect(await near('Kandy')).toContain(moved.id);
    await t.call('PATCH', `/listings/${moved.id}`, seller, { locationId: f.cityId('Colombo') });
    expect(await near('Kandy')).toContain(moved.id);
    expect((await t.call('GET', `/listings/${moved.id}`, seller)).json().coordinates).toEqual(exact);

    // Taking the exact point away falls back to the (new) city.
    const cleared = await t.call('PATCH', `/listings/${moved.id}`, seller, { coordinates: null });
    expect(cleared.json().coordinates).toBeNull();
    expect(await near('Kandy')).not.toContain(moved.id);
    expect(await near('Colombo')).toContain(moved.id);
  });

  it('is set by imports, and an export does not turn it into the seller’s point', async () => {
    const csv = [
      'external_id,category,title,description,price,currency,price_type,condition,quantity,city,latitude,longitude,status,attr.make,attr.model,attr.year,attr.mileageKm,attr.fuel,attr.transmission,attr.condition',
      'city-1,cars,Honda Fit from the import,"Well kept, one owner.",4500000,LKR,fixed,used,1,kandy,,,draft,honda,fit,2016,60000,petrol,automatic,used',
    ].join('\n');
    const body = multipart([
      { data: Buffer.from(csv), filename: 'stock.csv', type: 'text/csv', field: 'file' },
    ]);
    // A dry run plans the same rows as a real import; a draft is written by a real one only with
    // a verified address, so the row is a draft the seller publishes.
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { ...seller.headers, 'content-type': body.contentType },
      payload: body.payload,
      remoteAddress: '10.17.0.1',
    });
    expect(response.statusCode, response.body).toBe(202);
    const id = (response.json() as ImportJob).id;
    const job = await waitFor(async () => {
      const current: ImportJob = (
        await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: seller.headers })
      ).json();
      return current.status === 'completed' || current.status === 'failed' ? current : null;
    }, 60_000);
    expect(job.progress.created, JSON.stringify(job)).toBe(1);
    const imported = rowsOf<{ id: string; latitude: number; point_from_city: boolean }>(
      await t.platform.database.db.execute(
        sql`select id, latitude, point_from_city from listings where external_id = 'city-1'`,
      ),
    )[0];
    expect(imported?.point_from_city).toBe(true);
    expect(imported?.latitude).toBeCloseTo(7.2906, 4);

    const exported = await t.app.inject({
      method: 'GET',
      url: '/api/v1/listings/export?format=csv',
      headers: seller.headers,
    });
    const row = (parse(exported.body, { columns: true }) as Record<string, string>[]).find(
      (line) => line.external_id === 'city-1',
    );
    expect(row).toMatchObject({ city: 'kandy', latitude: '', longitude: '' });
  });

  it('is filled for existing listings by the migration', async () => {
    const listing = await f.publish(seller, { title: 'Mazda Axela before the migration', city: 'Galle' });
    // As the row was before 0021: no point, none from the city.
    await t.platform.database.db.execute(
      sql`update listings set latitude = null, longitude = null, point_from_city = false where id = ${listing.id}`,
    );
    expect(await near('Galle')).not.toContain(listing.id);
    const migration = readFileSync(
      new URL('../../../drizzle/0021_listings_city_point.sql', import.meta.url),
      'utf8',
    );
    const backfill = migration.split('--> statement-breakpoint').find((part) => /^\s*UPDATE/m.test(part));
    expect(backfill).toBeDefined();
    await t.platform.database.db.execute(sql.raw(backfill as string));
    expect(await near('Galle')).toContain(listing.id);
    expect((await t.call('GET', `/listings/${listing.id}`, seller)).json().coordinates).toBeNull();
  });

  it('puts every active demo car within 25 km of its own city', async () => {
    await seedAppDemoListings(t.app, t.platform, { count: 600, sellerCount: 10 });
    const cars = rowsOf<{ id: string; location_id: string; point_from_city: boolean }>(
      await t.platform.database.db.execute(sql`
        select l.id, l.location_id, l.point_from_city from listings l
        join categories c on c.id = l.category_id
        where c.slug = 'cars' and l.status = 'active' and l.deleted_at is null and l.external_id is null
          and l.title not like '%Prius%' and l.seller_id <> ${seller.userId}`),
    );
    expect(cars.length).toBeGreaterThan(10);
    // Some demo cars have an exact point and some only a city: both kinds are found.
    expect(cars.some((car) => car.point_from_city)).toBe(true);
    expect(cars.some((car) => !car.point_from_city)).toBe(true);
    const missed: string[] = [];
    const byCity = new Map<string, string[]>();
    for (const car of cars) byCity.set(car.location_id, [...(byCity.get(car.location_id) ?? []), car.id]);
    for (const [cityId, ids] of byCity) {
      const found = new Set<string>();
      for (let cursor: string | null = null; ; ) {
        const page = (
          await t.call(
            'GET',
            `/search?category=cars&location=${cityId}&radiusKm=25&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
            null,
          )
        ).json() as { items: Listing[]; nextCursor: string | null };
        for (const item of page.items) found.add(item.id);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      missed.push(...ids.filter((id) => !found.has(id)));
    }
    expect(missed).toEqual([]);
  }, 120_000);
});
