import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ARCHITECTURE_DOC, DIAGRAMS, renderDiagrams } from './docs-diagrams.js';

describe('docs/architecture.md diagrams', () => {
  it('match the code they are printed from (run `npm run docs:diagrams -w @souk/api`)', () => {
    const doc = readFileSync(ARCHITECTURE_DOC, 'utf8');
    expect(renderDiagrams(doc)).toBe(doc);
    for (const name of Object.keys(DIAGRAMS)) expect(doc).toContain(`<!-- diagram:${name} -->`);
  });
});
