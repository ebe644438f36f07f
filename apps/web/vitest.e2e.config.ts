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
    // Budgets catch hangs, not slowness: at load average 26-30 a first server start took 111 s.
    testTimeout: 120_000,
    hookTimeout: 240_000,
    teardownTimeout: 30_000,
  },
});
