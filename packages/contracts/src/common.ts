import { z } from 'zod';

/** UUIDv7 (or any RFC 9562 UUID) used as every entity id. */
export const Id = z.uuid().describe('UUID');
export type Id = z.infer<typeof Id>;

/** Lowercase, hyphen-separated identifier used in URLs. */
export const Slug = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens');

export const IsoDateTime = z.iso.datetime({ offset: true }).describe('ISO 8601 date-time');

/** One field-level problem inside a problem document. */
export const FieldError = z.object({
  path: z.string().describe('Dotted path of the offending field, e.g. body.attributes.0.key'),
  message: z.string(),
});
export type FieldError = z.infer<typeof FieldError>;

/** RFC 9457 problem details, with a stable machine-readable `code`. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(FieldError).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;

export const CursorQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});

/** A page of a cursor-paginated list. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const HealthStatus = z.object({
  status: z.enum(['ok', 'unavailable']),
  checks: z.record(
    z.string(),
    // degraded: unavailable, but the service goes on without it (Redis).
    z.object({ status: z.enum(['ok', 'degraded', 'failed']), detail: z.string().optional() }),
  ),
});
export type HealthStatus = z.infer<typeof HealthStatus>;
