import type { SearchFacets, SearchResult } from '@souk/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListingFixtures, listingFixtures } from '../../test-support/listing-fixtures.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';

/**
 * Browsing a category (no text, no other filter) reads the facets the scheduled job stored
 * (docs/decisions/018) instead of sampling: exact as counted, scaled and flagged as estimates once
 * the category has moved on, exact again after the next refresh.
 */
let t: TestApp;
let f: ListingFixtures;
let seller: TestUser;

async function browse(query: string): Promise<SearchResult> {
  const response = await t.call('GET', `/search?${query}`, null);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const makeCounts = (facets: SearchFacets | null | undefined) =>
  Object.fromEntries(
    (facets?.attributes.find((facet) => facet.key === 'make')?.values ?? []).map((value) => [
      value.value,
      value.count,
    ]),
  );

const storedRows = async () =>
  Number(
    (
      (await t.platform.database.db.execute(
        sql`select count(*)::int as n from search_browse_facets`,
      )) as unknown as { rows: { n: number }[] }
    ).rows[0]?.n,
  );

beforeAll(async () => {
  t = await createTestApp();
  f = await listingFixtures(t);
  seller = await t.signUp();
  for (const [make, model] of [
    ['toyota', 'corolla'],
    ['toyota', 'prius'],
    ['honda', 'civic'],
  ] as const) {
    await f.publish(seller, { attributes: { make, model } });
  }
}, 120_000);
afterAll(() => t.close());

describe('stored browse facets', () => {
  it('are used once counted, equal to a full count, and not for a search with any other filter', async () => {
    const sampled = await browse('category=cars');
    expect(await storedRows()).toBe(0);
    expect(makeCounts(sampled.facets)).toEqual({ toyota: 2, honda: 1 });

    const { categories } = await t.app.modules.search.service.refreshBrowseFacets();
    expect(categories).toBeGreaterThan(10);
    expect(await storedRows()).toBeGreaterThan(0);

    const stored = await browse('category=cars');
    expect(stored.total).toBe(3);
    expect(stored.facets?.estimated).toBe(false);
    // The same facets as counting the listings themselves.
    expect(stored.facets).toEqual(sampled.facets);
    // A parent category counts its subtree; its own facet lists the subcategory.
    const vehicles = await browse('category=vehicles');
    expect(vehicles.facets?.categories).toEqual([expect.objectContaining({ slug: 'cars', count: 3 })]);
  });

  it('are scaled to the exact total and flagged as estimates after the category changed, exact again after a refresh', async () => {
    await f.publish(seller, { attributes: { make: 'honda', model: 'civic' } });
    const moved = await browse('category=cars');
    expect(moved.total).toBe(4);
    expect(moved.facets?.estimated).toBe(true);
    // Counted on 3 listings, scaled to 4: toyota 2 → 3 (2.67 rounded), honda 1 → 1.
    expect(makeCounts(moved.facets)).toEqual({ toyota: 3, honda: 1 });

    // With a filter the facets are the live sample's, exact.
    const filtered = await browse('category=cars&condition=used');
    expect(filtered.facets?.estimated).toBe(false);
    expect(makeCounts(filtered.facets)).toEqual({ toyota: 2, honda: 2 });

    // Counted a moment ago: the job leaves them (the schedule and a browse's request need not both count).
    expect((await t.app.modules.search.service.refreshBrowseFacets()).categories).toBe(0);
    await t.app.modules.search.service.refreshBrowseFacets({ olderThanMs: 0 });
    const refreshed = await browse('category=cars');
    expect(refreshed.facets?.estimated).toBe(false);
    expect(makeCounts(refreshed.facets)).toEqual({ toyota: 2, honda: 2 });
  });

  it('are not used when older than the refresh period allows', async () => {
    await t.platform.database.db.execute(
      sql`update search_browse_facets set refreshed_at = now() - interval '2 hours'`,
    );
    await f.publish(seller, { attributes: { make: 'toyota', model: 'corolla' } });
    const stale = await browse('category=cars');
    // Sampled again: exact for five listings.
    expect(stale.facets?.estimated).toBe(false);
    expect(makeCounts(stale.facets)).toEqual({ toyota: 3, honda: 2 });
  });

  it('list the 50 most common values of a facet, count the others, and give a large total without a plan', async () => {
    await t.app.modules.search.service.refreshBrowseFacets({ olderThanMs: 0 });
    // As if cars had 60 models and 50,000 listings when last counted.
    await t.platform.database.db.execute(sql`
      with cars as (select category_id from listings limit 1)
      insert into search_browse_facets (category_id, facet, value, count, refreshed_at)
      select cars.category_id, 'attr:model', 'model-' || g, g, now() from cars, generate_series(1, 60) g`);
    await t.platform.database.db.execute(sql`
      update search_browse_facets set count = 50000
      where facet = 'sample' and category_id = (select category_id from listings limit 1)`);
    const cars = await browse('category=cars');
    expect(cars.total).toBe(50_000);
    expect(cars.totalIsEstimate).toBe(true);
    const models = cars.facets?.attributes.find((facet) => facet.key === 'model');
    expect(models?.values).toHaveLength(50);
    expect(models?.values[0]).toMatchObject({ value: 'model-60', count: 60 });
    expect(models?.values.at(-1)).toMatchObject({ value: 'model-11', count: 11 });
    // Ten generated models and the three real ones (each counted once or twice) are left out.
    expect(models?.otherValues).toBe(13);
    expect(cars.facets?.attributes.find((facet) => facet.key === 'make')?.otherValues).toBe(0);
  });
});
