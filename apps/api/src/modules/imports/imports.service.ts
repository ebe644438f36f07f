import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FieldError, ImportFailurePage, ImportJob } from '@souk/contracts';
import { csvLine, csvLines } from '../../platform/csv.js';
import type { Database } from '../../platform/db/database.js';
import { type RequestContext, systemContext } from '../../platform/http/context.js';
import { platformError } from '../../platform/http/errors.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { ImportRowInput, ListingsService, PlannedImportRow } from '../listings/index.js';
import { ImportImagesRefused, type MediaService, type PreparedImages } from '../media/index.js';
import {
  ArchiveError,
  archivePathOf,
  archiveSourceKey,
  type ImageArchive,
  openImageArchive,
} from './imports.archive.js';
import { importError } from './imports.errors.js';
import type { ImportProgressed } from './imports.events.js';
import { createImageFetcher, type FetchLimits } from './imports.fetch.js';
import {
  detectFormat,
  exportWriter,
  fieldName,
  type ParsedRow,
  parseRecord,
  readRecords,
} from './imports.format.js';
import type { ImportsRepository } from './imports.repository.js';
import type { ImportFailureRow, ImportFormat, ImportPreviewRow, ImportRow } from './imports.schema.js';

export const RUN_IMPORT_QUEUE = 'imports.run';
/** Rows planned and written together: one transaction, one multi-row INSERT and UPDATE. */
export const IMPORT_BATCH_SIZE = 500;
const PREVIEW_ROWS = 20;
const CHUNK_BYTES = 1024 * 1024;

export type ImportsConfig = {
  maxFileBytes: number;
  maxArchiveBytes: number;
  /** Where the public reaches Souk; exported image addresses of uploads start with it. */
  publicOrigin: string;
  fetch: FetchLimits;
};

/** One part of the upload, as the route reads it. */
export type UploadPart = { field: string; filename: string; stream: Readable & { truncated?: boolean } };

/** Where a run reads from: a stream of the listings file, and the image archive on disk. */
export type ImportSource = { file: () => Readable; archivePath: string | null };

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
  const { database, repository, listings, media, config } = deps;
  const listeners = new Set<(event: ImportProgressed) => void>();
  const fetcher = createImageFetcher(config.fetch);

  const isAdmin = (ctx: RequestContext) => ctx.actor?.roles.includes('admin') ?? false;

  function toJob(row: ImportRow): ImportJob {
    return {
      id: row.id,
      sellerId: row.sellerId,
      status: row.status,
      format: row.format,
      fileName: row.fileName,
      hasArchive: row.hasArchive,
      dryRun: row.dryRun,
      withdrawMissing: row.withdrawMissing,
      progress: {
        bytesTotal: row.bytesTotal,
        bytesDone: row.bytesDone,
        rowsDone: row.rowsDone,
        created: row.created,
        updated: row.updated,
        unchanged: row.unchanged,
        failed: row.failed,
        withdrawn: row.withdrawn,
      },
      preview: row.preview,
      error: row.error,
      reportUrl: `/api/v1/imports/${row.id}/report.csv`,
      createdAt: row.createdAt.toISOString(),
      startedAt: row.startedAt?.toISOString() ?? null,
      finishedAt: row.finishedAt?.toISOString() ?? null,
    };
  }

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

  /** The import, for its seller, whoever started it, and admins; 404 for anyone else. */
  async function visible(ctx: RequestContext, id: string): Promise<ImportRow> {
    if (!ctx.actor) throw platformError('unauthenticated', 'Sign in first.');
    const row = await repository.findById(database.db, id);
    if (!row || (row.sellerId !== ctx.actor.userId && row.createdBy !== ctx.actor.userId && !isAdmin(ctx)))
      throw importError('import_not_found');
    return row;
  }

  /** Streams a part into chunks of the database, at most `max` bytes; returns its size. */
  async function receive(importId: string, part: 'file' | 'archive', upload: UploadPart, max: number) {
    let seq = 0;
    let size = 0;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let first: Buffer | null = null;
    const flush = async () => {
      if (pendingBytes === 0) return;
      await repository.appendChunk(database.db, importId, part, seq++, Buffer.concat(pending));
      pending = [];
      pendingBytes = 0;
    };
    const tooLarge = () =>
      importError(
        'import_file_too_large',
        `${upload.filename}: the ${part === 'file' ? 'listings file' : 'image archive'} may be at most ${Math.round(max / 1024 / 1024)} MB.`,
      );
    try {
      for await (const chunk of upload.stream) {
        const bytes = chunk as Buffer;
        first ??= bytes.subarray(0, 64);
        size += bytes.length;
        if (size > max) throw tooLarge();
        pending.push(bytes);
        pendingBytes += bytes.length;
        if (pendingBytes >= CHUNK_BYTES) await flush();
      }
    } catch (error) {
      // multipart's own cap (the larger of the two limits) ends the stream with this code.
      if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
      throw error;
    }
    if (upload.stream.truncated) throw tooLarge();
    await flush();
    return { size, first: first ?? Buffer.alloc(0) };
  }

  /** The stored chunks of a part, in order, as a stream. */
  function storedStream(importId: string, part: 'file' | 'archive'): Readable {
    return Readable.from(
      (async function* () {
        for (let seq = 0; ; seq++) {
          const chunk = await repository.chunk(database.db, importId, part, seq);
          if (!chunk) return;
          yield chunk;
        }
      })(),
    );
  }

  /** Resolves a row's image sources: archive paths read now (their key hashes the bytes), URLs later. */
  async function imageSources(images: string[], archive: ImageArchive | null) {
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
    const ctx = systemContext(`import:${importId}`);
    const zero = { bytesDone: 0, rowsDone: 0, created: 0, updated: 0, unchanged: 0, failed: 0, withdrawn: 0 };
    let job = (await repository.findById(database.db, importId)) as ImportRow;
    if (!resume || job.status !== 'running') {
      job = await repository.update(database.db, importId, {
        status: 'running',
        startedAt: new Date(),
        ...zero,
        resumeAfterLine: 0,
        preview: [],
        error: null,
      });
      await repository.clearFailures(database.db, importId);
    }
    const skipThrough = job.resumeAfterLine;
    /** What is committed: the counters and preview of every line up to `skipThrough`, then more. */
    const counters = {
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
    let archive: ImageArchive | null = null;

    /** One batch's lines and everything they decide, committed as one checkpoint. */
    type Batch = {
      rows: { line: number; parsed: ParsedRow }[];
      lastLine: number;
      delta: typeof zero;
      failures: ImportFailureRow[];
      preview: ImportPreviewRow[];
    };
    const newBatch = (): Batch => ({
      rows: [],
      lastLine: skipThrough,
      delta: { ...zero },
      failures: [],
      preview: [],
    });
    let batch = newBatch();

    const fail = (
      into: Batch,
      line: number,
      externalId: string | null,
      errors: FieldError[],
      title: string | null,
    ) => {
      into.delta.failed++;
      const named = errors.map((error) => ({ path: fieldName(error.path, format), message: error.message }));
      into.failures.push({ importId, row: line, externalId, errors: named });
      into.preview.push({ row: line, externalId, title, action: 'failed', errors: named });
    };

    /** Keeps the first rows of the file, whatever order their outcomes arrive in. */
    const withPreview = (rows: ImportPreviewRow[], more: ImportPreviewRow[]) =>
      [...rows, ...more].sort((a, b) => a.row - b.row).slice(0, PREVIEW_ROWS);

    // Batches are pipelined: while one batch is written (a transaction on its own connection),
    // the next is read, parsed and planned. Batches never share an external id (a repeat is
    // refused), so planning one does not depend on the writes of the one before.
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      const done = batch;
      batch = newBatch();
      batch.lastLine = done.lastLine;
      if (done.rows.length === 0 && done.failures.length === 0 && done.delta.rowsDone === 0) return;
      const planned = done.rows.length > 0 ? await planBatch(done) : null;
      await writing;
      const next = (async () => {
        if (planned) await applyBatch(done, planned);
        done.delta.rowsDone += done.rows.length;
        for (const key of Object.keys(zero) as (keyof typeof zero)[]) counters[key] += done.delta[key];
        counters.bytesDone = Math.max(counters.bytesDone, bytesRead);
        preview = withPreview(preview, done.preview);
        job = await database.transaction(async (tx) => {
          await repository.addFailures(tx, done.failures);
          return repository.update(tx, importId, { ...counters, preview, resumeAfterLine: done.lastLine });
        });
        emit(job);
        onBatch?.(job);
      })();
      // Awaited by the next flush (or the end); this only keeps it from counting as unhandled.
      next.catch(() => {});
      writing = next;
    };

    /** Decides every row of a batch and prepares its images; writes nothing to listings. */
    async function planBatch(into: Batch) {
      const { rows } = into;
      const plan = await listings.planImport(
        ctx,
        job.sellerId,
        rows.map((row) => row.parsed.row),
      );
      const current = await media.sourcesOf(
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
          fail(into, line, parsed.row.externalId, item.errors, parsed.row.title);
          continue;
        }
        let action = item.action;
        if (parsed.images.length > 0) {
          const same =
            action !== 'create' &&
            sameList(current.get(item.listingId) ?? [], parsed.images, config.publicOrigin);
          if (!same) {
            const { errors, sources } = await imageSources(parsed.images, archive);
            if (errors.length > 0) {
              fail(into, line, parsed.row.externalId, errors, parsed.row.title);
              continue;
            }
            if (!job.dryRun) {
              try {
                const images = await media.prepareImportImages({
                  ownerId: job.sellerId,
                  listingId: action === 'create' ? null : item.listingId,
                  sources,
                  publicOrigin: config.publicOrigin,
                });
                if (images.changed) {
                  prepared.set(item.listingId, images);
                  if (action === 'unchanged') action = 'update';
                }
              } catch (error) {
                if (!(error instanceof ImportImagesRefused)) throw error;
                fail(into, line, parsed.row.externalId, error.errors, parsed.row.title);
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
      into: Batch,
      { plan, writes, prepared, outcome }: Awaited<ReturnType<typeof planBatch>>,
    ) {
      const lost = job.dryRun ? new Set<string>() : await listings.applyImport(ctx, writes);
      for (const item of plan) {
        const action = outcome.get(item.index);
        if (!action || item.action === 'failed') continue;
        const { line, parsed } = into.rows[item.index] as (typeof into.rows)[number];
        const images = prepared.get(item.listingId);
        if (lost.has(item.listingId)) {
          if (images) await media.discardImportImages(images);
          fail(
            into,
            line,
            parsed.row.externalId,
            [{ path: 'external_id', message: 'another import created this listing meanwhile; import again' }],
            parsed.row.title,
          );
          continue;
        }
        if (images) await media.attachImportImages(item.listingId, images);
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

    try {
      if (source.archivePath) archive = await openImageArchive(source.archivePath, config.fetch.maxBytes);
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
          fail(batch, record.line, null, [{ path: 'line', message: record.error }], null);
          continue;
        }
        const result = parseRecord(record.fields, format);
        if ('errors' in result || (result.externalId && seen.has(result.externalId))) batch.delta.rowsDone++;
        if (result.externalId) {
          if (seen.has(result.externalId)) {
            fail(
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
          fail(batch, record.line, result.externalId, result.errors, title);
          continue;
        }
        batch.rows.push({ line: record.line, parsed: result.parsed });
        if (batch.rows.length >= IMPORT_BATCH_SIZE) await flush();
      }
      await flush();
      await writing;
      if (job.withdrawMissing && !job.dryRun) {
        counters.withdrawn = await listings.withdrawMissing(ctx, job.sellerId, seen);
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
      archive?.close();
    }
    emit(job);
    return job;
  }

  return {
    /** Registers a listener of every import's progress (the realtime hub); returns its removal. */
    onProgressed(listener: (event: ImportProgressed) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /**
     * Receives an upload (the listings file, and an optional zip of images) into the database
     * and queues the job that imports it. Sellers import for themselves; admins for anyone.
     */
    async create(
      ctx: RequestContext,
      options: { dryRun: boolean; withdrawMissing: boolean; sellerId?: string | undefined },
      parts: AsyncIterable<UploadPart>,
    ): Promise<ImportJob> {
      if (!ctx.actor) throw platformError('unauthenticated', 'Sign in to import listings.');
      const sellerId = options.sellerId ?? ctx.actor.userId;
      if (sellerId !== ctx.actor.userId) {
        if (!isAdmin(ctx))
          throw platformError('forbidden', 'Only admins import listings for another seller.');
        if (!(await deps.accountExists(sellerId))) throw importError('seller_not_found');
      }
      if (!options.dryRun) await deps.requireVerifiedSeller(sellerId);
      const job = await repository.insert(database.db, {
        sellerId,
        createdBy: ctx.actor.userId,
        status: 'receiving',
        format: 'csv',
        fileName: '',
        dryRun: options.dryRun,
        withdrawMissing: options.withdrawMissing,
      });
      try {
        if (!options.dryRun) {
          const running = await repository.findUnfinished(database.db, sellerId, job.id);
          if (running)
            throw importError(
              'import_running',
              `Import ${running.id} is still running; wait for it to finish.`,
            );
        }
        let file: { name: string; size: number; format: ImportFormat } | null = null;
        let hasArchive = false;
        for await (const part of parts) {
          if (part.field === 'file' && !file) {
            const received = await receive(job.id, 'file', part, config.maxFileBytes);
            file = {
              name: part.filename,
              size: received.size,
              format: detectFormat(part.filename, received.first),
            };
          } else if (part.field === 'archive' && !hasArchive) {
            await receive(job.id, 'archive', part, config.maxArchiveBytes);
            hasArchive = true;
          } else {
            part.stream.resume();
            throw importError(
              'import_file_missing',
              'Send one file part named "file" (CSV or JSON Lines) and at most one named "archive" (a zip of images).',
            );
          }
        }
        if (!file) throw importError('import_file_missing');
        const queued = await database.transaction(async (tx) => {
          const updated = await repository.update(tx, job.id, {
            status: 'queued',
            fileName: file.name.slice(0, 200),
            format: file.format,
            bytesTotal: file.size,
            hasArchive,
          });
          await deps.jobs.send(RUN_IMPORT_QUEUE, { importId: job.id }, { tx });
          return updated;
        });
        return toJob(queued);
      } catch (error) {
        await repository.delete(database.db, job.id).catch(() => {});
        throw error;
      }
    },

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
          await pipeline(storedStream(importId, 'archive'), createWriteStream(archivePath));
        }
        // A job that finds its import running was run before, by a worker that died: it resumes.
        await run(
          importId,
          { file: () => storedStream(importId, 'file'), archivePath },
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

    async get(ctx: RequestContext, id: string): Promise<ImportJob> {
      return toJob(await visible(ctx, id));
    },

    async list(ctx: RequestContext, query: { limit: number; cursor?: string | undefined }) {
      if (!ctx.actor) throw platformError('unauthenticated', 'Sign in first.');
      let before: { at: Date; id: string } | null = null;
      if (query.cursor) {
        const [ms, id] = Buffer.from(query.cursor, 'base64url').toString().split(':');
        if (!id || Number.isNaN(Number(ms))) throw platformError('bad_request', 'The cursor is not valid.');
        before = { at: new Date(Number(ms)), id };
      }
      const rows = await repository.listBySeller(database.db, ctx.actor.userId, before, query.limit + 1);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(toJob),
        nextCursor:
          rows.length > query.limit && last
            ? Buffer.from(`${last.createdAt.getTime()}:${last.id}`).toString('base64url')
            : null,
      };
    },

    async failures(
      ctx: RequestContext,
      id: string,
      query: { limit: number; cursor?: string | undefined },
    ): Promise<ImportFailurePage> {
      await visible(ctx, id);
      const rows = await repository.failures(database.db, id, Number(query.cursor ?? 0), query.limit + 1);
      const page = rows.slice(0, query.limit);
      return {
        items: page.map((row) => ({ row: row.row, externalId: row.externalId, errors: row.errors })),
        nextCursor: rows.length > query.limit ? String(page.at(-1)?.row) : null,
      };
    },

    /** The failed rows as CSV, one line per field: line, external_id, field, reason. Streamed. */
    async report(ctx: RequestContext, id: string): Promise<AsyncIterable<string>> {
      const job = await visible(ctx, id);
      return (async function* () {
        yield csvLine(['line', 'external_id', 'field', 'reason']);
        for (let after = 0; ; ) {
          const rows = await repository.failures(database.db, job.id, after, 1000);
          for (const row of rows) {
            // The external id and the reason quote what the seller wrote: csvLines defuses formulas.
            yield csvLines(row.errors.map((error) => [row.row, row.externalId, error.path, error.message]));
          }
          if (rows.length < 1000) return;
          after = rows.at(-1)?.row ?? after;
        }
      })();
    },

    /**
     * My listings (admins: everyone's, or one seller's) in the import's format, streamed page by
     * page: importing the export again changes nothing.
     */
    async export(
      ctx: RequestContext,
      query: { format: ImportFormat; sellerId?: string | undefined },
    ): Promise<{ contentType: string; lines: AsyncIterable<string> }> {
      if (!ctx.actor) throw platformError('unauthenticated', 'Sign in to export listings.');
      const sellerId = isAdmin(ctx) ? (query.sellerId ?? null) : ctx.actor.userId;
      if (query.sellerId && query.sellerId !== ctx.actor.userId && !isAdmin(ctx))
        throw platformError('forbidden', 'Only admins export the listings of other sellers.');
      const keys = query.format === 'csv' ? await listings.exportAttributeKeys(ctx, sellerId) : [];
      const writer = exportWriter(query.format, keys);
      const pages = listings.exportListings(ctx, sellerId);
      const exportedName = (name: string) =>
        archivePathOf(name) ?? (name.startsWith('/') ? `${config.publicOrigin}${name}` : name);
      return {
        contentType: writer.contentType,
        lines: (async function* () {
          yield writer.start();
          for await (const page of pages) {
            const images = await media.sourcesOf(page.map((listing) => listing.id));
            yield page
              .map((listing) => writer.line(listing, (images.get(listing.id) ?? []).map(exportedName)))
              .join('');
          }
        })(),
      };
    },

    close: () => fetcher.close(),
  };
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

export type ImportsService = ReturnType<typeof createImportsService>;
export type { ImportRowInput };
