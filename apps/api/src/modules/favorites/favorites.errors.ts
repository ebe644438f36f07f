import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const favoritesErrors = {
  listing_not_found: { status: 404, title: 'No such listing' },
  listing_not_available: { status: 409, title: 'Only listings that are for sale now can be saved' },
  share_not_found: { status: 404, title: 'No such shared wishlist' },
  share_expired: { status: 410, title: 'This shared wishlist has expired or was withdrawn' },
  too_many_shares: { status: 409, title: 'You have as many open wishlist links as you may keep' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type FavoritesErrorCode = keyof typeof favoritesErrors;

export const favoritesError = errorFactory(favoritesErrors);
