import { createHmac } from 'node:crypto';
import Tokens from '@fastify/csrf';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller, Role } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { safeEqual } from './auth.crypto.js';
import { authError } from './auth.errors.js';
import type { AuthService, ClientInfo, IssuedSession } from './auth.service.js';
import type { TokenService } from './auth.tokens.js';

export const ACCESS_COOKIE = 'souk_access';
export const REFRESH_COOKIE = 'souk_refresh';
export const CSRF_COOKIE = 'souk_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const DEVICE_COOKIE = 'souk_device';
const REFRESH_COOKIE_PATH = '/api/v1/auth';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const csrfTokens = Tokens();

/** Roles include the ones below them: an admin passes a moderator check. */
export function rolesOf(role: Role): Role[] {
  if (role === 'admin') return ['member', 'moderator', 'admin'];
  if (role === 'moderator') return ['member', 'moderator'];
  return ['member'];
}

export function clientOf(request: FastifyRequest): ClientInfo {
  const userAgent = request.headers['user-agent'];
  return {
    ipAddress: request.ip ?? null,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 300) : null,
  };
}

export type CookiePolicy = { secure: boolean; refreshTtlDays: number };

/** Cookies are Secure unless Souk is served over plain http on localhost. */
export function cookiePolicyFor(publicUrl: string, refreshTtlDays: number): CookiePolicy {
  const url = new URL(publicUrl);
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  return { secure: url.protocol === 'https:' || !local, refreshTtlDays };
}

export function setSessionCookies(reply: FastifyReply, session: IssuedSession, policy: CookiePolicy) {
  reply.setCookie(ACCESS_COOKIE, session.accessToken, {
    httpOnly: true,
    secure: policy.secure,
    sameSite: 'lax',
    path: '/',
    maxAge: session.expiresIn,
  });
  reply.setCookie(REFRESH_COOKIE, session.refreshToken, {
    httpOnly: true,
    secure: policy.secure,
    sameSite: 'strict',
    path: REFRESH_COOKIE_PATH,
    maxAge: policy.refreshTtlDays * 86_400,
  });
}

export function clearSessionCookies(reply: FastifyReply, policy: CookiePolicy) {
  reply.clearCookie(ACCESS_COOKIE, { path: '/', secure: policy.secure, httpOnly: true, sameSite: 'lax' });
  reply.clearCookie(REFRESH_COOKIE, {
    path: REFRESH_COOKIE_PATH,
    secure: policy.secure,
    httpOnly: true,
    sameSite: 'strict',
  });
}

/**
 * Issues a CSRF token for the double-submit check: its secret sits in an httpOnly, SameSite
 * cookie, the token goes back in the X-CSRF-Token header of every unsafe cookie request.
 */
export function issueCsrfToken(request: FastifyRequest, reply: FastifyReply, policy: CookiePolicy): string {
  let secret: string | undefined = request.cookies[CSRF_COOKIE];
  if (!secret) {
    secret = csrfTokens.secretSync() as string;
    reply.setCookie(CSRF_COOKIE, secret, {
      httpOnly: true,
      secure: policy.secure,
      sameSite: 'strict',
      path: '/',
    });
  }
  return csrfTokens.create(secret);
}

export function assertCsrf(request: FastifyRequest) {
  const secret = request.cookies[CSRF_COOKIE];
  const token = request.headers[CSRF_HEADER];
  if (!secret || typeof token !== 'string' || !csrfTokens.verify(secret, token)) {
    throw authError(
      'csrf_token_invalid',
      `Send the token from GET /api/v1/auth/csrf in the ${CSRF_HEADER} header.`,
    );
  }
}

/** Requests that carry cookies and change something must prove they come from our pages. */
export function needsCsrfCheck(request: FastifyRequest): boolean {
  return !SAFE_METHODS.has(request.method) && !request.headers.authorization;
}

const DEVICE_COOKIE_DAYS = 180;
/** A shared family computer remembers a few accounts; the oldest drops out first. */
const DEVICE_COOKIE_MAX_ACCOUNTS = 5;

/**
 * The known-device cookie: the accounts that signed in (or opened an unlock link) in this
 * browser, signed with a key derived from the auth secret. It is no credential: it only lets
 * its accounts' password sign-ins past the per-account failure limit (decision 022).
 */
export function createDeviceCookies(key: Buffer, policy: CookiePolicy) {
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

  function knownUserIds(request: FastifyRequest): string[] {
    const raw = request.cookies[DEVICE_COOKIE];
    if (!raw || raw.length > 1000) return [];
    const [payload = '', signature = ''] = raw.split('.');
    if (!safeEqual(sign(payload), signature)) return [];
    try {
      const ids: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString());
      return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
    } catch {
      return [];
    }
  }

  return {
    knownUserIds,
    remember(request: FastifyRequest, reply: FastifyReply, userId: string) {
      const ids = [...knownUserIds(request).filter((id) => id !== userId), userId].slice(
        -DEVICE_COOKIE_MAX_ACCOUNTS,
      );
      const payload = Buffer.from(JSON.stringify(ids)).toString('base64url');
      reply.setCookie(DEVICE_COOKIE, `${payload}.${sign(payload)}`, {
        httpOnly: true,
        secure: policy.secure,
        sameSite: 'strict',
        path: '/api/v1/auth',
        maxAge: DEVICE_COOKIE_DAYS * 86_400,
      });
    },
  };
}

export type DeviceCookies = ReturnType<typeof createDeviceCookies>;

const invalidToken = (detail: string) =>
  new AppError('invalid_access_token', 401, 'The access token is not valid', detail);

/**
 * The actor resolver: a Bearer token (API clients) or the access cookie (the web app). A bad
 * Bearer token is a 401; a bad or expired cookie is ignored, so public pages still load and the
 * web app refreshes its session when it needs one.
 */
export function createCallerResolver(deps: { tokens: TokenService; service: AuthService }) {
  // A request without credentials (most public page views) is answered at once, without a
  // promise: the onRequest hook then goes on in the same tick.
  return function resolveCaller(request: FastifyRequest): Promise<Caller | null> | null {
    const header = request.headers.authorization;
    if (header === undefined && !request.cookies[ACCESS_COOKIE]) return null;
    return resolveCredentials(request, header);
  };

  async function resolveCredentials(
    request: FastifyRequest,
    header: string | undefined,
  ): Promise<Caller | null> {
    let token: string | undefined;
    if (header !== undefined) {
      const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(header);
      if (!match?.[1]) throw invalidToken('Send "Authorization: Bearer <access token>".');
      token = match[1];
    } else {
      token = request.cookies[ACCESS_COOKIE];
      if (!token) return null;
    }
    let claims: Awaited<ReturnType<TokenService['verifyAccessToken']>>;
    try {
      claims = await deps.tokens.verifyAccessToken(token);
    } catch {
      if (header === undefined) return null;
      throw invalidToken('The token is malformed, expired, or not an access token of this site.');
    }
    const state = await deps.service.sessionState(claims.sessionId, claims.userId);
    if (!state.active) {
      if (header === undefined) return null;
      throw invalidToken('The session of this token has ended.');
    }
    if (header === undefined && needsCsrfCheck(request)) assertCsrf(request);
    return { actor: { userId: claims.userId, roles: rolesOf(state.role) }, sessionId: claims.sessionId };
  }
}
