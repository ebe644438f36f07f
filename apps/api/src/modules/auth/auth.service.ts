import { randomBytes } from 'node:crypto';
import type { CurrentSession, SessionInfo, SessionList, SessionUser, SignedIn } from '@souk/contracts';
import * as OTPAuth from 'otpauth';
import type { Cache } from '../../platform/cache.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import type { EventPublisher } from '../../platform/events.js';
import type { RequestContext, Role } from '../../platform/http/context.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import { sendMail } from '../../platform/mail/mail.jobs.js';
import { mailTemplates } from '../../platform/mail/templates.js';
import {
  burnPasswordCheck,
  decryptSecret,
  encryptSecret,
  hashPassword,
  isCommonPassword,
  randomToken,
  sha256,
  verifyPassword,
} from './auth.crypto.js';
import { authError } from './auth.errors.js';
import type { AuthEvents } from './auth.events.js';
import type { AuthRepository } from './auth.repository.js';
import type { SessionRow, UserRow } from './auth.schema.js';
import type { TokenService } from './auth.tokens.js';

/** What the auth module needs of profiles (implemented by the users module). */
export type ProfilePort = {
  createProfile(tx: Queryable, input: { userId: string; displayName: string }): Promise<void>;
  summaryOf(userId: string): Promise<{ displayName: string; avatarUrl: string | null } | null>;
};

/**
 * Where a request comes from; recorded on the session (the "device" in the sessions list).
 * `knownUserIds` are the accounts that signed in before in this browser (its signed device
 * cookie, checked by the HTTP layer).
 */
export type ClientInfo = {
  ipAddress: string | null;
  userAgent: string | null;
  knownUserIds?: readonly string[] | undefined;
};

/** A signed-in result plus the refresh token, which routes put in a cookie or the body. */
export type IssuedSession = SignedIn & { refreshToken: string; accessToken: string; sessionId: string };

export type AuthServiceConfig = {
  publicUrl: string;
  refreshTtlDays: number;
  /** How long a rotated refresh token still answers with its successor; 0 turns the grace off. */
  refreshReuseGraceSeconds: number;
  adminEmail?: string | undefined;
  encryptionKey: string;
};

const VERIFY_EMAIL_TTL_MS = 48 * 3600_000;
const RESET_PASSWORD_TTL_MS = 3600_000;
const UNLOCK_TTL_MS = 3600_000;
/** One unlock mail per account in this time: a flood of requests sends no flood of mail. */
const UNLOCK_MAIL_INTERVAL_SECONDS = 10 * 60;
const ACCOUNT_ATTEMPTS = { max: 10, windowSeconds: 15 * 60 };
/**
 * Failed password sign-ins (decision 022). Only failures count, and each limit stops a different
 * attacker without handing a stranger the power to lock the owner out:
 * - one account from one address: someone guessing one member's password;
 * - one network (/24 IPv4, /64 IPv6): one host or subnet guessing many accounts (stuffing);
 * - one account from anywhere: guessing spread over many addresses. It is high, and it does not
 *   stop a browser the account signed in from before, nor one that opened a mailed unlock link.
 */
export const LOGIN_LIMITS = {
  windowSeconds: 15 * 60,
  accountAddress: 5,
  network: 100,
  accountWindowSeconds: 3600,
  account: 100,
};
const SESSION_STATE_TTL_SECONDS = 30;
const TOTP = { issuer: 'Souk', digits: 6, period: 30, algorithm: 'SHA1' } as const;

/** `userId` is the session's owner: a token naming another subject gets nothing from the cache. */
type SessionState = { userId: string | null; active: boolean; role: Role };
const sessionStateKey = (sessionId: string) => `auth:session-state:${sessionId}`;

/** The network an address belongs to, for the per-network limit: its /24 (IPv4) or /64 (IPv6). */
export function networkOf(address: string | null): string {
  if (!address) return 'unknown';
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+)\.\d+$/i.exec(address);
  if (v4) return `${v4[1]}.0/24`;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export function createAuthService(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: AuthRepository;
  tokens: TokenService;
  jobs: Pick<Jobs, 'send'>;
  events: EventPublisher<AuthEvents>;
  cache: Cache;
  profiles: ProfilePort;
  logger: Logger;
  config: AuthServiceConfig;
}) {
  const { database, repository, tokens, jobs, events, cache, logger, config } = deps;

  /** Per-account throttle (per-address limits are the HTTP layer's): counts every attempt. */
  async function throttleAccount(kind: string, email: string) {
    const attempts = await cache.increment(
      `auth:attempts:${kind}:${sha256(email)}`,
      ACCOUNT_ATTEMPTS.windowSeconds,
    );
    if (attempts > ACCOUNT_ATTEMPTS.max) throw authError('too_many_attempts');
  }

  function loginKeys(email: string, client: ClientInfo) {
    const account = sha256(email.toLowerCase());
    return {
      accountAddress: `auth:fail:pair:${account}:${client.ipAddress ?? 'unknown'}`,
      network: `auth:fail:net:${networkOf(client.ipAddress)}`,
      account: `auth:fail:account:${account}`,
    };
  }

  /** Refuses a password sign-in the failure limits stop, before the password is checked. */
  async function assertLoginAllowed(email: string, client: ClientInfo, userId: string | null) {
    const keys = loginKeys(email, client);
    const [pair, network, account] = await Promise.all([
      cache.get<number>(keys.accountAddress),
      cache.get<number>(keys.network),
      cache.get<number>(keys.account),
    ]);
    if ((pair ?? 0) >= LOGIN_LIMITS.accountAddress || (network ?? 0) >= LOGIN_LIMITS.network) {
      throw authError(
        'too_many_attempts',
        'Too many failed sign-ins from this address. Wait 15 minutes, or reset your password.',
      );
    }
    const knownDevice = userId !== null && (client.knownUserIds ?? []).includes(userId);
    if ((account ?? 0) >= LOGIN_LIMITS.account && !knownDevice) {
      throw authError(
        'account_locked',
        'Many wrong passwords were tried for this account, so new devices cannot sign in for now. ' +
          'Ask for an unlock link (POST /api/v1/auth/unlock/request with your e-mail), open it in ' +
          'this browser, then sign in. A browser you signed in with before still can.',
      );
    }
  }

  async function countLoginFailure(email: string, client: ClientInfo) {
    const keys = loginKeys(email, client);
    const [, network] = await Promise.all([
      cache.increment(keys.accountAddress, LOGIN_LIMITS.windowSeconds),
      cache.increment(keys.network, LOGIN_LIMITS.windowSeconds),
      cache.increment(keys.account, LOGIN_LIMITS.accountWindowSeconds),
    ]);
    if (network === LOGIN_LIMITS.network) {
      logger.warn(
        { network: networkOf(client.ipAddress), event: 'login_network_limited' },
        'many failed sign-ins from one network; it is refused for a while',
      );
    }
  }

  function assertPasswordAllowed(password: string, field: string) {
    if (isCommonPassword(password)) {
      throw authError('password_too_common', 'Pick a password that is not on the list of common ones.', [
        { path: field, message: 'is one of the 10,000 most common passwords' },
      ]);
    }
  }

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

  async function sendVerification(tx: Queryable, user: UserRow, displayName: string) {
    if (!user.email) return;
    const token = randomToken();
    await repository.insertOneTimeToken(tx, {
      userId: user.id,
      purpose: 'verify_email',
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + VERIFY_EMAIL_TTL_MS),
    });
    const link = `${config.publicUrl}/verify-email?token=${encodeURIComponent(token)}`;
    await sendMail(jobs, { to: user.email, ...mailTemplates.verifyEmail({ displayName, link }) }, { tx });
  }

  function requireActor(ctx: RequestContext) {
    if (!ctx.actor || !ctx.sessionId) throw authError('invalid_refresh_token', 'Sign in first.');
    return { userId: ctx.actor.userId, sessionId: ctx.sessionId };
  }

  async function activeUser(db: Queryable, userId: string): Promise<UserRow> {
    const user = await repository.findUserById(db, userId);
    if (!user || user.status === 'deleted') throw authError('invalid_refresh_token', 'Sign in again.');
    return user;
  }

  function newTotp(secret: OTPAuth.Secret, label: string) {
    return new OTPAuth.TOTP({ ...TOTP, label, secret });
  }

  /** Checks a TOTP code and refuses one already used (replay) within its window. */
  async function acceptTotp(
    tx: Queryable,
    user: UserRow,
    code: string,
    sealedSecret: string,
  ): Promise<boolean> {
    const totp = newTotp(
      OTPAuth.Secret.fromBase32(decryptSecret(config.encryptionKey, sealedSecret)),
      user.email ?? '',
    );
    const delta = totp.validate({ token: code, window: 1 });
    if (delta === null) return false;
    const step = Math.floor(Date.now() / 1000 / TOTP.period) + delta;
    if (user.totpLastStep !== null && step <= user.totpLastStep) return false;
    await repository.updateUser(tx, user.id, { totpLastStep: step });
    return true;
  }

  function newRecoveryCodes(): string[] {
    return Array.from({ length: 10 }, () => {
      const raw = randomBytes(6).toString('hex'); // 48 bits each
      return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
    });
  }

  /**
   * Re-authentication for sensitive changes: the password when the account has one; an account
   * that only signs in through a provider proves itself with a current TOTP code instead.
   */
  async function assertOwner(
    user: UserRow,
    input: { password?: string | undefined; code?: string | undefined },
  ) {
    if (user.passwordHash) {
      if (input.password === undefined || !(await verifyPassword(user.passwordHash, input.password))) {
        throw authError('wrong_password');
      }
      return;
    }
    const sealed = user.totpSecret;
    const accepted =
      input.code !== undefined && sealed !== null
        ? await database.transaction(async (tx) => {
            const locked = await repository.lockUser(tx, user.id);
            return locked ? acceptTotp(tx, locked, input.code as string, sealed) : false;
          })
        : false;
    if (!accepted)
      throw authError('invalid_mfa_code', 'This account has no password: confirm with a current code.');
  }

  const normaliseRecoveryCode = (code: string) =>
    code
      .trim()
      .toLowerCase()
      .replaceAll(/[^0-9a-f]/g, '');

  return {
    async register(
      _ctx: RequestContext,
      input: { email: string; password: string; displayName: string },
      client: ClientInfo,
    ): Promise<IssuedSession> {
      assertPasswordAllowed(input.password, 'body.password');
      await throttleAccount('register', input.email);
      const passwordHash = await hashPassword(input.password);
      try {
        const { user, session, refreshToken } = await database.transaction(async (tx) => {
          if (await repository.findUserByEmail(tx, input.email)) throw authError('email_taken');
          const created = await repository.insertUser(tx, {
            email: input.email,
            passwordHash,
            role: 'member',
          });
          await deps.profiles.createProfile(tx, { userId: created.id, displayName: input.displayName });
          await sendVerification(tx, created, input.displayName);
          await events.publish(tx, 'auth.user_registered', { userId: created.id, method: 'password' });
          return { user: created, ...(await openSession(tx, created, 'password', client)) };
        });
        return signedIn(user, session.id, refreshToken);
      } catch (error) {
        if (isUniqueViolation(error)) throw authError('email_taken');
        throw error;
      }
    },

    async login(
      _ctx: RequestContext,
      input: { email: string; password: string },
      client: ClientInfo,
    ): Promise<{ status: 'mfa_required'; mfaToken: string } | IssuedSession> {
      const user = await repository.findUserByEmail(database.db, input.email);
      await assertLoginAllowed(input.email, client, user?.id ?? null);
      if (!user?.passwordHash || user.status === 'deleted') {
        await burnPasswordCheck(input.password);
        await countLoginFailure(input.email, client);
        throw authError('invalid_credentials');
      }
      if (!(await verifyPassword(user.passwordHash, input.password))) {
        await countLoginFailure(input.email, client);
        throw authError('invalid_credentials');
      }
      // The owner's own mistypes from this address are forgiven once they get it right.
      await cache.delete(loginKeys(input.email, client).accountAddress);
      if (user.totpEnabledAt) {
        return {
          status: 'mfa_required',
          mfaToken: await tokens.signMfaToken({ userId: user.id, method: 'password' }),
        };
      }
      const { session, refreshToken, current } = await database.transaction(async (tx) => {
        // Signing in again undoes a deactivation.
        const current =
          user.status === 'deactivated'
            ? await repository.updateUser(tx, user.id, { status: 'active' })
            : user;
        return { current, ...(await openSession(tx, current, 'password', client)) };
      });
      return signedIn(current, session.id, refreshToken);
    },

    async loginWithSecondFactor(
      _ctx: RequestContext,
      input: { mfaToken: string; code?: string | undefined; recoveryCode?: string | undefined },
      client: ClientInfo,
    ): Promise<IssuedSession> {
      const claims = await tokens.verifyMfaToken(input.mfaToken).catch(() => {
        throw authError('invalid_mfa_token');
      });
      await throttleAccount('mfa', claims.userId);
      const result = await database.transaction(async (tx) => {
        const user = await repository.lockUser(tx, claims.userId);
        if (!user || user.status === 'deleted' || !user.totpSecret || !user.totpEnabledAt)
          throw authError('invalid_mfa_token');
        const accepted = input.code
          ? await acceptTotp(tx, user, input.code, user.totpSecret)
          : await repository.useRecoveryCode(
              tx,
              user.id,
              sha256(normaliseRecoveryCode(input.recoveryCode ?? '')),
            );
        if (!accepted) throw authError('invalid_mfa_code');
        const current =
          user.status === 'deactivated'
            ? await repository.updateUser(tx, user.id, { status: 'active' })
            : user;
        const method = `${claims.method}+${input.code ? 'totp' : 'recovery_code'}`;
        return { user: current, ...(await openSession(tx, current, method, client)) };
      });
      return signedIn(result.user, result.session.id, result.refreshToken);
    },

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

    async changePassword(
      ctx: RequestContext,
      input: { currentPassword: string; newPassword: string },
    ): Promise<void> {
      const { userId, sessionId } = requireActor(ctx);
      assertPasswordAllowed(input.newPassword, 'body.newPassword');
      const user = await activeUser(database.db, userId);
      if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
        throw authError('wrong_password', 'The current password is not right.', [
          { path: 'body.currentPassword', message: 'is not your current password' },
        ]);
      }
      const passwordHash = await hashPassword(input.newPassword);
      // Read before the transaction: the embedded database has one connection, so a query
      // outside `tx` while it is open would wait for it forever.
      const profile = await deps.profiles.summaryOf(userId);
      const revoked = await database.transaction(async (tx) => {
        await repository.updateUser(tx, userId, { passwordHash, passwordChangedAt: new Date() });
        await events.publish(tx, 'auth.password_changed', { userId, reason: 'changed' });
        if (user.email) {
          await sendMail(
            jobs,
            {
              to: user.email,
              ...mailTemplates.passwordChanged({
                displayName: profile?.displayName ?? 'there',
                when: new Date(),
              }),
            },
            { tx },
          );
        }
        return repository.revokeSessions(tx, { userId, except: sessionId }, 'password_changed');
      });
      await forgetSessions(revoked);
    },

    /** Always answers the same, whether or not the address has an account. */
    async forgotPassword(_ctx: RequestContext, input: { email: string }): Promise<void> {
      await throttleAccount('reset', input.email);
      const user = await repository.findUserByEmail(database.db, input.email);
      if (!user || user.status === 'deleted' || !user.email) return;
      const token = randomToken();
      const profile = await deps.profiles.summaryOf(user.id);
      await database.transaction(async (tx) => {
        await repository.insertOneTimeToken(tx, {
          userId: user.id,
          purpose: 'reset_password',
          tokenHash: sha256(token),
          expiresAt: new Date(Date.now() + RESET_PASSWORD_TTL_MS),
        });
        const link = `${config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
        await sendMail(
          jobs,
          {
            to: user.email as string,
            ...mailTemplates.resetPassword({
              displayName: profile?.displayName ?? 'there',
              link,
              expiresInMinutes: 60,
            }),
          },
          { tx },
        );
      });
    },

    /**
     * Mails a link that lets one browser past the per-account sign-in limit (LOGIN_LIMITS).
     * Always answers the same, and mails an account at most once per UNLOCK_MAIL_INTERVAL_SECONDS
     * (the link of the last mail stays good), so nobody can flood a member's mailbox with it.
     */
    async requestUnlock(_ctx: RequestContext, input: { email: string }): Promise<void> {
      const user = await repository.findUserByEmail(database.db, input.email);
      if (!user || user.status === 'deleted' || !user.email) return;
      const sent = await cache.increment(`auth:unlock-mail:${user.id}`, UNLOCK_MAIL_INTERVAL_SECONDS);
      if (sent > 1) return;
      const token = randomToken();
      const profile = await deps.profiles.summaryOf(user.id);
      await database.transaction(async (tx) => {
        await repository.insertOneTimeToken(tx, {
          userId: user.id,
          purpose: 'unlock_account',
          tokenHash: sha256(token),
          expiresAt: new Date(Date.now() + UNLOCK_TTL_MS),
        });
        const link = `${config.publicUrl}/unlock-account?token=${encodeURIComponent(token)}`;
        await sendMail(
          jobs,
          {
            to: user.email as string,
            ...mailTemplates.unlockAccount({
              displayName: profile?.displayName ?? 'there',
              link,
              expiresInMinutes: UNLOCK_TTL_MS / 60_000,
            }),
          },
          { tx },
        );
      });
    },

    /**
     * Uses a mailed unlock link: the account's failure count starts again, and the HTTP layer
     * marks this browser as one the account signed in from (so the limit no longer stops it).
     */
    async unlockAccount(
      _ctx: RequestContext,
      input: { token: string },
      client: ClientInfo,
    ): Promise<{ userId: string }> {
      const userId = await database.transaction((tx) =>
        repository.useOneTimeToken(tx, 'unlock_account', sha256(input.token)),
      );
      const user = userId ? await repository.findUserById(database.db, userId) : undefined;
      if (!user?.email || user.status === 'deleted') throw authError('invalid_token');
      const keys = loginKeys(user.email, client);
      await Promise.all([cache.delete(keys.account), cache.delete(keys.accountAddress)]);
      return { userId: user.id };
    },

    /** Sets a new password from a mailed token, and ends every session of the account. */
    async resetPassword(
      _ctx: RequestContext,
      input: { token: string; newPassword: string },
    ): Promise<{ userId: string }> {
      assertPasswordAllowed(input.newPassword, 'body.newPassword');
      const passwordHash = await hashPassword(input.newPassword);
      const revoked = await database.transaction(async (tx) => {
        const userId = await repository.useOneTimeToken(tx, 'reset_password', sha256(input.token));
        if (!userId) throw authError('invalid_token');
        const user = await repository.lockUser(tx, userId);
        if (!user || user.status === 'deleted') throw authError('invalid_token');
        await repository.updateUser(tx, userId, {
          passwordHash,
          passwordChangedAt: new Date(),
          // The mailed link proves the address.
          emailVerifiedAt: user.emailVerifiedAt ?? new Date(),
          status: 'active',
        });
        await events.publish(tx, 'auth.password_changed', { userId, reason: 'reset' });
        return { userId, revoked: await repository.revokeSessions(tx, { userId }, 'password_reset') };
      });
      await forgetSessions(revoked.revoked);
      return { userId: revoked.userId };
    },

    async verifyEmail(_ctx: RequestContext, input: { token: string }): Promise<void> {
      await database.transaction(async (tx) => {
        const userId = await repository.useOneTimeToken(tx, 'verify_email', sha256(input.token));
        if (!userId) throw authError('invalid_token');
        const user = await repository.lockUser(tx, userId);
        if (!user || user.status === 'deleted') throw authError('invalid_token');
        const makeAdmin = Boolean(config.adminEmail && user.email === config.adminEmail.toLowerCase());
        await repository.updateUser(tx, userId, {
          emailVerifiedAt: user.emailVerifiedAt ?? new Date(),
          ...(makeAdmin ? { role: 'admin' as const } : {}),
        });
        await events.publish(tx, 'auth.email_verified', { userId });
      });
    },

    async resendVerification(ctx: RequestContext): Promise<void> {
      const { userId } = requireActor(ctx);
      const user = await activeUser(database.db, userId);
      if (user.emailVerifiedAt || !user.email) return;
      await throttleAccount('verify', user.email);
      const profile = await deps.profiles.summaryOf(userId);
      await database.transaction((tx) => sendVerification(tx, user, profile?.displayName ?? 'there'));
    },

    async startTotp(ctx: RequestContext): Promise<{ secret: string; otpauthUri: string }> {
      const { userId } = requireActor(ctx);
      const user = await activeUser(database.db, userId);
      if (user.totpEnabledAt) throw authError('two_factor_already_enabled');
      const secret = new OTPAuth.Secret({ size: 20 });
      await database.transaction((tx) =>
        repository.updateUser(tx, userId, {
          totpSecret: encryptSecret(config.encryptionKey, secret.base32),
          totpLastStep: null,
        }),
      );
      return { secret: secret.base32, otpauthUri: newTotp(secret, user.email ?? userId).toString() };
    },

    async confirmTotp(ctx: RequestContext, input: { code: string }): Promise<{ recoveryCodes: string[] }> {
      const { userId } = requireActor(ctx);
      return database.transaction(async (tx) => {
        const user = await repository.lockUser(tx, userId);
        if (!user) throw authError('invalid_refresh_token');
        if (user.totpEnabledAt) throw authError('two_factor_already_enabled');
        if (!user.totpSecret) throw authError('two_factor_not_started');
        if (!(await acceptTotp(tx, user, input.code, user.totpSecret))) throw authError('invalid_mfa_code');
        await repository.updateUser(tx, userId, { totpEnabledAt: new Date() });
        const codes = newRecoveryCodes();
        await repository.replaceRecoveryCodes(
          tx,
          userId,
          codes.map((code) => sha256(normaliseRecoveryCode(code))),
        );
        return { recoveryCodes: codes };
      });
    },

    async disableTotp(
      ctx: RequestContext,
      input: { password?: string | undefined; code?: string | undefined },
    ): Promise<void> {
      const { userId } = requireActor(ctx);
      const user = await activeUser(database.db, userId);
      if (!user.totpEnabledAt) throw authError('two_factor_not_enabled');
      await assertOwner(user, input);
      await database.transaction(async (tx) => {
        await repository.updateUser(tx, userId, {
          totpSecret: null,
          totpEnabledAt: null,
          totpLastStep: null,
        });
        await repository.replaceRecoveryCodes(tx, userId, []);
      });
    },

    async regenerateRecoveryCodes(
      ctx: RequestContext,
      input: { password?: string | undefined; code?: string | undefined },
    ): Promise<{ recoveryCodes: string[] }> {
      const { userId } = requireActor(ctx);
      const user = await activeUser(database.db, userId);
      if (!user.totpEnabledAt) throw authError('two_factor_not_enabled');
      await assertOwner(user, input);
      const codes = newRecoveryCodes();
      await database.transaction((tx) =>
        repository.replaceRecoveryCodes(
          tx,
          userId,
          codes.map((code) => sha256(normaliseRecoveryCode(code))),
        ),
      );
      return { recoveryCodes: codes };
    },

    /**
     * Signs in with an identity an OpenID Connect provider vouched for. It links to an
     * existing account only while that account is signed in (`linkUserId`) or through an
     * e-mail address the provider says is verified.
     */
    async completeExternalSignIn(
      input: {
        provider: string;
        subject: string;
        email: string | null;
        emailVerified: boolean;
        name: string | null;
        linkUserId: string | null;
      },
      client: ClientInfo,
    ): Promise<IssuedSession> {
      const method = `oidc:${input.provider}`;
      let claimedSessions: string[] = [];
      const result = await database.transaction(async (tx) => {
        const known = await repository.findExternalIdentity(tx, input.provider, input.subject);
        let user: UserRow | undefined;
        if (known) {
          if (input.linkUserId && known.userId !== input.linkUserId) {
            throw authError('oauth_failed', 'That account is already linked to another Souk account.');
          }
          user = await repository.findUserById(tx, known.userId);
        } else if (input.linkUserId) {
          user = await repository.findUserById(tx, input.linkUserId);
        } else if (input.email && input.emailVerified) {
          user = await repository.findUserByEmail(tx, input.email);
          if (user && !user.emailVerifiedAt) {
            // Nobody proved this address before: whoever registered it (perhaps to hijack the
            // real owner's future account) loses the password and sessions they set up.
            await repository.updateUser(tx, user.id, {
              passwordHash: null,
              emailVerifiedAt: new Date(),
              totpSecret: null,
              totpEnabledAt: null,
            });
            claimedSessions = await repository.revokeSessions(
              tx,
              { userId: user.id },
              'claimed_by_verified_identity',
            );
            user = await repository.findUserById(tx, user.id);
          }
        }
        if (!user) {
          if (!input.email || !input.emailVerified) {
            throw authError('oauth_failed', 'The provider did not share a verified e-mail address.');
          }
          user = await repository.insertUser(tx, {
            email: input.email,
            emailVerifiedAt: new Date(),
            role: 'member',
          });
          const displayName = (input.name ?? input.email.split('@')[0] ?? 'Member').slice(0, 60);
          await deps.profiles.createProfile(tx, { userId: user.id, displayName });
          await events.publish(tx, 'auth.user_registered', { userId: user.id, method });
        }
        if (user.status === 'deleted') throw authError('oauth_failed', 'This account was deleted.');
        if (!known) {
          await repository.insertExternalIdentity(tx, {
            userId: user.id,
            provider: input.provider,
            subject: input.subject,
            email: input.email,
          });
        }
        if (user.status === 'deactivated')
          user = await repository.updateUser(tx, user.id, { status: 'active' });
        return { user, ...(await openSession(tx, user, method, client)) };
      });
      await forgetSessions(claimedSessions);
      return signedIn(result.user, result.session.id, result.refreshToken);
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

    /** Account operations the users module calls (deactivate, delete, export). */
    accounts: {
      async get(userId: string) {
        return repository.findUserById(database.db, userId);
      },
      /** The id of the account with this address, or null (imports name sellers by e-mail). */
      async idOfEmail(email: string): Promise<string | null> {
        return (await repository.findUserByEmail(database.db, email.toLowerCase()))?.id ?? null;
      },
      async checkPassword(userId: string, password: string): Promise<boolean> {
        const user = await repository.findUserById(database.db, userId);
        return Boolean(user?.passwordHash && (await verifyPassword(user.passwordHash, password)));
      },
      async deactivate(tx: Queryable, userId: string): Promise<string[]> {
        await repository.updateUser(tx, userId, { status: 'deactivated' });
        return repository.revokeSessions(tx, { userId }, 'account_deactivated');
      },
      async erase(tx: Queryable, userId: string): Promise<void> {
        await repository.eraseUser(tx, userId);
      },
      forgetSessions,
      /**
       * Publishing, a first message to a seller and a review need a confirmed address: spam and
       * fraud from throwaway addresses stop there, drafts and reading do not (decision 022).
       */
      async requireVerifiedEmail(userId: string, action: string): Promise<void> {
        const user = await repository.findUserById(database.db, userId);
        if (user?.emailVerifiedAt) return;
        throw authError(
          'email_unverified',
          `Confirm your e-mail address before you ${action}: open the link we mailed you when you ` +
            'signed up, or ask for a new one (POST /api/v1/auth/verify-email/resend).',
        );
      },
      /** An operator vouches for the address (seeding, imports, tests): no mail is sent. */
      async markEmailVerified(userId: string): Promise<void> {
        await database.transaction(async (tx) => {
          const user = await repository.lockUser(tx, userId);
          if (!user || user.emailVerifiedAt) return;
          await repository.updateUser(tx, userId, { emailVerifiedAt: new Date() });
        });
      },
      async exportData(userId: string) {
        const user = await repository.findUserById(database.db, userId);
        const identities = await repository.listExternalIdentities(database.db, userId);
        const sessionRows = await repository.listActiveSessions(database.db, userId);
        return {
          account: user && {
            id: user.id,
            email: user.email,
            role: user.role,
            status: user.status,
            emailVerifiedAt: user.emailVerifiedAt?.toISOString() ?? null,
            twoFactorEnabled: user.totpEnabledAt !== null,
            createdAt: user.createdAt.toISOString(),
          },
          linkedIdentities: identities.map((identity) => ({
            provider: identity.provider,
            email: identity.email,
            linkedAt: identity.createdAt.toISOString(),
          })),
          sessions: sessionRows.map((session) => toSessionInfo(session, null)),
        };
      },
    },

    /**
     * Demo and import accounts: verified members with one shared password hash, no mail and no
     * session. Existing addresses are returned as they are. Returns the ids in input order.
     */
    async ensureMembers(
      accounts: { email: string; displayName: string }[],
      password: string,
    ): Promise<string[]> {
      const passwordHash = await hashPassword(password);
      return database.transaction(async (tx) => {
        const ids: string[] = [];
        for (const account of accounts) {
          const email = account.email.toLowerCase();
          const existing = await repository.findUserByEmail(tx, email);
          if (existing) {
            ids.push(existing.id);
            continue;
          }
          const user = await repository.insertUser(tx, {
            email,
            passwordHash,
            role: 'member',
            emailVerifiedAt: new Date(),
          });
          await deps.profiles.createProfile(tx, { userId: user.id, displayName: account.displayName });
          ids.push(user.id);
        }
        return ids;
      });
    },

    /** `npm run admin:create` and ADMIN_EMAIL on start. */
    async ensureAdmin(input: {
      email: string;
      password?: string;
      displayName?: string;
    }): Promise<'created' | 'promoted' | 'unchanged' | 'missing'> {
      const existing = await repository.findUserByEmail(database.db, input.email);
      if (existing) {
        if (existing.role === 'admin') return 'unchanged';
        await database.transaction((tx) => repository.updateUser(tx, existing.id, { role: 'admin' }));
        return 'promoted';
      }
      if (!input.password) return 'missing';
      assertPasswordAllowed(input.password, 'password');
      const passwordHash = await hashPassword(input.password);
      await database.transaction(async (tx) => {
        const user = await repository.insertUser(tx, {
          email: input.email,
          passwordHash,
          role: 'admin',
          emailVerifiedAt: new Date(),
        });
        await deps.profiles.createProfile(tx, { userId: user.id, displayName: input.displayName ?? 'Admin' });
      });
      return 'created';
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
