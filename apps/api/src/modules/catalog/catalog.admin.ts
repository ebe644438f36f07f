import type { Category, ReorderCategoriesBody } from '@souk/contracts';
import type { Database, Queryable } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import type { EventPublisher } from '../../platform/events.js';
import type { RequestContext } from '../../platform/http/context.js';
import { catalogError } from './catalog.errors.js';
import type { CatalogEvents } from './catalog.events.js';
import type { CatalogRepository } from './catalog.repository.js';
import type { CategoryRefList, CreateCategoryInput, UpdateCategoryInput } from './catalog.service.js';
import { ancestorsOf, assertSchemaValid, toCategory } from './catalog.trees.js';

/** The admin's writes to the category tree: each in one transaction with its event, then the cache drops. */
export function createCategoryAdmin(deps: {
  database: Pick<Database, 'transaction'>;
  repository: CatalogRepository;
  events: EventPublisher<CatalogEvents>;
  invalidate: () => Promise<void>;
}) {
  const { database, repository, events, invalidate } = deps;

  /** Runs an admin write, then drops cached reads once it has committed. */
  async function write<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    const result = await database.transaction(work);
    await invalidate();
    return result;
  }

  return {
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
  };
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
