import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { copyDatabase, dropDatabase, urlFor } from '../../test-support/postgres.js';
import { waitFor } from '../../test-support/wait.js';
import { createDatabase, type Database } from '../db/database.js';
import { registerErrorHandling } from './error-handler.js';
import { AppError } from './errors.js';
import { cleanExpiredKeys, idempotency } from './idempotency.js';
import { createIdempotencyRepository } from './idempotency.repository.js';

// A tiny app with the plugin and test routes, on the real engine (PGlite, or PostgreSQL when
// TEST_DATABASE_URL is set). The caller is whoever `x-user` names.
describe('idempotent routes', () => {
  const baseUrl = process.env.TEST_DATABASE_URL;
  let databaseName: string | null = null;
  let database: Database;
  let app: FastifyInstance;
  let charges = 0;
  let flaky = 0;
  let gate: { open: () => void; entered: boolean; promise: Promise<void> } | null = null;
  const waiting: string[] = [];

  const openGate = () => {
    let open = () => {};
    const promise = new Promise<void>((resolve) => {
      open = resolve;
    });
    gate = { open, entered: false, promise };
    return gate;
  };

  async function buildTinyApp(options: { waitMs: number }) {
    const tiny = Fastify({ logger: false });
    registerErrorHandling(tiny, () => undefined);
    tiny.addHook('onRequest', async (request) => {
      const user = request.headers['x-user'];
      request.ctx = {
        actor: typeof user === 'string' ? { userId: user, roles: ['member'] } : null,
        requestId: request.id,
        sessionId: null,
      };
    });
    await tiny.register(idempotency, {
      database,
      waitMs: options.waitMs,
      onWaiting: (request) => void waiting.push(String(request.headers['idempotency-key'])),
    });
    tiny.post('/charges', { config: { idempotent: true } }, async (request, reply) => {
      charges++;
      if (gate) {
        gate.entered = true;
        await gate.promise;
      }
      const id = `ch_${charges}`;
      return reply
        .code(201)
        .header('location', `/charges/${id}`)
        .header('x-moment', String(Date.now()))
        .send({ id, n: charges, body: request.body });
    });
    tiny.post('/declined', { config: { idempotent: true } }, async () => {
      charges++;
      throw new AppError('provider_refused', 402, 'The card was declined');
    });
    tiny.post('/flaky', { config: { idempotent: true } }, async () => {
      flaky++;
      if (flaky === 1) throw new Error('the provider hung up');
      return { ok: true, attempt: flaky };
    });
    tiny.post('/plain', async () => ({ ok: true }));
    await tiny.ready();
    return tiny;
  }

  beforeAll(async () => {
    const template = inject('templateDatabase');
    if (baseUrl && template) databaseName = await copyDatabase(baseUrl, template);
    database = await createDatabase({
      url: databaseName && baseUrl ? urlFor(baseUrl, databaseName) : undefined,
      dataDir: 'memory://',
    });
    if (!databaseName) await database.migrate();
    app = await buildTinyApp({ waitMs: 10_000 });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
    if (baseUrl && databaseName) await dropDatabase(baseUrl, databaseName);
  });

  const charge = (key: string | undefined, body: object = { amount: 500 }, user = 'u1', url = '/charges') =>
    app.inject({
      method: 'POST',
      url,
      headers: { 'x-user': user, ...(key === undefined ? {} : { 'idempotency-key': key }) },
      payload: body,
    });

  it('requires a well-formed key on an opted-in route, and runs nothing without one', async () => {
    const before = charges;
    const missing = await charge(undefined);
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ code: 'idempotency_key_required' });
    for (const bad of ['has space', 'x'.repeat(256), '']) {
      const response = await charge(bad);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ code: 'idempotency_key_invalid' });
    }
    expect(charges).toBe(before);
    expect((await app.inject({ method: 'POST', url: '/plain', payload: {} })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/nowhere', payload: {} })).json()).toMatchObject({
      code: 'route_not_found',
    });
  });

  it('replays the first answer (status, body, location) marked as a replay, without running again', async () => {
    const first = await charge('k-replay');
    expect(first.statusCode).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const runs = charges;
    const second = await charge('k-replay');
    expect(second.statusCode).toBe(201);
    expect(second.body).toBe(first.body);
    expect(second.headers.location).toBe(first.headers.location);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.headers['x-moment']).toBeUndefined();
    expect(charges).toBe(runs);
  });

  it('refuses the same key with a changed body with 422 idempotency_key_reused', async () => {
    await charge('k-body', { amount: 500 });
    const runs = charges;
    const changed = await charge('k-body', { amount: 501 });
    expect(changed.statusCode).toBe(422);
    expect(changed.json()).toMatchObject({ code: 'idempotency_key_reused' });
    const otherRoute = await charge('k-body', { amount: 500 }, 'u1', '/declined');
    expect(otherRoute.statusCode).toBe(422);
    expect(charges).toBe(runs);
  });

  it('scopes keys per actor: another member with the same key gets an answer of their own', async () => {
    const mine = await charge('k-shared', { amount: 1 }, 'u1');
    const theirs = await charge('k-shared', { amount: 1 }, 'u2');
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json().id).not.toBe(mine.json().id);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
  });

  it('keeps a 4xx answer and replays it', async () => {
    const first = await charge('k-declined', {}, 'u1', '/declined');
    expect(first.statusCode).toBe(402);
    const runs = charges;
    const second = await charge('k-declined', {}, 'u1', '/declined');
    expect(second.statusCode).toBe(402);
    expect(second.json()).toEqual(first.json());
    expect(second.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(charges).toBe(runs);
  });

  it('does not keep a 5xx answer: the retry with the same key runs again', async () => {
    const first = await charge('k-flaky', {}, 'u1', '/flaky');
    expect(first.statusCode).toBe(500);
    const retry = await charge('k-flaky', {}, 'u1', '/flaky');
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual({ ok: true, attempt: 2 });
    expect((await charge('k-flaky', {}, 'u1', '/flaky')).headers['idempotent-replayed']).toBe('true');
  });

  it('makes a concurrent duplicate wait for the first request and answers it the same', async () => {
    const g = openGate();
    const runs = charges;
    const first = charge('k-concurrent');
    await waitFor(async () => g.entered);
    const second = charge('k-concurrent');
    await waitFor(async () => waiting.includes('k-concurrent'));
    g.open();
    gate = null;
    const [a, b] = await Promise.all([first, second]);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.body).toBe(a.body);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(charges).toBe(runs + 1);
  });

  it('answers 409 idempotency_in_progress with Retry-After when the first takes longer than the wait', async () => {
    const impatient = await buildTinyApp({ waitMs: 200 });
    try {
      const g = openGate();
      const first = impatient.inject({
        method: 'POST',
        url: '/charges',
        headers: { 'x-user': 'u1', 'idempotency-key': 'k-slow' },
        payload: { amount: 9 },
      });
      await waitFor(async () => g.entered);
      const second = await impatient.inject({
        method: 'POST',
        url: '/charges',
        headers: { 'x-user': 'u1', 'idempotency-key': 'k-slow' },
        payload: { amount: 9 },
      });
      expect(second.statusCode).toBe(409);
      expect(second.json()).toMatchObject({ code: 'idempotency_in_progress' });
      expect(second.headers['retry-after']).toBe('1');
      g.open();
      gate = null;
      expect((await first).statusCode).toBe(201);
    } finally {
      await impatient.close();
    }
  });

  it('the cleanup deletes keys past their 24 hours, and the key then runs anew', async () => {
    await charge('k-old');
    const repository = createIdempotencyRepository(database.db);
    expect(await cleanExpiredKeys(repository)).toBe(0);
    const deleted = await cleanExpiredKeys(repository, new Date(Date.now() + 25 * 3_600_000));
    expect(deleted).toBeGreaterThan(0);
    const again = await charge('k-old');
    expect(again.headers['idempotent-replayed']).toBeUndefined();
  });
});
