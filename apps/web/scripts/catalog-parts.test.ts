import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { isShellMessage } from '../src/i18n/catalog-parts';

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src');
const catalog = JSON.parse(readFileSync(join(src, 'i18n', 'messages', 'en.json'), 'utf8')) as Record<
  string,
  string
>;

function resolveModule(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((path) => existsSync(path));
}

/** The modules of the first chunk: main.tsx and what it imports statically (lazy imports aside). */
function firstChunkModules(entry: string): Map<string, ts.SourceFile> {
  const modules = new Map<string, ts.SourceFile>();
  const visit = (path: string) => {
    if (modules.has(path)) return;
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    modules.set(path, source);
    for (const statement of source.statements) {
      const isImport = ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly;
      const isReExport = ts.isExportDeclaration(statement) && !statement.isTypeOnly;
      if (!isImport && !isReExport) continue;
      const specifier = statement.moduleSpecifier;
      if (!specifier || !ts.isStringLiteral(specifier) || !specifier.text.startsWith('.')) continue;
      const target = resolveModule(path, specifier.text);
      if (target) visit(target);
    }
  };
  visit(entry);
  return modules;
}

function messageIdsIn(source: ts.SourceFile): string[] {
  const ids: string[] = [];
  const visit = (node: ts.Node) => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text in catalog) {
      ids.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return ids;
}

describe('the shell part of the catalog', () => {
  const modules = firstChunkModules(join(src, 'main.tsx'));

  it('follows the first chunk through its static imports', () => {
    const names = [...modules.keys()].map((path) => relative(src, path));
    expect(names).toContain('shell/site-header.tsx');
    expect(names).toContain('features/search/search-form.tsx');
    // Loaded lazily, so not part of it.
    expect(names).not.toContain('shell/user-menu.tsx');
  });

  it('holds every message the first chunk names, so the shell never waits for the rest', () => {
    const missing = [...modules].flatMap(([path, source]) =>
      messageIdsIn(source)
        .filter((id) => !isShellMessage(id))
        .map((id) => `${relative(src, path)}: ${id}`),
    );
    expect(missing).toEqual([]);
  });
});
