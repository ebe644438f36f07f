import type { Database } from '../../platform/db/database.js';
import type { Logger } from '../../platform/logger.js';
import { createShowcaseRepository } from './showcase.repository.js';
import { showcaseRoutes } from './showcase.routes.js';
import { createShowcaseService, type ShowcasePorts, type ShowcaseRealtime } from './showcase.service.js';

export { hotScore, voteWeight } from './showcase.ranking.js';
export type { ShowcasePorts, ShowcaseService } from './showcase.service.js';

/**
 * Showcase: listings of kind `showcase` as product posts (name, tagline, link, tags, makers,
 * launch date beside the listing's own photos), upvotes counted exactly and weighted by the
 * voter's account age, and the ranked feeds (today, this week, a day's leaderboard). A new vote
 * count goes live on `listing:<id>` as a `showcase.upvotes` signal.
 */
export function createShowcaseModule(deps: {
  database: Database;
  ports: ShowcasePorts;
  realtime: ShowcaseRealtime;
  logger?: Pick<Logger, 'warn'>;
  /** Upvote requests one client address may make per minute. */
  upvotesPerMinutePerAddress?: number;
}) {
  const repository = createShowcaseRepository();
  const service = createShowcaseService({ ...deps, repository });
  return {
    service,
    routes: showcaseRoutes(service, { upvotesPerMinutePerAddress: deps.upvotesPerMinutePerAddress ?? 30 }),
  };
}

export type ShowcaseModule = ReturnType<typeof createShowcaseModule>;
