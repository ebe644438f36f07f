import type { ImportJob } from '@souk/contracts';

/**
 * Progress of an import, reported after every batch of rows and when it ends. Not a domain
 * event (it is not queued, and it is sent often): an in-process hook the realtime hub forwards
 * to the seller's sockets (see `onProgressed` in index.ts).
 */
export type ImportProgressed = {
  type: 'imports.progressed';
  importId: string;
  sellerId: string;
  status: ImportJob['status'];
  progress: ImportJob['progress'];
};
