import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

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

export default defineConfig({
  plugins: [react(), tailwindcss()],
  resolve: {
    // Read @souk/contracts from its TypeScript source so the web app never waits on its build.
    conditions: ['@souk/source', ...defaultClientConditions],
  },
  server: { proxy },
  preview: { proxy },
});
