import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { registerAccountRoutes } from './auth.account.routes.js';
import {
  assertCsrf,
  type CookiePolicy,
  clientOf,
  type DeviceCookies,
  setSessionCookies,
} from './auth.http.js';
import type { Oidc } from './auth.oidc.js';
import type { AuthService, IssuedSession } from './auth.service.js';
import { registerOidcRoutes, registerSignInRoutes } from './auth.sign-in.routes.js';

/** The Fastify instance the auth route groups add their routes to. */
export type AuthApp = Parameters<FastifyPluginAsyncZod>[0];

/** What every auth route group shares: the service, the cookie policies and the answer helpers. */
export type AuthRouteKit = {
  service: AuthService;
  oidc: Oidc;
  cookies: CookiePolicy;
  devices: DeviceCookies;
  publicJwks: { keys: object[] };
  signInClient(request: FastifyRequest): ReturnType<typeof clientOf> & { knownUserIds: string[] };
  answer(
    reply: FastifyReply,
    session: IssuedSession,
    mode: 'token' | 'cookie',
  ): Omit<IssuedSession, 'refreshToken' | 'accessToken' | 'sessionId'> | Omit<IssuedSession, 'sessionId'>;
  cookieModeChecks(request: FastifyRequest, mode: 'token' | 'cookie'): void;
};

/**
 * The auth routes, in three groups (their order is the OpenAPI order): the ways in and out
 * (auth.sign-in.routes.ts), the signed-in account's sessions, password, mailed links and
 * two-factor (auth.account.routes.ts), and OpenID Connect sign-in.
 */
export function authRoutes(deps: {
  service: AuthService;
  oidc: Oidc;
  cookies: CookiePolicy;
  devices: DeviceCookies;
  publicJwks: { keys: object[] };
}): FastifyPluginAsyncZod {
  const { cookies, devices } = deps;

  /** The client, with the accounts this browser signed in to before (its device cookie). */
  const signInClient = (request: FastifyRequest) => ({
    ...clientOf(request),
    knownUserIds: devices.knownUserIds(request),
  });

  /** Cookie mode for the web app (tokens stay out of reach of scripts), tokens for API clients. */
  function answer(reply: FastifyReply, session: IssuedSession, mode: 'token' | 'cookie') {
    const { refreshToken, accessToken, sessionId: _sessionId, ...rest } = session;
    if (mode === 'cookie') {
      setSessionCookies(reply, session, cookies);
      return rest;
    }
    return { ...rest, accessToken, refreshToken };
  }

  function cookieModeChecks(request: FastifyRequest, mode: 'token' | 'cookie') {
    // A cross-site form must not be able to sign a victim into the attacker's account.
    if (mode === 'cookie') assertCsrf(request);
  }

  const kit: AuthRouteKit = { ...deps, signInClient, answer, cookieModeChecks };
  return async (app) => {
    registerSignInRoutes(app, kit);
    registerAccountRoutes(app, kit);
    registerOidcRoutes(app, kit);
  };
}
