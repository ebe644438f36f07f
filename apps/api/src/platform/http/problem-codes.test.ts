import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isProblemCode, PROBLEM_CODES } from '@souk/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { mailErrors } from '../mail/mail.errors.js';
import { platformErrors } from './errors.js';
import { idempotencyErrors } from './idempotency.js';

type Catalog = Record<string, { status: number; title: string }>;

const isCatalog = (value: unknown): value is Catalog =>
  typeof value === 'object' &&
  value !== null &&
  Object.values(value).length > 0 &&
  Object.values(value).every(
    (entry) => typeof entry === 'object' && entry !== null && 'status' in entry && 'title' in entry,
  );

/** Codes raised outside a catalog (error-handler.ts's framework 404, auth.http.ts's bad token). */
const RAISED_DIRECTLY = ['not_found', 'invalid_access_token'];

describe("the contract's problem codes", () => {
  const modulesDir = fileURLToPath(new URL('../../modules/', import.meta.url));
  const moduleFiles = readdirSync(modulesDir).flatMap((module) =>
    readdirSync(join(modulesDir, module))
      .filter((name) => name.endsWith('.errors.ts'))
      .map((name) => join(modulesDir, module, name)),
  );
  const catalogs: Catalog[] = [platformErrors, idempotencyErrors, mailErrors];
  let sent = new Set<string>();

  beforeAll(async () => {
    // Every module's catalog (`<module>.errors.ts`), as the compiler sees them.
    for (const file of moduleFiles) {
      const exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      catalogs.push(...Object.values(exports).filter(isCatalog));
    }
    sent = new Set([...catalogs.flatMap((catalog) => Object.keys(catalog)), ...RAISED_DIRECTLY]);
  });

  it('finds every module catalog', () => {
    expect(moduleFiles.length).toBeGreaterThanOrEqual(18);
    expect(catalogs.length).toBeGreaterThanOrEqual(moduleFiles.length + 3);
  });

  it('lists each code the server sends (the compiler checks this too) and no code nothing sends', () => {
    expect([...sent].filter((code) => !isProblemCode(code))).toEqual([]);
    expect(PROBLEM_CODES.filter((code) => !sent.has(code))).toEqual([]);
  });

  it('lists each code once', () => {
    expect(new Set(PROBLEM_CODES).size).toBe(PROBLEM_CODES.length);
  });
});
