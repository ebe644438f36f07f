import {
  ChangePasswordBody,
  CurrentSession,
  ForgotPasswordBody,
  ReauthBody,
  RecoveryCodes,
  ResetPasswordBody,
  SessionList,
  TokenBody,
  TotpCodeBody,
  TotpEnrolment,
} from '@souk/contracts';
import { z } from 'zod';
import { requireActor } from '../../platform/http/context.js';
import { problemResponses } from '../../platform/http/openapi.js';
import { clientOf } from './auth.http.js';
import type { AuthApp, AuthRouteKit } from './auth.routes.js';
import { throttled } from './auth.sign-in.routes.js';

const Accepted = z.object({ status: z.literal('accepted') });

/** The signed-in account: its sessions, password, mailed links (reset, unlock, verify) and two-factor. */
export function registerAccountRoutes(app: AuthApp, kit: AuthRouteKit) {
  const { service, devices } = kit;

  app.get(
    '/auth/session',
    {
      preHandler: requireActor,
      schema: {
        tags: ['auth'],
        summary: 'Who is signed in, through which session',
        response: { 200: CurrentSession, ...problemResponses(401) },
      },
    },
    (request) => service.currentSession(request.ctx),
  );

  app.get(
    '/auth/sessions',
    {
      preHandler: requireActor,
      schema: {
        tags: ['auth'],
        summary: 'My active sessions, most recently used first',
        response: { 200: SessionList, ...problemResponses(401) },
      },
    },
    (request) => service.listSessions(request.ctx),
  );

  app.delete(
    '/auth/sessions/:id',
    {
      preHandler: requireActor,
      schema: {
        tags: ['auth'],
        summary: 'End one of my sessions',
        params: z.object({ id: z.uuid() }),
        response: { 204: z.undefined(), ...problemResponses(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      await service.revokeSession(request.ctx, request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/auth/sessions/revoke-others',
    {
      preHandler: requireActor,
      schema: {
        tags: ['auth'],
        summary: 'End every session but this one',
        response: { 200: z.object({ revoked: z.number().int() }), ...problemResponses(401, 403) },
      },
    },
    async (request) => ({ revoked: await service.revokeOtherSessions(request.ctx) }),
  );

  app.post(
    '/auth/password/change',
    {
      preHandler: requireActor,
      schema: {
        tags: ['auth'],
        summary: 'Change my password; ends my other sessions',
        body: ChangePasswordBody,
        response: { 204: z.undefined(), ...problemResponses(400, 401, 403) },
      },
    },
    async (request, reply) => {
      await service.changePassword(request.ctx, request.body);
      return reply.code(204).send();
    },
  );

  app.post(
    '/auth/password/forgot',
    {
      config: throttled,
      schema: {
        tags: ['auth'],
        summary: 'Mail a reset link (same answer whether or not the address has an account)',
        body: ForgotPasswordBody,
        response: { 202: Accepted, ...problemResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await service.forgotPassword(request.ctx, request.body);
      reply.code(202);
      return { status: 'accepted' as const };
    },
  );

  app.post(
    '/auth/password/reset',
    {
      config: throttled,
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with the mailed token; ends every session',
        body: ResetPasswordBody,
        response: { 204: z.undefined(), ...problemResponses(400, 429) },
      },
    },
    async (request, reply) => {
      const { userId } = await service.resetPassword(request.ctx, request.body);
      // The mailed link proved the owner: this browser gets past the per-account sign-in limit.
      devices.remember(request, reply, userId);
      return reply.code(204).send();
    },
  );

  app.post(
    '/auth/unlock/request',
    {
      config: throttled,
      schema: {
        tags: ['auth'],
        summary:
          'Mail an unlock link after too many wrong passwords (same answer whether or not the address has an account)',
        body: ForgotPasswordBody,
        response: { 202: Accepted, ...problemResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await service.requestUnlock(request.ctx, request.body);
      reply.code(202);
      return { status: 'accepted' as const };
    },
  );

  app.post(
    '/auth/unlock',
    {
      config: throttled,
      schema: {
        tags: ['auth'],
        summary: 'Use a mailed unlock link: this browser can sign in to the account again',
        body: TokenBody,
        response: { 204: z.undefined(), ...problemResponses(400, 429) },
      },
    },
    async (request, reply) => {
      const { userId } = await service.unlockAccount(request.ctx, request.body, clientOf(request));
      devices.remember(request, reply, userId);
      return reply.code(204).send();
    },
  );

  app.post(
    '/auth/verify-email',
    {
      config: throttled,
      schema: {
        tags: ['auth'],
        summary: 'Confirm an e-mail address with the mailed token',
        body: TokenBody,
        response: { 204: z.undefined(), ...problemResponses(400, 429) },
      },
    },
    async (request, reply) => {
      await service.verifyEmail(request.ctx, request.body);
      return reply.code(204).send();
    },
  );

  app.post(
    '/auth/verify-email/resend',
    {
      preHandler: requireActor,
      config: throttled,
      schema: {
        tags: ['auth'],
        summary: 'Mail a new verification link',
        response: { 202: Accepted, ...problemResponses(401, 403, 429) },
      },
    },
    async (request, reply) => {
      await service.resendVerification(request.ctx);
      reply.code(202);
      return { status: 'accepted' as const };
    },
  );

  app.post(
    '/auth/two-factor/totp',
    {
      preHandler: requireActor,
      schema: {
        tags: ['auth'],
        summary: 'Start two-factor set-up: a secret and otpauth URI for an authenticator app',
        response: { 200: TotpEnrolment, ...problemResponses(401, 403, 409) },
      },
    },
    (request) => service.startTotp(request.ctx),
  );

  app.post(
    '/auth/two-factor/totp/confirm',
    {
      preHandler: requireActor,
      config: throttled,
      schema: {
        tags: ['auth'],
        summary: 'Turn two-factor on with a first code; returns single-use recovery codes',
        body: TotpCodeBody,
        response: { 200: RecoveryCodes, ...problemResponses(400, 401, 403, 409, 429) },
      },
    },
    (request) => service.confirmTotp(request.ctx, request.body),
  );

  app.post(
    '/auth/two-factor/totp/disable',
    {
      preHandler: requireActor,
      config: throttled,
      schema: {
        tags: ['auth'],
        summary: 'Turn two-factor off (needs the password, or a code for an account without one)',
        body: ReauthBody,
        response: { 204: z.undefined(), ...problemResponses(400, 401, 403, 409, 429) },
      },
    },
    async (request, reply) => {
      await service.disableTotp(request.ctx, request.body);
      return reply.code(204).send();
    },
  );

  app.post(
    '/auth/two-factor/recovery-codes',
    {
      preHandler: requireActor,
      config: throttled,
      schema: {
        tags: ['auth'],
        summary: 'Replace my recovery codes (needs the password, or a code for an account without one)',
        body: ReauthBody,
        response: { 200: RecoveryCodes, ...problemResponses(400, 401, 403, 409, 429) },
      },
    },
    (request) => service.regenerateRecoveryCodes(request.ctx, request.body),
  );
}
