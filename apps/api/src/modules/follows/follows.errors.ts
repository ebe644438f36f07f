import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const followsErrors = {
  cannot_follow_self: { status: 400, title: 'You cannot follow yourself' },
  member_not_found: { status: 404, title: 'No such member' },
  category_not_found: { status: 404, title: 'No such category' },
  too_many_follows: { status: 409, title: 'You follow as many members or categories as you may' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type FollowsErrorCode = keyof typeof followsErrors;

export const followsError = errorFactory(followsErrors);
