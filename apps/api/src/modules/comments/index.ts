import type { Database } from '../../platform/db/database.js';
import { createCommentsRepository } from './comments.repository.js';
import { commentsRoutes } from './comments.routes.js';
import { type CommentsPorts, createCommentsService } from './comments.service.js';

export type { CommentsPorts, CommentsService } from './comments.service.js';

/**
 * Comments: threaded discussion on any public listing (questions on a classified, talk on a
 * showcase post). Replies to any depth (bounded at 100), read as whole threads paged by top-level
 * comment, edited and deleted by their author; a deleted comment with replies stays as a
 * placeholder. The listing's owner hears of new comments, a comment's author of replies.
 */
export function createCommentsModule(deps: {
  database: Database;
  ports: CommentsPorts;
  /** Comments (and edits) one member may write per minute. */
  commentsPerMinute?: number;
}) {
  const repository = createCommentsRepository();
  const service = createCommentsService({ database: deps.database, repository, ports: deps.ports });
  return { service, routes: commentsRoutes({ commentsPerMinute: deps.commentsPerMinute ?? 20 }, service) };
}

export type CommentsModule = ReturnType<typeof createCommentsModule>;
