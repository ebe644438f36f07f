import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests run the contracts' TypeScript source; the built dist is only for `npm start`.
    alias: {
      '@souk/contracts': fileURLToPath(new URL('../../packages/contracts/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['src/test-support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // A timeout catches a hang, not slowness: tests that start a second app (PGlite migrating
    // 20+ migrations) or hash 100 passwords took over 30 s at load average 25 in CI runs.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
