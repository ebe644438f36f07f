import type {
  AttributeDefinition,
  Category,
  CategoryDetail,
  CategoryNode,
  LocationNode,
} from '@souk/contracts';
import { resolveAttributes, validateAttributeSchema } from './catalog.attributes.js';
import { catalogError } from './catalog.errors.js';
import type { CategoryRow, LocationRow } from './catalog.schema.js';

// Pure tree work over the flat category and location lists (the repository returns them in
// display order): paths, subtrees, the API's shapes, and the attribute-schema check of a change.

/** Checks `attributes` of category `slug` placed under `parentId`, and every descendant's too. */
export function assertSchemaValid(
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

export function ancestorsOf(byId: Map<string, CategoryRow>, parentId: string | null): CategoryRow[] {
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

export function descendantsOf(byId: Map<string, CategoryRow>, id: string): CategoryRow[] {
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

/**
 * Nests a flat list under its parents. `rows` arrive in display order, so pushing in that order
 * keeps siblings sorted; a row whose parent is not in the list is a root.
 */
function nest<Row extends { id: string; parentId: string | null }, Node extends { children: Node[] }>(
  rows: Row[],
  toNode: (row: Row) => Node,
): Node[] {
  const nodes = new Map(rows.map((row) => [row.id, toNode(row)]));
  const roots: Node[] = [];
  for (const row of rows) {
    const node = nodes.get(row.id) as Node;
    const parent = row.parentId ? nodes.get(row.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

export function buildCategoryTree(rows: CategoryRow[]): CategoryNode[] {
  return nest(rows, (row) => ({
    id: row.id,
    parentId: row.parentId,
    slug: row.slug,
    name: row.name,
    description: row.description,
    icon: row.icon,
    position: row.position,
    attributes: row.attributes,
    children: [],
  }));
}

export function toCategoryDetail(row: CategoryRow, all: CategoryRow[]): CategoryDetail {
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

export function buildLocationTree(rows: LocationRow[]): LocationNode[] {
  return nest(rows, (row) => ({
    id: row.id,
    parentId: row.parentId,
    kind: row.kind,
    slug: row.slug,
    name: row.name,
    countryCode: row.countryCode,
    latitude: row.latitude,
    longitude: row.longitude,
    children: [],
  }));
}
