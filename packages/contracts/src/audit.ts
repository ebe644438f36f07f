import { z } from 'zod';
import { Id, IsoDateTime } from './common.js';

/*
 * The audit log's admin read shapes (decision 039): who did what to which target, with the
 * state before and after (secrets redacted), from where and when. Entries are append-only.
 */

/** `payout.approved`, `user.role_changed`: a lowercase subject, a dot, a past-tense verb. */
export const AuditAction = z
  .string()
  .min(3)
  .max(80)
  .regex(/^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+$/, 'lowercase words joined by dots, e.g. payout.approved');

export const AuditEntry = z
  .object({
    id: Id,
    seq: z.number().int().describe('Insertion order: the keyset of the log'),
    action: z.string(),
    actorId: Id.nullable().describe('null: work no member started (a job, the system)'),
    actorRole: z.string().describe('admin, moderator, member or system'),
    targetType: z.string(),
    targetId: z.string(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
    createdAt: IsoDateTime,
    hash: z.string().describe('sha256 of the entry as stored (hex); recomputed by verification'),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.object({
  actorId: Id.optional(),
  /** `payout` matches `payout.approved` and `payout.rejected`; a whole action matches itself. */
  action: z
    .string()
    .max(80)
    .regex(/^[a-z0-9_.]+$/)
    .optional(),
  targetType: z.string().max(40).optional(),
  targetId: z.string().max(100).optional(),
  from: IsoDateTime.optional().describe('Inclusive'),
  to: IsoDateTime.optional().describe('Exclusive'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditExportQuery = AuditQuery.omit({ limit: true, cursor: true });
export type AuditExportQuery = z.infer<typeof AuditExportQuery>;

export const AuditPage = z
  .object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditPage' });
export type AuditPage = z.infer<typeof AuditPage>;
