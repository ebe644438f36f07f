import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findLiteralStrings } from './find-literal-strings';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, '..', 'src');

// Every user-facing string goes through the message catalog (decision 031): a literal in JSX text,
// in a shown expression or in a read attribute anywhere under src/ fails here, with where it is.
describe('user-facing text goes through the message catalog', () => {
  // Parsing every source file takes seconds on a loaded machine: once, while the suite is collected.
  const found = findLiteralStrings(src).map((hit) => `${hit.file}:${hit.line} "${hit.text}"`);

  it('finds a literal in JSX text, in a shown expression and in a read attribute', () => {
    expect(findLiteralStrings(join(here, 'fixtures'))).toEqual([
      { file: 'literal.tsx', line: 8, text: 'Hello there' },
      { file: 'literal.tsx', line: 9, text: 'Saving…' },
      { file: 'literal.tsx', line: 9, text: 'Save' },
      { file: 'literal.tsx', line: 10, text: 'Close the dialog' },
      { file: 'literal.tsx', line: 13, text: 'Your name' },
      { file: 'literal.tsx', line: 15, text: 'At least 10 characters' },
    ]);
  });

  it('no literal string is left in src/', () => {
    expect(found).toEqual([]);
  });
});
