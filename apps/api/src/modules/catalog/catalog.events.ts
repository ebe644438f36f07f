/** Events the catalog publishes, in the same transaction as the write that caused them. */
export type CatalogEvents = {
  'catalog.category_created': { categoryId: string; slug: string; parentId: string | null };
  'catalog.category_updated': { categoryId: string; slug: string; changed: string[] };
  'catalog.category_deleted': { categoryId: string; slug: string };
  'catalog.categories_reordered': { parentId: string | null; orderedIds: string[] };
};
