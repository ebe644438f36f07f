import { defineConfig } from 'vitest/config';

// Browser end-to-end tests: each file starts the built server (`node apps/api/dist/main.js`) and
// drives Debian's Chromium through playwright-core. Run after `npm run build`.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    pool: 'forks',
    // Every file starts its own server and browser; one at a time keeps the machine calm.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    teardownTimeout: 30_000,
  },
});
