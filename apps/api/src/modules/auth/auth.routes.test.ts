import { sql } from 'drizzle-orm';
import { generateKeyPair, SignJWT } from 'jose';
import * as OTPAuth from 'otpauth';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DevMailbox } from '../../platform/mail/index.js';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { waitFor } from '../../test-support/wait.js';

let t: TestApp;
let mailbox: DevMailbox;
let address = 0;
/** Each test speaks from its own client address, so per-address rate limits stay out of the way. */
const nextIp = () => `10.1.${Math.floor(++address / 250)}.${(address % 250) + 1}`;

beforeAll(async () => {
  t = await createTestApp({ work: true, env: { ADMIN_EMAIL: 'boss@example.test', TRUST_PROXY: 'loopback' } });
  mailbox = t.platform.mailer as DevMailbox;
});
afterAll(() => t.close());
afterEach(() => {
  vi.useRealTimers();
});

type Json = Record<string, unknown>;
/**
 * The client address a call comes from (a fresh one unless named), as the proxy in front of Souk
 * would send it: this app trusts X-Forwarded-For from loopback, where `inject` calls come from.
 */
const from = (ip = nextIp()) => ({ 'x-forwarded-for': ip });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

let emailCounter = 0;
const freshEmail = () => `person${++emailCounter}@example.test`;
const PASSWORD = 'a long and unusual passphrase';

async function register(email = freshEmail(), password = PASSWORD) {
  const response = await t.call(
    'POST',
    '/auth/register',
    null,
    { email, password, displayName: 'Amaya Perera' },
    from(),
  );
  expect(response.statusCode, response.body).toBe(201);
  return { email, ...(response.json() as { accessToken: string; refreshToken: string; user: Json }) };
}

/** Moves every refresh token's rotation `seconds` into the past (past the grace window). */
async function ageRotations(seconds: number) {
  await t.platform.database.db.execute(
    sql`update refresh_tokens set used_at = used_at - make_interval(secs => ${seconds}) where used_at is not null`,
  );
}

/** Waits for the mail job to deliver to the dev mailbox and returns the link's token. */
function tokenFromMail(to: string, path: string): Promise<string> {
  return waitFor(async () => {
    const { items } = await mailbox.list({ limit: 50 });
    for (const item of items.filter((mail) => mail.to === to)) {
      const mail = await mailbox.get(item.id);
      const match = mail?.text.match(new RegExp(`${path}\\?token=([\\w%-]+)`));
      if (match?.[1]) return decodeURIComponent(match[1]);
    }
    return null;
  }, 20_000);
}

describe('register', () => {
  it('creates a member, signs in, and mails a verification link', async () => {
    const { email, accessToken, refreshToken, user } = await register();
    expect(user).toMatchObject({
      email,
      role: 'member',
      emailVerified: false,
      displayName: 'Amaya Perera',
      hasPassword: true,
    });
    expect(accessToken.split('.')).toHaveLength(3);
    expect(refreshToken).toMatch(/^[\w-]{43}$/);

    const token = await tokenFromMail(email, '/verify-email');
    expect((await t.call('POST', '/auth/verify-email', null, { token }, from())).statusCode).toBe(204);
    const session = await t.call('GET', '/auth/session', null, undefined, {
      ...bearer(accessToken),
      ...from(),
    });
    expect(session.json().user.emailVerified).toBe(true);
    // The link works once.
    const again = await t.call('POST', '/auth/verify-email', null, { token }, from());
    expect(again.statusCode).toBe(400);
    expect(again.json().code).toBe('invalid_token');
  });

  it('mails a new verification link on request; only the newest link works', async () => {
    const { email, accessToken } = await register();
    const first = await tokenFromMail(email, '/verify-email');
    const resend = await t.call('POST', '/auth/verify-email/resend', null, undefined, {
      ...bearer(accessToken),
      ...from(),
    });
    expect(resend.statusCode).toBe(202);
    const second = await waitFor(async () => {
      const newest = await tokenFromMail(email, '/verify-email');
      return newest !== first && newest;
    }, 20_000);
    expect((await t.call('POST', '/auth/verify-email', null, { token: first }, from())).statusCode).toBe(400);
    expect((await t.call('POST', '/auth/verify-email', null, { token: second }, from())).statusCode).toBe(
      204,
    );
    expect((await t.call('POST', '/auth/verify-email/resend', null, undefined, from())).statusCode).toBe(401);
  });

  it('ignores a client-sent role or verified flag', async () => {
    const email = freshEmail();
    const response = await t.call(
      'POST',
      '/auth/register',
      null,
      { email, password: PASSWORD, displayName: 'Mallory', role: 'admin', emailVerified: true },
      from(),
    );
    expect(response.statusCode).toBe(201);
    expect(response.json().user).toMatchObject({ role: 'member', emailVerified: false });
  });

  it('refuses a taken e-mail (any case), a common password, and malformed input, creating nothing', async () => {
    const { email } = await register();
    const taken = await t.call(
      'POST',
      '/auth/register',
      null,
      { email: email.toUpperCase(), password: PASSWORD, displayName: 'X' },
      from(),
    );
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('email_taken');

    const common = await t.call(
      'POST',
      '/auth/register',
      null,
      { email: freshEmail(), password: 'qwertyuiop', displayName: 'X' },
      from(),
    );
    expect(common.statusCode).toBe(400);
    expect(common.json()).toMatchObject({ code: 'password_too_common', errors: [{ path: 'body.password' }] });

    const bad: object[] = [
      { email: 'not-an-email', password: PASSWORD, displayName: 'X' },
      { email: freshEmail(), password: 'short', displayName: 'X' },
      { email: freshEmail(), password: 'x'.repeat(129), displayName: 'X' },
      { email: freshEmail(), password: PASSWORD },
      { email: freshEmail(), password: 12345678901, displayName: 'X' },
      { email: `${'a'.repeat(250)}@example.test`, password: PASSWORD, displayName: 'X' },
    ];
    for (const body of bad) {
      const response = await t.call('POST', '/auth/register', null, body, from());
      expect(response.statusCode, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(response.json().code).toBe('validation_failed');
      expect(response.json().errors.length).toBeGreaterThan(0);
    }
    const login = await t.call(
      'POST',
      '/auth/login',
      null,
      { email: 'not-an-email', password: PASSWORD },
      from(),
    );
    expect(login.statusCode).toBe(400);
  });

  it('makes ADMIN_EMAIL an admin once it verifies its address', async () => {
    const { accessToken } = await register('boss@example.test');
    const token = await tokenFromMail('boss@example.test', '/verify-email');
    await t.call('POST', '/auth/verify-email', null, { token }, from());
    const login = await t.call(
      'POST',
      '/auth/login',
      null,
      { email: 'boss@example.test', password: PASSWORD },
      from(),
    );
    expect(login.json().user.role).toBe('admin');
    // The token from before verification still says member: roles are read per session.
    const session = await t.call('GET', '/auth/session', null, undefined, {
      ...bearer(accessToken),
      ...from(),
    });
    expect(session.json().user.role).toBe('admin');
  });
});

describe('login and tokens', () => {
  it('answers a wrong password and an unknown e-mail the same way', async () => {
    const { email } = await register();
    const wrong = await t.call(
      'POST',
      '/auth/login',
      null,
      { email, password: 'not the password at all' },
      from(),
    );
    const unknown = await t.call(
      'POST',
      '/auth/login',
      null,
      { email: freshEmail(), password: PASSWORD },
      from(),
    );
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().code).toBe('invalid_credentials');
    expect({ ...wrong.json(), requestId: null }).toEqual({ ...unknown.json(), requestId: null });
  });

  it('rotates refresh tokens; a reuse after the grace window revokes its whole family', async () => {
    const { email } = await register();
    const login = (await t.call('POST', '/auth/login', null, { email, password: PASSWORD }, from())).json();
    const first = await t.call('POST', '/auth/refresh', null, { refreshToken: login.refreshToken }, from());
    expect(first.statusCode).toBe(200);
    const rotated = first.json();
    expect(rotated.refreshToken).not.toBe(login.refreshToken);

    // Within the grace window (another tab with the same cookie) the same successor comes back.
    const again = await t.call('POST', '/auth/refresh', null, { refreshToken: login.refreshToken }, from());
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().refreshToken).toBe(rotated.refreshToken);
    expect(
      (
        await t.call('GET', '/auth/session', null, undefined, {
          ...bearer(again.json().accessToken),
          ...from(),
        })
      ).statusCode,
    ).toBe(200);

    // Past the window, a reuse means a leak.
    await ageRotations(31);
    const replay = await t.call('POST', '/auth/refresh', null, { refreshToken: login.refreshToken }, from());
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('refresh_token_reused');
    // The family is gone: the thief's and the owner's newer tokens are dead too.
    const newer = await t.call('POST', '/auth/refresh', null, { refreshToken: rotated.refreshToken }, from());
    expect(newer.statusCode).toBe(401);
    const access = await t.call('GET', '/auth/session', null, undefined, {
      ...bearer(rotated.accessToken),
      ...from(),
    });
    expect(access.statusCode).toBe(401);
    expect(access.json().code).toBe('invalid_access_token');
  });

  it('gives concurrent refreshes of one token (tabs at once) the same successor, and keeps the session', async () => {
    const { refreshToken } = await register();
    // On PostgreSQL these run on separate pooled connections: the token's row lock orders them.
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.call('POST', '/auth/refresh', null, { refreshToken }, from())),
    );
    expect(results.map((response) => response.statusCode)).toEqual([200, 200, 200, 200, 200]);
    const successors = new Set(results.map((response) => response.json().refreshToken as string));
    expect(successors.size).toBe(1);
    const [successor] = [...successors] as [string];
    const next = await t.call('POST', '/auth/refresh', null, { refreshToken: successor }, from());
    expect(next.statusCode).toBe(200);
    for (const response of results) {
      const session = await t.call('GET', '/auth/session', null, undefined, {
        ...bearer(response.json().accessToken),
        ...from(),
      });
      expect(session.statusCode).toBe(200);
    }
  });

  it('refuses forged, confused, expired and misused tokens', async () => {
    const { accessToken, refreshToken } = await register();
    const [header, payload] = accessToken.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());

    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${payload}.`;
    // HS256 "signed" with the public key: the classic RS/HS confusion.
    const jwks = (await t.call('GET', '/auth/jwks.json', null, undefined, from())).json();
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: jwks.keys[0].kid })
      .sign(new TextEncoder().encode(JSON.stringify(jwks.keys[0])));
    // A well-formed ES256 token from a key that is not ours.
    const stranger = await generateKeyPair('ES256');
    const foreign = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: jwks.keys[0].kid })
      .sign(stranger.privateKey);
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${accessToken.split('.')[2]}`;

    for (const token of [none, hs, foreign, tampered, refreshToken, 'garbage', `${accessToken}x`]) {
      const response = await t.call('GET', '/auth/session', null, undefined, { ...bearer(token), ...from() });
      expect(response.statusCode, token.slice(0, 30)).toBe(401);
      expect(response.json().code).toBe('invalid_access_token');
    }
    const notBearer = await t.call('GET', '/auth/session', null, undefined, {
      ...{ authorization: `Basic ${accessToken}` },
      ...from(),
    });
    expect(notBearer.statusCode).toBe(401);
  });

  it('refuses an access token for another audience and an MFA token used as access token', async () => {
    const tokens = t.app.modules.auth.tokens;
    const { user } = await register();
    const mfaToken = await tokens.signMfaToken({ userId: String(user.id), method: 'password' });
    const response = await t.call('GET', '/auth/session', null, undefined, {
      ...bearer(mfaToken),
      ...from(),
    });
    expect(response.statusCode).toBe(401);
    await expect(tokens.verifyMfaToken(mfaToken)).resolves.toMatchObject({ userId: user.id });
    await expect(tokens.verifyAccessToken(mfaToken)).rejects.toThrow();
  });

  it('refuses an expired access token', async () => {
    const { accessToken } = await register();
    expect(
      (await t.call('GET', '/auth/session', null, undefined, { ...bearer(accessToken), ...from() }))
        .statusCode,
    ).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 16 * 60_000);
    const response = await t.call('GET', '/auth/session', null, undefined, {
      ...bearer(accessToken),
      ...from(),
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('invalid_access_token');
  });

  it('limits fast logins from one address: the 11th gets 429', async () => {
    const { email } = await register();
    const ip = '203.0.113.9';
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++) {
      const response = await t.call(
        'POST',
        '/auth/login',
        null,
        { email: freshEmail(), password: `wrong-${attempt}-${email}` },
        from(ip),
      );
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
    const limited = await t.call('POST', '/auth/login', null, { email, password: PASSWORD }, from(ip));
    expect(limited.json().code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBeDefined();
    // Another address is not affected.
    expect(
      (await t.call('POST', '/auth/login', null, { email, password: PASSWORD }, from())).statusCode,
    ).toBe(200);
  });
});

describe('failed sign-in limits', () => {
  const login = (email: string, password: string, ip: string, cookie?: string) =>
    t.call('POST', '/auth/login', null, { email, password }, { ...(cookie ? { cookie } : {}), ...from(ip) });
  const deviceCookie = (response: { headers: Record<string, unknown> }) => {
    const lines = [response.headers['set-cookie']].flat().filter((line): line is string => Boolean(line));
    return lines.find((line) => line.startsWith('souk_device='))?.split(';')[0];
  };

  it('limits one account from one address, without locking the owner out elsewhere', async () => {
    const { email } = await register();
    const ip = '198.51.100.20';
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      statuses.push((await login(email, `wrong guess ${attempt}`, ip)).statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const blocked = await login(email, PASSWORD, ip);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ code: 'too_many_attempts' });
    expect(blocked.json().detail).toMatch(/reset your password/);
    // The owner, from anywhere else, signs in.
    expect((await login(email, PASSWORD, '192.0.2.77')).statusCode).toBe(200);
  });

  // Each of these tests makes about 100 sign-in attempts, each an argon2id hash (19 MiB, by design
  // slow): 3 s on an idle machine, 30 s at load average 27. Their budget is the hashing, not luck.
  const HASHING_TEST_TIMEOUT_MS = 180_000;

  it(
    'stops guessing spread over many addresses; a known browser and a mailed unlock still get in',
    async () => {
      const { email } = await register();
      const home = await login(email, PASSWORD, '192.0.2.10');
      expect(home.statusCode).toBe(200);
      const homeDevice = deviceCookie(home);
      expect(homeDevice).toMatch(/^souk_device=[\w-]+\.[\w-]+$/);

      // Each guess from its own network: no per-address limit applies, the account's ceiling does.
      for (let attempt = 0; attempt < 100; attempt++) {
        const guess = await login(email, `guess number ${attempt}`, `100.64.${attempt}.1`);
        expect(guess.statusCode).toBe(401);
      }
      const stranger = await login(email, PASSWORD, '100.65.0.1');
      expect(stranger.statusCode).toBe(429);
      expect(stranger.json().code).toBe('account_locked');
      expect(stranger.json().detail).toMatch(/unlock link/);
      // A forged or foreign device cookie does not help.
      expect((await login(email, PASSWORD, '100.65.0.2', 'souk_device=W10.forged')).json().code).toBe(
        'account_locked',
      );
      // The browser that signed in before still can, with the right password only.
      expect((await login(email, PASSWORD, '100.65.0.3', homeDevice)).statusCode).toBe(200);
      expect((await login(email, 'still guessing', '100.65.0.4', homeDevice)).statusCode).toBe(401);

      // A new browser asks for an unlock link: one mail however often it asks.
      const mailsBefore = (await mailbox.list({ limit: 200 })).items.filter(
        (mail) => mail.to === email,
      ).length;
      for (const ip of ['100.66.0.1', '100.66.0.2']) {
        const asked = await t.call('POST', '/auth/unlock/request', null, { email }, from(ip));
        expect(asked.statusCode).toBe(202);
      }
      const unknown = await t.call('POST', '/auth/unlock/request', null, { email: freshEmail() }, from());
      expect(unknown.json()).toEqual({ status: 'accepted' });
      const token = await tokenFromMail(email, '/unlock-account');
      const mails = (await mailbox.list({ limit: 200 })).items.filter((mail) => mail.to === email);
      expect(mails.length).toBe(mailsBefore + 1);

      const unlocked = await t.call('POST', '/auth/unlock', null, { token }, from('100.66.0.1'));
      expect(unlocked.statusCode, unlocked.body).toBe(204);
      const newDevice = deviceCookie(unlocked);
      expect(newDevice).toBeDefined();
      expect((await login(email, PASSWORD, '100.66.0.1', newDevice)).statusCode).toBe(200);
      const reused = await t.call('POST', '/auth/unlock', null, { token }, from());
      expect(reused.statusCode).toBe(400);
      expect(reused.json().code).toBe('invalid_token');
    },
    HASHING_TEST_TIMEOUT_MS,
  );

  it(
    'meets credential stuffing from one network with a limit',
    async () => {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 101; attempt++) {
        statuses.push(
          (await login(freshEmail(), `stuffed ${attempt}`, `203.0.114.${(attempt % 250) + 1}`)).statusCode,
        );
      }
      expect(statuses.slice(0, 100).every((status) => status === 401)).toBe(true);
      expect(statuses[100]).toBe(429);
      // Another network goes on.
      const { email } = await register();
      expect((await login(email, PASSWORD, '203.0.115.1')).statusCode).toBe(200);
    },
    HASHING_TEST_TIMEOUT_MS,
  );
});

describe('session cache', () => {
  const sessionIdOf = (accessToken: string) =>
    JSON.parse(Buffer.from(accessToken.split('.')[1] as string, 'base64url').toString()).sid as string;

  it('refuses a token whose subject does not own the session, on a cache hit and on a miss', async () => {
    const owner = await register();
    const other = await register();
    const tokens = t.app.modules.auth.tokens;
    const ownerSession = sessionIdOf(owner.accessToken);

    // Hit: the owner's request puts the session's state in the cache first.
    expect(
      (await t.call('GET', '/auth/session', null, undefined, { ...bearer(owner.accessToken), ...from() }))
        .statusCode,
    ).toBe(200);
    const onHit = await tokens.signAccessToken({
      userId: (other.user as { id: string }).id,
      role: 'member',
      sessionId: ownerSession,
    });
    const hit = await t.call('GET', '/auth/session', null, undefined, { ...bearer(onHit), ...from() });
    expect(hit.statusCode).toBe(401);
    expect(hit.json().code).toBe('invalid_access_token');

    // Miss: the foreign token comes first, and does not poison the owner's entry either.
    const fresh = await register();
    const freshSession = sessionIdOf(fresh.accessToken);
    const onMiss = await tokens.signAccessToken({
      userId: (other.user as { id: string }).id,
      role: 'admin',
      sessionId: freshSession,
    });
    expect(
      (await t.call('GET', '/auth/session', null, undefined, { ...bearer(onMiss), ...from() })).statusCode,
    ).toBe(401);
    expect(
      (await t.call('GET', '/auth/session', null, undefined, { ...bearer(fresh.accessToken), ...from() }))
        .statusCode,
    ).toBe(200);
    expect(
      (await t.call('GET', '/auth/session', null, undefined, { ...bearer(onMiss), ...from() })).statusCode,
    ).toBe(401);

    // After a refresh (a new access token of the same session) the check still holds.
    const refreshed = await t.call(
      'POST',
      '/auth/refresh',
      null,
      { refreshToken: fresh.refreshToken },
      from(),
    );
    expect(refreshed.statusCode).toBe(200);
    expect(
      (
        await t.call('GET', '/auth/session', null, undefined, {
          ...bearer(refreshed.json().accessToken),
          ...from(),
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await t.call('GET', '/auth/session', null, undefined, { ...bearer(onMiss), ...from() })).statusCode,
    ).toBe(401);
  });
});

describe('sessions', () => {
  it('lists my sessions with device and last use, revokes one, and all others', async () => {
    const { email, accessToken } = await register();
    const second = (
      await t.call(
        'POST',
        '/auth/login',
        null,
        { email, password: PASSWORD },
        { ...{ 'user-agent': 'Phone/1.0' }, ...from() },
      )
    ).json();
    const third = (await t.call('POST', '/auth/login', null, { email, password: PASSWORD }, from())).json();

    const list = await t.call('GET', '/auth/sessions', null, undefined, {
      ...bearer(accessToken),
      ...from(),
    });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as {
      id: string;
      current: boolean;
      userAgent: string | null;
      lastUsedAt: string;
    }[];
    expect(items).toHaveLength(3);
    expect(items.filter((item) => item.current)).toHaveLength(1);
    expect(items.map((item) => item.userAgent)).toContain('Phone/1.0');

    const phone = items.find((item) => item.userAgent === 'Phone/1.0') as { id: string };
    expect(
      (
        await t.call('DELETE', `/auth/sessions/${phone.id}`, null, undefined, {
          ...bearer(accessToken),
          ...from(),
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (await t.call('GET', '/auth/session', null, undefined, { ...bearer(second.accessToken), ...from() }))
        .statusCode,
    ).toBe(401);
    expect(
      (await t.call('POST', '/auth/refresh', null, { refreshToken: second.refreshToken }, from())).statusCode,
    ).toBe(401);

    const others = await t.call('POST', '/auth/sessions/revoke-others', null, undefined, {
      ...bearer(accessToken),
      ...from(),
    });
    expect(others.json()).toEqual({ revoked: 1 });
    expect(
      (await t.call('GET', '/auth/session', null, undefined, { ...bearer(third.accessToken), ...from() }))
        .statusCode,
    ).toBe(401);
    expect(
      (await t.call('GET', '/auth/session', null, undefined, { ...bearer(accessToken), ...from() }))
        .statusCode,
    ).toBe(200);
  });

  it('answers another user’s session id like a missing one', async () => {
    const alice = await register();
    const bob = await register();
    const bobSessions = (
      await t.call('GET', '/auth/sessions', null, undefined, { ...bearer(bob.accessToken), ...from() })
    ).json().items;
    const response = await t.call('DELETE', `/auth/sessions/${bobSessions[0].id}`, null, undefined, {
      ...bearer(alice.accessToken),
      ...from(),
    });
    expect(response.statusCode).toBe(404);
    expect(
      (await t.call('GET', '/auth/session', null, undefined, { ...bearer(bob.accessToken), ...from() }))
        .statusCode,
    ).toBe(200);
  });

  it('logs out: the session ends', async () => {
    const { accessToken, refreshToken } = await register();
    expect(
      (await t.call('POST', '/auth/logout', null, undefined, { ...bearer(accessToken), ...from() }))
        .statusCode,
    ).toBe(204);
    expect(
      (await t.call('GET', '/auth/session', null, undefined, { ...bearer(accessToken), ...from() }))
        .statusCode,
    ).toBe(401);
    expect((await t.call('POST', '/auth/refresh', null, { refreshToken }, from())).statusCode).toBe(401);
    expect((await t.call('POST', '/auth/logout', null, undefined, from())).statusCode).toBe(401);
  });
});

describe('passwords', () => {
  it('changes the password with the current one and ends the other sessions', async () => {
    const { email, accessToken } = await register();
    const other = (await t.call('POST', '/auth/login', null, { email, password: PASSWORD }, from())).json();
    const wrong = await t.call(
      'POST',
      '/auth/password/change',
      null,
      { currentPassword: 'not my password', newPassword: 'another fine passphrase' },
      { ...bearer(accessToken), ...from() },
    );
    expect(wrong.statusCode).toBe(403);
    const common = await t.call(
      'POST',
      '/auth/password/change',
      null,
      { currentPassword: PASSWORD, newPassword: '1234567890' },
      { ...bearer(accessToken), ...from() },
    );
    expect(common.json().code).toBe('password_too_common');

    const changed = await t.call(
      'POST',
      '/auth/password/change',
      null,
      { currentPassword: PASSWORD, newPassword: 'another fine passphrase' },
      { ...bearer(accessToken), ...from() },
    );
    expect(changed.statusCode).toBe(204);
    expect(
      (await t.call('GET', '/auth/session', null, undefined, { ...bearer(accessToken), ...from() }))
        .statusCode,
    ).toBe(200);
    expect(
      (await t.call('GET', '/auth/session', null, undefined, { ...bearer(other.accessToken), ...from() }))
        .statusCode,
    ).toBe(401);
    expect(
      (await t.call('POST', '/auth/login', null, { email, password: PASSWORD }, from())).statusCode,
    ).toBe(401);
    expect(
      (await t.call('POST', '/auth/login', null, { email, password: 'another fine passphrase' }, from()))
        .statusCode,
    ).toBe(200);
  });

  it('resets a forgotten password with a single-use link and ends every session', async () => {
    const { email, accessToken } = await register();
    const unknown = await t.call('POST', '/auth/password/forgot', null, { email: freshEmail() }, from());
    const known = await t.call('POST', '/auth/password/forgot', null, { email }, from());
    expect(unknown.statusCode).toBe(202);
    expect(known.statusCode).toBe(202);
    expect(unknown.json()).toEqual(known.json());

    const token = await tokenFromMail(email, '/reset-password');
    const reset = await t.call(
      'POST',
      '/auth/password/reset',
      null,
      { token, newPassword: 'my brand new passphrase' },
      from(),
    );
    expect(reset.statusCode).toBe(204);
    expect(
      (await t.call('GET', '/auth/session', null, undefined, { ...bearer(accessToken), ...from() }))
        .statusCode,
    ).toBe(401);
    expect(
      (await t.call('POST', '/auth/login', null, { email, password: 'my brand new passphrase' }, from()))
        .statusCode,
    ).toBe(200);
    const reused = await t.call(
      'POST',
      '/auth/password/reset',
      null,
      { token, newPassword: 'yet another passphrase' },
      from(),
    );
    expect(reused.statusCode).toBe(400);
    expect(reused.json().code).toBe('invalid_token');
  });

  it('refuses a reset link older than an hour', async () => {
    const { email } = await register();
    await t.call('POST', '/auth/password/forgot', null, { email }, from());
    const token = await tokenFromMail(email, '/reset-password');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61 * 60_000);
    const response = await t.call(
      'POST',
      '/auth/password/reset',
      null,
      { token, newPassword: 'too late passphrase' },
      from(),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('invalid_token');
  });
});

describe('two-factor authentication', () => {
  const codeFor = (secret: string, offsetSteps = 0) =>
    new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
      timestamp: Date.now() + offsetSteps * 30_000,
    });

  it('enrols, then requires a code at login; codes and recovery codes work once', async () => {
    const { email, accessToken } = await register();
    const start = await t.call('POST', '/auth/two-factor/totp', null, undefined, {
      ...bearer(accessToken),
      ...from(),
    });
    expect(start.statusCode).toBe(200);
    const { secret, otpauthUri } = start.json();
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\/Souk:.+\?.*secret=/);

    const badConfirm = await t.call(
      'POST',
      '/auth/two-factor/totp/confirm',
      null,
      { code: '000000' },
      { ...bearer(accessToken), ...from() },
    );
    expect(badConfirm.statusCode).toBe(401);
    const confirm = await t.call(
      'POST',
      '/auth/two-factor/totp/confirm',
      null,
      { code: codeFor(secret) },
      { ...bearer(accessToken), ...from() },
    );
    expect(confirm.statusCode).toBe(200);
    const { recoveryCodes } = confirm.json() as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);

    const login = await t.call('POST', '/auth/login', null, { email, password: PASSWORD }, from());
    expect(login.json()).toEqual({ status: 'mfa_required', mfaToken: expect.any(String) });
    const { mfaToken } = login.json();
    // The MFA token alone opens nothing.
    expect(
      (await t.call('GET', '/auth/session', null, undefined, { ...bearer(mfaToken), ...from() })).statusCode,
    ).toBe(401);

    // The code used to confirm is spent; the next time step's code works once.
    const next = codeFor(secret, 1);
    const signedIn = await t.call('POST', '/auth/login/mfa', null, { mfaToken, code: next }, from());
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().user.twoFactorEnabled).toBe(true);
    const replay = await t.call('POST', '/auth/login/mfa', null, { mfaToken, code: next }, from());
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('invalid_mfa_code');

    const recovery = recoveryCodes[0] as string;
    expect(
      (
        await t.call(
          'POST',
          '/auth/login/mfa',
          null,
          { mfaToken, recoveryCode: recovery.toUpperCase() },
          from(),
        )
      ).statusCode,
    ).toBe(200);
    expect(
      (await t.call('POST', '/auth/login/mfa', null, { mfaToken, recoveryCode: recovery }, from()))
        .statusCode,
    ).toBe(401);
    const both = await t.call(
      'POST',
      '/auth/login/mfa',
      null,
      { mfaToken, code: '123456', recoveryCode: recovery },
      from(),
    );
    expect(both.statusCode).toBe(400);

    const wrongPassword = await t.call(
      'POST',
      '/auth/two-factor/totp/disable',
      null,
      { password: 'nope nope nope' },
      { ...bearer(accessToken), ...from() },
    );
    expect(wrongPassword.statusCode).toBe(403);
    const disabled = await t.call(
      'POST',
      '/auth/two-factor/totp/disable',
      null,
      { password: PASSWORD },
      { ...bearer(accessToken), ...from() },
    );
    expect(disabled.statusCode).toBe(204);
    expect(
      (await t.call('POST', '/auth/login', null, { email, password: PASSWORD }, from())).json().status,
    ).toBe('signed_in');
  });

  it('lets an account without a password manage two-factor with a current code', async () => {
    const email = freshEmail();
    const session = await t.app.modules.auth.service.completeExternalSignIn(
      {
        provider: 'test',
        subject: email,
        email,
        emailVerified: true,
        name: 'Provider user',
        linkUserId: null,
      },
      { ipAddress: null, userAgent: null },
    );
    const headers = bearer(session.accessToken);
    expect(session.user.hasPassword).toBe(false);
    const { secret } = (
      await t.call('POST', '/auth/two-factor/totp', null, undefined, { ...headers, ...from() })
    ).json();
    await t.call(
      'POST',
      '/auth/two-factor/totp/confirm',
      null,
      { code: codeFor(secret) },
      { ...headers, ...from() },
    );
    const noProof = await t.call(
      'POST',
      '/auth/two-factor/totp/disable',
      null,
      { password: 'anything at all' },
      { ...headers, ...from() },
    );
    expect(noProof.statusCode).toBe(401);
    const regenerated = await t.call(
      'POST',
      '/auth/two-factor/recovery-codes',
      null,
      { code: codeFor(secret, 1) },
      { ...headers, ...from() },
    );
    expect(regenerated.statusCode).toBe(200);
    expect(regenerated.json().recoveryCodes).toHaveLength(10);
    // The next code comes 30 seconds later.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 30_000);
    const disabled = await t.call(
      'POST',
      '/auth/two-factor/totp/disable',
      null,
      { code: codeFor(secret, 1) },
      { ...headers, ...from() },
    );
    expect(disabled.statusCode).toBe(204);
  });

  it('refuses an expired MFA step', async () => {
    const { email, accessToken } = await register();
    const { secret } = (
      await t.call('POST', '/auth/two-factor/totp', null, undefined, { ...bearer(accessToken), ...from() })
    ).json();
    await t.call(
      'POST',
      '/auth/two-factor/totp/confirm',
      null,
      { code: codeFor(secret) },
      { ...bearer(accessToken), ...from() },
    );
    const { mfaToken } = (
      await t.call('POST', '/auth/login', null, { email, password: PASSWORD }, from())
    ).json();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 6 * 60_000);
    const response = await t.call(
      'POST',
      '/auth/login/mfa',
      null,
      { mfaToken, code: codeFor(secret) },
      from(),
    );
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('invalid_mfa_token');
  });
});

describe('cookie sessions for the web app', () => {
  function cookiesOf(setCookie: string | string[] | undefined): Record<string, string> {
    const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
    return Object.fromEntries(list.map((line) => [line.split('=')[0], line]));
  }
  const jar = (cookies: Record<string, string>) =>
    Object.values(cookies)
      .map((line) => line.split(';')[0])
      .join('; ');

  it('signs in with httpOnly cookies, checks CSRF on every change, and refreshes from the cookie', async () => {
    const email = freshEmail();
    const body = { email, password: PASSWORD, displayName: 'Web user' };
    const noCsrf = await t.call('POST', '/auth/register?mode=cookie', null, body, from());
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('csrf_token_invalid');

    const csrf = await t.call('GET', '/auth/csrf', null, undefined, from());
    const csrfCookie = cookiesOf(csrf.headers['set-cookie']);
    expect(csrfCookie.souk_csrf).toMatch(/HttpOnly/);
    const token = csrf.json().token as string;

    const registered = await t.call('POST', '/auth/register?mode=cookie', null, body, {
      ...{ cookie: jar(csrfCookie), 'x-csrf-token': token },
      ...from(),
    });
    expect(registered.statusCode).toBe(201);
    expect(registered.json().accessToken).toBeUndefined();
    expect(registered.json().refreshToken).toBeUndefined();
    const cookies = { ...csrfCookie, ...cookiesOf(registered.headers['set-cookie']) };
    expect(cookies.souk_access).toMatch(/HttpOnly/);
    expect(cookies.souk_access).toMatch(/SameSite=Lax/);
    expect(cookies.souk_refresh).toMatch(/HttpOnly/);
    expect(cookies.souk_refresh).toMatch(/Path=\/api\/v1\/auth/);

    const session = await t.call('GET', '/auth/session', null, undefined, {
      ...{ cookie: jar(cookies) },
      ...from(),
    });
    expect(session.statusCode).toBe(200);
    expect(session.json().user.email).toBe(email);

    // A change through the cookie needs the CSRF header; a forged cross-site POST has none.
    const forged = await t.call('POST', '/auth/sessions/revoke-others', null, undefined, {
      ...{ cookie: jar(cookies) },
      ...from(),
    });
    expect(forged.statusCode).toBe(403);
    const wrongToken = await t.call('POST', '/auth/sessions/revoke-others', null, undefined, {
      ...{ cookie: jar(cookies), 'x-csrf-token': `${token}x` },
      ...from(),
    });
    expect(wrongToken.statusCode).toBe(403);
    const allowed = await t.call('POST', '/auth/sessions/revoke-others', null, undefined, {
      ...{ cookie: jar(cookies), 'x-csrf-token': token },
      ...from(),
    });
    expect(allowed.statusCode).toBe(200);

    const refreshed = await t.call('POST', '/auth/refresh?mode=cookie', null, undefined, {
      ...{ cookie: jar(cookies), 'x-csrf-token': token },
      ...from(),
    });
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    const next = { ...cookies, ...cookiesOf(refreshed.headers['set-cookie']) };
    expect(next.souk_refresh).not.toBe(cookies.souk_refresh);

    const logout = await t.call('POST', '/auth/logout', null, undefined, {
      ...{ cookie: jar(next), 'x-csrf-token': token },
      ...from(),
    });
    expect(logout.statusCode).toBe(204);
    expect(cookiesOf(logout.headers['set-cookie']).souk_access).toMatch(/Expires=Thu, 01 Jan 1970/);
    expect(
      (await t.call('GET', '/auth/session', null, undefined, { ...{ cookie: jar(next) }, ...from() }))
        .statusCode,
    ).toBe(401);
  });

  it('treats an expired or bad access cookie as signed out on public pages', async () => {
    const response = await t.call('GET', '/categories', null, undefined, {
      ...{ cookie: 'souk_access=garbage' },
      ...from(),
    });
    expect(response.statusCode).toBe(200);
  });
});

describe('key rotation', () => {
  it('keeps tokens signed with the previous key valid', async () => {
    const { createTokenService } = await import('./auth.tokens.js');
    const { newSigningKey } = await import('./auth.keys.js');
    const first = await newSigningKey();
    const options = { issuer: 'https://souk.test', audience: 'https://souk.test/api', accessTtlSeconds: 900 };
    const before = await createTokenService({
      ...options,
      keys: { signingKeys: [first], encryptionKey: '' },
    });
    const token = await before.signAccessToken({
      userId: '01900000-0000-7000-8000-000000000001',
      role: 'member',
      sessionId: 's',
    });
    const after = await createTokenService({
      ...options,
      keys: { signingKeys: [first, await newSigningKey()], encryptionKey: '' },
    });
    await expect(after.verifyAccessToken(token)).resolves.toMatchObject({ sessionId: 's' });
    const fresh = await after.signAccessToken({
      userId: '01900000-0000-7000-8000-000000000001',
      role: 'member',
      sessionId: 't',
    });
    expect(JSON.parse(Buffer.from(fresh.split('.')[0] as string, 'base64url').toString()).kid).not.toBe(
      first.kid,
    );
    // A key dropped from the set no longer verifies.
    const dropped = await createTokenService({
      ...options,
      keys: { signingKeys: [await newSigningKey()], encryptionKey: '' },
    });
    await expect(dropped.verifyAccessToken(token)).rejects.toThrow();
  });
});
