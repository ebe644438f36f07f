import type { z } from 'zod';
import { platformError } from './errors.js';

/**
 * The one cursor format of the API: a position in a keyset-paged list, as JSON in base64url.
 * Each list declares the shape of its position with a Zod schema; whatever does not parse
 * (tampered, truncated, from another list or sort) is the one `invalid_cursor` problem (400).
 * Opaque to clients: they pass back `nextCursor` as they got it.
 */
export function encodeCursor<Position extends object>(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/** `undefined` in, `undefined` out (the first page); anything else must match `schema`. */
export function decodeCursor<Schema extends z.ZodType>(
  raw: string | undefined,
  schema: Schema,
  detail = 'Start again without a cursor; it may belong to another list or sort.',
): z.output<Schema> | undefined {
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw platformError('invalid_cursor', detail);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw platformError('invalid_cursor', detail);
  return parsed.data;
}
