import { isProblemCode, PROBLEM_CODES } from '@souk/contracts';
import { describe, expect, it } from 'vitest';
import { mailErrors } from '../mail/mail.errors.js';
import { platformErrors } from './errors.js';
import { idempotencyErrors } from './idempotency.js';

/** Every module's catalog, as the compiler sees them (`<module>.errors.ts`). */
const moduleCatalogs = import.meta.glob<Record<string, unknown>>('../../modules/*/*.errors.ts', {
  eager: true,
});

const isCatalog = (value: unknown): value is Record<string, { status: number; title: string }> =>
  typeof value === 'object' &&
  value !== null &&
  Object.values(value).every(
    (entry) => typeof entry === 'object' && entry !== null && 'status' in entry && 'title' in entry,
  );

/** Codes raised outside a catalog (error-handler.ts's framework 404, auth.http.ts's bad token). */
const RAISED_DIRECTLY = ['not_found', 'invalid_access_token'];

describe("the contract's problem codes", () => {
  const catalogs = [
    platformErrors,
    idempotencyErrors,
    mailErrors,
    ...Object.values(moduleCatalogs).flatMap((exports) => Object.values(exports).filter(isCatalog)),
  ];
  const sent = new Set([...catalogs.flatMap((catalog) => Object.keys(catalog)), ...RAISED_DIRECTLY]);

  it('finds every module catalog', () => {
    expect(Object.keys(moduleCatalogs).length).toBeGreaterThanOrEqual(18);
    expect(catalogs.length).toBeGreaterThanOrEqual(Object.keys(moduleCatalogs).length + 3);
  });

  it('lists each code the server sends (the compiler checks this too) and no code nothing sends', () => {
    expect([...sent].filter((code) => !isProblemCode(code))).toEqual([]);
    expect(PROBLEM_CODES.filter((code) => !sent.has(code))).toEqual([]);
  });

  it('lists each code once', () => {
    expect(new Set(PROBLEM_CODES).size).toBe(PROBLEM_CODES.length);
  });
});
