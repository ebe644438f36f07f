import type { Cache } from '../../platform/cache.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { EventPublisher } from '../../platform/events.js';
import type { RequestContext } from '../../platform/http/context.js';
import type { Jobs } from '../../platform/jobs.js';
import { sendMail } from '../../platform/mail/mail.jobs.js';
import { mailTemplates, type RenderedMail } from '../../platform/mail/templates.js';
import { hashPassword, isCommonPassword, randomToken, sha256, verifyPassword } from './auth.crypto.js';
import { authError } from './auth.errors.js';
import type { AuthEvents } from './auth.events.js';
import type { AuthRepository } from './auth.repository.js';
import type { OneTimeTokenPurpose, UserRow } from './auth.schema.js';
import { requireActor, type SessionIssuer } from './auth.sessions.js';
import type { SignInLimits } from './auth.sign-in-limits.js';
import type { ClientInfo, ProfilePort } from './auth.types.js';

const VERIFY_EMAIL_TTL_MS = 48 * 3600_000;
const RESET_PASSWORD_TTL_MS = 3600_000;
const UNLOCK_TTL_MS = 3600_000;
/** One unlock mail per account in this time: a flood of requests sends no flood of mail. */
const UNLOCK_MAIL_INTERVAL_SECONDS = 10 * 60;

export function assertPasswordAllowed(password: string, field: string) {
  if (isCommonPassword(password)) {
    throw authError('password_too_common', 'Pick a password that is not on the list of common ones.', [
      { path: field, message: 'is one of the 10,000 most common passwords' },
    ]);
  }
}

/**
 * Passwords and mailed links: changing a password, the reset and unlock links, and confirming
 * an e-mail address (with the verification mail registration sends).
 */
export function createCredentials(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: AuthRepository;
  jobs: Pick<Jobs, 'send'>;
  events: EventPublisher<AuthEvents>;
  cache: Cache;
  profiles: Pick<ProfilePort, 'summaryOf'>;
  config: { publicUrl: string; adminEmail?: string | undefined };
  limits: Pick<SignInLimits, 'throttleAccount' | 'loginKeys'>;
  issuer: Pick<SessionIssuer, 'forgetSessions' | 'activeUser'>;
}) {
  const { database, repository, jobs, events, cache, config } = deps;
  const { throttleAccount, loginKeys } = deps.limits;
  const { forgetSessions, activeUser } = deps.issuer;

  /**
   * Stores a one-time token (its hash only) and mails its link to `to`, in one transaction: a
   * mailed link always has its token, and a new link replaces the unused ones of its purpose.
   */
  async function mailOneTimeLink(
    tx: Queryable,
    to: { userId: string; email: string },
    link: { purpose: OneTimeTokenPurpose; ttlMs: number; path: string },
    render: (url: string) => RenderedMail,
  ) {
    const token = randomToken();
    await repository.insertOneTimeToken(tx, {
      userId: to.userId,
      purpose: link.purpose,
      tokenHash: sha256(token),
      expiresAt: new Date(Date.now() + link.ttlMs),
    });
    const url = `${config.publicUrl}${link.path}?token=${encodeURIComponent(token)}`;
    await sendMail(jobs, { to: to.email, ...render(url) }, { tx });
  }

  async function sendVerification(tx: Queryable, user: UserRow, displayName: string) {
    if (!user.email) return;
    await mailOneTimeLink(
      tx,
      { userId: user.id, email: user.email },
      { purpose: 'verify_email', ttlMs: VERIFY_EMAIL_TTL_MS, path: '/verify-email' },
      (link) => mailTemplates.verifyEmail({ displayName, link }),
    );
  }

  return {
    sendVerification,

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
      const to = { userId: user.id, email: user.email };
      const profile = await deps.profiles.summaryOf(user.id);
      await database.transaction((tx) =>
        mailOneTimeLink(
          tx,
          to,
          { purpose: 'reset_password', ttlMs: RESET_PASSWORD_TTL_MS, path: '/reset-password' },
          (link) =>
            mailTemplates.resetPassword({
              displayName: profile?.displayName ?? 'there',
              link,
              expiresInMinutes: 60,
            }),
        ),
      );
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
      const to = { userId: user.id, email: user.email };
      const profile = await deps.profiles.summaryOf(user.id);
      await database.transaction((tx) =>
        mailOneTimeLink(
          tx,
          to,
          { purpose: 'unlock_account', ttlMs: UNLOCK_TTL_MS, path: '/unlock-account' },
          (link) =>
            mailTemplates.unlockAccount({
              displayName: profile?.displayName ?? 'there',
              link,
              expiresInMinutes: UNLOCK_TTL_MS / 60_000,
            }),
        ),
      );
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
  };
}
