import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findLiteralStrings } from './find-literal-strings';

// Rewrites the baseline from the tree as it is: run after moving a file's strings to the catalog.
const here = dirname(fileURLToPath(import.meta.url));
const counts: Record<string, number> = {};
for (const hit of findLiteralStrings(join(here, '..', 'src'))) counts[hit.file] = (counts[hit.file] ?? 0) + 1;
const sorted = Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(join(here, 'literal-strings-baseline.json'), `${JSON.stringify(sorted, null, 2)}\n`);
console.log(
  `${Object.keys(sorted).length} files, ${Object.values(sorted).reduce((a, b) => a + b, 0)} literal strings`,
);
