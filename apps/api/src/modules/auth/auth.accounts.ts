import type { Database, Queryable } from '../../platform/db/database.js';
import { assertPasswordAllowed } from './auth.credentials.js';
import { hashPassword, verifyPassword } from './auth.crypto.js';
import { authError } from './auth.errors.js';
import type { AuthRepository } from './auth.repository.js';
import type { SessionIssuer } from './auth.sessions.js';
import type { ProfilePort } from './auth.types.js';

/**
 * Accounts as other modules and operators reach them: what the users module calls (deactivate,
 * erase, export, the verified-address check), demo and import members, and the admin account.
 */
export function createAccounts(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: AuthRepository;
  profiles: Pick<ProfilePort, 'createProfile'>;
  issuer: Pick<SessionIssuer, 'forgetSessions' | 'toSessionInfo'>;
}) {
  const { database, repository } = deps;
  const { forgetSessions, toSessionInfo } = deps.issuer;

  return {
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
