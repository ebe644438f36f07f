import { Readable } from 'node:stream';
import fastifyMultipart from '@fastify/multipart';
import {
  CreateImportQuery,
  ExportListingsQuery,
  ImportFailurePage,
  ImportFailuresQuery,
  ImportIdParams,
  ImportJob,
  ImportList,
  ImportListQuery,
} from '@souk/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/http/context.js';
import { platformError } from '../../platform/http/errors.js';
import { markMalformedMultipart, markMalformedMultipartStream } from '../../platform/http/multipart.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { importError } from './imports.errors.js';
import type { ImportsConfig, ImportsService, UploadPart } from './imports.service.js';

const tags = ['imports'];
/** An upload is stored and a job queued: a few a minute per client is plenty. */
const uploadLimit = { rateLimit: { max: 10, timeWindow: 60_000 } };

/** For the OpenAPI document only: the parts are read as streams with `request.parts()`. */
const ImportUpload = z
  .object({
    file: z.file().describe('The listings: CSV with a header row, or JSON Lines'),
    archive: z.file().optional().describe('A zip of the images the rows name by path'),
  })
  .nullish();

const nameOf = (filename: string | undefined) =>
  (filename ?? '').replace(/\p{Cc}/gu, '').slice(0, 200) || 'listings';

/** The request's file parts as streams, multipart's limit errors turned into problems. */
async function* uploadParts(request: FastifyRequest): AsyncIterable<UploadPart> {
  try {
    for await (const part of request.parts()) {
      if (part.type !== 'file')
        throw importError('import_file_missing', 'Send files only; options go in the query.');
      // The service reads the file after this yields: a body cut short fails that stream.
      yield {
        field: part.fieldname,
        filename: nameOf(part.filename),
        stream: markMalformedMultipartStream(part.file),
      };
    }
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
      throw importError('import_file_missing', 'Send one "file" part and at most one "archive" part.');
    throw markMalformedMultipart(error);
  }
}

/** Imports under /api/v1/imports, and the export at /api/v1/listings/export. */
export function importsRoutes(service: ImportsService, config: ImportsConfig): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(fastifyMultipart, {
      limits: {
        fileSize: Math.max(config.maxFileBytes, config.maxArchiveBytes),
        files: 2,
        fields: 0,
        parts: 2,
      },
    });

    app.post(
      '/imports',
      {
        config: uploadLimit,
        preValidation: async (request) => {
          if (!request.isMultipart())
            throw platformError('unsupported_media_type', 'Send the file as multipart/form-data.');
        },
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Import listings from a CSV or JSON Lines file (as a job)',
          description:
            'multipart/form-data with a part "file" (CSV with a header row, or JSON Lines; see docs/import.md) ' +
            'and optionally "archive", a zip of the images rows name by path. Rows are matched to listings by ' +
            "the seller's external id: new ones are created, changed ones updated, the same ones left alone. " +
            'Answers 202 with the job; poll GET /imports/:id for progress. `dryRun=true` checks every row and ' +
            'writes nothing; `withdrawMissing=true` takes active imported listings missing from the file back ' +
            'to draft. Sellers import for themselves; admins for any seller (`sellerId`).',
          consumes: ['multipart/form-data'],
          querystring: CreateImportQuery,
          body: ImportUpload,
          response: { 202: ImportJob, ...problemResponses(400, 401, 403, 409, 413, 415, 429) },
        },
      },
      async (request, reply) => {
        reply.code(202);
        return service.create(request.ctx, request.query, uploadParts(request));
      },
    );

    app.get(
      '/imports',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'My imports, newest first',
          querystring: ImportListQuery,
          response: { 200: ImportList, ...problemResponses(400, 401) },
        },
      },
      (request) => service.list(request.ctx, request.query),
    );

    app.get(
      '/imports/:id',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'An import with its progress and the preview of its first rows',
          params: ImportIdParams,
          response: { 200: ImportJob, ...problemResponses(400, 401, 404) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store');
        return service.get(request.ctx, request.params.id);
      },
    );

    app.get(
      '/imports/:id/failures',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'The failed rows of an import with the reason per field',
          params: ImportIdParams,
          querystring: ImportFailuresQuery,
          response: { 200: ImportFailurePage, ...problemResponses(400, 401, 404) },
        },
      },
      (request) => service.failures(request.ctx, request.params.id, request.query),
    );

    app.get(
      '/imports/:id/report.csv',
      {
        preHandler: requireActor,
        schema: {
          tags,
          summary: 'Download the failed rows as CSV: line, external_id, field, reason',
          params: ImportIdParams,
          response: { 200: z.string(), ...problemResponses(400, 401, 404) },
        },
      },
      async (request, reply) => {
        const lines = await service.report(request.ctx, request.params.id);
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="import-${request.params.id}-report.csv"`)
          .header('cache-control', 'no-store');
        return reply.send(Readable.from(lines) as never);
      },
    );

    app.get(
      '/listings/export',
      {
        preHandler: requireActor,
        schema: {
          tags: ['imports', 'listings'],
          summary: "Export my listings (admins: everyone's) in the import format, streamed",
          description:
            'The file imports back to the same state: listings without an external id carry their own id.',
          querystring: ExportListingsQuery,
          response: { 200: z.string(), ...problemResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const { contentType, lines } = await service.export(request.ctx, request.query);
        const date = new Date().toISOString().slice(0, 10);
        reply
          .type(contentType)
          .header(
            'content-disposition',
            `attachment; filename="listings-${date}.${request.query.format === 'csv' ? 'csv' : 'jsonl'}"`,
          )
          .header('cache-control', 'no-store');
        return reply.send(Readable.from(lines) as never);
      },
    );
  };
}
