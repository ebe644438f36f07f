import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRedisServer, type RedisServer, startRedisServer } from '../test-support/redis-server.js';
import { createFallbackRateLimitStore } from './rate-limit-store.js';

/**
 * Two "nodes" (Fastify instances) share a rate limit through a redis-server of the test's own;
 * when it dies each node keeps limiting with its own counters, and they share again when it is back.
 */
describe.skipIf(!hasRedisServer)('rate limits with Redis, and per node without it', () => {
  let server: RedisServer;
  type Node = { app: FastifyInstance; store: ReturnType<typeof createFallbackRateLimitStore> };
  const nodes: Node[] = [];

  const node = async () => {
    const store = createFallbackRateLimitStore({ url: server.url, nameSpace: `test-rate-${process.pid}:` });
    const app = Fastify();
    // Each test uses its own client key, so counts of one test never leak into the next.
    await app.register(fastifyRateLimit, {
      global: false,
      store: store.store,
      keyGenerator: (request) => String(request.headers['x-client']),
    });
    app.get('/limited', { config: { rateLimit: { max: 3, timeWindow: 60_000 } } }, async () => 'ok');
    await app.ready();
    nodes.push({ app, store });
    return { app, store };
  };
  const call = (app: FastifyInstance, client: string) =>
    app.inject({ url: '/limited', headers: { 'x-client': client } }).then((response) => response.statusCode);

  beforeAll(async () => {
    server = await startRedisServer();
    await node();
    await node();
    for (const { store } of nodes) expect(await store.link.whenAvailable(15_000)).toBe(true);
  });
  afterAll(async () => {
    for (const { app, store } of nodes) {
      await app.close();
      await store.close();
    }
    await server?.stop();
  });

  it('counts one limit across both nodes while Redis is up', async () => {
    const [a, b] = nodes as [Node, Node];
    expect([await call(a.app, 'up'), await call(b.app, 'up'), await call(a.app, 'up')]).toEqual([
      200, 200, 200,
    ]);
    expect(await call(b.app, 'up')).toBe(429);
  });

  it('keeps limiting on each node, at once, while Redis is dead', async () => {
    await server.kill();
    const started = performance.now();
    for (const { app } of nodes) {
      const answers = [];
      for (let i = 0; i < 5; i += 1) answers.push(await call(app, 'down'));
      expect(answers).toEqual([200, 200, 200, 429, 429]);
    }
    expect(performance.now() - started).toBeLessThan(1000);
    expect(nodes.every(({ store }) => !store.link.available())).toBe(true);
  });

  it('shares the count again once Redis is back', async () => {
    await server.start();
    for (const { store } of nodes) expect(await store.link.whenAvailable(15_000)).toBe(true);
    const [a, b] = nodes as [Node, Node];
    expect([await call(a.app, 'back'), await call(b.app, 'back'), await call(b.app, 'back')]).toEqual([
      200, 200, 200,
    ]);
    expect(await call(a.app, 'back')).toBe(429);
  });
});
