import type { Database } from '../../platform/db/database.js';
import type { Logger } from '../../platform/logger.js';
import { createFollowsRepository } from './follows.repository.js';
import { followsRoutes } from './follows.routes.js';
import { createFollowsService, type FollowsPorts } from './follows.service.js';

export type { FollowsPorts, FollowsService } from './follows.service.js';

/**
 * Follows: a member follows other members and categories (a category covers everything under
 * it). The "following" feed lists new active listings from them, newest first; on
 * `listing.published` (subscribed in app.ts) each follower gets one `followed_listing_published`
 * notification per listing, however often the event is delivered.
 */
export function createFollowsModule(deps: {
  database: Database;
  ports: FollowsPorts;
  logger?: Pick<Logger, 'warn'>;
}) {
  const repository = createFollowsRepository();
  const service = createFollowsService({ ...deps, repository });
  return { service, routes: followsRoutes(service) };
}

export type FollowsModule = ReturnType<typeof createFollowsModule>;
