import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { listingMachine } from '../modules/listings/listings.rules.js';

/*
 * The diagrams in docs/architecture.md are printed from the code, between markers:
 *   <!-- diagram:NAME -->  ...a mermaid block...  <!-- /diagram -->
 * `npm run docs:diagrams -w @souk/api` rewrites them; docs-diagrams.test.ts fails when one is stale.
 * A new state machine adds one line here.
 */
export const DIAGRAMS: Record<string, () => string> = {
  'listing-lifecycle': () => listingMachine.toMermaid(),
};

export const ARCHITECTURE_DOC = fileURLToPath(new URL('../../../../docs/architecture.md', import.meta.url));

const BLOCK = /(<!-- diagram:([a-z0-9-]+) -->\n)[\s\S]*?(<!-- \/diagram -->)/g;

/** The document with every marked diagram printed afresh; an unknown name is an error. */
export function renderDiagrams(markdown: string): string {
  return markdown.replace(BLOCK, (_whole, open: string, name: string, close: string) => {
    const diagram = DIAGRAMS[name];
    if (!diagram)
      throw new Error(`docs: no diagram named ${name} (see DIAGRAMS in scripts/docs-diagrams.ts)`);
    return `${open}\`\`\`mermaid\n${diagram()}\n\`\`\`\n${close}`;
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const before = readFileSync(ARCHITECTURE_DOC, 'utf8');
  const after = renderDiagrams(before);
  if (after !== before) writeFileSync(ARCHITECTURE_DOC, after);
  console.log(
    after === before
      ? 'docs/architecture.md: diagrams up to date'
      : 'docs/architecture.md: diagrams rewritten',
  );
}
