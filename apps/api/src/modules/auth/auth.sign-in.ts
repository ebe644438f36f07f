import type { Cache } from '../../platform/cache.js';
import type { Database, Queryable } from '../../platform/db/database.js';
import { isUniqueViolation } from '../../platform/db/errors.js';
import type { EventPublisher } from '../../platform/events.js';
import type { RequestContext } from '../../platform/http/context.js';
import { assertPasswordAllowed } from './auth.credentials.js';
import { burnPasswordCheck, hashPassword, sha256, verifyPassword } from './auth.crypto.js';
import { authError } from './auth.errors.js';
import type { AuthEvents } from './auth.events.js';
import type { AuthRepository } from './auth.repository.js';
import type { UserRow } from './auth.schema.js';
import type { SessionIssuer } from './auth.sessions.js';
import type { SignInLimits } from './auth.sign-in-limits.js';
import type { TokenService } from './auth.tokens.js';
import { normaliseRecoveryCode } from './auth.two-factor.js';
import type { ClientInfo, IssuedSession, ProfilePort } from './auth.types.js';

/**
 * The ways in: registering, a password (within the sign-in limits) and then a second factor,
 * and an identity an OpenID Connect provider vouched for. Each ends in a new session.
 */
export function createSignIn(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: AuthRepository;
  tokens: TokenService;
  events: EventPublisher<AuthEvents>;
  cache: Cache;
  profiles: ProfilePort;
  limits: SignInLimits;
  issuer: Pick<SessionIssuer, 'openSession' | 'signedIn' | 'forgetSessions'>;
  acceptTotp(tx: Queryable, user: UserRow, code: string, sealedSecret: string): Promise<boolean>;
  sendVerification(tx: Queryable, user: UserRow, displayName: string): Promise<void>;
}) {
  const { database, repository, tokens, events, cache, acceptTotp, sendVerification } = deps;
  const { throttleAccount, loginKeys, assertLoginAllowed, countLoginFailure } = deps.limits;
  const { openSession, signedIn, forgetSessions } = deps.issuer;

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
  };
}
