import type { Readable } from 'node:stream';
import type { FieldError } from '@souk/contracts';
import type { Database } from '../../platform/db/database.js';
import { type RequestContext, systemContext } from '../../platform/http/context.js';
import type { Logger } from '../../platform/logger.js';
import type { ListingsService, PlannedImportRow } from '../listings/index.js';
import { ImportImagesRefused, type MediaService, type PreparedImages } from '../media/index.js';
import {
  ArchiveError,
  archivePathOf,
  archiveSourceKey,
  type ImageArchive,
  openImageArchive,
} from './imports.archive.js';
import type { ImageFetcher } from './imports.fetch.js';
import { fieldName, type ParsedRow, parseRecord, readRecords } from './imports.format.js';
import type { ImportsRepository } from './imports.repository.js';
import type { ImportFailureRow, ImportFormat, ImportPreviewRow, ImportRow } from './imports.schema.js';

/** Rows planned and written together: one transaction, one multi-row INSERT and UPDATE. */
export const IMPORT_BATCH_SIZE = 500;
const PREVIEW_ROWS = 20;

/** Where a run reads from: a stream of the listings file, and the image archive on disk. */
export type ImportSource = { file: () => Readable; archivePath: string | null };

type RunDeps = {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: ImportsRepository;
  listings: Pick<ListingsService, 'planImport' | 'applyImport' | 'withdrawMissing'>;
  media: Pick<
    MediaService,
    'sourcesOf' | 'prepareImportImages' | 'attachImportImages' | 'discardImportImages'
  >;
  fetcher: Pick<ImageFetcher, 'fetch'>;
  /** Where the public reaches Souk: an image address under it names one of our uploads. */
  publicOrigin: string;
  /** Caps an image read from the archive, as a fetched one is capped. */
  maxImageBytes: number;
  /** Told of the import after every checkpoint and when it ends (the progress listeners). */
  progressed: (row: ImportRow) => void;
  logger?: Pick<Logger, 'error'> | undefined;
};

const ZERO = { bytesDone: 0, rowsDone: 0, created: 0, updated: 0, unchanged: 0, failed: 0, withdrawn: 0 };
type Counters = typeof ZERO;

/** What every batch of one run shares: the import, whom it imports for, and its image archive. */
type RunScope = {
  importId: string;
  ctx: RequestContext;
  sellerId: string;
  dryRun: boolean;
  format: ImportFormat;
  archive: ImageArchive | null;
};

/** One batch's lines and everything they decide, committed as one checkpoint. */
type Batch = {
  rows: { line: number; parsed: ParsedRow }[];
  lastLine: number;
  delta: Counters;
  failures: ImportFailureRow[];
  preview: ImportPreviewRow[];
};

const newBatch = (lastLine: number): Batch => ({
  rows: [],
  lastLine,
  delta: { ...ZERO },
  failures: [],
  preview: [],
});

type PlannedBatch = {
  plan: Awaited<ReturnType<ListingsService['planImport']>>;
  writes: PlannedImportRow[];
  prepared: Map<string, PreparedImages>;
  outcome: Map<number, 'create' | 'update' | 'unchanged'>;
};

/** A row that failed: counted, kept for the report with its fields named as the file names them. */
function fail(
  scope: RunScope,
  into: Batch,
  line: number,
  externalId: string | null,
  errors: FieldError[],
  title: string | null,
) {
  into.delta.failed++;
  const named = errors.map((error) => ({
    path: fieldName(error.path, scope.format),
    message: error.message,
  }));
  into.failures.push({ importId: scope.importId, row: line, externalId, errors: named });
  into.preview.push({ row: line, externalId, title, action: 'failed', errors: named });
}

/** Keeps the first rows of the file, whatever order their outcomes arrive in. */
const withPreview = (rows: ImportPreviewRow[], more: ImportPreviewRow[]) =>
  [...rows, ...more].sort((a, b) => a.row - b.row).slice(0, PREVIEW_ROWS);

/** Decides every row of a batch and prepares its images; writes nothing to listings. */
async function planBatch(deps: RunDeps, scope: RunScope, into: Batch): Promise<PlannedBatch> {
  const { rows } = into;
  const plan = await deps.listings.planImport(
    scope.ctx,
    scope.sellerId,
    rows.map((row) => row.parsed.row),
  );
  const current = await deps.media.sourcesOf(
    plan.flatMap((item) =>
      item.action !== 'failed' &&
      item.action !== 'create' &&
      (rows[item.index]?.parsed.images.length ?? 0) > 0
        ? [item.listingId]
        : [],
    ),
  );
  const writes: PlannedImportRow[] = [];
  const prepared = new Map<string, PreparedImages>();
  const outcome = new Map<number, 'create' | 'update' | 'unchanged'>();
  for (const item of plan) {
    const { line, parsed } = rows[item.index] as (typeof rows)[number];
    if (item.action === 'failed') {
      fail(scope, into, line, parsed.row.externalId, item.errors, parsed.row.title);
      continue;
    }
    let action = item.action;
    if (parsed.images.length > 0) {
      const same =
        action !== 'create' && sameList(current.get(item.listingId) ?? [], parsed.images, deps.publicOrigin);
      if (!same) {
        const { errors, sources } = await imageSources(deps.fetcher, parsed.images, scope.archive);
        if (errors.length > 0) {
          fail(scope, into, line, parsed.row.externalId, errors, parsed.row.title);
          continue;
        }
        if (!scope.dryRun) {
          try {
            const images = await deps.media.prepareImportImages({
              ownerId: scope.sellerId,
              listingId: action === 'create' ? null : item.listingId,
              sources,
              publicOrigin: deps.publicOrigin,
            });
            if (images.changed) {
              prepared.set(item.listingId, images);
              if (action === 'unchanged') action = 'update';
            }
          } catch (error) {
            if (!(error instanceof ImportImagesRefused)) throw error;
            fail(scope, into, line, parsed.row.externalId, error.errors, parsed.row.title);
            continue;
          }
        } else if (action === 'unchanged') action = 'update';
      }
    }
    outcome.set(item.index, action);
    if (item.action !== 'unchanged') writes.push(item);
  }
  return { plan, writes, prepared, outcome };
}

/**
 * Writes a planned batch in one transaction, then attaches its images and counts it. A run
 * resumed after a kill between this write and its checkpoint plans the batch again and finds
 * its rows written: they count as unchanged, and publish nothing a second time.
 */
async function applyBatch(
  deps: RunDeps,
  scope: RunScope,
  into: Batch,
  { plan, writes, prepared, outcome }: PlannedBatch,
) {
  const lost = scope.dryRun ? new Set<string>() : await deps.listings.applyImport(scope.ctx, writes);
  for (const item of plan) {
    const action = outcome.get(item.index);
    if (!action || item.action === 'failed') continue;
    const { line, parsed } = into.rows[item.index] as (typeof into.rows)[number];
    const images = prepared.get(item.listingId);
    if (lost.has(item.listingId)) {
      if (images) await deps.media.discardImportImages(images);
      fail(
        scope,
        into,
        line,
        parsed.row.externalId,
        [{ path: 'external_id', message: 'another import created this listing meanwhile; import again' }],
        parsed.row.title,
      );
      continue;
    }
    if (images) await deps.media.attachImportImages(item.listingId, images);
    into.delta[action === 'create' ? 'created' : action === 'update' ? 'updated' : 'unchanged']++;
    into.preview.push({
      row: line,
      externalId: parsed.row.externalId,
      title: parsed.row.title,
      action,
      errors: [],
    });
  }
}

/** Resolves a row's image sources: archive paths read now (their key hashes the bytes), URLs later. */
async function imageSources(
  fetcher: Pick<ImageFetcher, 'fetch'>,
  images: string[],
  archive: ImageArchive | null,
) {
  const errors: FieldError[] = [];
  const sources: { key: string; read: () => Promise<{ filename: string; bytes: Buffer }> }[] = [];
  for (const [index, image] of images.entries()) {
    if (/^https?:\/\//i.test(image)) {
      sources.push({ key: image, read: () => fetcher.fetch(image) });
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(image)) {
      errors.push({
        path: `images.${index}`,
        message: `${image}: only http(s) addresses and archive paths`,
      });
      continue;
    }
    if (!archive) {
      errors.push({ path: `images.${index}`, message: `${image}: upload the zip archive that holds it` });
      continue;
    }
    try {
      const bytes = await archive.read(image);
      sources.push({ key: archiveSourceKey(image, bytes), read: async () => ({ filename: image, bytes }) });
    } catch (error) {
      if (!(error instanceof ArchiveError)) throw error;
      errors.push({ path: `images.${index}`, message: `${image}: ${error.message}` });
    }
  }
  return { errors, sources };
}

/** Whether a listing's images are the ones a row names, in order (ignoring our own origin). */
function sameList(current: string[], wanted: string[], publicOrigin: string): boolean {
  const local = (name: string) =>
    name.startsWith(`${publicOrigin}/`) ? name.slice(publicOrigin.length) : name;
  if (current.length !== wanted.length) return false;
  return current.every((name, index) => {
    const want = local(wanted[index] as string);
    return name === want || archivePathOf(name) === want;
  });
}

/** Runs imports: the file read as a stream, rows planned and written a batch at a time. */
export function createImportRunner(deps: RunDeps) {
  const { database, repository } = deps;

  /**
   * Runs an import from `source`: reads the file as a stream, plans and writes 500 rows a
   * transaction, stores each failed row with the reason per field, and reports progress after
   * every batch. A failed row never stops the others; an unreadable file stops the import.
   *
   * After every batch the import's counters, preview, failed rows and the last line they cover
   * are committed together: the checkpoint. With `resume`, a run (the job again, on another
   * worker after this one was killed) starts from the checkpoint: the lines before it are read
   * only for the external ids they hold (repeats, withdrawing the missing ones), not planned.
   */
  async function run(
    importId: string,
    source: ImportSource,
    onBatch?: (row: ImportRow) => void,
    resume = false,
  ): Promise<ImportRow> {
    let job = (await repository.findById(database.db, importId)) as ImportRow;
    if (!resume || job.status !== 'running') {
      job = await repository.update(database.db, importId, {
        status: 'running',
        startedAt: new Date(),
        ...ZERO,
        resumeAfterLine: 0,
        preview: [],
        error: null,
      });
      await repository.clearFailures(database.db, importId);
    }
    const skipThrough = job.resumeAfterLine;
    /** What is committed: the counters and preview of every line up to `skipThrough`, then more. */
    const counters: Counters = {
      bytesDone: job.bytesDone,
      rowsDone: job.rowsDone,
      created: job.created,
      updated: job.updated,
      unchanged: job.unchanged,
      failed: job.failed,
      withdrawn: job.withdrawn,
    };
    let preview: ImportPreviewRow[] = [...job.preview];
    let bytesRead = 0;
    const seen = new Set<string>();
    const format = job.format;
    const scope: RunScope = {
      importId,
      ctx: systemContext(`import:${importId}`),
      sellerId: job.sellerId,
      dryRun: job.dryRun,
      format,
      archive: null,
    };
    let batch = newBatch(skipThrough);

    // Batches are pipelined: while one batch is written (a transaction on its own connection),
    // the next is read, parsed and planned. Batches never share an external id (a repeat is
    // refused), so planning one does not depend on the writes of the one before.
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      const done = batch;
      batch = newBatch(done.lastLine);
      if (done.rows.length === 0 && done.failures.length === 0 && done.delta.rowsDone === 0) return;
      const planned = done.rows.length > 0 ? await planBatch(deps, scope, done) : null;
      await writing;
      const next = (async () => {
        if (planned) await applyBatch(deps, scope, done, planned);
        done.delta.rowsDone += done.rows.length;
        for (const key of Object.keys(ZERO) as (keyof Counters)[]) counters[key] += done.delta[key];
        counters.bytesDone = Math.max(counters.bytesDone, bytesRead);
        preview = withPreview(preview, done.preview);
        job = await database.transaction(async (tx) => {
          await repository.addFailures(tx, done.failures);
          return repository.update(tx, importId, { ...counters, preview, resumeAfterLine: done.lastLine });
        });
        deps.progressed(job);
        onBatch?.(job);
      })();
      // Awaited by the next flush (or the end); this only keeps it from counting as unhandled.
      next.catch(() => {});
      writing = next;
    };

    try {
      if (source.archivePath) scope.archive = await openImageArchive(source.archivePath, deps.maxImageBytes);
      const stream = source.file();
      stream.on('data', (chunk: Buffer) => {
        bytesRead += chunk.length;
      });
      for await (const record of readRecords(stream, format)) {
        if (record.line <= skipThrough) {
          // Committed before: only its external id matters now.
          if (!('error' in record)) {
            const result = parseRecord(record.fields, format);
            if (result.externalId) seen.add(result.externalId);
          }
          continue;
        }
        batch.lastLine = record.line;
        // Rows that fail before planning are done now; planned rows count when their batch is.
        if ('error' in record) {
          batch.delta.rowsDone++;
          fail(scope, batch, record.line, null, [{ path: 'line', message: record.error }], null);
          continue;
        }
        const result = parseRecord(record.fields, format);
        if ('errors' in result || (result.externalId && seen.has(result.externalId))) batch.delta.rowsDone++;
        if (result.externalId) {
          if (seen.has(result.externalId)) {
            fail(
              scope,
              batch,
              record.line,
              result.externalId,
              [{ path: 'external_id', message: 'appears more than once in the file' }],
              null,
            );
            continue;
          }
          seen.add(result.externalId);
        }
        if ('errors' in result) {
          const title = typeof record.fields.title === 'string' ? record.fields.title : null;
          fail(scope, batch, record.line, result.externalId, result.errors, title);
          continue;
        }
        batch.rows.push({ line: record.line, parsed: result.parsed });
        if (batch.rows.length >= IMPORT_BATCH_SIZE) await flush();
      }
      await flush();
      await writing;
      if (job.withdrawMissing && !job.dryRun) {
        counters.withdrawn = await deps.listings.withdrawMissing(scope.ctx, job.sellerId, seen);
      }
      job = await repository.update(database.db, importId, {
        ...counters,
        bytesDone: Math.max(counters.bytesDone, bytesRead),
        preview,
        status: 'completed',
        finishedAt: new Date(),
      });
    } catch (error) {
      // A batch may still be writing: let it finish before the import is marked failed.
      await writing.catch(() => {});
      const unreadable = Boolean((error as { code?: string }).code?.startsWith('CSV_'));
      // The rows read before a broken line are good: import them, then stop.
      if (unreadable)
        await flush()
          .then(() => writing)
          .catch(() => {});
      const message = unreadable
        ? `The file is not valid CSV: ${(error as Error).message}`
        : error instanceof ArchiveError
          ? `The image archive cannot be used: ${error.message}`
          : null;
      if (!message) deps.logger?.error({ err: error, importId }, 'import failed');
      // The rows of a batch that never reached its checkpoint: their failures are still reported.
      await repository.addFailures(database.db, batch.failures).catch(() => {});
      job = await repository.update(database.db, importId, {
        ...counters,
        failed: counters.failed + batch.delta.failed,
        rowsDone: counters.rowsDone + batch.delta.rowsDone,
        preview,
        status: 'failed',
        error: message ?? 'The import stopped on an unexpected error; the rows before it were imported.',
        finishedAt: new Date(),
      });
    } finally {
      scope.archive?.close();
    }
    deps.progressed(job);
    return job;
  }

  return { run };
}
