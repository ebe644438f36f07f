import type { Database } from '../../platform/db/database.js';
import { auditRoutes } from './audit.routes.js';
import { createAuditService } from './audit.service.js';

export { REDACTED, redactSecrets } from './audit.redact.js';
export { originOf } from './audit.routes.js';
export type { AuditOrigin, AuditRecord, AuditService } from './audit.service.js';

/**
 * The audit log (decision 039): an append-only record of admin, moderator and sensitive member
 * actions. Other modules call `audit.service.record(tx, ctx, { action, target, before, after,
 * origin })` inside the transaction of the change, so the entry commits with it or not at all.
 * Admins search it (GET /admin/audit) and export it as CSV (GET /admin/audit/export).
 */
export function createAuditModule(deps: { database: Database }) {
  const service = createAuditService(deps);
  return { service, routes: auditRoutes(service) };
}

export type AuditModule = ReturnType<typeof createAuditModule>;
