import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AppModules } from '../composition.js';
import { holdMachine } from '../modules/ledger/ledger.rules.js';
import { listingMachine } from '../modules/listings/listings.rules.js';
import { paymentMachine } from '../modules/payments/payments.rules.js';
import { payoutMachine } from '../modules/wallets/wallets.rules.js';
import { subscribeModules } from '../subscriptions.js';

/*
 * The diagrams in docs/architecture.md are printed from the code, between markers:
 *   <!-- diagram:NAME -->  ...a mermaid block...  <!-- /diagram -->
 * `npm run docs:diagrams -w @souk/api` rewrites them; docs-diagrams.test.ts fails when one is stale.
 * A new state machine adds one line here; the event map follows subscriptions.ts by itself.
 */
export const DIAGRAMS: Record<string, () => string> = {
  'listing-lifecycle': () => listingMachine.toMermaid(),
  'payment-lifecycle': () => paymentMachine.toMermaid(),
  'ledger-hold-lifecycle': () => holdMachine.toMermaid(),
  'wallet-payout-lifecycle': () => payoutMachine.toMermaid(),
  'event-map': () => eventMapMermaid(),
};

/**
 * subscriptions.ts run against a bus that only records its `subscribe` calls: one edge per
 * (event, subscriber) pair, which is one job queue, `event.<type>.<subscriber>` (decision 002).
 * Modules are inert stand-ins: handlers are recorded, never run.
 */
export function eventMapMermaid(): string {
  const pairs: Array<{ type: string; subscriber: string }> = [];
  const recorder = { subscribe: (type: string, subscriber: string) => pairs.push({ type, subscriber }) };
  const inert: unknown = new Proxy(() => {}, { get: () => inert, apply: () => inert });
  subscribeModules(
    recorder as unknown as Parameters<typeof subscribeModules>[0],
    inert as AppModules,
    inert as Parameters<typeof subscribeModules>[2],
  );
  const id = (prefix: string, name: string) => `${prefix}_${name.replace(/[^a-z0-9]/gi, '_')}`;
  const lines = ['flowchart LR'];
  for (const type of new Set(pairs.map((pair) => pair.type))) lines.push(`  ${id('event', type)}["${type}"]`);
  for (const subscriber of new Set(pairs.map((pair) => pair.subscriber)))
    lines.push(`  ${id('module', subscriber)}(["${subscriber}"])`);
  for (const { type, subscriber } of pairs)
    lines.push(`  ${id('event', type)} --> ${id('module', subscriber)}`);
  return lines.join('\n');
}

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
