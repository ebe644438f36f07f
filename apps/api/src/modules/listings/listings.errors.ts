import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const listingErrors = {
  listing_not_found: { status: 404, title: 'No such listing' },
  category_not_found: { status: 400, title: 'The category does not exist' },
  location_not_found: { status: 400, title: 'The location does not exist' },
  invalid_attributes: { status: 400, title: 'Some attributes do not fit the category' },
  listing_incomplete: { status: 400, title: 'The listing is not complete enough to publish' },
  invalid_transition: { status: 409, title: 'The listing cannot make that change from its status' },
  invalid_price: { status: 400, title: 'The price does not fit the listing' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type ListingErrorCode = keyof typeof listingErrors;

export const listingError = errorFactory(listingErrors);
