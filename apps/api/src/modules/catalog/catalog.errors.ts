import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const catalogErrors = {
  category_not_found: { status: 404, title: 'No such category' },
  parent_category_not_found: { status: 400, title: 'The parent category does not exist' },
  category_slug_taken: { status: 409, title: 'Another category already uses this slug' },
  category_has_children: { status: 409, title: 'The category still has subcategories' },
  category_cycle: { status: 409, title: 'A category cannot move under itself or its descendants' },
  invalid_attribute_schema: { status: 400, title: 'The attribute schema is not valid' },
  reorder_mismatch: { status: 400, title: 'The new order must list every child exactly once' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type CatalogErrorCode = keyof typeof catalogErrors;

export const catalogError = errorFactory(catalogErrors);
