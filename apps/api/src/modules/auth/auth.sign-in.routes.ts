import {
  CsrfToken,
  LoginBody,
  LoginResult,
  MfaLoginBody,
  OAuthCallbackQuery,
  OAuthProviderList,
  OAuthStartQuery,
  ProviderParams,
  RefreshBody,
  RegisterBody,
  SessionModeQuery,
  SignedIn,
} from '@souk/contracts';
import { z } from 'zod';
import { requireActor } from '../../platform/http/context.js';
import { AppError } from '../../platform/http/errors.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { safeEqual } from './auth.crypto.js';
import { authError } from './auth.errors.js';
import {
  clearSessionCookies,
  clientOf,
  issueCsrfToken,
  REFRESH_COOKIE,
  setSessionCookies,
} from './auth.http.js';
import type { AuthApp, AuthRouteKit } from './auth.routes.js';

/** Login, register, reset and verification: 10 a minute per client address. */
export const throttled = { rateLimit: { max: 10, timeWindow: 60_000 } };
const OAUTH_STATE_COOKIE = 'souk_oauth_state';

/** The ways in and out: CSRF token, public keys, register, password and second factor, refresh, sign-out. */
export function registerSignInRoutes(app: AuthApp, kit: AuthRouteKit) {
  const { service, cookies, devices, signInClient, answer, cookieModeChecks } = kit;

  app.get(
    '/auth/csrf',
    {
      schema: {
        tags: ['auth'],
        summary: 'A CSRF token for cookie sessions (send it as X-CSRF-Token)',
        response: { 200: CsrfToken },
      },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      return { token: issueCsrfToken(request, reply, cookies) };
    },
  );

  app.get(
    '/auth/jwks.json',
    {
      schema: {
        tags: ['auth'],
        summary: 'Public keys that verify Souk access tokens',
        response: { 200: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }) },
      },
    },
    async () => kit.publicJwks as { keys: Record<string, unknown>[] },
  );

  app.post(
    '/auth/register',
    {
      config: throttled,
      schema: {
        tags: ['auth'],
        summary: 'Create an account with e-mail and password; signs in and mails a verification link',
        querystring: SessionModeQuery,
        body: RegisterBody,
        response: { 201: SignedIn, ...problemResponses(400, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      cookieModeChecks(request, request.query.mode);
      const session = await service.register(request.ctx, request.body, clientOf(request));
      devices.remember(request, reply, session.user.id);
      reply.code(201);
      return answer(reply, session, request.query.mode);
    },
  );

  app.post(
    '/auth/login',
    {
      config: throttled,
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail and password (answers mfa_required when two-factor is on)',
        querystring: SessionModeQuery,
        body: LoginBody,
        response: { 200: LoginResult, ...problemResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      cookieModeChecks(request, request.query.mode);
      const result = await service.login(request.ctx, request.body, signInClient(request));
      if (result.status === 'mfa_required') return result;
      devices.remember(request, reply, result.user.id);
      return answer(reply, result, request.query.mode);
    },
  );

  app.post(
    '/auth/login/mfa',
    {
      config: throttled,
      schema: {
        tags: ['auth'],
        summary: 'Finish signing in with a TOTP code or a recovery code',
        querystring: SessionModeQuery,
        body: MfaLoginBody,
        response: { 200: SignedIn, ...problemResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      cookieModeChecks(request, request.query.mode);
      const session = await service.loginWithSecondFactor(request.ctx, request.body, clientOf(request));
      devices.remember(request, reply, session.user.id);
      return answer(reply, session, request.query.mode);
    },
  );

  app.post(
    '/auth/refresh',
    {
      schema: {
        tags: ['auth'],
        summary: 'Trade a refresh token for new tokens (each refresh token works once)',
        querystring: SessionModeQuery,
        body: RefreshBody.nullish(),
        response: { 200: SignedIn, ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const mode = request.query.mode;
      const fromCookie = request.cookies[REFRESH_COOKIE];
      const refreshToken = request.body?.refreshToken ?? (mode === 'cookie' ? fromCookie : undefined);
      if (!refreshToken) throw authError('invalid_refresh_token', 'Send refreshToken in the body.');
      cookieModeChecks(request, mode);
      try {
        return answer(reply, await service.refresh(request.ctx, refreshToken, clientOf(request)), mode);
      } catch (error) {
        if (mode === 'cookie' && error instanceof AppError && error.status === 401)
          clearSessionCookies(reply, cookies);
        throw error;
      }
    },
  );

  app.post(
    '/auth/logout',
    {
      preHandler: requireActor,
      schema: {
        tags: ['auth'],
        summary: 'End this session',
        response: { 204: z.undefined(), ...problemResponses(401, 403) },
      },
    },
    async (request, reply) => {
      await service.logout(request.ctx);
      clearSessionCookies(reply, cookies);
      return reply.code(204).send();
    },
  );
}

/** Sign-in through OpenID Connect providers: the list, the start (bound to this browser), the return. */
export function registerOidcRoutes(app: AuthApp, kit: AuthRouteKit) {
  const { service, oidc, cookies, devices } = kit;

  app.get(
    '/auth/oauth/providers',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign-in providers this site offers',
        response: { 200: OAuthProviderList },
      },
    },
    async () => ({ items: oidc.list() }),
  );

  app.get(
    '/auth/oauth/:provider/start',
    {
      config: throttled,
      schema: {
        tags: ['auth'],
        summary: 'Go to the provider to sign in (browser redirect); link=true links it to my account',
        params: ProviderParams,
        querystring: OAuthStartQuery,
        response: { 302: z.undefined(), ...problemResponses(400, 401, 404, 429) },
      },
    },
    async (request, reply) => {
      const link = request.query.link === 'true';
      if (link && !request.ctx.actor) throw authError('oauth_failed', 'Sign in first to link an account.');
      const { url, state } = await oidc.start(request.params.provider, {
        returnTo: request.query.returnTo,
        linkUserId: link ? (request.ctx.actor?.userId ?? null) : null,
        cookieSession: true,
      });
      // Binds the attempt to this browser: a callback URL opened anywhere else is refused, so
      // nobody can sign a victim into their account (or link theirs) by sending a link.
      reply.setCookie(OAUTH_STATE_COOKIE, state, {
        httpOnly: true,
        secure: cookies.secure,
        sameSite: 'lax',
        path: '/api/v1/auth/oauth',
        maxAge: 600,
      });
      return reply.redirect(url.href, 302);
    },
  );

  app.get(
    '/auth/oauth/:provider/callback',
    {
      schema: {
        tags: ['auth'],
        summary: 'Where the provider sends the browser back; signs in and returns to the app',
        params: ProviderParams,
        querystring: OAuthCallbackQuery,
        response: { 302: z.undefined() },
      },
    },
    async (request, reply) => {
      // A person is looking at this page: failures go back to the sign-in page, not JSON.
      const query = request.url.split('?')[1] ?? '';
      try {
        if (request.query.error)
          throw authError('oauth_failed', request.query.error_description ?? request.query.error);
        const boundState = request.cookies[OAUTH_STATE_COOKIE];
        reply.clearCookie(OAUTH_STATE_COOKIE, { path: '/api/v1/auth/oauth' });
        if (!boundState || !request.query.state || !safeEqual(boundState, request.query.state)) {
          throw authError('oauth_failed', 'This sign-in was not started in this browser.');
        }
        const { identity, attempt } = await oidc.finish(request.params.provider, query);
        const session = await service.completeExternalSignIn(
          { provider: request.params.provider, ...identity, linkUserId: attempt.linkUserId },
          clientOf(request),
        );
        setSessionCookies(reply, session, cookies);
        devices.remember(request, reply, session.user.id);
        return reply.redirect(attempt.returnTo, 302);
      } catch (error) {
        const code = error instanceof AppError ? error.code : 'oauth_failed';
        request.log.warn({ err: error, provider: request.params.provider }, 'social sign-in failed');
        return reply.redirect(`/sign-in?error=${encodeURIComponent(code)}`, 302);
      }
    },
  );
}
