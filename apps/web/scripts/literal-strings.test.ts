import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findLiteralStrings } from './find-literal-strings';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, '..', 'src');
// Files not moved to the catalog yet, with how many literal strings each still has. The count may
// only go down: a new literal anywhere fails, and a file that is done must leave the list.
const baseline = JSON.parse(readFileSync(join(here, 'literal-strings-baseline.json'), 'utf8')) as Record<
  string,
  number
>;

describe('user-facing text goes through the message catalog', () => {
  const found = findLiteralStrings(src);
  const byFile = new Map<string, typeof found>();
  for (const hit of found) byFile.set(hit.file, [...(byFile.get(hit.file) ?? []), hit]);

  it('finds a literal in JSX text, in a shown expression and in a read attribute', () => {
    expect(findLiteralStrings(join(here, 'fixtures'))).toEqual([
      { file: 'literal.tsx', line: 4, text: 'Hello there' },
      { file: 'literal.tsx', line: 5, text: 'Saving…' },
      { file: 'literal.tsx', line: 5, text: 'Save' },
      { file: 'literal.tsx', line: 6, text: 'Close the dialog' },
      { file: 'literal.tsx', line: 9, text: 'Your name' },
    ]);
  });

  it('no file has more literal strings than the baseline allows', () => {
    const over = [...byFile].flatMap(([file, hits]) =>
      hits.length > (baseline[file] ?? 0)
        ? [
            `${file}: ${hits.length} (allowed ${baseline[file] ?? 0}): ${hits.map((h) => `${h.line} "${h.text}"`).join(', ')}`,
          ]
        : [],
    );
    expect(over).toEqual([]);
  });

  it('the baseline shrinks as files are moved to the catalog', () => {
    const stale = Object.entries(baseline).flatMap(([file, allowed]) => {
      const now = byFile.get(file)?.length ?? 0;
      return now < allowed ? [`${file}: ${now} now, baseline says ${allowed}; lower it`] : [];
    });
    expect(stale).toEqual([]);
  });
});
