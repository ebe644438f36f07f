import { z } from 'zod';
import { FieldError, Id, IsoDateTime } from './common.js';

export const ImportStatus = z.enum(['receiving', 'queued', 'running', 'completed', 'failed']);
export const ImportFormat = z.enum(['csv', 'jsonl']);

export const ImportPreviewRow = z.object({
  row: z.number().int().describe('Line of the file (the CSV header is line 1)'),
  externalId: z.string().nullable(),
  title: z.string().nullable(),
  action: z.enum(['create', 'update', 'unchanged', 'failed']),
  errors: z.array(FieldError),
});

export const ImportJob = z
  .object({
    id: Id,
    sellerId: Id,
    status: ImportStatus,
    format: ImportFormat,
    fileName: z.string(),
    hasArchive: z.boolean(),
    dryRun: z.boolean().describe('Checks every row and counts what would change, writing nothing'),
    withdrawMissing: z.boolean().describe('Active imported listings missing from the file go back to draft'),
    progress: z.object({
      bytesTotal: z.number().int(),
      bytesDone: z.number().int(),
      rowsDone: z.number().int(),
      created: z.number().int(),
      updated: z.number().int(),
      unchanged: z.number().int(),
      failed: z.number().int(),
      withdrawn: z.number().int(),
    }),
    preview: z.array(ImportPreviewRow).describe('The first rows and what happens (or would) to each'),
    error: z.string().nullable().describe('Why the whole import stopped; row failures are in the report'),
    reportUrl: z.string().describe('CSV of the failed rows: line, external id, field, reason'),
    createdAt: IsoDateTime,
    startedAt: IsoDateTime.nullable(),
    finishedAt: IsoDateTime.nullable(),
  })
  .meta({ id: 'ImportJob' });
export type ImportJob = z.infer<typeof ImportJob>;

const flag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1')
  .default(false);

export const CreateImportQuery = z.object({
  dryRun: flag,
  withdrawMissing: flag,
  sellerId: Id.optional().describe('Admins: import for this seller (default: yourself)'),
});

export const ImportIdParams = z.object({ id: Id });

export const ImportFailure = z.object({
  row: z.number().int(),
  externalId: z.string().nullable(),
  errors: z.array(FieldError),
});
export const ImportFailuresQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z
    .string()
    .regex(/^\d{1,9}$/)
    .optional()
    .describe('The last row of the previous page'),
});
export const ImportFailurePage = z.object({
  items: z.array(ImportFailure),
  nextCursor: z.string().nullable(),
});
export type ImportFailurePage = z.infer<typeof ImportFailurePage>;

export const ImportList = z.object({ items: z.array(ImportJob), nextCursor: z.string().nullable() });
export const ImportListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(50).default(10),
  cursor: z.string().max(200).optional(),
});

export const ExportListingsQuery = z.object({
  format: ImportFormat.default('csv'),
  sellerId: Id.optional().describe('Admins: one seller only (default: every listing)'),
});
