import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';

// Issue 16, item 9: a worker has no HTTP clients; it answers what an orchestrator probes.
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { ROLE: 'worker' }, webDistDir: undefined });
});
afterAll(() => t.close());

describe('ROLE=worker', () => {
  it('answers /health/live, /health/ready and /metrics', async () => {
    for (const url of ['/health/live', '/health/ready', '/metrics']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
    }
  });

  it('answers everything else with a 404 problem: the API, the docs, the web app, media, the socket', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/categories'],
      ['POST', '/api/v1/auth/login'],
      ['GET', '/api/v1/listings'],
      ['GET', '/docs/'],
      ['GET', '/openapi.json'],
      ['GET', '/'],
      ['GET', '/media/anything.webp'],
      ['GET', '/ws'],
    ] as const) {
      const response = await t.app.inject({ method, url, headers: { accept: 'text/html' } });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json()).toMatchObject({ code: 'route_not_found' });
    }
  });
});
