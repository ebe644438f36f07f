import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * Finds user-facing text written into JSX instead of going through the message catalog: text
 * between tags, string literals shown as children ({busy ? 'Saving…' : 'Save'}), and string values
 * of the attributes a person reads or hears (aria-label, placeholder, title, alt, a field's hint...).
 */
export type LiteralString = { file: string; line: number; text: string };

// The DOM's read attributes, and the props of our components that end up as one (a field's hint, a
// button's pending label, a section's description...).
const READ_ATTRIBUTES = new Set([
  'aria-label',
  'aria-roledescription',
  'placeholder',
  'title',
  'alt',
  'label',
  'message',
  'help',
  'hint',
  'pendingLabel',
  'submitLabel',
  'intro',
  'description',
  'empty',
  'errorTitle',
]);
// Text made only of punctuation, digits and symbols (" · ", "×", "(", "…") says nothing to translate.
const HAS_WORDS = /\p{L}/u;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.tsx') && !entry.name.endsWith('.test.tsx') ? [path] : [];
  });
}

/** String literals an expression may evaluate to: through ?:, &&, ||, ?? and parentheses only. */
function shownLiterals(node: ts.Expression): ts.Node[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
    return [node];
  }
  if (ts.isParenthesizedExpression(node)) return shownLiterals(node.expression);
  if (ts.isConditionalExpression(node))
    return [...shownLiterals(node.whenTrue), ...shownLiterals(node.whenFalse)];
  if (ts.isBinaryExpression(node)) {
    const op = node.operatorToken.kind;
    if (op === ts.SyntaxKind.AmpersandAmpersandToken) return shownLiterals(node.right);
    if (op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
      return [...shownLiterals(node.left), ...shownLiterals(node.right)];
    }
  }
  return [];
}

function literalText(node: ts.Node, source: ts.SourceFile): string {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    return [node.head.text, ...node.templateSpans.map((span) => span.literal.text)].join('');
  }
  return node.getText(source);
}

export function findLiteralStrings(root: string): LiteralString[] {
  const found: LiteralString[] = [];
  for (const path of sourceFiles(root)) {
    const source = ts.createSourceFile(
      path,
      readFileSync(path, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
      ts.ScriptKind.TSX,
    );
    const report = (node: ts.Node, text: string) => {
      const trimmed = text.replace(/\s+/g, ' ').trim();
      if (!HAS_WORDS.test(trimmed)) return;
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      found.push({ file: relative(root, path), line, text: trimmed });
    };
    const visit = (node: ts.Node) => {
      if (ts.isJsxText(node)) report(node, node.text);
      else if (ts.isJsxExpression(node) && node.expression && !ts.isJsxAttribute(node.parent)) {
        for (const literal of shownLiterals(node.expression)) report(literal, literalText(literal, source));
      } else if (
        ts.isJsxAttribute(node) &&
        READ_ATTRIBUTES.has(node.name.getText(source)) &&
        node.initializer
      ) {
        const value = node.initializer;
        if (ts.isStringLiteral(value)) report(value, value.text);
        else if (ts.isJsxExpression(value) && value.expression) {
          for (const literal of shownLiterals(value.expression))
            report(literal, literalText(literal, source));
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}
