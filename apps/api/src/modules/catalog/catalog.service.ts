import { createHash } from 'node:crypto';
import type {
  AttributeDefinition,
  Category,
  CategoryDetail,
  CategoryNode,
  CreateCategoryBody,
  LocationNode,
  LocationTree,
  ReorderCategoriesBody,
  UpdateCategoryBody,
} from '@souk/contracts';
import { CategoryTree as CategoryTreeSchema } from '@souk/contracts';
import type { Cache } from '../../platform/cache.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import type { EventPublisher } from '../../platform/events.js';
import type { RequestContext } from '../../platform/http/context.js';
import { resolveAttributes, validateAttributeSchema } from './catalog.attributes.js';
import { catalogError } from './catalog.errors.js';
import type { CatalogEvents } from './catalog.events.js';
import type { CatalogRepository } from './catalog.repository.js';
import type { CategoryRow, LocationRow } from './catalog.schema.js';

/** Parsed bodies: the Zod contracts have applied defaults and trimming already. */
export type CreateCategoryInput = Omit<CreateCategoryBody, 'attributes' | 'parentId'> & {
  parentId?: string | null;
  attributes?: AttributeDefinition[];
};
export type UpdateCategoryInput = Omit<UpdateCategoryBody, 'attributes'> & {
  attributes?: AttributeDefinition[];
};

/** Bumped by every write; each node compares it with the version its parsed answers were built at. */
export const CATALOG_VERSION_KEY = 'catalog:version';
// A write is seen at once on this node (and on every node when the cache is Redis);
// with per-node memory caches another node may serve the old tree for at most this long.
const CACHE_TTL_SECONDS = 60;

export function createCatalogService(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: CatalogRepository;
  events: EventPublisher<CatalogEvents>;
  cache: Cache;
}) {
  const { database, repository, events, cache } = deps;

  // Catalog answers are kept parsed in this process per catalog version (the version lives in the
  // shared cache, so a write on any node is seen by all): re-parsing a car's 600-option schema
  // from a JSON cache cost about 0.4 ms a request (bench/listing.bench.ts). Callers must not
  // mutate what they get.
  const parsed = new Map<string, { version: number; at: number; value: unknown }>();
  async function memoized<T>(key: string, load: () => Promise<T>): Promise<T> {
    const version = (await cache.get<number>(CATALOG_VERSION_KEY)) ?? 0;
    const hit = parsed.get(key);
    if (hit && hit.version === version && Date.now() - hit.at < CACHE_TTL_SECONDS * 1000)
      return hit.value as T;
    const value = await load();
    if (parsed.size > 5000) parsed.clear();
    parsed.set(key, { version, at: Date.now(), value });
    return value;
  }
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

  /** Runs an admin write, then drops cached reads once it has committed. */
  async function write<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const result = await database.transaction(work);
    await invalidate();
    return result;
  }

  async function invalidate() {
    await cache.increment(CATALOG_VERSION_KEY, 365 * 86_400);
  }

  /** Checks `attributes` of category `slug` placed under `parentId`, and every descendant's too. */
  function assertSchemaValid(
    all: CategoryRow[],
    change: { id: string | null; slug: string; parentId: string | null; attributes: AttributeDefinition[] },
  ) {
    const byId = new Map(all.map((row) => [row.id, row]));
    if (change.id) byId.set(change.id, { ...(byId.get(change.id) as CategoryRow), ...change, id: change.id });
    const chainOf = (parentId: string | null) => ancestorsOf(byId, parentId);

    const inherited = resolveAttributes(chainOf(change.parentId));
    const errors = validateAttributeSchema(change.attributes, inherited);
    if (errors.length > 0) {
      throw catalogError('invalid_attribute_schema', 'Fix the attributes listed in errors.', errors);
    }
    if (!change.id) return;
    // A parent's change may break a descendant (a child's model depending on a removed make).
    for (const descendant of descendantsOf(byId, change.id)) {
      const descendantErrors = validateAttributeSchema(
        descendant.attributes,
        resolveAttributes(chainOf(descendant.parentId)),
        `descendant.${descendant.slug}.attributes`,
      );
      if (descendantErrors.length > 0) {
        throw catalogError(
          'invalid_attribute_schema',
          `The change would break the attributes of subcategory "${descendant.slug}".`,
          descendantErrors,
        );
      }
    }
  }

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

    async createCategory(_ctx: RequestContext, input: CreateCategoryInput): Promise<Category> {
      const parentId = input.parentId ?? null;
      const attributes = input.attributes ?? [];
      const row = await write(async (tx) => {
        const all = await repository.listCategories(tx);
        if (parentId && !all.some((category) => category.id === parentId)) {
          throw catalogError('parent_category_not_found', `There is no category with id ${parentId}.`);
        }
        if (all.some((category) => category.slug === input.slug)) {
          throw catalogError('category_slug_taken', `The slug "${input.slug}" is taken.`);
        }
        assertSchemaValid(all, { id: null, slug: input.slug, parentId, attributes });
        const position = await repository.nextPosition(tx, parentId);
        const placed = await insertOrSlugTaken(() =>
          repository.insertCategory(tx, {
            parentId,
            slug: input.slug,
            name: input.name,
            description: input.description ?? null,
            icon: input.icon ?? null,
            attributes,
            position,
          }),
        );
        await events.publish(tx, 'catalog.category_created', {
          categoryId: placed.id,
          slug: placed.slug,
          parentId: placed.parentId,
        });
        return placed;
      });
      return toCategory(row);
    },

    async updateCategory(_ctx: RequestContext, id: string, input: UpdateCategoryInput): Promise<Category> {
      const row = await write(async (tx) => {
        const current = await repository.lockCategory(tx, id);
        if (!current) throw catalogError('category_not_found', `There is no category with id ${id}.`);
        const all = await repository.listCategories(tx);
        const next = {
          id,
          slug: input.slug ?? current.slug,
          parentId: input.parentId === undefined ? current.parentId : input.parentId,
          attributes: input.attributes ?? current.attributes,
        };
        if (next.slug !== current.slug && all.some((category) => category.slug === next.slug)) {
          throw catalogError('category_slug_taken', `The slug "${next.slug}" is taken.`);
        }
        const moved = next.parentId !== current.parentId;
        if (moved && next.parentId) {
          const byId = new Map(all.map((category) => [category.id, category]));
          if (!byId.has(next.parentId)) {
            throw catalogError('parent_category_not_found', `There is no category with id ${next.parentId}.`);
          }
          if (ancestorsOf(byId, next.parentId).some((level) => level.id === id)) {
            throw catalogError('category_cycle', 'Pick a parent outside this category’s own subtree.');
          }
        }
        assertSchemaValid(all, next);
        const changes: Parameters<typeof repository.updateCategory>[2] = {};
        if (input.slug !== undefined) changes.slug = input.slug;
        if (input.name !== undefined) changes.name = input.name;
        if (input.description !== undefined) changes.description = input.description;
        if (input.icon !== undefined) changes.icon = input.icon;
        if (input.attributes !== undefined) changes.attributes = input.attributes;
        if (moved) {
          changes.parentId = next.parentId;
          changes.position = await repository.nextPosition(tx, next.parentId);
        }
        const updated = await insertOrSlugTaken(() => repository.updateCategory(tx, id, changes));
        await events.publish(tx, 'catalog.category_updated', {
          categoryId: id,
          slug: updated.slug,
          changed: Object.keys(changes),
        });
        return updated;
      });
      return toCategory(row);
    },

    async deleteCategory(_ctx: RequestContext, id: string): Promise<void> {
      await write(async (tx) => {
        const current = await repository.lockCategory(tx, id);
        if (!current) throw catalogError('category_not_found', `There is no category with id ${id}.`);
        const children = await repository.childrenOf(tx, id);
        if (children.length > 0) {
          throw catalogError(
            'category_has_children',
            `Move or delete its ${children.length} subcategories first.`,
          );
        }
        await repository.deleteCategory(tx, id);
        await events.publish(tx, 'catalog.category_deleted', { categoryId: id, slug: current.slug });
      });
    },

    async reorderCategories(_ctx: RequestContext, input: ReorderCategoriesBody): Promise<CategoryRefList> {
      const parentId = input.parentId ?? null;
      const rows = await write(async (tx) => {
        if (parentId && !(await repository.lockCategory(tx, parentId))) {
          throw catalogError('parent_category_not_found', `There is no category with id ${parentId}.`);
        }
        const children = await repository.childrenOf(tx, parentId);
        const given = new Set(input.orderedIds);
        const sameSet =
          given.size === input.orderedIds.length &&
          given.size === children.length &&
          children.every((child) => given.has(child.id));
        if (!sameSet) {
          throw catalogError(
            'reorder_mismatch',
            `Send each of the ${children.length} children's ids once; got ${input.orderedIds.length} ids.`,
          );
        }
        await repository.setPositions(tx, input.orderedIds);
        await events.publish(tx, 'catalog.categories_reordered', { parentId, orderedIds: input.orderedIds });
        return repository.childrenOf(tx, parentId);
      });
      return {
        items: rows.map((row) => ({
          id: row.id,
          slug: row.slug,
          name: row.name,
          icon: row.icon,
          position: row.position,
        })),
      };
    },

    /** One location's name and country, for other modules (a profile's "Colombo, LK"). */
    /** Drops every cached catalog answer (after seeding, which writes around the service). */
    invalidate,

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

/** The entries of `all` for `ids` (unknown ids left out). */
function pick<T>(all: Map<string, T>, ids: string[]): Map<string, T> {
  const found = new Map<string, T>();
  for (const id of ids) {
    const value = all.get(id);
    if (value !== undefined) found.set(id, value);
  }
  return found;
}

async function insertOrSlugTaken<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    // Two admins creating the same slug at once: the unique index decides, the loser gets a 409.
    if (isUniqueViolation(error)) throw catalogError('category_slug_taken', 'The slug is taken.');
    throw error;
  }
}

function ancestorsOf(byId: Map<string, CategoryRow>, parentId: string | null): CategoryRow[] {
  const chain: CategoryRow[] = [];
  const seen = new Set<string>();
  let cursor = parentId;
  while (cursor && !seen.has(cursor)) {
    seen.add(cursor);
    const row = byId.get(cursor);
    if (!row) break;
    chain.unshift(row);
    cursor = row.parentId;
  }
  return chain;
}

function descendantsOf(byId: Map<string, CategoryRow>, id: string): CategoryRow[] {
  const rows = [...byId.values()];
  const found: CategoryRow[] = [];
  const queue = [id];
  while (queue.length > 0) {
    const current = queue.shift();
    for (const row of rows) {
      if (row.parentId === current && row.id !== id && !found.includes(row)) {
        found.push(row);
        queue.push(row.id);
      }
    }
  }
  return found;
}

export function buildCategoryTree(rows: CategoryRow[]): CategoryNode[] {
  const nodes = new Map<string, CategoryNode>();
  for (const row of rows) {
    nodes.set(row.id, {
      id: row.id,
      parentId: row.parentId,
      slug: row.slug,
      name: row.name,
      description: row.description,
      icon: row.icon,
      position: row.position,
      attributes: row.attributes,
      children: [],
    });
  }
  const roots: CategoryNode[] = [];
  // `rows` arrive in display order, so pushing in that order keeps siblings sorted.
  for (const row of rows) {
    const node = nodes.get(row.id) as CategoryNode;
    const parent = row.parentId ? nodes.get(row.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

function toCategoryDetail(row: CategoryRow, all: CategoryRow[]): CategoryDetail {
  const byId = new Map(all.map((category) => [category.id, category]));
  const ancestors = ancestorsOf(byId, row.parentId);
  const ref = (category: CategoryRow) => ({
    id: category.id,
    slug: category.slug,
    name: category.name,
    icon: category.icon,
  });
  return {
    id: row.id,
    parentId: row.parentId,
    slug: row.slug,
    name: row.name,
    description: row.description,
    icon: row.icon,
    position: row.position,
    ancestors: ancestors.map(ref),
    children: all
      .filter((category) => category.parentId === row.id)
      .map((category) => ({ ...ref(category), position: category.position })),
    attributes: resolveAttributes([...ancestors, row]),
  };
}

export function toCategory(row: CategoryRow): Category {
  return {
    id: row.id,
    parentId: row.parentId,
    slug: row.slug,
    name: row.name,
    description: row.description,
    icon: row.icon,
    position: row.position,
    attributes: row.attributes,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function buildLocationTree(rows: LocationRow[]): LocationNode[] {
  const nodes = new Map<string, LocationNode>();
  for (const row of rows) {
    nodes.set(row.id, {
      id: row.id,
      parentId: row.parentId,
      kind: row.kind,
      slug: row.slug,
      name: row.name,
      countryCode: row.countryCode,
      latitude: row.latitude,
      longitude: row.longitude,
      children: [],
    });
  }
  const roots: LocationNode[] = [];
  for (const row of rows) {
    const node = nodes.get(row.id) as LocationNode;
    const parent = row.parentId ? nodes.get(row.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
