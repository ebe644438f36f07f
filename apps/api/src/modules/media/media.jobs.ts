import type { Jobs } from '../../platform/jobs.js';
import type { MediaService } from './media.service.js';

export const REMOVE_ORPHANS_QUEUE = 'media.remove_orphans';
/** Hourly, at a minute no other job of the hour uses. */
export const REMOVE_ORPHANS_CRON = '17 * * * *';

/** The hourly job that removes images attached to no listing, files and rows. */
export function registerMediaJobs(
  jobs: Pick<Jobs, 'define' | 'schedule'>,
  service: Pick<MediaService, 'removeOrphans'>,
): void {
  jobs.define(
    REMOVE_ORPHANS_QUEUE,
    async () => {
      await service.removeOrphans();
    },
    // The next hour's run picks up whatever this one left.
    { retryLimit: 1 },
  );
  jobs.schedule(REMOVE_ORPHANS_QUEUE, REMOVE_ORPHANS_CRON);
}
