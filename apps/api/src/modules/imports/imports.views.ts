import type { ImportFailurePage, ImportJob } from '@souk/contracts';
import { z } from 'zod';
import { csvLine, csvLines } from '../../platform/csv.js';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { platformError } from '../../platform/http/errors.js';
import { importError } from './imports.errors.js';
import type { ImportsRepository } from './imports.repository.js';
import type { ImportRow } from './imports.schema.js';

export const isAdmin = (ctx: RequestContext) => ctx.actor?.roles.includes('admin') ?? false;

/** Where a page of a seller's imports stops: newest first, by creation time then id. */
const ImportPosition = z.object({ at: z.coerce.date(), id: z.guid() });

/** An import as the API shows it. */
export function toJob(row: ImportRow): ImportJob {
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

/** What the seller (or an admin) reads of an import: the job, the list, the failed rows, the report. */
export function createImportViews(deps: { database: Pick<Database, 'db'>; repository: ImportsRepository }) {
  const { database, repository } = deps;

  /** The import, for its seller, whoever started it, and admins; 404 for anyone else. */
  async function visible(ctx: RequestContext, id: string): Promise<ImportRow> {
    if (!ctx.actor) throw platformError('unauthenticated', 'Sign in first.');
    const row = await repository.findById(database.db, id);
    if (!row || (row.sellerId !== ctx.actor.userId && row.createdBy !== ctx.actor.userId && !isAdmin(ctx)))
      throw importError('import_not_found');
    return row;
  }

  return {
    async get(ctx: RequestContext, id: string): Promise<ImportJob> {
      return toJob(await visible(ctx, id));
    },

    async list(ctx: RequestContext, query: { limit: number; cursor?: string | undefined }) {
      if (!ctx.actor) throw platformError('unauthenticated', 'Sign in first.');
      const before = decodeCursor(query.cursor, ImportPosition) ?? null;
      const rows = await repository.listBySeller(database.db, ctx.actor.userId, before, query.limit + 1);
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(toJob),
        nextCursor:
          rows.length > query.limit && last
            ? encodeCursor<z.input<typeof ImportPosition>>({ at: last.createdAt, id: last.id })
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
  };
}
