import {
  AttributeDefinition,
  type CategoryDetail,
  CurrencyCode,
  MinorUnits,
  validateAttributeValues,
} from '@souk/contracts';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatDuration, progressLine } from '../../scripts/progress.js';
import { resolveAttributes, type SchemaLevel } from '../catalog/catalog.attributes.js';
import { type DemoLocation, demoLocations } from '../catalog/demo/locations.data.js';
import { type DemoCategory, demoTaxonomy } from '../catalog/demo/taxonomy.data.js';
import { demoRecipes } from './demo/listings.data.js';
import { demoSellerCountry } from './demo/sellers.data.js';
import {
  createDemoListingGenerator,
  type DemoCity,
  type DemoRefs,
  demoListingId,
  mulberry32,
} from './listings.seed.js';

/** A stable fake UUID per name, so the refs look like the database's without one. */
const idOf = (name: string) => {
  let hash = 0;
  for (const ch of name) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) >>> 0;
  return `0190a7b2-0000-7000-8000-${hash.toString(16).padStart(12, '0')}`;
};

/** The demo taxonomy's leaves with resolved schemas and the demo cities, as the catalog serves them. */
function demoRefs(): DemoRefs {
  const categories: DemoRefs['categories'] = [];
  const walk = (category: DemoCategory, chain: SchemaLevel[], topSlug: string) => {
    const level = {
      slug: category.slug,
      attributes: z.array(AttributeDefinition).parse(category.attributes ?? []),
    };
    if (!category.children?.length) {
      const recipe = demoRecipes[category.slug];
      if (!recipe) return;
      const detail: CategoryDetail = {
        id: idOf(category.slug),
        parentId: null,
        slug: category.slug,
        name: category.name,
        description: null,
        icon: category.icon,
        position: 0,
        ancestors: [],
        children: [],
        attributes: resolveAttributes([...chain, level]),
      };
      categories.push({ detail, recipe, topSlug });
      return;
    }
    for (const child of category.children) walk(child, [...chain, level], topSlug);
  };
  for (const root of demoTaxonomy) walk(root, [], root.slug);
  categories.sort((a, b) => a.detail.slug.localeCompare(b.detail.slug));

  const cities: DemoCity[] = [];
  const collect = (location: DemoLocation, countryCode: string) => {
    if (location.kind === 'city') {
      cities.push({
        id: idOf(`${countryCode}/${location.slug}`),
        name: location.name,
        countryCode: countryCode as DemoCity['countryCode'],
        latitude: location.latitude ?? null,
        longitude: location.longitude ?? null,
      });
    }
    for (const child of location.children ?? []) collect(child, countryCode);
  };
  for (const country of demoLocations) collect(country, country.countryCode);

  const sellers = Array.from({ length: 50 }, (_, index) => ({
    number: index + 1,
    id: idOf(`seller${index + 1}`),
    countryCode: demoSellerCountry(index + 1),
  }));
  return { categories, cities, sellers };
}

const refs = demoRefs();
const now = new Date('2026-06-15T10:00:00Z');
const ttlDays = 30;
const COUNT = 2_500;

describe('the demo listing generator', () => {
  const generate = createDemoListingGenerator(refs, { seed: 42, now, ttlDays });
  const rows = Array.from({ length: COUNT }, (_, index) => generate(index));

  it('has a recipe for every leaf of the demo taxonomy and uses each', () => {
    expect(refs.categories.length).toBe(52);
    expect(new Set(rows.map((row) => row.categoryId)).size).toBe(refs.categories.length);
  });

  it('is deterministic: the same seed and time give the same listings, one by one or in order', () => {
    const again = createDemoListingGenerator(refs, { seed: 42, now, ttlDays });
    for (const index of [0, 1, 17, 51, 52, 999, COUNT - 1]) expect(again(index)).toEqual(rows[index]);
    // Listing i does not depend on the ones before it.
    expect(createDemoListingGenerator(refs, { seed: 42, now, ttlDays })(1234)).toEqual(rows[1234]);
    const other = createDemoListingGenerator(refs, { seed: 43, now, ttlDays });
    expect(other(100).title === rows[100]?.title && other(100).id === rows[100]?.id).toBe(false);
  });

  it('fills attributes that pass the category schema, complete as for publishing', () => {
    const schemas = new Map(refs.categories.map((ref) => [ref.detail.id, ref.detail]));
    const failures = rows.flatMap((row) => {
      const detail = schemas.get(row.categoryId) as CategoryDetail;
      const errors = validateAttributeValues(detail.attributes, row.attributes ?? {}, { complete: true });
      return errors.length > 0 ? [{ slug: detail.slug, attributes: row.attributes, errors }] : [];
    });
    expect(failures).toEqual([]);
  });

  it('makes listings that publishing would accept, in the demo countries and currencies', () => {
    const cities = new Map(refs.cities.map((city) => [city.id, city]));
    const sellers = new Map(refs.sellers.map((seller) => [seller.id, seller]));
    for (const row of rows) {
      expect(row.title.length).toBeGreaterThanOrEqual(3);
      expect(row.title.length).toBeLessThanOrEqual(120);
      expect(row.description?.trim().length ?? 0).toBeGreaterThanOrEqual(10);
      const city = cities.get(row.locationId as string) as DemoCity;
      expect(sellers.get(row.sellerId)?.countryCode).toBe(city.countryCode);
      if (row.kind !== 'showcase') expect(row.priceType).not.toBeNull();
      if (row.priceType === 'fixed' || row.priceType === 'negotiable') {
        expect(MinorUnits.safeParse(row.priceAmount).success).toBe(true);
        expect(CurrencyCode.safeParse(row.currency).success).toBe(true);
        const local = { LK: 'LKR', SA: 'SAR', AE: 'AED' }[city.countryCode];
        expect([local, 'USD']).toContain(row.currency);
      }
      expect(row.quantity ?? 1).toBeGreaterThanOrEqual(1);
    }
    const currencies = new Set(rows.map((row) => row.currency).filter(Boolean));
    expect([...currencies].sort()).toEqual(['AED', 'LKR', 'SAR', 'USD']);
  });

  it('spreads statuses and dates like a live site: active ones inside their period', () => {
    const byStatus: Partial<Record<string, typeof rows>> = {};
    for (const row of rows) {
      const status = row.status ?? 'draft';
      byStatus[status] = [...(byStatus[status] ?? []), row];
    }
    expect((byStatus.active?.length ?? 0) / COUNT).toBeGreaterThan(0.7);
    for (const status of ['sold', 'expired', 'draft'] as const)
      expect(byStatus[status]?.length).toBeGreaterThan(0);
    const day = 86_400_000;
    for (const row of byStatus.active ?? []) {
      const published = (row.publishedAt as Date).getTime();
      expect(published).toBeLessThanOrEqual(now.getTime());
      expect(published).toBeGreaterThan(now.getTime() - ttlDays * day);
      expect((row.expiresAt as Date).getTime()).toBeGreaterThan(now.getTime());
    }
    for (const row of byStatus.expired ?? [])
      expect((row.expiresAt as Date).getTime()).toBeLessThan(now.getTime());
    for (const row of byStatus.sold ?? []) {
      expect((row.soldAt as Date).getTime()).toBeGreaterThan((row.publishedAt as Date).getTime());
      expect((row.soldAt as Date).getTime()).toBeLessThanOrEqual(now.getTime());
    }
    const featured = rows.filter((row) => row.featuredUntil);
    expect(featured.length).toBeGreaterThan(0);
    for (const row of featured) {
      expect(row.status).toBe('active');
      expect((row.featuredFrom as Date).getTime()).toBeLessThanOrEqual(now.getTime());
      expect((row.featuredUntil as Date).getTime()).toBeGreaterThan(now.getTime());
    }
  });

  it('writes titles people would write', () => {
    const cars = refs.categories.find((ref) => ref.detail.slug === 'cars')?.detail.id;
    const carTitles = rows.filter((row) => row.categoryId === cars).map((row) => row.title);
    // "2018 Toyota Corolla Hybrid, 45,000 km" and the like.
    expect(carTitles.some((title) => /^\d{4} [A-Z][\w-]+ .+, [\d,]+ km$/.test(title))).toBe(true);
    const broken = rows.filter((row) => /undefined|NaN|null|\{|\}/.test(`${row.title} ${row.description}`));
    expect(broken.map((row) => `${row.title}\n${row.description}`)).toEqual([]);
  });
});

describe('demo listing ids', () => {
  it('are UUIDs, unique, and ascend with the index for one seed', () => {
    const ids = Array.from({ length: 5_000 }, (_, index) => demoListingId(7, index * 37));
    for (const id of ids.slice(0, 50)) expect(z.uuid().safeParse(id).success).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(demoListingId(7, 5)).toBe(demoListingId(7, 5));
    expect(demoListingId(8, 5).slice(0, 8)).not.toBe(demoListingId(7, 5).slice(0, 8));
  });
});

describe('mulberry32', () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = mulberry32(99);
    const b = mulberry32(99);
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
  });
});

describe('the seed progress line', () => {
  it('shows count, percent, rate and time left', () => {
    expect(progressLine('listings', 120_000, 1_000_000, 14.285)).toBe(
      'listings 120,000/1,000,000 (12%) 8,400/s eta 1m45s',
    );
    expect(progressLine('listings', 10, 10, 2)).toBe('listings 10/10 (100%) 5/s done in 2s');
    expect(formatDuration(3_725)).toBe('1h02m');
  });
});
