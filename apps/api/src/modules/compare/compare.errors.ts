import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const compareErrors = {
  listing_not_found: { status: 404, title: 'No such listing' },
  listing_not_available: { status: 409, title: 'Only listings that are for sale now can be compared' },
  compare_full: { status: 409, title: 'You are comparing as many listings as fit side by side (4)' },
  compare_category_mismatch: {
    status: 409,
    title: 'Only listings of the same kind (top category) can be compared side by side',
  },
  compare_too_few: { status: 409, title: 'Add at least two listings before sharing a comparison' },
  compare_busy: { status: 409, title: 'Your comparison changed while this was saved; try again' },
  share_not_found: { status: 404, title: 'No such shared comparison' },
  share_expired: { status: 410, title: 'This shared comparison has expired' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type CompareErrorCode = keyof typeof compareErrors;

export const compareError = errorFactory(compareErrors);
