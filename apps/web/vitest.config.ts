import { defineConfig } from 'vitest/config';

// Unit tests of the web app: plain functions and source checks, no browser (those are in e2e/).
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
  },
});
