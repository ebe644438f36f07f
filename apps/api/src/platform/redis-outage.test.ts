import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSocket, type TestSocket } from '../test-support/realtime-client.js';
import { hasRedisServer, type RedisServer, startRedisServer } from '../test-support/redis-server.js';
import { createTestApp, type TestApp, type TestUser } from '../test-support/test-app.js';
import { waitFor } from '../test-support/wait.js';

/**
 * Two whole apps ("nodes") on one redis-server of the test's own, which the test kills: requests,
 * session checks, rate limits and readiness go on; realtime reaches this node's sockets during
 * the outage and the other node's again once Redis is back.
 */
describe.skipIf(!hasRedisServer)('the API without Redis', () => {
  let server: RedisServer;
  let a: TestApp;
  let b: TestApp;
  let alice: TestUser;
  let bob: TestUser;
  const sockets: TestSocket[] = [];
  const socketOn = async (node: TestApp, user: TestUser) => {
    const address = node.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const socket = await openSocket(`ws://127.0.0.1:${port}/ws`, { headers: user.headers });
    sockets.push(socket);
    await socket.subscribe(`user:${user.userId}`);
    return socket;
  };
  const redisUp = (node: TestApp) =>
    node.app
      .inject({ url: '/health/ready' })
      .then((response) => response.json().checks.redis?.status === 'ok');

  beforeAll(async () => {
    server = await startRedisServer();
    const env = { REDIS_URL: server.url, REALTIME_HEARTBEAT_SECONDS: '1' };
    [a, b] = [await createTestApp({ env }), await createTestApp({ env })];
    for (const node of [a, b]) {
      await node.app.listen({ host: '127.0.0.1', port: 0 });
      await waitFor(() => redisUp(node), 15_000);
    }
    alice = await a.signUp();
    bob = await b.signUp();
  });
  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    await a?.close();
    await b?.close();
    await server?.stop();
  });

  it('stays ready, checks sessions against the database and keeps rate limits while Redis is dead', async () => {
    const session = await a.app.inject({ url: '/api/v1/auth/session', headers: alice.headers });
    expect(session.statusCode).toBe(200);

    await server.kill();
    const started = performance.now();
    const ready = await a.app.inject({ url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'ok' }, redis: { status: 'degraded' } },
    });
    expect(ready.json().checks.redis.detail).toMatch(/unavailable/);

    // Reads that needed Redis (session state, catalog version) come from the database.
    expect((await a.app.inject({ url: '/api/v1/auth/session', headers: alice.headers })).statusCode).toBe(
      200,
    );
    expect((await a.app.inject({ url: '/api/v1/categories' })).statusCode).toBe(200);
    // A session ended during the outage is refused at once on its node, not served from a cache.
    const second = await a.signUp();
    expect(
      (await a.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: second.headers }))
        .statusCode,
    ).toBe(204);
    expect((await a.app.inject({ url: '/api/v1/auth/session', headers: second.headers })).statusCode).toBe(
      401,
    );

    // The login limit (10 a minute per address) still holds, counted on this node.
    const logins = [];
    for (let i = 0; i < 11; i += 1) {
      const response = await b.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: `nobody${i}@example.test`, password: 'wrong password here' },
        remoteAddress: '203.0.113.9',
      });
      logins.push(response.statusCode);
    }
    expect(logins.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(logins[10]).toBe(429);
    expect(performance.now() - started).toBeLessThan(10_000);

    const metrics = (await a.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/^redis_available\{client="cache"\} 0$/m);
    expect(metrics).toMatch(/^redis_fallbacks_total\{client="cache",operation="get"\} [1-9]/m);
  });

  it('delivers realtime events on the node that published them, and across nodes again once Redis is back', async () => {
    const aliceOnA = await socketOn(a, alice);
    const bobOnB = await socketOn(b, bob);
    await a.platform.realtime.publish(`user:${alice.userId}`, 'test.during', { n: 1 });
    await aliceOnA.next((frame) => frame.type === 'event' && frame.event === 'test.during', {
      timeoutMs: 5000,
    });

    await server.start();
    const restarted = Date.now();
    // Published on node A until node B's socket sees one: cross-node delivery has resumed.
    const seen = waitFor(async () => {
      await a.platform.realtime.signal(`user:${bob.userId}`, 'test.after', { at: Date.now() });
      return bobOnB.frames.some((frame) => frame.type === 'event' && frame.event === 'test.after');
    }, 15_000);
    await seen;
    expect(Date.now() - restarted).toBeLessThan(5000);
    expect((await a.app.inject({ url: '/health/ready' })).json().checks.redis.status).toBe('ok');
  });
});
