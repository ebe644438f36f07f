import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ImportJob } from '@souk/contracts';
import type { Database } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { ImportRowInput, ListingsService } from '../listings/index.js';
import type { MediaService } from '../media/index.js';
import type { ImportProgressed } from './imports.events.js';
import { createListingsExport } from './imports.export.js';
import { createImageFetcher, type FetchLimits } from './imports.fetch.js';
import type { ImportsRepository } from './imports.repository.js';
import { createImportRunner, type ImportSource } from './imports.run.js';
import type { ImportFormat, ImportRow } from './imports.schema.js';
import { createImportUploads } from './imports.upload.js';
import { createImportViews, toJob } from './imports.views.js';

export { IMPORT_BATCH_SIZE, type ImportSource } from './imports.run.js';
export { RUN_IMPORT_QUEUE, type UploadPart } from './imports.upload.js';

export type ImportsConfig = {
  maxFileBytes: number;
  maxArchiveBytes: number;
  /** Where the public reaches Souk; exported image addresses of uploads start with it. */
  publicOrigin: string;
  fetch: FetchLimits;
};

/**
 * Imports put together: uploads kept in the database and queued (imports.upload.ts), the run
 * that reads a file a batch at a time (imports.run.ts), what sellers read of their imports
 * (imports.views.ts) and the export (imports.export.ts).
 */
export function createImportsService(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: ImportsRepository;
  jobs: Pick<Jobs, 'send'>;
  listings: Pick<
    ListingsService,
    'planImport' | 'applyImport' | 'withdrawMissing' | 'exportAttributeKeys' | 'exportListings'
  >;
  media: Pick<
    MediaService,
    'sourcesOf' | 'prepareImportImages' | 'attachImportImages' | 'discardImportImages'
  >;
  /** Whether an account exists (an admin importing for a seller names it by id). */
  accountExists: (userId: string) => Promise<boolean>;
  /** Imports publish listings, so the seller's address must be confirmed (auth, decision 022). */
  requireVerifiedSeller: (userId: string) => Promise<void>;
  config: ImportsConfig;
  logger?: Pick<Logger, 'warn' | 'error'>;
}) {
  const { database, repository, config } = deps;
  const listeners = new Set<(event: ImportProgressed) => void>();
  const fetcher = createImageFetcher(config.fetch);

  function emit(row: ImportRow) {
    const job = toJob(row);
    const event: ImportProgressed = {
      type: 'imports.progressed',
      importId: row.id,
      sellerId: row.sellerId,
      status: job.status,
      progress: job.progress,
    };
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        deps.logger?.warn({ err: error }, 'an import progress listener failed');
      }
    }
  }

  const uploads = createImportUploads({
    database,
    repository,
    jobs: deps.jobs,
    accountExists: deps.accountExists,
    requireVerifiedSeller: deps.requireVerifiedSeller,
    limits: config,
  });
  const { run } = createImportRunner({
    database,
    repository,
    listings: deps.listings,
    media: deps.media,
    fetcher,
    publicOrigin: config.publicOrigin,
    maxImageBytes: config.fetch.maxBytes,
    progressed: emit,
    logger: deps.logger,
  });
  const views = createImportViews({ database, repository });

  return {
    /** Registers a listener of every import's progress (the realtime hub); returns its removal. */
    onProgressed(listener: (event: ImportProgressed) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    create: uploads.create,

    /** The job: imports an uploaded file from its stored chunks, then drops them. */
    async runQueued(importId: string): Promise<void> {
      const job = await repository.findById(database.db, importId);
      if (!job || (job.status !== 'queued' && job.status !== 'running')) return;
      let folder: string | null = null;
      try {
        let archivePath: string | null = null;
        if (job.hasArchive) {
          // A zip is read from its end (the central directory): it needs a file, not a stream.
          folder = await mkdtemp(join(tmpdir(), 'souk-import-'));
          archivePath = join(folder, 'images.zip');
          await pipeline(uploads.storedStream(importId, 'archive'), createWriteStream(archivePath));
        }
        // A job that finds its import running was run before, by a worker that died: it resumes.
        await run(
          importId,
          { file: () => uploads.storedStream(importId, 'file'), archivePath },
          undefined,
          job.status === 'running',
        );
        await repository.deleteFiles(database.db, importId);
      } finally {
        if (folder) await rm(folder, { recursive: true, force: true });
      }
    },

    /** The command line: an import of a local file, run here and now. */
    async runLocal(
      input: {
        sellerId: string;
        fileName: string;
        fileSize: number;
        format: ImportFormat;
        dryRun: boolean;
        withdrawMissing: boolean;
        source: ImportSource;
      },
      onBatch?: (row: ImportRow) => void,
    ): Promise<ImportJob> {
      if (!input.dryRun) await deps.requireVerifiedSeller(input.sellerId);
      const job = await repository.insert(database.db, {
        sellerId: input.sellerId,
        createdBy: null,
        status: 'queued',
        format: input.format,
        fileName: input.fileName.slice(0, 200),
        bytesTotal: input.fileSize,
        hasArchive: input.source.archivePath !== null,
        dryRun: input.dryRun,
        withdrawMissing: input.withdrawMissing,
      });
      return toJob(await run(job.id, input.source, onBatch));
    },

    ...views,

    export: createListingsExport({
      listings: deps.listings,
      media: deps.media,
      publicOrigin: config.publicOrigin,
    }),

    close: () => fetcher.close(),
  };
}

export type ImportsService = ReturnType<typeof createImportsService>;
export type { ImportRowInput };
