import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSocket, type TestSocket, UpgradeRefused } from '../../test-support/realtime-client.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { visibleListingAuthorizer } from './realtime.authorizers.js';
import { FRAME_LIMIT } from './realtime.hub.js';
import { pruneRealtimeEvents } from './realtime.jobs.js';
import { createRealtimeRepository } from './realtime.repository.js';

let testApp: TestApp;
let url: string;
let origin: string;
let alice: TestUser;
let bob: TestUser;
const sockets: TestSocket[] = [];

async function connect(user: TestUser, extra: { headers?: Record<string, string>; autoPong?: boolean } = {}) {
  const socket = await openSocket(url, {
    headers: { ...user.headers, ...extra.headers },
    autoPong: extra.autoPong,
  });
  sockets.push(socket);
  return socket;
}

async function refusal(promise: Promise<TestSocket>): Promise<number> {
  try {
    sockets.push(await promise);
  } catch (error) {
    if (error instanceof UpgradeRefused) return error.status;
    throw error;
  }
  throw new Error('the upgrade was accepted');
}

beforeAll(async () => {
  testApp = await createTestApp({ env: { REALTIME_HEARTBEAT_SECONDS: '1' } });
  const address = await testApp.app.listen({ host: '127.0.0.1', port: 0 });
  url = `${address.replace('http', 'ws')}/ws`;
  origin = address;
  alice = await testApp.signUp();
  bob = await testApp.signUp();
});

afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.close()));
  await testApp?.close();
});

describe('/ws authentication and origin', () => {
  it('refuses a bad Bearer token with 401 before the upgrade', async () => {
    expect(await refusal(openSocket(url, { headers: { authorization: 'Bearer not-a-token' } }))).toBe(401);
  });

  it('closes a socket that carries no session with 4401', async () => {
    const socket = await openSocket(url, { headers: { origin } });
    sockets.push(socket);
    expect(await socket.closed).toEqual({ code: 4401, reason: 'unauthenticated' });
  });

  it('refuses a foreign Origin with 403, even with a valid token or cookie', async () => {
    expect(await refusal(connect(alice, { headers: { origin: 'https://evil.example' } }))).toBe(403);
    const cookie = { cookie: `souk_access=${alice.accessToken}`, origin: 'https://evil.example' };
    expect(await refusal(openSocket(url, { headers: cookie }))).toBe(403);
  });

  it('refuses a cookie without an Origin (only Bearer clients may omit it)', async () => {
    const headers = { cookie: `souk_access=${alice.accessToken}` };
    expect(await refusal(openSocket(url, { headers }))).toBe(403);
  });

  it('accepts the session cookie from the app’s own origin, and a Bearer token without Origin', async () => {
    const browser = await openSocket(url, {
      headers: { cookie: `souk_access=${alice.accessToken}`, origin },
    });
    sockets.push(browser);
    await browser.subscribe(`user:${alice.userId}`);
    const client = await connect(alice);
    await client.subscribe(`user:${alice.userId}`);
  });
});

describe('/ws after the session ends', () => {
  it('closes the sockets of a session that signed out (4401), and only those', async () => {
    const carol = await testApp.signUp();
    const phone = await connect(carol);
    await phone.subscribe(`user:${carol.userId}`);
    const other = await connect(alice);
    await other.subscribe(`user:${alice.userId}`);
    const out = await testApp.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: carol.headers,
    });
    expect(out.statusCode, out.body).toBeLessThan(300);
    // Within a heartbeat (1 s here): the revoked session's socket goes, the other stays.
    expect(await phone.closed).toEqual({ code: 4401, reason: 'session ended' });
    const published = await testApp.platform.realtime.publish(`user:${alice.userId}`, 'unread.changed', {
      total: 1,
    });
    expect(await other.next((frame) => frame.type === 'event' && frame.id === published.id)).toBeTruthy();
  });
});

describe('/ws subscriptions', () => {
  it('delivers events on the own user channel, and refuses another user’s with 403', async () => {
    const socket = await connect(alice);
    await socket.subscribe(`user:${alice.userId}`);
    socket.send({ type: 'subscribe', channel: `user:${bob.userId}` });
    expect(await socket.next((frame) => frame.type === 'error')).toEqual({
      type: 'error',
      channel: `user:${bob.userId}`,
      code: 'forbidden',
      status: 403,
    });
    const published = await testApp.platform.realtime.publish(`user:${alice.userId}`, 'unread.changed', {
      total: 3,
    });
    const frame = await socket.next((f) => f.type === 'event' && f.id === published.id);
    expect(frame).toEqual({
      type: 'event',
      id: published.id,
      channel: `user:${alice.userId}`,
      event: 'unread.changed',
      data: { total: 3 },
      at: published.at,
    });
    await testApp.platform.realtime.publish(`user:${bob.userId}`, 'unread.changed', { total: 1 });
    await testApp.platform.realtime.signal(`user:${alice.userId}`, 'typing', { who: 'x' });
    await socket.next((f) => f.type === 'event' && f.id === null);
    expect(socket.events(`user:${bob.userId}`)).toEqual([]);
  });

  it('answers a malformed frame and an unknown channel prefix with an error, and stays open', async () => {
    const socket = await connect(bob);
    socket.send('not json');
    await socket.next((frame) => frame.type === 'error' && frame.code === 'invalid_message');
    const from = socket.frames.length;
    socket.send({ type: 'subscribe', channel: 'user' });
    expect(await socket.next((frame) => frame.type === 'error', { from })).toMatchObject({
      code: 'invalid_message',
      status: 400,
    });
    socket.send({ type: 'subscribe', channel: 'auction:123' });
    expect(
      await socket.next((frame) => frame.type === 'error' && frame.channel === 'auction:123'),
    ).toMatchObject({
      code: 'unknown_channel',
      status: 404,
    });
    await socket.subscribe(`user:${bob.userId}`);
  });

  it('closes a socket that floods the server with frames', async () => {
    const socket = await connect(bob);
    for (let n = 0; n <= FRAME_LIMIT.frames; n += 1) socket.send({ type: 'unsubscribe', channel: 'user:x' });
    expect(await socket.closed).toEqual({ code: 1008, reason: 'too many frames' });
  });

  it('knows who is subscribed to a channel, until they unsubscribe or leave', async () => {
    const { realtime } = testApp.platform;
    const channel = `user:${bob.userId}`;
    const first = await connect(bob);
    const second = await connect(bob);
    await first.subscribe(channel);
    await second.subscribe(channel);
    expect(await realtime.isSubscribed(bob.userId, channel)).toBe(true);
    expect(await realtime.isSubscribed(alice.userId, channel)).toBe(false);
    await first.close();
    // The other socket still follows the channel.
    expect(await realtime.isSubscribed(bob.userId, channel)).toBe(true);
    second.send({ type: 'unsubscribe', channel });
    // Earlier tests left bob's sockets open too: close them all.
    await Promise.all(sockets.map((socket) => socket.close()));
    await expect.poll(() => realtime.isSubscribed(bob.userId, channel)).toBe(false);
  });
});

describe('/ws resume', () => {
  it('replays exactly the missed events in order, then goes live, with nothing lost or doubled at the seam', async () => {
    const { realtime } = testApp.platform;
    const channel = `user:${alice.userId}`;
    const before = await connect(alice);
    await before.subscribe(channel);
    const seen = [
      await realtime.publish(channel, 'test.step', { n: 1 }),
      await realtime.publish(channel, 'test.step', { n: 2 }),
    ];
    await before.next((frame) => frame.type === 'event' && frame.id === seen[1]?.id);
    await before.close();

    const missed = [];
    for (let n = 3; n <= 7; n += 1) missed.push(await realtime.publish(channel, 'test.step', { n }));

    const after = await connect(alice);
    // Publishing continues while the resume reads the database: some of these land in the
    // replay, some arrive live while it runs, the rest after it.
    after.send({ type: 'subscribe', channel, lastEventId: seen[1]?.id });
    const during = [];
    for (let n = 8; n <= 20; n += 1) during.push(await realtime.publish(channel, 'test.step', { n }));
    const sentinel = await realtime.publish(channel, 'test.step', { n: 21 });
    await after.next((frame) => frame.type === 'event' && frame.id === sentinel.id);

    const expected = [...missed, ...during, sentinel].map((event) => event.id);
    expect(after.events(channel).map((event) => event.id)).toEqual(expected);
    expect(after.events(channel).map((event) => (event.data as { n: number }).n)).toEqual(
      Array.from({ length: 19 }, (_, i) => i + 3),
    );
    expect(after.frames.findIndex((frame) => frame.type === 'subscribed')).toBe(0);
  });

  it('gives a fresh subscriber the newest event id as its resume point', async () => {
    const { realtime } = testApp.platform;
    const channel = `user:${alice.userId}`;
    const newest = await realtime.publish(channel, 'test.head', {});
    const socket = await connect(alice);
    expect(await socket.subscribe(channel)).toEqual({ type: 'subscribed', channel, lastEventId: newest.id });
    expect(socket.events(channel)).toEqual([]);
    await socket.close();
    const again = await connect(alice);
    const missed = await realtime.publish(channel, 'test.after-head', {});
    await again.subscribe(channel, newest.id);
    await again.next((frame) => frame.type === 'event' && frame.id === missed.id);
  });

  it('says there is a gap when the last event id is older than the retention', async () => {
    const { realtime } = testApp.platform;
    const channel = `user:${bob.userId}`;
    const old = await realtime.publish(channel, 'test.old', {});
    const deleted = await pruneRealtimeEvents(
      { database: testApp.platform.database, repository: createRealtimeRepository(), retentionHours: 1 },
      new Date(Date.now() + 2 * 3_600_000),
    );
    expect(deleted).toBeGreaterThan(0);
    const newest = await realtime.publish(channel, 'test.new', {});
    const socket = await connect(bob);
    // The client reloads over HTTP and resumes from the newest event from then on.
    expect(await socket.subscribe(channel, old.id)).toEqual({
      type: 'subscribed',
      channel,
      gap: true,
      lastEventId: newest.id,
    });
    expect(socket.events(channel)).toEqual([]);
  });
});

describe('/ws heartbeats', () => {
  it('terminates a socket that stops answering pings, and keeps one that answers', async () => {
    const live = await connect(alice);
    const dead = await connect(alice, { autoPong: false });
    await dead.subscribe(`user:${alice.userId}`);
    const { code } = await dead.closed;
    expect(code).toBe(1006);
    expect(live.ws.readyState).toBe(live.ws.OPEN);
    await live.subscribe(`user:${alice.userId}`);
  });
});

describe('/ws metrics', () => {
  it('reports connected sockets and delivered events', async () => {
    const socket = await connect(bob);
    await socket.subscribe(`user:${bob.userId}`);
    const event = await testApp.platform.realtime.publish(`user:${bob.userId}`, 'test.metrics', {});
    await socket.next((frame) => frame.type === 'event' && frame.id === event.id);
    const response = await testApp.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.body).toMatch(/^realtime_connected_sockets [1-9]/m);
    expect(response.body).toMatch(/^realtime_events_delivered_total\{kind="live"\} [1-9]/m);
  });
});

describe('/ws listing channels', () => {
  it('lets anyone signed in follow a published listing, and only its seller a draft', async () => {
    const { app } = testApp;
    await app.modules.catalog.seedDemoData();
    const cars = (await app.inject({ method: 'GET', url: '/api/v1/categories/cars' })).json();
    const lanka = (await app.inject({ method: 'GET', url: '/api/v1/locations?country=LK' })).json().items[0];
    const cities = lanka.children
      .flatMap((province: { children: unknown[] }) => province.children)
      .flatMap((district: { children: unknown[] }) => district.children) as { id: string; name: string }[];
    const draft = await app.inject({
      method: 'POST',
      url: '/api/v1/listings',
      headers: alice.headers,
      payload: {
        categoryId: cars.id,
        title: 'Toyota Corolla 2018, one owner',
        description: 'Well kept, full service history.',
        price: { type: 'fixed', amount: 7_500_000_00, currency: 'LKR' },
        condition: 'used',
        locationId: cities.find((city) => city.name === 'Colombo')?.id,
        attributes: {
          year: 2018,
          mileageKm: 45_000,
          fuel: 'hybrid',
          condition: 'used',
          make: 'toyota',
          model: 'corolla',
          transmission: 'automatic',
        },
      },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const channel = `listing:${draft.json().id}`;
    const visitor = await connect(bob);
    visitor.send({ type: 'subscribe', channel });
    expect(await visitor.next((frame) => frame.type === 'error' && frame.channel === channel)).toMatchObject({
      code: 'forbidden',
      status: 403,
    });
    const seller = await connect(alice);
    await seller.subscribe(channel);
    const published = await app.inject({
      method: 'POST',
      url: `/api/v1/listings/${draft.json().id}/publish`,
      headers: alice.headers,
    });
    expect(published.statusCode, published.body).toBe(200);
    await visitor.subscribe(channel);
  });
});

describe('listing channel authorizer', () => {
  const seller = { userId: '0193e5a0-0000-7000-8000-000000000001', roles: ['member'] as const };
  const visitor = { userId: '0193e5a0-0000-7000-8000-000000000002', roles: ['member'] as const };
  const id = '0193e5a0-0000-7000-8000-0000000000aa';
  const authorizer = (status: string | null) =>
    visibleListingAuthorizer(async () => (status ? { sellerId: seller.userId, status } : null));

  it('lets anyone follow a publicly visible listing, and only its seller a draft', async () => {
    expect(await authorizer('active')(visitor, id)).toBe(true);
    expect(await authorizer('sold')(visitor, id)).toBe(true);
    expect(await authorizer('draft')(visitor, id)).toBe(false);
    expect(await authorizer('removed')(visitor, id)).toBe(false);
    expect(await authorizer('draft')(seller, id)).toBe(true);
    expect(await authorizer(null)(seller, id)).toBe(false);
    expect(await authorizer('active')(visitor, 'not-a-uuid')).toBe(false);
  });
});
