import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The reliability suite (`npm run test:faults`): real PostgreSQL clusters and real Souk processes,
 * faults injected for real. One file at a time: each starts its own cluster and several nodes,
 * and the machine has two cores.
 */
export default defineConfig({
  resolve: {
    alias: {
      '@souk/contracts': fileURLToPath(new URL('../../../packages/contracts/src/index.ts', import.meta.url)),
    },
  },
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['faults/**/*.fault.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 420_000,
    hookTimeout: 300_000,
  },
});
