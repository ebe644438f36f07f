import { type ErrorCatalog, errorFactory } from '../../platform/http/errors.js';

export type CommentErrorCode =
  | 'listing_not_found'
  | 'listing_not_open'
  | 'comment_not_found'
  | 'parent_not_found'
  | 'parent_on_other_listing'
  | 'parent_deleted'
  | 'thread_too_deep'
  | 'empty_comment';

export const commentErrors: ErrorCatalog<CommentErrorCode> = {
  listing_not_found: { status: 404, title: 'No such listing' },
  listing_not_open: { status: 409, title: 'The listing no longer takes comments' },
  comment_not_found: { status: 404, title: 'No such comment' },
  parent_not_found: { status: 400, title: 'The comment you reply to does not exist' },
  parent_on_other_listing: { status: 400, title: 'The comment you reply to is on another listing' },
  parent_deleted: { status: 409, title: 'The comment you reply to was deleted' },
  thread_too_deep: { status: 409, title: 'This thread is as deep as replies go' },
  empty_comment: { status: 400, title: 'Write something' },
};

export const commentError = errorFactory(commentErrors);
