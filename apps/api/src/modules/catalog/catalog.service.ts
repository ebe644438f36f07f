import { createHash } from 'node:crypto';
import type {
  AttributeDefinition,
  CategoryDetail,
  CreateCategoryBody,
  LocationTree,
  UpdateCategoryBody,
} from '@souk/contracts';
import { CategoryTree as CategoryTreeSchema } from '@souk/contracts';
import type { Cache } from '../../platform/cache.js';
import type { Database } from '../../platform/db/database.js';
import type { EventPublisher } from '../../platform/events.js';
import type { RequestContext } from '../../platform/http/context.js';
import { createCategoryAdmin } from './catalog.admin.js';
import { createCatalogCache, pick } from './catalog.cache.js';
import { catalogError } from './catalog.errors.js';
import type { CatalogEvents } from './catalog.events.js';
import type { CatalogRepository } from './catalog.repository.js';
import { buildCategoryTree, buildLocationTree, descendantsOf, toCategoryDetail } from './catalog.trees.js';

/** Parsed bodies: the Zod contracts have applied defaults and trimming already. */
export type CreateCategoryInput = Omit<CreateCategoryBody, 'attributes' | 'parentId'> & {
  parentId?: string | null;
  attributes?: AttributeDefinition[];
};
export type UpdateCategoryInput = Omit<UpdateCategoryBody, 'attributes'> & {
  attributes?: AttributeDefinition[];
};

/** The catalog's reads (cached per catalog version) and, from catalog.admin.ts, its writes. */
export function createCatalogService(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: CatalogRepository;
  events: EventPublisher<CatalogEvents>;
  cache: Cache;
}) {
  const { database, repository } = deps;
  const { memoized, invalidate } = createCatalogCache(deps.cache);

  /**
   * Every category's id, slug and name keyed by id (in tree order), once per catalog version:
   * every listing page, card list and search suggestion asks.
   */
  const categoryRefMap = () =>
    memoized(
      'category-refs',
      async () =>
        new Map(
          (await repository.listCategories(database.db)).map((row) => [
            row.id,
            { id: row.id, slug: row.slug, name: row.name },
          ]),
        ),
    );

  return {
    /** The tree as JSON bytes with an ETag, rebuilt when the catalog changed or after the TTL. */
    async getCategoryTreeJson(_ctx: RequestContext): Promise<{ body: Buffer; etag: string }> {
      // The most read answer and 100+ KB: validated against its contract and serialized once per
      // version, then sent as bytes (parse + validate + stringify cost 5-8 ms a request before).
      return memoized('tree-json', async () => {
        const tree = CategoryTreeSchema.parse({
          items: buildCategoryTree(await repository.listCategories(database.db)),
        });
        const body = Buffer.from(JSON.stringify(tree));
        return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
      });
    },

    async getCategory(_ctx: RequestContext, slug: string): Promise<CategoryDetail> {
      const detail = await memoized(`category:${slug}`, async () => {
        const all = await repository.listCategories(database.db);
        const row = all.find((category) => category.slug === slug);
        return row ? toCategoryDetail(row, all) : null;
      });
      if (!detail) throw catalogError('category_not_found', `There is no category "${slug}".`);
      return detail;
    },

    /** A category with its resolved attribute schema, by id (listings validate against it). */
    async categoryById(id: string): Promise<CategoryDetail | null> {
      return memoized(`category-by-id:${id}`, async () => {
        const all = await repository.listCategories(database.db);
        const row = all.find((category) => category.id === id);
        return row ? toCategoryDetail(row, all) : null;
      });
    },

    /** Ids of a category and all its descendants, by slug; null when the slug is unknown. */
    async subtreeIds(slug: string): Promise<string[] | null> {
      return memoized(`subtree:${slug}`, async () => {
        const all = await repository.listCategories(database.db);
        const root = all.find((category) => category.slug === slug);
        if (!root) return null;
        const byId = new Map(all.map((row) => [row.id, row]));
        return [root.id, ...descendantsOf(byId, root.id).map((row) => row.id)];
      });
    },

    /** A category's id by its slug, or null (imports name categories by slug). */
    async categoryIdOf(slug: string): Promise<string | null> {
      const all = await memoized('slug-ids', async () =>
        Object.fromEntries((await repository.listCategories(database.db)).map((row) => [row.slug, row.id])),
      );
      return all[slug] ?? null;
    },

    /** Names and slugs of categories by id, for list pages. */
    async categoryRefs(ids: string[]): Promise<Map<string, { id: string; slug: string; name: string }>> {
      return pick(await categoryRefMap(), ids);
    },

    ...createCategoryAdmin({ ...deps, invalidate }),

    /** Drops every cached catalog answer (after seeding, which writes around the service). */
    invalidate,

    /** One location's name and country, for other modules (a profile's "Colombo, LK"). */
    async locationRef(id: string): Promise<{ id: string; name: string; countryCode: string } | null> {
      const row = await repository.findLocation(database.db, id);
      return row ? { id: row.id, name: row.name, countryCode: row.countryCode } : null;
    },

    /** A location's point (the centre of a distance search); null when unknown or without one. */
    async locationPoint(id: string): Promise<{ latitude: number; longitude: number } | null> {
      const row = await repository.findLocation(database.db, id);
      return row && row.latitude !== null && row.longitude !== null
        ? { latitude: row.latitude, longitude: row.longitude }
        : null;
    },

    /** Every category's id, slug and name (search suggestions), from the cached list. */
    async allCategoryRefs(): Promise<{ id: string; slug: string; name: string }[]> {
      return [...(await categoryRefMap()).values()];
    },

    /** Several locations at once (list pages), from the cached flat list. */
    async locationRefs(
      ids: string[],
    ): Promise<Map<string, { id: string; name: string; countryCode: string; kind: string }>> {
      const all = await memoized(
        'location-refs',
        async () =>
          new Map(
            (await repository.listLocations(database.db)).map((row) => [
              row.id,
              { id: row.id, name: row.name, countryCode: row.countryCode, kind: row.kind },
            ]),
          ),
      );
      return pick(all, ids);
    },

    /** Every city with its slug, country and point (imports and exports name cities by slug). */
    async cities(): Promise<CityRef[]> {
      return memoized('cities', async () =>
        (await repository.listLocations(database.db))
          .filter((row) => row.kind === 'city')
          .map((row) => ({
            id: row.id,
            slug: row.slug,
            countryCode: row.countryCode,
            latitude: row.latitude,
            longitude: row.longitude,
          })),
      );
    },

    getLocations(_ctx: RequestContext, query: { country?: string | undefined }): Promise<LocationTree> {
      return memoized(`locations:${query.country ?? 'all'}`, async () => ({
        items: buildLocationTree(await repository.listLocations(database.db, query.country)),
      }));
    },
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
export type CityRef = {
  id: string;
  slug: string;
  countryCode: string;
  latitude: number | null;
  longitude: number | null;
};
export type CategoryRefList = {
  items: { id: string; slug: string; name: string; icon: string | null; position: number }[];
};
