import { createECDH, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Notification, NotificationPreferences } from '@souk/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../platform/logger.js';
import type { DevMailbox } from '../../platform/mail/index.js';
import { openSocket, type TestSocket } from '../../test-support/realtime-client.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { waitFor, waitForIdleJobs } from '../../test-support/wait.js';
import { openSecret, sealSecret } from './notifications.push.js';
import { createLogSmsProvider } from './notifications.sms.js';
import { createUnsubscribeTokens } from './notifications.tokens.js';

let t: TestApp;
let mailbox: DevMailbox;
let alice: TestUser;
let bob: TestUser;
let wsUrl: string;
let webDist: string;
/** The default SMS provider (it logs), kept here to read what it was given. */
const smsProvider = createLogSmsProvider(createLogger('silent'));
const sockets: TestSocket[] = [];

/** A stand-in for a browser vendor's push service (the only fake: a third party's HTTP boundary). */
type PushRequest = { path: string; headers: IncomingMessage['headers']; body: Buffer };
const pushed: PushRequest[] = [];
let pushStatus = 201;
let pushServer: Server;
let pushBase: string;

beforeAll(async () => {
  pushServer = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      pushed.push({ path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(pushStatus).end();
    });
  });
  await new Promise<void>((resolve) => pushServer.listen(0, '127.0.0.1', () => resolve()));
  pushBase = `http://127.0.0.1:${(pushServer.address() as AddressInfo).port}`;

  // A built web app of two files: the API serves the service worker from it.
  webDist = mkdtempSync(join(tmpdir(), 'souk-web-'));
  writeFileSync(join(webDist, 'index.html'), '<!doctype html><title>Souk</title>');
  writeFileSync(
    join(webDist, 'sw.js'),
    readFileSync(new URL('../../../../web/public/sw.js', import.meta.url)),
  );
  t = await createTestApp({
    work: true,
    webDistDir: webDist,
    notifications: { deliveryRetryDelaySeconds: 1, sms: smsProvider },
  });
  if (t.platform.mailer.kind !== 'dev-mailbox') throw new Error('these tests read the dev mailbox');
  mailbox = t.platform.mailer;
  const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
  wsUrl = `${address.replace('http', 'ws')}/ws`;
  alice = await t.signUp({ displayName: 'Alice' });
  bob = await t.signUp({ displayName: 'Bob' });
});
afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.close()));
  await t?.close();
  await new Promise<void>((resolve) => pushServer?.close(() => resolve()));
  rmSync(webDist, { recursive: true, force: true });
});

async function verify(user: TestUser) {
  await t.platform.database.db.execute(
    sql`update users set email_verified_at = now() where id = ${user.userId}`,
  );
}

async function notify(
  user: TestUser,
  input: Partial<Parameters<TestApp['app']['modules']['notifications']['service']['notify']>[1]> = {},
) {
  return t.platform.database.transaction((tx) =>
    t.app.modules.notifications.service.notify(tx, {
      userId: user.userId,
      type: 'listing_expiring',
      title: 'Your listing expires tomorrow',
      body: 'Renew it to keep it online.',
      url: '/account/listings',
      dedupeKey: `test:${randomBytes(6).toString('hex')}`,
      ...input,
    }),
  );
}

const unread = async (user: TestUser) =>
  (await t.call('GET', '/notifications/unread-count', user)).json().count as number;
const list = async (user: TestUser, query = '') =>
  (await t.call('GET', `/notifications${query}`, user)).json() as {
    items: Notification[];
    nextCursor: string | null;
  };
const subjects = async () => (await mailbox.list({ limit: 100 })).items;

describe('welcome after sign-up (auth.user_registered)', () => {
  it('puts a welcome in the bell and sends the welcome mail', async () => {
    const carol = await t.signUp({ displayName: 'Carol' });
    const welcome = await waitFor(async () =>
      (await list(carol)).items.find((item) => item.type === 'welcome'),
    );
    expect(welcome).toMatchObject({ title: 'Welcome to Souk', url: '/account', readAt: null });
    const mail = await waitFor(async () =>
      (await subjects()).find((m) => m.to === carol.email && m.subject === 'Welcome to Souk'),
    );
    const full = await mailbox.get(mail.id);
    expect(full?.text).toMatch(/\/unsubscribe\?token=/);
    expect(full?.html).toContain('Stop these mails');
    expect(await unread(carol)).toBe(1);
  });
});

describe('the bell: list, read, unread count', () => {
  it('pages by cursor, newest first, and counts only unread', async () => {
    await waitFor(async () => (await unread(alice)) === 1); // the welcome
    for (const n of [1, 2, 3]) await notify(alice, { title: `Expiring ${n}` });
    await waitFor(async () => (await unread(alice)) === 4);
    const first = await list(alice, '?limit=2');
    expect(first.items.map((item) => item.title)).toEqual(['Expiring 3', 'Expiring 2']);
    const second = await list(alice, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.items.map((item) => item.title)).toEqual(['Expiring 1', 'Welcome to Souk']);
    expect(second.nextCursor).toBeNull();
    expect((await t.call('GET', '/notifications?cursor=bm9wZQ', alice)).json().code).toBe('invalid_cursor');
    expect((await t.call('GET', '/notifications?limit=1000', alice)).statusCode).toBe(400);
  });

  it('marks one read, then all; someone else’s notification is a 404 and stays unread', async () => {
    const [newest] = (await list(alice)).items;
    if (!newest) throw new Error('no notification');
    const foreign = await t.call('POST', `/notifications/${newest.id}/read`, bob);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe('notification_not_found');
    expect((await list(bob)).items.some((item) => item.id === newest.id)).toBe(false);
    expect((await list(alice)).items[0]?.readAt).toBeNull();

    const read = await t.call('POST', `/notifications/${newest.id}/read`, alice);
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).not.toBeNull();
    expect(await unread(alice)).toBe(3);
    expect((await list(alice, '?unread=true')).items).toHaveLength(3);
    expect((await t.call('POST', '/notifications/read-all', alice)).json()).toEqual({ marked: 3 });
    expect(await unread(alice)).toBe(0);
    expect((await t.call('POST', '/notifications/not-a-uuid/read', alice)).statusCode).toBe(400);
  });

  it('needs a signed-in user', async () => {
    for (const [method, url] of [
      ['GET', '/notifications'],
      ['GET', '/notifications/unread-count'],
      ['POST', '/notifications/read-all'],
      ['GET', '/notifications/preferences'],
    ] as const) {
      expect((await t.call(method, url, null)).statusCode).toBe(401);
    }
  });

  it('is idempotent per dedupe key', async () => {
    const key = 'same-thing-twice';
    expect(await notify(bob, { dedupeKey: key, title: 'Once' })).not.toBeNull();
    expect(await notify(bob, { dedupeKey: key, title: 'Once' })).toBeNull();
    expect((await list(bob)).items.filter((item) => item.title === 'Once')).toHaveLength(1);
  });

  it('pushes a new notification live on user:<id> as notification.created', async () => {
    const socket = await openSocket(wsUrl, { headers: bob.headers });
    sockets.push(socket);
    await socket.subscribe(`user:${bob.userId}`);
    const created = await notify(bob, { title: 'Live one' });
    const frame = await socket.next(
      (f) =>
        f.type === 'event' &&
        f.event === 'notification.created' &&
        (f.data as { notification: Notification }).notification.id === created?.id,
    );
    expect(frame).toMatchObject({ data: { notification: { id: created?.id, title: 'Live one' } } });
  });

  it('tells the user’s other devices when notifications are read (notification.read with the count)', async () => {
    const socket = await openSocket(wsUrl, { headers: bob.headers });
    sockets.push(socket);
    await socket.subscribe(`user:${bob.userId}`);
    const from = socket.frames.length;
    expect((await t.call('POST', '/notifications/read-all', bob)).statusCode).toBe(200);
    const frame = await socket.next((f) => f.type === 'event' && f.event === 'notification.read', { from });
    expect(frame).toMatchObject({ data: { unread: 0 } });
  });
});

describe('preferences', () => {
  it('start from the documented defaults: SMS off, chatty e-mail on (digest)', async () => {
    const response = await t.call('GET', '/notifications/preferences', alice);
    expect(response.statusCode).toBe(200);
    const body = response.json() as NotificationPreferences;
    expect(body.digest).toBe('daily');
    expect(body.matrix.message_received).toEqual({ in_app: true, email: true, push: true, sms: false });
    expect(body.matrix.price_drop?.sms).toBe(false);
    expect(body.kinds.find((kind) => kind.type === 'price_drop')?.chatty).toBe(true);
  });

  it('merge what is sent per type and channel', async () => {
    const response = await t.call('PUT', '/notifications/preferences', alice, {
      matrix: { message_received: { sms: true, email: false } },
      digest: 'weekly',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().matrix.message_received).toEqual({
      in_app: true,
      email: false,
      push: true,
      sms: true,
    });
    expect(response.json().digest).toBe('weekly');
    // Bob's stay his own.
    expect((await t.call('GET', '/notifications/preferences', bob)).json().matrix.message_received.sms).toBe(
      false,
    );
  });

  it.each([
    ['an unknown type', { matrix: { gossip: { email: true } } }],
    ['an unknown channel', { matrix: { price_drop: { pigeon: true } } }],
    ['a channel the type does not use', { matrix: { welcome: { sms: true } } }],
    ['a switch that is not a boolean', { matrix: { price_drop: { email: 'yes' } } }],
    ['an unknown digest rhythm', { digest: 'hourly' }],
    ['an unknown field', { matrix: {}, mute: true }],
    ['not an object', [1, 2]],
  ])('refuse %s with 400 and change nothing', async (_name, payload) => {
    const before = (await t.call('GET', '/notifications/preferences', alice)).json();
    const response = await t.call('PUT', '/notifications/preferences', alice, payload);
    expect(response.statusCode).toBe(400);
    expect(['validation_failed', 'invalid_preferences']).toContain(response.json().code);
    expect((await t.call('GET', '/notifications/preferences', alice)).json()).toEqual(before);
  });

  it('are obeyed: a channel turned off gets no delivery, in-app off keeps it out of the bell', async () => {
    await t.call('PUT', '/notifications/preferences', bob, {
      matrix: { listing_expired: { in_app: false } },
    });
    const created = await notify(bob, { type: 'listing_expired', title: 'Hidden from the bell' });
    expect(created).not.toBeNull();
    expect((await list(bob)).items.some((item) => item.id === created?.id)).toBe(false);
  });
});

describe('e-mail: unsubscribe and digest', () => {
  it('sends chatty types as one digest, and every mail unsubscribes in one click', async () => {
    const dave = await t.signUp({ displayName: 'Dave' });
    await verify(dave);
    await notify(dave, { type: 'price_drop', title: 'Bike now 20% cheaper', url: '/listings/1' });
    await notify(dave, {
      type: 'saved_search_alert',
      title: '3 new flats in Colombo',
      url: '/search?q=flat',
    });
    // Nothing mailed yet, once every delivery job has run: chatty types wait for the digest.
    await waitForIdleJobs(t.platform.database);
    const mailed = (await subjects()).filter((m) => m.to === dave.email).map((m) => m.subject);
    expect(mailed.filter((subject) => /cheaper|flats|digest/i.test(subject))).toEqual([]);

    expect(await t.app.modules.notifications.service.sendDigests()).toBe(1);
    expect(await t.app.modules.notifications.service.sendDigests()).toBe(0);
    const digest = await waitFor(async () =>
      (await subjects()).find((m) => m.to === dave.email && m.subject.startsWith('Your Souk digest')),
    );
    expect(digest.subject).toBe('Your Souk digest: 2 updates');
    const full = await mailbox.get(digest.id);
    expect(full?.text).toContain('Bike now 20% cheaper');
    expect(full?.text).toContain('3 new flats in Colombo');
    const token = decodeURIComponent(/\/unsubscribe\?token=([^\s"&]+)/.exec(full?.text ?? '')?.[1] ?? '');

    // The web page posts JSON; no sign-in needed.
    const done = await t.call('POST', '/notifications/unsubscribe', null, { token });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ type: 'digest', channel: 'email' });
    expect((await t.call('GET', '/notifications/preferences', dave)).json().matrix.digest).toEqual({
      email: false,
    });
  });

  it('mails a chatty type at once when the caller asks (emailNow), unless e-mail is turned off', async () => {
    const erin = await t.signUp({ displayName: 'Erin' });
    await verify(erin);
    await notify(erin, {
      type: 'saved_search_alert',
      title: 'New for "Flats": Sea-view flat',
      url: '/listings/2',
      emailNow: true,
    });
    const mail = await waitFor(async () =>
      (await subjects()).find(
        (m) => m.to === erin.email && m.subject === 'New matches for your saved search',
      ),
    );
    const full = await mailbox.get(mail.id);
    expect(full?.text).toContain('Sea-view flat');
    expect(full?.text).toMatch(/\/unsubscribe\?token=[^\s"&]+/);
    // Not also waiting for the digest.
    await t.app.modules.notifications.service.sendDigests();

    // The user's switch still wins: with alert e-mails off, emailNow sends nothing.
    await t.call('PUT', '/notifications/preferences', erin, {
      matrix: { saved_search_alert: { email: false } },
    });
    await notify(erin, { type: 'saved_search_alert', title: 'Second flat', emailNow: true });
    await waitForIdleJobs(t.platform.database);
    const erinsMail = (await subjects()).filter((m) => m.to === erin.email).map((m) => m.subject);
    expect(erinsMail.filter((subject) => /saved search|digest/i.test(subject))).toEqual([
      'New matches for your saved search',
    ]);
  });

  it('takes the RFC 8058 one-click POST a mail client sends (form body, token in the query)', async () => {
    const key = t.app.modules.auth.deriveSecret('notifications.unsubscribe');
    const token = createUnsubscribeTokens(key).issue({
      userId: bob.userId,
      type: 'message_received',
      channel: 'email',
    });
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/notifications/unsubscribe?token=${encodeURIComponent(token)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(response.statusCode).toBe(200);
    expect(
      (await t.call('GET', '/notifications/preferences', bob)).json().matrix.message_received.email,
    ).toBe(false);
  });

  it('refuses a forged, tampered or expired token with 400 and changes nothing', async () => {
    const key = t.app.modules.auth.deriveSecret('notifications.unsubscribe');
    const claim = { userId: alice.userId, type: 'listing_expiring', channel: 'email' } as const;
    const valid = createUnsubscribeTokens(key).issue(claim);
    const [payload] = valid.split('.');
    const forged = createUnsubscribeTokens(randomBytes(32)).issue(claim);
    const expired = createUnsubscribeTokens(key, () => Date.now() - 200 * 86_400_000).issue(claim);
    const otherUser = Buffer.from(
      JSON.stringify({ u: bob.userId, t: 'listing_expiring', c: 'email', e: 9_999_999_999 }),
    ).toString('base64url');
    const before = (await t.call('GET', '/notifications/preferences', alice)).json();
    for (const token of [
      forged,
      expired,
      `${otherUser}.${valid.split('.')[1]}`,
      `${payload}.`,
      'not-a-token-at-all',
    ]) {
      const response = await t.call('POST', '/notifications/unsubscribe', null, { token });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('invalid_unsubscribe_token');
    }
    expect((await t.call('POST', '/notifications/unsubscribe', null, {})).statusCode).toBe(400);
    expect((await t.call('GET', '/notifications/preferences', alice)).json()).toEqual(before);
  });
});

describe('SMS', () => {
  it('goes through the provider when the member turned it on and has a phone number', async () => {
    const fay = await t.signUp({ displayName: 'Fay' });
    await notify(fay, { title: 'No SMS by default' });
    expect((await t.call('PATCH', `/users/${fay.userId}`, fay, { phone: '+94771234567' })).statusCode).toBe(
      200,
    );
    await t.call('PUT', '/notifications/preferences', fay, {
      matrix: { listing_expiring: { sms: true } },
    });
    const created = await notify(fay, { title: 'Expires tomorrow', url: '/account/listings' });
    const sms = await waitFor(async () => smsProvider.sent.find((message) => message.to === '+94771234567'));
    expect(sms.text).toBe(
      'Expires tomorrow: Renew it to keep it online. http://localhost:3000/account/listings',
    );
    expect(smsProvider.sent.filter((message) => message.text.includes('No SMS by default'))).toEqual([]);
    expect(created).not.toBeNull();
  });
});

describe('web push', () => {
  const keys = () => {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
  };

  it('publishes one VAPID public key, the same on every call', async () => {
    const first = await t.call('GET', '/notifications/push/public-key', null);
    expect(first.statusCode).toBe(200);
    expect(Buffer.from(first.json().publicKey, 'base64url')).toHaveLength(65);
    expect((await t.call('GET', '/notifications/push/public-key', null)).json()).toEqual(first.json());
  });

  it('keeps the VAPID private key sealed with the auth secret, not in the clear', async () => {
    const { rows } = await t.platform.database.executor.executeSql(
      `select value from platform_meta where key = 'notifications.vapid'`,
    );
    const stored = rows[0]?.value as { publicKey: string; privateKey: string };
    expect(stored.privateKey).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    const key = t.app.modules.auth.deriveSecret('notifications.vapid');
    const opened = openSecret(key, stored.privateKey);
    expect(opened && Buffer.from(opened, 'base64url')).toHaveLength(32);
    expect(openSecret(randomBytes(32), stored.privateKey)).toBeNull();
    expect(openSecret(key, sealSecret(key, 'round trip'))).toBe('round trip');
  });

  it.each([
    [
      'an endpoint that is no push service',
      { endpoint: 'https://intranet.example/hook', keys: keys() },
      'push_endpoint_not_allowed',
    ],
    [
      'a non-https endpoint',
      { endpoint: 'http://fcm.googleapis.com/fcm/send/x', keys: keys() },
      'push_endpoint_not_allowed',
    ],
    [
      'a key that is not a P-256 point',
      { endpoint: 'https://fcm.googleapis.com/fcm/send/x', keys: { p256dh: 'abc', auth: keys().auth } },
      'validation_failed',
    ],
    [
      'a missing auth secret',
      { endpoint: 'https://fcm.googleapis.com/fcm/send/x', keys: { p256dh: keys().p256dh } },
      'validation_failed',
    ],
    ['no endpoint', { keys: keys() }, 'validation_failed'],
  ])('refuses %s with 400', async (_name, payload, code) => {
    const response = await t.call('POST', '/notifications/push/subscriptions', alice, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe(code);
  });

  it('needs a signed-in user to subscribe', async () => {
    const body = { endpoint: 'https://fcm.googleapis.com/fcm/send/x', keys: keys() };
    expect((await t.call('POST', '/notifications/push/subscriptions', null, body)).statusCode).toBe(401);
  });

  it('sends an encrypted, VAPID-signed push to each device, and forgets a device the service calls gone', async () => {
    const erin = await t.signUp({ displayName: 'Erin' });
    for (const device of ['phone', 'laptop']) {
      const response = await t.call('POST', '/notifications/push/subscriptions', erin, {
        endpoint: `${pushBase}/push/${device}`,
        expirationTime: null,
        keys: keys(),
      });
      expect(response.statusCode).toBe(201);
    }
    await notify(erin, { type: 'price_drop', title: 'Cheaper now' });
    await waitFor(async () => pushed.filter((p) => p.path.startsWith('/push/')).length >= 2);
    const [request] = pushed;
    expect(request?.headers.authorization).toMatch(/^vapid t=[\w-]+\.[\w-]+\.[\w-]+, k=[\w-]+$/);
    expect(request?.headers['content-encoding']).toBe('aes128gcm');
    expect(request?.body.includes(Buffer.from('Cheaper now'))).toBe(false); // encrypted

    pushStatus = 410;
    pushed.length = 0;
    await notify(erin, { type: 'price_drop', title: 'Even cheaper' });
    await waitFor(async () => pushed.length >= 2);
    pushStatus = 201;
    const unsubscribe = await t.call('POST', '/notifications/push/unsubscribe', erin, {
      endpoint: `${pushBase}/push/phone`,
    });
    expect(unsubscribe.statusCode).toBe(404); // already deleted after the 410
  });

  it('unsubscribes a device; another user cannot remove it', async () => {
    const endpoint = `${pushBase}/push/alice-tablet`;
    await t.call('POST', '/notifications/push/subscriptions', alice, { endpoint, keys: keys() });
    expect((await t.call('POST', '/notifications/push/unsubscribe', bob, { endpoint })).statusCode).toBe(404);
    expect((await t.call('POST', '/notifications/push/unsubscribe', alice, { endpoint })).statusCode).toBe(
      204,
    );
    expect((await t.call('POST', '/notifications/push/unsubscribe', alice, { endpoint })).statusCode).toBe(
      404,
    );
  });
});

describe('the service worker', () => {
  it('is served at /sw.js as JavaScript, revalidated, allowed to control the whole app', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/sw.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['service-worker-allowed']).toBe('/');
    expect(response.body).toContain("addEventListener('push'");
    expect(response.body).toContain("addEventListener('notificationclick'");
  });
});
