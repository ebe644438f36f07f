import type { Database } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import { createImportsRepository } from './imports.repository.js';
import { importsRoutes } from './imports.routes.js';
import { createImportsService, type ImportsConfig, RUN_IMPORT_QUEUE } from './imports.service.js';

type ImportsDeps = Parameters<typeof createImportsService>[0];

export type { ImportProgressed } from './imports.events.js';
export {
  IMPORT_BATCH_SIZE,
  type ImportsConfig,
  type ImportsService,
  RUN_IMPORT_QUEUE,
} from './imports.service.js';

/**
 * Bulk import and export of listings: CSV or JSON Lines files upserted by the seller's external
 * id, as a job with progress and a report of failed rows; images from a zip archive or fetched
 * from http(s) addresses with SSRF protection. Listings are written through the listings
 * service, images through the media service.
 *
 * Progress: `service.onProgressed(listener)` receives an `imports.progressed` event after every
 * batch of rows (in the process running the import); the realtime hub forwards it.
 */
export function createImportsModule(deps: {
  database: Database;
  jobs: Pick<Jobs, 'define' | 'send'>;
  listings: ImportsDeps['listings'];
  media: ImportsDeps['media'];
  accountExists: (userId: string) => Promise<boolean>;
  requireVerifiedSeller: (userId: string) => Promise<void>;
  config: ImportsConfig;
  logger?: Pick<Logger, 'warn' | 'error'>;
}) {
  const repository = createImportsRepository();
  const service = createImportsService({ ...deps, repository });
  // A running import keeps its job by heartbeat for up to 4 hours; a killed worker's import is
  // run again elsewhere within about a minute and a half and resumes from its last committed
  // batch, so a few retries (one per kill) cost nothing twice.
  deps.jobs.define<{ importId: string }>(RUN_IMPORT_QUEUE, (data) => service.runQueued(data.importId), {
    retryLimit: 5,
    expireInSeconds: 4 * 3600,
  });
  return { service, routes: importsRoutes(service, deps.config) };
}

export type ImportsModule = ReturnType<typeof createImportsModule>;
