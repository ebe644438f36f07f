import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const searchErrors = {
  unknown_filter: { status: 400, title: 'The search has a parameter it does not know' },
  unknown_attribute: { status: 400, title: 'The category has no such filterable attribute' },
  invalid_filter: { status: 400, title: 'A filter value is not valid' },
  invalid_range: { status: 400, title: 'A range has its minimum above its maximum' },
  category_not_found: { status: 400, title: 'The category does not exist' },
  location_not_found: { status: 400, title: 'The location does not exist or has no coordinates' },
  saved_search_not_found: { status: 404, title: 'No such saved search' },
  too_many_saved_searches: { status: 409, title: 'You have saved as many searches as allowed' },
  listing_not_found: { status: 404, title: 'No such listing' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type SearchErrorCode = keyof typeof searchErrors;

export const searchError = errorFactory(searchErrors);
