/**
 * Prints every function in apps/api/src longer than 300 lines (a factory closure counts as one
 * function, with all it holds) and every file longer than 600 lines, and exits 1 when there is
 * any. Demo data (`demo/` folders, `*.seed.ts`, `*.data.ts`) and tests are left out. Issue 17's
 * size rule.
 *
 *   npx tsx apps/api/scripts/size-report.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const MAX_FUNCTION_LINES = 300;
const MAX_FILE_LINES = 600;
const root = fileURLToPath(new URL('../src', import.meta.url));

const skipped = (path: string) =>
  /\.test\.ts$/.test(path) ||
  /\.data\.ts$/.test(path) ||
  /\.seed\.ts$/.test(path) ||
  path.split('/').includes('demo') ||
  path.endsWith('.d.ts');

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith('.ts') && !skipped(relative(root, path))) yield path;
  }
}

const isFunction = (node: ts.Node): node is ts.FunctionLikeDeclaration =>
  ts.isFunctionDeclaration(node) ||
  ts.isFunctionExpression(node) ||
  ts.isArrowFunction(node) ||
  ts.isMethodDeclaration(node) ||
  ts.isConstructorDeclaration(node) ||
  ts.isGetAccessorDeclaration(node) ||
  ts.isSetAccessorDeclaration(node);

function nameOf(node: ts.FunctionLikeDeclaration): string {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  const parent = node.parent;
  if (
    parent &&
    (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) &&
    ts.isIdentifier(parent.name)
  ) {
    return parent.name.text;
  }
  return '(anonymous)';
}

const findings: string[] = [];
for (const path of sourceFiles(root)) {
  const text = readFileSync(path, 'utf8');
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const name = relative(join(root, '..'), path);
  const fileLines = file.getLineAndCharacterOfPosition(file.end).line + 1;
  if (fileLines > MAX_FILE_LINES) findings.push(`file      ${fileLines} lines  ${name}`);
  const visit = (node: ts.Node) => {
    if (isFunction(node) && node.body) {
      const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
      const end = file.getLineAndCharacterOfPosition(node.end).line;
      const lines = end - start + 1;
      if (lines > MAX_FUNCTION_LINES)
        findings.push(`function  ${lines} lines  ${name}:${start + 1} ${nameOf(node)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
}

const leftOut = 'demo data (demo/, *.seed.ts, *.data.ts) and tests left out';
if (findings.length === 0) {
  console.log(
    `size-report: no function over ${MAX_FUNCTION_LINES} lines, no file over ${MAX_FILE_LINES} lines (${leftOut})`,
  );
} else {
  console.log(findings.sort().join('\n'));
  console.log(
    `size-report: ${findings.length} over the limits (functions ${MAX_FUNCTION_LINES}, files ${MAX_FILE_LINES} lines; ${leftOut})`,
  );
  process.exitCode = 1;
}
