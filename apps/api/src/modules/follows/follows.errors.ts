import { type ErrorCatalog, errorFactory } from '../../platform/http/errors.js';

export type FollowsErrorCode =
  | 'cannot_follow_self'
  | 'member_not_found'
  | 'category_not_found'
  | 'too_many_follows';

export const followsErrors: ErrorCatalog<FollowsErrorCode> = {
  cannot_follow_self: { status: 400, title: 'You cannot follow yourself' },
  member_not_found: { status: 404, title: 'No such member' },
  category_not_found: { status: 404, title: 'No such category' },
  too_many_follows: { status: 409, title: 'You follow as many members or categories as you may' },
};

export const followsError = errorFactory(followsErrors);
