import type { CurrentSession, SessionInfo, SessionList, SessionUser } from '@souk/contracts';
import type { Cache } from '../../platform/cache.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { EventPublisher } from '../../platform/events.js';
import type { RequestContext, Role } from '../../platform/http/context.js';
import type { Logger } from '../../platform/logger.js';
import { decryptSecret, encryptSecret, randomToken, sha256 } from './auth.crypto.js';
import { authError } from './auth.errors.js';
import type { AuthEvents } from './auth.events.js';
import type { AuthRepository } from './auth.repository.js';
import type { SessionRow, UserRow } from './auth.schema.js';
import type { TokenService } from './auth.tokens.js';
import type { ClientInfo, IssuedSession, ProfilePort } from './auth.types.js';

const SESSION_STATE_TTL_SECONDS = 30;

/** `userId` is the session's owner: a token naming another subject gets nothing from the cache. */
type SessionState = { userId: string | null; active: boolean; role: Role };
const sessionStateKey = (sessionId: string) => `auth:session-state:${sessionId}`;

/** The signed-in caller of a session-bound operation, or `invalid_refresh_token` (401). */
export function requireActor(ctx: RequestContext) {
  if (!ctx.actor || !ctx.sessionId) throw authError('invalid_refresh_token', 'Sign in first.');
  return { userId: ctx.actor.userId, sessionId: ctx.sessionId };
}

/**
 * What every way of signing in and every account change shares: opening a session (a
 * refresh-token family), signing its access token, answering with the session's user, and
 * forgetting revoked sessions' cached state.
 */
export function createSessionIssuer(deps: {
  repository: AuthRepository;
  tokens: TokenService;
  cache: Cache;
  profiles: Pick<ProfilePort, 'summaryOf'>;
  config: { refreshTtlDays: number };
}) {
  const { repository, tokens, cache, config } = deps;

  async function toSessionUser(user: UserRow): Promise<SessionUser> {
    const profile = await deps.profiles.summaryOf(user.id);
    return {
      id: user.id,
      email: user.email ?? '',
      emailVerified: user.emailVerifiedAt !== null,
      role: user.role,
      displayName: profile?.displayName ?? 'Member',
      avatarUrl: profile?.avatarUrl ?? null,
      twoFactorEnabled: user.totpEnabledAt !== null,
      hasPassword: user.passwordHash !== null,
    };
  }

  function toSessionInfo(session: SessionRow, currentId: string | null): SessionInfo {
    return {
      id: session.id,
      method: session.method,
      userAgent: session.userAgent,
      ipAddress: session.ipAddress,
      createdAt: session.createdAt.toISOString(),
      lastUsedAt: session.lastUsedAt.toISOString(),
      current: session.id === currentId,
    };
  }

  async function issueRefreshToken(tx: Queryable, sessionId: string): Promise<string> {
    const refreshToken = randomToken();
    await repository.insertRefreshToken(tx, {
      sessionId,
      tokenHash: sha256(refreshToken),
      expiresAt: new Date(Date.now() + config.refreshTtlDays * 86_400_000),
    });
    return refreshToken;
  }

  /** Opens a session (a refresh-token family) and signs its first access token. */
  async function openSession(tx: Queryable, user: UserRow, method: string, client: ClientInfo) {
    const session = await repository.insertSession(tx, {
      userId: user.id,
      method,
      userAgent: client.userAgent,
      ipAddress: client.ipAddress,
      expiresAt: new Date(Date.now() + config.refreshTtlDays * 86_400_000),
    });
    const refreshToken = await issueRefreshToken(tx, session.id);
    return { session, refreshToken };
  }

  async function signedIn(user: UserRow, sessionId: string, refreshToken: string): Promise<IssuedSession> {
    const accessToken = await tokens.signAccessToken({ userId: user.id, role: user.role, sessionId });
    return {
      status: 'signed_in',
      user: await toSessionUser(user),
      accessToken,
      refreshToken,
      expiresIn: tokens.accessTtlSeconds,
      sessionId,
    };
  }

  async function forgetSessions(ids: string[]) {
    for (const id of ids) await cache.delete(sessionStateKey(id));
  }

  async function activeUser(db: Queryable, userId: string): Promise<UserRow> {
    const user = await repository.findUserById(db, userId);
    if (!user || user.status === 'deleted') throw authError('invalid_refresh_token', 'Sign in again.');
    return user;
  }

  return {
    toSessionUser,
    toSessionInfo,
    issueRefreshToken,
    openSession,
    signedIn,
    forgetSessions,
    activeUser,
  };
}

export type SessionIssuer = ReturnType<typeof createSessionIssuer>;

/**
 * Sessions once open: refresh-token rotation (reuse revokes the family, except in the grace
 * window), signing out, the sessions list, and whether an access token's session still stands.
 */
export function createSessionService(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: AuthRepository;
  cache: Cache;
  events: EventPublisher<AuthEvents>;
  logger: Pick<Logger, 'warn'>;
  config: { refreshReuseGraceSeconds: number; encryptionKey: string };
  issuer: SessionIssuer;
}) {
  const { database, repository, cache, events, logger, config } = deps;
  const { toSessionUser, toSessionInfo, issueRefreshToken, signedIn, forgetSessions, activeUser } =
    deps.issuer;

  return {
    /**
     * Rotates a refresh token. A token used twice means it leaked: the whole family (session)
     * is revoked, so neither the thief nor the owner can go on with it. Except within the grace
     * window after its rotation: tabs that refresh at once with the same cookie each get the
     * one successor, and the family stands (decision 022).
     */
    async refresh(_ctx: RequestContext, refreshToken: string, client: ClientInfo): Promise<IssuedSession> {
      const graceMs = config.refreshReuseGraceSeconds * 1000;
      const outcome = await database.transaction(async (tx) => {
        // The row lock orders two refreshes of one token (two nodes, same instant): the second
        // reads the first's committed rotation and its successor.
        const token = await repository.lockRefreshToken(tx, sha256(refreshToken));
        if (!token) return { kind: 'invalid' as const };
        const session = await repository.findSession(tx, token.sessionId);
        if (!session) return { kind: 'invalid' as const };
        const live = !session.revokedAt && session.expiresAt > new Date();
        if (token.usedAt) {
          const inGrace =
            live && token.successorSealed !== null && Date.now() - token.usedAt.getTime() <= graceMs;
          if (inGrace) {
            const user = await repository.findUserById(tx, session.userId);
            if (user?.status !== 'active') return { kind: 'invalid' as const };
            return {
              kind: 'rotated' as const,
              user,
              session,
              refreshToken: decryptSecret(config.encryptionKey, token.successorSealed as string),
            };
          }
          const revoked = await repository.revokeSessions(
            tx,
            { sessionId: session.id },
            'refresh_token_reused',
          );
          if (revoked.length > 0) {
            await events.publish(tx, 'auth.refresh_token_reused', {
              userId: session.userId,
              sessionId: session.id,
            });
          }
          return { kind: 'reused' as const, session, revoked };
        }
        if (!live || token.expiresAt < new Date()) return { kind: 'invalid' as const };
        const user = await repository.findUserById(tx, session.userId);
        if (user?.status !== 'active') return { kind: 'invalid' as const };
        await repository.touchSession(tx, session.id, client);
        const successor = await issueRefreshToken(tx, session.id);
        await repository.markRefreshTokenUsed(
          tx,
          token.id,
          graceMs > 0 ? encryptSecret(config.encryptionKey, successor) : null,
        );
        return { kind: 'rotated' as const, user, session, refreshToken: successor };
      });
      if (outcome.kind === 'reused') {
        await forgetSessions(outcome.revoked);
        logger.warn(
          { userId: outcome.session.userId, sessionId: outcome.session.id, event: 'refresh_token_reused' },
          'a used refresh token was presented again; its session is revoked',
        );
        throw authError('refresh_token_reused');
      }
      if (outcome.kind === 'invalid') throw authError('invalid_refresh_token');
      return signedIn(outcome.user, outcome.session.id, outcome.refreshToken);
    },

    async logout(ctx: RequestContext): Promise<void> {
      const { sessionId } = requireActor(ctx);
      await database.transaction((tx) => repository.revokeSessions(tx, { sessionId }, 'signed_out'));
      await forgetSessions([sessionId]);
    },

    async currentSession(ctx: RequestContext): Promise<CurrentSession> {
      const { userId, sessionId } = requireActor(ctx);
      const user = await activeUser(database.db, userId);
      const session = await repository.findSession(database.db, sessionId);
      if (!session) throw authError('invalid_refresh_token');
      return { user: await toSessionUser(user), session: toSessionInfo(session, sessionId) };
    },

    async listSessions(ctx: RequestContext): Promise<SessionList> {
      const { userId, sessionId } = requireActor(ctx);
      const rows = await repository.listActiveSessions(database.db, userId);
      return { items: rows.map((row) => toSessionInfo(row, sessionId)) };
    },

    async revokeSession(ctx: RequestContext, id: string): Promise<void> {
      const { userId } = requireActor(ctx);
      const session = await repository.findSession(database.db, id);
      // Someone else's session answers exactly like a missing one.
      if (!session || session.userId !== userId || session.revokedAt) throw authError('session_not_found');
      await database.transaction((tx) => repository.revokeSessions(tx, { sessionId: id }, 'revoked_by_user'));
      await forgetSessions([id]);
    },

    async revokeOtherSessions(ctx: RequestContext): Promise<number> {
      const { userId, sessionId } = requireActor(ctx);
      const revoked = await database.transaction((tx) =>
        repository.revokeSessions(tx, { userId, except: sessionId }, 'revoked_by_user'),
      );
      await forgetSessions(revoked);
      return revoked.length;
    },

    /**
     * Whether an access token's session still stands, and the account's current role: a
     * revoked session or a demoted user stops working within SESSION_STATE_TTL_SECONDS on
     * other nodes with per-node caches, at once with Redis or on this node.
     */
    async sessionState(sessionId: string, userId: string): Promise<SessionState> {
      const key = sessionStateKey(sessionId);
      let state = await cache.get<SessionState>(key);
      if (!state) {
        // Cached by what the session is, whoever asks: a token naming another subject can
        // neither read the owner's state nor poison it.
        const session = await repository.findSession(database.db, sessionId);
        const user = session ? await repository.findUserById(database.db, session.userId) : undefined;
        state = {
          userId: session?.userId ?? null,
          active: Boolean(
            session &&
              user &&
              !session.revokedAt &&
              session.expiresAt > new Date() &&
              user.status === 'active',
          ),
          role: user?.role ?? 'member',
        };
        await cache.set(key, state, SESSION_STATE_TTL_SECONDS);
      }
      if (state.userId !== userId) return { userId: state.userId, active: false, role: 'member' };
      return state;
    },
  };
}
