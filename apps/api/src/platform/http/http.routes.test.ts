import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ env: { BODY_LIMIT_BYTES: '2048' } });
});
afterAll(() => t.close());

describe('operational endpoints', () => {
  it('runs on the engine the environment chose', () => {
    expect(t.platform.database.kind).toBe(process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
  });

  it('answers /health/live and /health/ready', async () => {
    const live = await t.app.inject({ method: 'GET', url: '/health/live' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok', checks: {} });
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { database: { status: 'ok' } } });
  });

  it('answers /health/live the same over a real socket (the fast path) as through the router', async () => {
    const other = await createTestApp();
    try {
      const base = await other.app.listen({ port: 0, host: '127.0.0.1' });
      const overSocket = await fetch(`${base}/health/live`);
      const routed = await other.app.inject({ method: 'GET', url: '/health/live' });
      expect(overSocket.status).toBe(200);
      expect(overSocket.headers.get('content-type')).toBe(routed.headers['content-type']);
      expect(await overSocket.text()).toBe(routed.body);
      // Everything else still goes through Fastify.
      const categories = await fetch(`${base}/api/v1/categories`);
      expect(categories.status).toBe(200);
      expect(categories.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect((await fetch(`${base}/health/live?verbose=1`)).status).toBe(200);
    } finally {
      await other.close();
    }
  });

  it('reports 503 from /health/ready when the database is gone', async () => {
    const other = await createTestApp();
    await other.platform.database.close();
    const ready = await other.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks.database.status).toBe('failed');
    await other.app.close();
  });

  it('exposes Prometheus metrics with request durations by route', async () => {
    await t.app.inject({ method: 'GET', url: '/api/v1/categories' });
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/categories",status_code="200"\} 1/,
    );
    expect(metrics.body).toContain('job_queue_depth');
    expect(metrics.body).toContain('process_cpu_seconds_total');
  });

  it('serves the OpenAPI 3.1 document and the docs page', async () => {
    const spec = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(spec.statusCode).toBe(200);
    const document = spec.json();
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/categories',
        '/api/v1/categories/{slug}',
        '/api/v1/locations',
        '/health/ready',
      ]),
    );
    expect(document.paths['/api/v1/categories'].get.responses['200']).toBeDefined();
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });
});

describe('problem responses', () => {
  it('answers an unknown path with a 404 problem', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/nope?x=1' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      type: 'urn:souk:problem:route_not_found',
      status: 404,
      code: 'route_not_found',
      detail: 'Nothing answers GET /api/v1/nope.',
    });
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/categories',
      headers: { 'content-type': 'application/json' },
      payload: '{"slug": "cars",',
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({ status: 400, code: 'invalid_json' });
  });

  it('answers a body over the limit with a 413 problem', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/categories',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ slug: 'big', name: 'x'.repeat(5000) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ status: 413, code: 'body_too_large' });
  });

  it('answers a wrong content type with a 415 problem', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/categories',
      headers: { 'content-type': 'text/csv' },
      payload: 'a,b',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ code: 'unsupported_media_type' });
  });

  it('echoes a sane x-request-id and makes one up otherwise', async () => {
    const given = await t.app.inject({
      method: 'GET',
      url: '/api/v1/categories',
      headers: { 'x-request-id': 'abc-123' },
    });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const bogus = await t.app.inject({
      method: 'GET',
      url: '/api/v1/categories',
      headers: { 'x-request-id': 'a b<script>' },
    });
    expect(bogus.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers on API answers', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/categories' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });
});
