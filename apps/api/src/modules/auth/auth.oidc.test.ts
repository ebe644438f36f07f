import { once } from 'node:events';
import { createServer } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcProvider, type TestOidcProvider } from '../../test-support/oidc-provider.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { users } from './auth.schema.js';

/**
 * Social sign-in end to end: a real OpenID Connect provider (oidc-provider, with its built-in
 * login and consent pages) and Souk, both listening on 127.0.0.1, and a small cookie-keeping
 * HTTP client that walks the browser's way through every redirect and form between them.
 */

const OIDC_NAME = 'Example ID';
const CALLBACK_PATH = '/api/v1/auth/oauth/oidc/callback';
const START = '/api/v1/auth/oauth/oidc/start';
const REQUEST_TIMEOUT_MS = 5000;

let idp: TestOidcProvider;
let t: TestApp;
/** Souk's origin, `http://127.0.0.1:<port>`. */
let souk: string;

type Cookie = {
  name: string;
  value: string;
  path: string;
  httpOnly: boolean;
  secure: boolean;
  expiresAt: number;
};
type Page = { url: URL; status: number; headers: Headers; location: string | null; body: string };

let clientCounter = 0;

/**
 * A browser reduced to what this flow needs: cookies per host name (browsers do not separate
 * them by port, so Souk and the provider share a jar, as they would), redirects followed by
 * hand, HTML forms submitted. Each browser is its own client address for Souk's rate limits:
 * Souk trusts a proxy on loopback here, and the browser says who it is in X-Forwarded-For.
 */
class Browser {
  readonly address = `10.20.${Math.floor(++clientCounter / 250)}.${(clientCounter % 250) + 1}`;
  private readonly jar = new Map<string, Map<string, Cookie>>();

  cookie(url: string, name: string): Cookie | undefined {
    return this.cookiesFor(new URL(url)).find((cookie) => cookie.name === name);
  }

  private cookiesFor(url: URL): Cookie[] {
    const now = Date.now();
    return [...(this.jar.get(url.hostname)?.values() ?? [])].filter(
      (cookie) =>
        cookie.expiresAt > now &&
        (!cookie.secure || url.protocol === 'https:') &&
        (url.pathname === cookie.path ||
          (url.pathname.startsWith(cookie.path) &&
            (cookie.path.endsWith('/') || url.pathname[cookie.path.length] === '/'))),
    );
  }

  private store(url: URL, header: string) {
    const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
    const equals = pair.indexOf('=');
    if (equals <= 0) return;
    const directory = url.pathname.slice(0, url.pathname.lastIndexOf('/'));
    const cookie: Cookie = {
      name: pair.slice(0, equals),
      value: pair.slice(equals + 1),
      path: directory.startsWith('/') ? directory : '/',
      httpOnly: false,
      secure: false,
      expiresAt: Number.POSITIVE_INFINITY,
    };
    let maxAge: number | undefined;
    for (const attribute of attributes) {
      const [key = '', ...rest] = attribute.split('=');
      const value = rest.join('=');
      switch (key.toLowerCase()) {
        case 'path':
          if (value.startsWith('/')) cookie.path = value;
          break;
        case 'httponly':
          cookie.httpOnly = true;
          break;
        case 'secure':
          cookie.secure = true;
          break;
        case 'max-age':
          maxAge = Number(value);
          break;
        case 'expires':
          cookie.expiresAt = Date.parse(value);
          break;
      }
    }
    if (maxAge !== undefined) cookie.expiresAt = maxAge <= 0 ? 0 : Date.now() + maxAge * 1000;
    const cookies = this.jar.get(url.hostname) ?? new Map<string, Cookie>();
    this.jar.set(url.hostname, cookies);
    const key = `${cookie.name};${cookie.path}`;
    if (cookie.expiresAt <= Date.now()) cookies.delete(key);
    else cookies.set(key, cookie);
  }

  /** One request, no redirect followed; cookies sent and kept. */
  async request(
    target: string | URL,
    options: {
      method?: 'GET' | 'POST';
      form?: URLSearchParams;
      json?: object;
      headers?: Record<string, string>;
    } = {},
  ): Promise<Page> {
    const url = new URL(target, souk);
    const headers: Record<string, string> = { 'user-agent': 'souk-oidc-test', ...options.headers };
    const cookies = this.cookiesFor(url);
    if (cookies.length > 0) headers.cookie = cookies.map(({ name, value }) => `${name}=${value}`).join('; ');
    if (url.origin === souk) headers['x-forwarded-for'] = this.address;
    let body: string | undefined;
    if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = options.form.toString();
    } else if (options.json) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    }
    const response = await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    for (const header of response.headers.getSetCookie()) this.store(url, header);
    return {
      url,
      status: response.status,
      headers: response.headers,
      location: response.headers.get('location'),
      body: await response.text(),
    };
  }

  /**
   * Goes from `start` through the provider's login (as `login`, any password) and consent pages
   * until the provider sends the browser back to Souk's callback, and returns that callback
   * URL without visiting it. `headers` go with the first request only.
   */
  async authorize(start: string, login: string, headers: Record<string, string> = {}): Promise<URL> {
    let url = new URL(start, souk);
    let form: URLSearchParams | undefined;
    const seen: string[] = [];
    for (let step = 0; step < 20; step += 1) {
      if (url.origin === souk && url.pathname === CALLBACK_PATH) return url;
      seen.push(`${form ? 'POST' : 'GET'} ${url.href}`);
      const page = await this.request(
        url,
        form ? { method: 'POST', form } : { headers: step === 0 ? headers : {} },
      );
      form = undefined;
      if (page.status >= 300 && page.status < 400 && page.location) {
        url = new URL(page.location, url);
        continue;
      }
      const submit = page.status === 200 ? htmlForm(page.body) : null;
      if (!submit) {
        throw new Error(
          `unexpected ${page.status} at ${url.href} after\n${seen.join('\n')}\n${page.body.slice(0, 800)}`,
        );
      }
      form = submit.fields;
      // The development login page: any login is an account id, any password goes.
      if (form.has('login')) form.set('login', login);
      if (form.has('password')) form.set('password', 'any password at all');
      url = new URL(submit.action, url);
    }
    throw new Error(`no way back to Souk after\n${seen.join('\n')}`);
  }

  /** The whole flow: `authorize`, then the callback's answer (a redirect, not followed). */
  async signIn(start: string, login: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.request(await this.authorize(start, login, headers));
  }

  /** A Souk API call with this browser's cookies. */
  async api(path: string, options: Parameters<Browser['request']>[1] = {}) {
    const page = await this.request(`/api/v1${path}`, options);
    return { status: page.status, json: () => JSON.parse(page.body) as Json, page };
  }
}

type Json = { [key: string]: Json | string | number | boolean | null | Json[] };

/** The first form of a page: where it posts and its inputs with their values. */
function htmlForm(html: string): { action: string; fields: URLSearchParams } | null {
  const form = /<form\b([^>]*)>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return null;
  const attribute = (tag: string, name: string) => {
    const match = new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(tag);
    return match?.[1] === undefined ? undefined : decodeEntities(match[1]);
  };
  const fields = new URLSearchParams();
  for (const input of (form[2] ?? '').matchAll(/<input\b[^>]*>/gi)) {
    const name = attribute(input[0], 'name');
    if (name) fields.append(name, attribute(input[0], 'value') ?? '');
  }
  return { action: attribute(form[1] ?? '', 'action') ?? '', fields };
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, decimal: string) => String.fromCodePoint(Number(decimal)))
    .replaceAll('&quot;', '"')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

async function freePort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const address = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

let loginCounter = 0;
/** A person at the provider; the login doubles as their subject identifier. */
function providerAccount(account: { email?: string; emailVerified?: boolean; name?: string } = {}) {
  loginCounter += 1;
  const login = `person-${loginCounter}`;
  const email = account.email ?? `${login}@provider.test`;
  idp.accounts.set(login, {
    email,
    emailVerified: account.emailVerified ?? true,
    name: account.name ?? `Person ${loginCounter}`,
  });
  return { login, email };
}

const bearer = (user: TestUser) => ({ authorization: `Bearer ${user.accessToken}` });
const signInError = (code: string) => `/sign-in?error=${code}`;

async function usersWithEmail(email: string) {
  return t.platform.database.db.select({ id: users.id }).from(users).where(eq(users.email, email));
}

beforeAll(async () => {
  idp = await startOidcProvider();
  // PUBLIC_URL (and so the callback URL) must name Souk's port before Souk starts: pick a free
  // one, and pick again in the unlikely case someone takes it in between.
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    souk = `http://127.0.0.1:${port}`;
    idp.setRedirectUri(`${souk}${CALLBACK_PATH}`);
    t = await createTestApp({
      env: {
        PUBLIC_URL: souk,
        OIDC_ISSUER_URL: idp.issuer,
        OIDC_CLIENT_ID: idp.clientId,
        OIDC_CLIENT_SECRET: idp.clientSecret,
        OIDC_NAME,
        OIDC_ALLOW_HTTP: 'true',
        TRUST_PROXY: 'loopback',
      },
    });
    try {
      await t.app.listen({ port, host: '127.0.0.1' });
      break;
    } catch (error) {
      await t.close();
      if (attempt >= 3 || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
});

afterAll(async () => {
  await t?.close();
  await idp?.close();
});

describe('social sign-in through a real OpenID Connect provider', () => {
  it('lists the provider, and answers 404 for an unknown one', async () => {
    const browser = new Browser();
    const list = await browser.api('/auth/oauth/providers');
    expect(list.status).toBe(200);
    expect(list.json()).toEqual({ items: [{ id: 'oidc', name: OIDC_NAME }] });

    const unknown = await browser.api('/auth/oauth/nope/start');
    expect(unknown.status).toBe(404);
    expect(unknown.page.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(unknown.json().code).toBe('oauth_provider_unknown');
  });

  it('signs a new person up, with cookies, and signs them into the same account next time', async () => {
    const person = providerAccount({ name: 'Amaya Perera' });
    const browser = new Browser();

    const start = await browser.request(`${START}?returnTo=/account`);
    expect(start.status).toBe(302);
    const authorization = new URL(start.location ?? '');
    expect(authorization.origin).toBe(idp.issuer);
    expect(Object.fromEntries(authorization.searchParams)).toMatchObject({
      client_id: idp.clientId,
      response_type: 'code',
      redirect_uri: `${souk}${CALLBACK_PATH}`,
      code_challenge_method: 'S256',
      scope: 'openid email profile',
    });
    for (const name of ['state', 'nonce', 'code_challenge'])
      expect(authorization.searchParams.get(name)).toMatch(/^[\w-]{43,}$/);

    const callback = await browser.authorize(authorization.href, person.login);
    expect(callback.searchParams.get('state')).toBe(authorization.searchParams.get('state'));
    expect(callback.searchParams.get('iss')).toBe(idp.issuer);
    const landed = await browser.request(callback);
    expect(landed.status).toBe(302);
    expect(landed.location).toBe('/account');
    const access = browser.cookie(souk, 'souk_access');
    const refresh = browser.cookie(`${souk}/api/v1/auth/refresh`, 'souk_refresh');
    expect(access).toMatchObject({ httpOnly: true, path: '/' });
    expect(refresh).toMatchObject({ httpOnly: true, path: '/api/v1/auth' });

    const session = await browser.api('/auth/session');
    expect(session.status).toBe(200);
    const { user, session: current } = session.json() as { user: Json; session: Json };
    expect(user).toMatchObject({
      email: person.email,
      emailVerified: true,
      hasPassword: false,
      displayName: 'Amaya Perera',
      role: 'member',
    });
    expect(current).toMatchObject({ method: 'oidc:oidc', current: true });

    // Again, in another browser (so through the provider's login page once more).
    const again = new Browser();
    const second = await again.signIn(`${START}?returnTo=/account`, person.login);
    expect(second.location).toBe('/account');
    const secondSession = await again.api('/auth/session');
    expect(secondSession.json().user).toMatchObject({ id: user.id as string, email: person.email });
    expect(secondSession.json().session).not.toMatchObject({ id: current.id as string });
    // And again in the first browser, whose provider session skips the login and consent pages.
    const third = await browser.signIn(START, person.login);
    expect(third.location).toBe('/');
    expect((await browser.api('/auth/session')).json().user).toMatchObject({ id: user.id as string });
    expect(await usersWithEmail(person.email)).toHaveLength(1);
  });

  it('links a verified provider e-mail to the verified account that has it; the password keeps working', async () => {
    const member = await t.signUp({ email: `seller-${process.pid}@example.test` });
    await t.platform.database.db
      .update(users)
      .set({ emailVerifiedAt: new Date() })
      .where(eq(users.id, member.userId));
    // The provider spells the address with capitals; it is the same address.
    const person = providerAccount({ email: member.email.toUpperCase() });

    const browser = new Browser();
    const landed = await browser.signIn(`${START}?returnTo=/account`, person.login);
    expect(landed.location).toBe('/account');
    const { user } = (await browser.api('/auth/session')).json() as { user: Json };
    expect(user).toMatchObject({
      id: member.userId,
      email: member.email,
      emailVerified: true,
      hasPassword: true,
    });

    const login = await new Browser().api('/auth/login', {
      method: 'POST',
      json: { email: member.email, password: member.password },
    });
    expect(login.status).toBe(200);
    expect(login.json().user).toMatchObject({ id: member.userId });
    // The member's own sessions go on.
    expect((await new Browser().api('/auth/session', { headers: bearer(member) })).status).toBe(200);
  });

  it("takes an unverified account back from whoever registered someone else's address", async () => {
    const victimEmail = `victim-${process.pid}@example.test`;
    // Someone registers the victim's address (never verified) and is signed in...
    const squatter = await t.signUp({
      email: victimEmail,
      password: 'the squatters own password',
      verified: false,
    });
    const squatterBrowser = new Browser();
    expect((await squatterBrowser.api('/auth/session', { headers: bearer(squatter) })).status).toBe(200);

    // ...then the real owner signs in with a provider that vouches for the address.
    const person = providerAccount({ email: victimEmail, name: 'The Real Owner' });
    const browser = new Browser();
    const landed = await browser.signIn(`${START}?returnTo=/account`, person.login);
    expect(landed.location).toBe('/account');
    const { user } = (await browser.api('/auth/session')).json() as { user: Json };
    expect(user).toMatchObject({
      id: squatter.userId,
      email: victimEmail,
      emailVerified: true,
      hasPassword: false,
    });

    // The squatter's password and sessions are gone.
    const login = await squatterBrowser.api('/auth/login', {
      method: 'POST',
      json: { email: victimEmail, password: squatter.password },
    });
    expect(login.status).toBe(401);
    expect(login.json().code).toBe('invalid_credentials');
    const refresh = await squatterBrowser.api('/auth/refresh', {
      method: 'POST',
      json: { refreshToken: squatter.refreshToken },
    });
    expect(refresh.status).toBe(401);
    // That session was in use a moment ago (its state is cached): it must end at once all the same.
    const session = await squatterBrowser.api('/auth/session', { headers: bearer(squatter) });
    expect(session.status).toBe(401);
  });

  it('refuses an e-mail address the provider has not verified, creating or linking nothing', async () => {
    const nobody = providerAccount({ emailVerified: false });
    const browser = new Browser();
    const refused = await browser.signIn(`${START}?returnTo=/account`, nobody.login);
    expect(refused.status).toBe(302);
    expect(refused.location).toBe(signInError('oauth_failed'));
    expect(browser.cookie(souk, 'souk_access')).toBeUndefined();
    expect(await usersWithEmail(nobody.email)).toHaveLength(0);

    // Nor does an unverified provider address reach an existing (verified) account that has it.
    const member = await t.signUp();
    await t.platform.database.db
      .update(users)
      .set({ emailVerifiedAt: new Date() })
      .where(eq(users.id, member.userId));
    const impostor = providerAccount({ email: member.email, emailVerified: false });
    const other = new Browser();
    expect((await other.signIn(START, impostor.login)).location).toBe(signInError('oauth_failed'));
    expect(other.cookie(souk, 'souk_access')).toBeUndefined();
    // Not linked: a second try fails the same way.
    expect((await other.signIn(START, impostor.login)).location).toBe(signInError('oauth_failed'));
  });

  it('rejects an unknown state, a replayed callback, and a code from another attempt', async () => {
    const person = providerAccount();
    const browser = new Browser();

    const unknown = await browser.request(
      `${CALLBACK_PATH}?code=whatever&state=${'x'.repeat(43)}&iss=${encodeURIComponent(idp.issuer)}`,
    );
    expect(unknown.status).toBe(302);
    expect(unknown.location).toBe(signInError('oauth_failed'));
    const noState = await browser.request(`${CALLBACK_PATH}?code=whatever`);
    expect(noState.location).toBe(signInError('oauth_failed'));

    // A state works once: the same callback a second time fails and sets no cookies. (Each
    // callback below is visited by the browser that started its attempt, so that only the
    // check named fails.)
    const callback = await browser.authorize(`${START}?returnTo=/account`, person.login);
    expect((await browser.request(callback)).location).toBe('/account');
    const replay = await browser.request(callback);
    expect(replay.location).toBe(signInError('oauth_failed'));
    expect(replay.headers.getSetCookie().filter((line) => /^souk_(access|refresh)=[^;]/.test(line))).toEqual(
      [],
    );

    // Two attempts at once, each code sent back with the other's state: the PKCE verifier (and
    // nonce) of one attempt do not fit the code of the other.
    const [one, two] = [new Browser(), new Browser()];
    const first = await one.authorize(START, person.login);
    const second = await two.authorize(START, person.login);
    for (const [owner, withState, withCode] of [
      [one, first, second],
      [two, second, first],
    ] as const) {
      const swapped = new URL(withState);
      swapped.searchParams.set('code', withCode.searchParams.get('code') ?? '');
      const answer = await owner.request(swapped);
      expect(answer.location).toBe(signInError('oauth_failed'));
      expect(owner.cookie(souk, 'souk_access')).toBeUndefined();
    }
    // Both attempts are used up by now, even with their own codes.
    expect((await one.request(first)).location).toBe(signInError('oauth_failed'));
    expect((await two.request(second)).location).toBe(signInError('oauth_failed'));
  });

  it('refuses a callback opened in another browser than the one that started the sign-in', async () => {
    const person = providerAccount();
    const [attacker, victim] = [new Browser(), new Browser()];
    // The attacker signs in at the provider, stops before the callback, and sends the link.
    const callback = await attacker.authorize(`${START}?returnTo=/account`, person.login);
    const answer = await victim.request(callback);
    expect(answer.location).toBe(signInError('oauth_failed'));
    expect(victim.cookie(souk, 'souk_access')).toBeUndefined();
  });

  it('links the provider account to the signed-in user, whatever its e-mail says', async () => {
    const member = await t.signUp();
    const person = providerAccount({
      email: `someone-else-${process.pid}@provider.test`,
      emailVerified: false,
    });

    // link=true needs someone signed in.
    const anonymous = await new Browser().api('/auth/oauth/oidc/start?link=true');
    expect(anonymous.status).toBe(400);
    expect(anonymous.json().code).toBe('oauth_failed');

    const browser = new Browser();
    const linked = await browser.signIn(
      `${START}?link=true&returnTo=/settings`,
      person.login,
      bearer(member),
    );
    expect(linked.location).toBe('/settings');
    expect((await browser.api('/auth/session')).json().user).toMatchObject({
      id: member.userId,
      email: member.email,
    });
    expect(await usersWithEmail(person.email)).toHaveLength(0);

    // From now on signing in with the provider lands in that account.
    const later = new Browser();
    expect((await later.signIn(START, person.login)).location).toBe('/');
    expect((await later.api('/auth/session')).json().user).toMatchObject({ id: member.userId });
  });
});
