import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// Unit tests of the web app: plain functions and source checks, no browser (those are in e2e/).
export default defineConfig({
  // @souk/contracts from its TypeScript source, as the app's build reads it.
  resolve: { conditions: ['@souk/source', ...defaultServerConditions] },
  ssr: { resolve: { conditions: ['@souk/source', ...defaultServerConditions] } },
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
  },
});
