import { AttributeDefinition } from '@souk/contracts';
import { z } from 'zod';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { CatalogRepository } from './catalog.repository.js';
import { type DemoLocation, demoLocations } from './demo/locations.data.js';
import { type DemoCategory, demoTaxonomy } from './demo/taxonomy.data.js';

export type SeedReport = {
  categories: { total: number; added: number };
  locations: { total: number; added: number };
};

const attributeList = z.array(AttributeDefinition);

/**
 * Inserts the demo taxonomy and locations that are not there yet, in one transaction. A row
 * that exists (same slug, same parent for locations) is left as the operator may have edited it.
 */
export async function seedDemoCatalog(deps: {
  database: Database;
  repository: CatalogRepository;
  invalidate: () => Promise<void>;
}): Promise<SeedReport> {
  const { database, repository } = deps;
  const report: SeedReport = { categories: { total: 0, added: 0 }, locations: { total: 0, added: 0 } };

  await database.transaction(async (tx) => {
    const before = await repository.listCategories(tx);
    const existingSlugs = new Set(before.map((row) => row.slug));

    async function addCategory(category: DemoCategory, parentId: string | null, position: number) {
      const row = await repository.ensureCategory(tx, {
        parentId,
        slug: category.slug,
        name: category.name,
        icon: category.icon,
        description: category.description ?? null,
        // Parsing applies the contract's defaults and fails loudly on a typo in the demo data.
        attributes: attributeList.parse(category.attributes ?? []),
        position,
      });
      report.categories.total++;
      if (!existingSlugs.has(category.slug)) report.categories.added++;
      for (const [index, child] of (category.children ?? []).entries())
        await addCategory(child, row.id, index);
    }
    for (const [index, category] of demoTaxonomy.entries()) await addCategory(category, null, index);

    const locationCountBefore = (await repository.listLocations(tx)).length;
    async function addLocation(
      db: Queryable,
      location: DemoLocation,
      countryCode: string,
      parentId: string | null,
      position: number,
    ) {
      const row = await repository.ensureLocation(db, {
        parentId,
        kind: location.kind,
        slug: location.slug,
        name: location.name,
        countryCode,
        latitude: location.latitude ?? null,
        longitude: location.longitude ?? null,
        position,
      });
      report.locations.total++;
      for (const [index, child] of (location.children ?? []).entries()) {
        await addLocation(db, child, countryCode, row.id, index);
      }
    }
    for (const [index, country] of demoLocations.entries()) {
      await addLocation(tx, country, country.countryCode, null, index);
    }
    report.locations.added = (await repository.listLocations(tx)).length - locationCountBefore;
  });

  await deps.invalidate();
  return report;
}
