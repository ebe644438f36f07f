import { errorFactory, type ProblemCatalog } from '../../platform/http/errors.js';

export const commentErrors = {
  listing_not_found: { status: 404, title: 'No such listing' },
  listing_not_open: { status: 409, title: 'The listing no longer takes comments' },
  comment_not_found: { status: 404, title: 'No such comment' },
  parent_not_found: { status: 400, title: 'The comment you reply to does not exist' },
  parent_on_other_listing: { status: 400, title: 'The comment you reply to is on another listing' },
  parent_deleted: { status: 409, title: 'The comment you reply to was deleted' },
  thread_too_deep: { status: 409, title: 'This thread is as deep as replies go' },
  empty_comment: { status: 400, title: 'Write something' },
} satisfies ProblemCatalog;

/** The codes are the catalog's keys: listed once. */
export type CommentErrorCode = keyof typeof commentErrors;

export const commentError = errorFactory(commentErrors);
