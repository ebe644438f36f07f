import type { Database } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import { createSearchRepository } from './search.repository.js';
import { searchRoutes } from './search.routes.js';
import { createSearchService, type SearchPorts } from './search.service.js';

export type { SearchPorts, SearchService } from './search.service.js';
export { EXACT_TOTAL_CAP } from './search.service.js';

export const DAILY_DIGEST_QUEUE = 'search.alerts-daily';
export const WEEKLY_DIGEST_QUEUE = 'search.alerts-weekly';
export const BROWSE_FACETS_QUEUE = 'search.browse-facets';

/**
 * Search and discovery: full-text search with filters, facets and distance over the listings
 * module's query port (docs/decisions/010), suggestions, similar and recently viewed listings,
 * the query log, saved searches and their alerts. Instant alerts are matched by the
 * `listing.published` subscriber wired in app.ts ({@link SearchService.onListingPublished});
 * daily and weekly digests and the stored browse facets are pg-boss cron jobs.
 */
export function createSearchModule(deps: {
  database: Database;
  jobs: Pick<Jobs, 'define' | 'schedule' | 'send'>;
  ports: SearchPorts;
  publicUrl: string;
  logger?: Pick<Logger, 'warn'>;
}) {
  const repository = createSearchRepository();
  const service = createSearchService({
    ...deps,
    repository,
    // A browse that finds no fresh stored facets asks for them (a new install, or no worker ran).
    requestBrowseRefresh: () => deps.jobs.send(BROWSE_FACETS_QUEUE, {}),
  });
  deps.jobs.define(DAILY_DIGEST_QUEUE, async () => {
    await service.sendDigests('daily');
  });
  deps.jobs.define(WEEKLY_DIGEST_QUEUE, async () => {
    await service.sendDigests('weekly');
  });
  deps.jobs.define(
    BROWSE_FACETS_QUEUE,
    async () => {
      await service.refreshBrowseFacets();
    },
    { retryLimit: 1, expireInSeconds: 30 * 60 },
  );
  // Browse facets are recounted every 10 minutes (docs/decisions/018).
  deps.jobs.schedule(BROWSE_FACETS_QUEUE, '*/10 * * * *');
  // Digests go out in the morning (UTC), weekly ones on Mondays.
  deps.jobs.schedule(DAILY_DIGEST_QUEUE, '0 7 * * *');
  deps.jobs.schedule(WEEKLY_DIGEST_QUEUE, '0 7 * * 1');
  return { service, routes: searchRoutes(service) };
}

export type SearchModule = ReturnType<typeof createSearchModule>;
