import type { FastifyReply, FastifyRequest } from 'fastify';
import { platformError } from './errors.js';

export type Role = 'member' | 'moderator' | 'admin';

export type Actor = { userId: string; roles: readonly Role[] };

/** What a service method learns about the call it serves: `service.method(ctx, input)`. */
export type RequestContext = {
  actor: Actor | null;
  requestId: string;
  /** The session the actor signed in with (null for anonymous and system work). */
  sessionId: string | null;
};

/** Who is calling, and through which session; what an ActorResolver finds. */
export type Caller = { actor: Actor; sessionId: string | null };

/**
 * Turns a request into its actor; the identity module provides the real one (tokens, cookies).
 * It may answer `null` at once (no credentials at all) instead of a promise.
 */
export type ActorResolver = (request: FastifyRequest) => Promise<Caller | null> | null;

export const anonymous: ActorResolver = async () => null;

/** A context for work that no HTTP request started: seed scripts, jobs, the CLI. */
export function systemContext(requestId = 'system'): RequestContext {
  return {
    actor: { userId: '00000000-0000-0000-0000-000000000000', roles: ['admin'] },
    requestId,
    sessionId: null,
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
}

/**
 * The one route-level guard: `preHandler: requireRole('admin')`. No actor is a 401, an actor
 * without any of the roles a 403.
 */
export function requireRole(...roles: Role[]) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const actor = request.ctx.actor;
    if (!actor) throw platformError('unauthenticated', 'This endpoint needs a signed-in user.');
    if (!actor.roles.some((role) => roles.includes(role))) {
      throw platformError('forbidden', `This endpoint needs the ${roles.join(' or ')} role.`);
    }
  };
}

/** Any signed-in user. */
export async function requireActor(request: FastifyRequest): Promise<void> {
  if (!request.ctx.actor) throw platformError('unauthenticated', 'This endpoint needs a signed-in user.');
}

/** Rate-limit key of per-member limits: the signed-in member, else the address (a carrier's NAT is shared). */
export const perMember = (request: FastifyRequest): string => request.ctx.actor?.userId ?? request.ip;

/**
 * onSend hook of route plugins whose answers depend on who asks (`votedHelpful`, unread marks):
 * an answer to a signed-in caller is private to them and never kept by a shared cache.
 */
export function privateWhenSignedIn(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  done: (error: null, payload: unknown) => void,
): void {
  if (request.ctx.actor) reply.header('cache-control', 'private, no-store');
  done(null, payload);
}

/**
 * The signed-in member a service method acts for; anonymous callers get a 401 whose detail says
 * what signing in is for (`detail`).
 */
export function requireUser(ctx: RequestContext, detail = 'Sign in first.'): string {
  if (!ctx.actor) throw platformError('unauthenticated', detail);
  return ctx.actor.userId;
}
