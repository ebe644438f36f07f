import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from '@formatjs/icu-messageformat-parser';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import ts from 'typescript';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { isShellMessage } from './src/i18n/catalog-parts';

// The API serves the built app itself, so in dev everything it owns is proxied to keep one origin
// (cookies, CSP and relative fetches then behave as they will in production).
const apiOrigin = 'http://localhost:3000';
const proxy = {
  ...Object.fromEntries(
    ['/api', '/docs', '/openapi.json', '/health'].map((path) => [path, { target: apiOrigin }]),
  ),
  // The realtime socket; the Host header stays the dev server's, which the Origin check accepts.
  '/ws': { target: apiOrigin, ws: true },
};

/**
 * The message catalogs are parsed into ICU syntax trees at build time, so the browser never ships
 * or runs the message parser (decision 031). A catalog file stays JSON, for Vite's JSON loader; the
 * English catalog is also served in two parts, `virtual:souk-messages/shell` (in the first chunk)
 * and `virtual:souk-messages/rest` (src/i18n/catalog-parts.ts says which message goes where).
 */
function precompiledMessages(): Plugin {
  const precompile = (messages: [string, string][]) =>
    Object.fromEntries(messages.map(([key, text]) => [key, parse(text)]));
  const english = fileURLToPath(new URL('./src/i18n/messages/en.json', import.meta.url));
  const prefix = 'virtual:souk-messages/';
  return {
    name: 'souk:precompiled-messages',
    enforce: 'pre',
    resolveId(id) {
      return id === `${prefix}shell` || id === `${prefix}rest` ? `\0${id}` : null;
    },
    load(id) {
      if (id !== `\0${prefix}shell` && id !== `\0${prefix}rest`) return null;
      this.addWatchFile(english);
      const shell = id.endsWith('/shell');
      const messages = Object.entries(JSON.parse(readFileSync(english, 'utf8')) as Record<string, string>);
      const part = precompile(messages.filter(([key]) => isShellMessage(key) === shell));
      // JSON.parse of a string literal is faster for the engine than the same object as code.
      return `export default JSON.parse(${JSON.stringify(JSON.stringify(part))});`;
    },
    transform(code, id) {
      if (!/\/src\/i18n\/messages\/[\w-]+\.json$/.test(id)) return null;
      const trees = precompile(Object.entries(JSON.parse(code) as Record<string, string>));
      return { code: JSON.stringify(trees), map: null };
    },
  };
}

/**
 * The contracts declare their Zod schemas as top-level constants (`export const Listing = z.object(...)`).
 * A bundler must keep a call it cannot prove pure, so one constant from the package (a limit, a
 * close code) used to bring every schema and all of Zod into the first chunk. Marking each top-level
 * initializer pure lets the bundler drop the schemas a chunk does not use; statements (a registry
 * call, say) are left alone. Runs on the JavaScript the TypeScript step produced.
 */
function pureContractConstants(): Plugin {
  return {
    name: 'souk:pure-contract-constants',
    apply: 'build',
    transform(code, id) {
      if (!/\/packages\/contracts\/src\/[\w-]+\.ts$/.test(id)) return null;
      const source = ts.createSourceFile(id, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
      const edits: { start: number; end: number }[] = [];
      for (const statement of source.statements) {
        if (!ts.isVariableStatement(statement)) continue;
        for (const declaration of statement.declarationList.declarations) {
          const init = declaration.initializer;
          if (
            !init ||
            ts.isArrowFunction(init) ||
            ts.isFunctionExpression(init) ||
            ts.isLiteralExpression(init)
          )
            continue;
          edits.push({ start: init.getStart(source), end: init.getEnd() });
        }
      }
      let out = code;
      for (const { start, end } of edits.reverse()) {
        out = `${out.slice(0, start)}/* @__PURE__ */ (() => (${out.slice(start, end)}))()${out.slice(end)}`;
      }
      return { code: out, map: null };
    },
  };
}

export default defineConfig({
  plugins: [precompiledMessages(), react(), tailwindcss(), pureContractConstants()],
  resolve: {
    // Messages arrive precompiled, so react-intl's formatter gets the parser-free build.
    alias: [
      {
        find: /^@formatjs\/icu-messageformat-parser$/,
        replacement: '@formatjs/icu-messageformat-parser/no-parser.js',
      },
    ],
    // Read @souk/contracts from its TypeScript source so the web app never waits on its build.
    conditions: ['@souk/source', ...defaultClientConditions],
  },
  // Every browser the app supports preloads modules itself; the polyfill was 1 KB of the first chunk.
  build: { modulePreload: { polyfill: false } },
  server: { proxy },
  preview: { proxy },
});
