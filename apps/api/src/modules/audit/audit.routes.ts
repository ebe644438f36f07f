import { Readable } from 'node:stream';
import { AuditExportQuery, AuditPage, AuditQuery } from '@souk/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireRole } from '../../platform/http/context.js';
import { problemResponses } from '../../platform/http/openapi.js';
import type { AuditOrigin, AuditService } from './audit.service.js';

const adminOnly = requireRole('admin');
const tags = ['audit', 'admin'];

/** Where a request came from, for `audit.record(tx, ctx, { ..., origin: originOf(request) })`. */
export function originOf(request: FastifyRequest): AuditOrigin {
  const agent = request.headers['user-agent'];
  return { ip: request.ip ?? null, userAgent: typeof agent === 'string' ? agent : null };
}

export function auditRoutes(service: AuditService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/admin/audit',
      {
        preHandler: adminOnly,
        schema: {
          tags,
          summary: 'The audit log, newest first: filter by actor, action prefix, target and dates',
          querystring: AuditQuery,
          response: { 200: AuditPage, ...problemResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'private, no-store');
        return service.list(request.ctx, request.query);
      },
    );

    app.get(
      '/admin/audit/export',
      {
        preHandler: adminOnly,
        schema: {
          tags,
          summary: 'The filtered audit log as CSV (newest first), streamed',
          querystring: AuditExportQuery,
          response: { 200: z.string(), ...problemResponses(400, 401, 403) },
        },
      },
      async (request, reply) => {
        const date = new Date().toISOString().slice(0, 10);
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="audit-${date}.csv"`)
          .header('cache-control', 'no-store');
        return reply.send(Readable.from(service.exportCsv(request.ctx, request.query)) as never);
      },
    );
  };
}
