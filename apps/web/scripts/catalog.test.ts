import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@formatjs/icu-messageformat-parser';
import { describe, expect, it } from 'vitest';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'i18n', 'messages');
const read = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, string>;
const english = read('en.json');

// The build parses every catalog (vite.config.ts); a broken message fails here first, by name.
describe('message catalogs', () => {
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    it(`${file}: every message is valid ICU and has an English original`, () => {
      const messages = read(file);
      const broken = Object.entries(messages).flatMap(([id, text]) => {
        try {
          parse(text);
          return [];
        } catch (error) {
          return [`${id}: ${(error as Error).message}`];
        }
      });
      expect(broken).toEqual([]);
      expect(Object.keys(messages).filter((id) => !(id in english))).toEqual([]);
    });
  }
});
