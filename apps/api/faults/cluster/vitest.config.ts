import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The cluster test (`npm run test:cluster`): Debian's nginx with deploy/nginx/souk.conf in front
 * of real Souk processes on their own PostgreSQL and Redis (the reliability suite's harness).
 */
export default defineConfig({
  resolve: {
    alias: {
      '@souk/contracts': fileURLToPath(
        new URL('../../../../packages/contracts/src/index.ts', import.meta.url),
      ),
    },
  },
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['faults/cluster/**/*.cluster.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
