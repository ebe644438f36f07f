import { Readable } from 'node:stream';
import type { ImportJob } from '@souk/contracts';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/http/context.js';
import { platformError } from '../../platform/http/errors.js';
import type { Jobs } from '../../platform/jobs.js';
import { importError } from './imports.errors.js';
import { detectFormat } from './imports.format.js';
import type { ImportsRepository } from './imports.repository.js';
import type { ImportFormat } from './imports.schema.js';
import { isAdmin, toJob } from './imports.views.js';

export const RUN_IMPORT_QUEUE = 'imports.run';
const CHUNK_BYTES = 1024 * 1024;

/** One part of the upload, as the route reads it. */
export type UploadPart = { field: string; filename: string; stream: Readable & { truncated?: boolean } };

/**
 * An upload is kept in the database, in chunks of a megabyte, until its job has imported it:
 * any worker can run the job, and a worker that dies leaves the file for the next one.
 */
export function createImportUploads(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: ImportsRepository;
  jobs: Pick<Jobs, 'send'>;
  accountExists: (userId: string) => Promise<boolean>;
  requireVerifiedSeller: (userId: string) => Promise<void>;
  limits: { maxFileBytes: number; maxArchiveBytes: number };
}) {
  const { database, repository, limits } = deps;

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

  return {
    storedStream,

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
            const received = await receive(job.id, 'file', part, limits.maxFileBytes);
            file = {
              name: part.filename,
              size: received.size,
              format: detectFormat(part.filename, received.first),
            };
          } else if (part.field === 'archive' && !hasArchive) {
            await receive(job.id, 'archive', part, limits.maxArchiveBytes);
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
  };
}
