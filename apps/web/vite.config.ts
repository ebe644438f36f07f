import { parse } from '@formatjs/icu-messageformat-parser';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig, type Plugin } from 'vite';

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
 * or runs the message parser (decision 031). The output is still JSON, for Vite's JSON loader.
 */
function precompiledMessages(): Plugin {
  return {
    name: 'souk:precompiled-messages',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/i18n\/messages\/[\w-]+\.json$/.test(id)) return null;
      const messages = JSON.parse(code) as Record<string, string>;
      const trees = Object.fromEntries(Object.entries(messages).map(([key, text]) => [key, parse(text)]));
      return { code: JSON.stringify(trees), map: null };
    },
  };
}

export default defineConfig({
  plugins: [precompiledMessages(), react(), tailwindcss()],
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
  server: { proxy },
  preview: { proxy },
});
