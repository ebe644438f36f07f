import type { CategoryDetail, Listing, LocationNode, ResolvedAttribute } from '@souk/contracts';
import { expect } from 'vitest';
import { apiCaller, type TestApp, type TestUser } from './test-app.js';

/** Route calls and published listings over the demo catalog, for tests of modules built on listings. */
export async function listingFixtures(t: Pick<TestApp, 'app'>) {
  await t.app.modules.catalog.seedDemoData();
  const call = apiCaller(t.app);
  const category = async (slug: string): Promise<CategoryDetail> =>
    (await call('GET', `/categories/${slug}`, null)).json();
  const lanka = (await call('GET', '/locations?country=LK', null)).json().items[0] as LocationNode;
  const cities = lanka.children.flatMap((province) => province.children).flatMap((d) => d.children);
  const cityId = (name: string) => (cities.find((city) => city.name === name) as LocationNode).id;

  /** Some valid value for each required attribute (the first option, the minimum...). */
  function requiredValues(attributes: ResolvedAttribute[]): Record<string, unknown> {
    const values: Record<string, unknown> = {};
    for (const attribute of attributes) {
      if (!attribute.required) continue;
      if (attribute.type === 'enum') {
        const parent = attribute.dependsOn ? values[attribute.dependsOn] : undefined;
        const option =
          attribute.options.find((candidate) => !parent || candidate.parentValue === parent) ??
          attribute.options[0];
        values[attribute.key] = option?.value;
      } else if (attribute.type === 'multi_enum') values[attribute.key] = [attribute.options[0]?.value];
      else if (attribute.type === 'integer' || attribute.type === 'decimal')
        values[attribute.key] = attribute.min ?? 1;
      else if (attribute.type === 'boolean') values[attribute.key] = true;
      else values[attribute.key] = 'Yes';
    }
    return values;
  }

  type ListingOptions = {
    category?: string;
    title?: string;
    amount?: number;
    city?: string;
    attributes?: Record<string, unknown>;
  };

  /** A draft with valid values for its category's required attributes. */
  async function draft(who: TestUser, options: ListingOptions = {}): Promise<Listing> {
    const detail = await category(options.category ?? 'cars');
    const created = await call('POST', '/listings', who, {
      categoryId: detail.id,
      title: options.title ?? 'Toyota Corolla 2018',
      description: 'Well kept.',
      price: { type: 'fixed', amount: options.amount ?? 5_000_000_00, currency: 'LKR' },
      condition: 'used',
      locationId: cityId(options.city ?? 'Colombo'),
      attributes: { ...requiredValues(detail.attributes), ...options.attributes },
    });
    expect(created.statusCode, created.body).toBe(201);
    return created.json();
  }

  async function publish(who: TestUser, options: ListingOptions = {}): Promise<Listing> {
    const created = await draft(who, options);
    const published = await call('POST', `/listings/${created.id}/publish`, who);
    expect(published.statusCode, published.body).toBe(200);
    return published.json();
  }

  return { call, category, cityId, draft, publish };
}

export type ListingFixtures = Awaited<ReturnType<typeof listingFixtures>>;
