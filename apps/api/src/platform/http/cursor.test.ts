import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from './cursor.js';
import { AppError } from './errors.js';

const Position = z.object({ at: z.coerce.date(), id: z.uuid() });
const id = '0b7c1a52-6a4e-4c1f-9a53-8d2b8f0e8c11';

describe('cursor codec', () => {
  it('round-trips a position', () => {
    const at = new Date('2026-12-07T10:00:00.000Z');
    const cursor = encodeCursor({ at, id });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, Position)).toEqual({ at, id });
  });

  it('passes the first page through', () => {
    expect(decodeCursor(undefined, Position)).toBeUndefined();
  });

  it.each([
    ['not base64 json', 'not-a-cursor'],
    ['another shape', encodeCursor({ page: 2 })],
    ['a bad id', encodeCursor({ at: new Date(), id: 'x' })],
    ['a bad date', encodeCursor({ at: 'yesterday', id })],
    ['a NUL byte', Buffer.from('{"at":"\u0000"}').toString('base64url')],
  ])('refuses %s with invalid_cursor (400)', (_what, raw) => {
    try {
      decodeCursor(raw, Position);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('invalid_cursor');
      expect((error as AppError).status).toBe(400);
    }
  });
});
