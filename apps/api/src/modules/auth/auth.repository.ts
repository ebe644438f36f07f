import { and, desc, eq, gt, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import {
  externalIdentities,
  type OneTimeTokenPurpose,
  oauthAttempts,
  oneTimeTokens,
  recoveryCodes,
  refreshTokens,
  type SessionRow,
  sessions,
  type UserRow,
  users,
} from './auth.schema.js';

type NewUser = typeof users.$inferInsert;
type NewSession = typeof sessions.$inferInsert;
type NewAttempt = typeof oauthAttempts.$inferInsert;

/** The only file that touches the auth tables. */
export function createAuthRepository() {
  return {
    async insertUser(db: Queryable, values: NewUser): Promise<UserRow> {
      const [row] = await db.insert(users).values(values).returning();
      if (!row) throw new Error('insert returned no row');
      return row;
    },

    async findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
      const [row] = await db.select().from(users).where(eq(users.email, email));
      return row;
    },

    async findUserById(db: Queryable, id: string): Promise<UserRow | undefined> {
      const [row] = await db.select().from(users).where(eq(users.id, id));
      return row;
    },

    async lockUser(db: Queryable, id: string): Promise<UserRow | undefined> {
      const [row] = await db.select().from(users).where(eq(users.id, id)).for('update');
      return row;
    },

    async updateUser(db: Queryable, id: string, values: Partial<NewUser>): Promise<UserRow> {
      const [row] = await db
        .update(users)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(users.id, id))
        .returning();
      if (!row) throw new Error('update returned no row');
      return row;
    },

    async insertSession(db: Queryable, values: NewSession): Promise<SessionRow> {
      const [row] = await db.insert(sessions).values(values).returning();
      if (!row) throw new Error('insert returned no row');
      return row;
    },

    async findSession(db: Queryable, id: string): Promise<SessionRow | undefined> {
      const [row] = await db.select().from(sessions).where(eq(sessions.id, id));
      return row;
    },

    listActiveSessions(db: Queryable, userId: string): Promise<SessionRow[]> {
      return db
        .select()
        .from(sessions)
        .where(
          and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date())),
        )
        .orderBy(desc(sessions.lastUsedAt))
        .limit(200);
    },

    async touchSession(
      db: Queryable,
      id: string,
      values: { ipAddress: string | null; userAgent: string | null },
    ) {
      await db
        .update(sessions)
        .set({ lastUsedAt: new Date(), ...values })
        .where(eq(sessions.id, id));
    },

    /** Revokes the given sessions (or all of a user's but `except`); returns the ids revoked. */
    async revokeSessions(
      db: Queryable,
      where: { sessionId: string } | { userId: string; except?: string },
      reason: string,
    ): Promise<string[]> {
      const condition =
        'sessionId' in where
          ? eq(sessions.id, where.sessionId)
          : and(eq(sessions.userId, where.userId), where.except ? ne(sessions.id, where.except) : undefined);
      const rows = await db
        .update(sessions)
        .set({ revokedAt: new Date(), revokedReason: reason })
        .where(and(condition, isNull(sessions.revokedAt)))
        .returning({ id: sessions.id });
      return rows.map((row) => row.id);
    },

    async insertRefreshToken(
      db: Queryable,
      values: { sessionId: string; tokenHash: string; expiresAt: Date },
    ) {
      await db.insert(refreshTokens).values(values);
    },

    /** The token row, locked until the transaction ends: one refresh of a token at a time. */
    async lockRefreshToken(db: Queryable, tokenHash: string) {
      const [row] = await db
        .select()
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, tokenHash))
        .for('update');
      return row;
    },

    async markRefreshTokenUsed(db: Queryable, id: string, successorSealed: string | null) {
      await db
        .update(refreshTokens)
        .set({ usedAt: new Date(), successorSealed })
        .where(eq(refreshTokens.id, id));
    },

    async insertOneTimeToken(
      db: Queryable,
      values: { userId: string; purpose: OneTimeTokenPurpose; tokenHash: string; expiresAt: Date },
    ) {
      // A new link replaces the unused ones of the same purpose: only the latest mail works.
      await db
        .update(oneTimeTokens)
        .set({ usedAt: new Date() })
        .where(
          and(
            eq(oneTimeTokens.userId, values.userId),
            eq(oneTimeTokens.purpose, values.purpose),
            isNull(oneTimeTokens.usedAt),
          ),
        );
      await db.insert(oneTimeTokens).values(values);
    },

    /** Consumes an unexpired, unused token of this purpose; returns its user id or null. */
    async useOneTimeToken(
      db: Queryable,
      purpose: OneTimeTokenPurpose,
      tokenHash: string,
    ): Promise<string | null> {
      const [row] = await db
        .update(oneTimeTokens)
        .set({ usedAt: new Date() })
        .where(
          and(
            eq(oneTimeTokens.tokenHash, tokenHash),
            eq(oneTimeTokens.purpose, purpose),
            isNull(oneTimeTokens.usedAt),
            gt(oneTimeTokens.expiresAt, new Date()),
          ),
        )
        .returning({ userId: oneTimeTokens.userId });
      return row?.userId ?? null;
    },

    async replaceRecoveryCodes(db: Queryable, userId: string, codeHashes: string[]) {
      await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
      if (codeHashes.length > 0) {
        await db.insert(recoveryCodes).values(codeHashes.map((codeHash) => ({ userId, codeHash })));
      }
    },

    async useRecoveryCode(db: Queryable, userId: string, codeHash: string): Promise<boolean> {
      const rows = await db
        .update(recoveryCodes)
        .set({ usedAt: new Date() })
        .where(
          and(
            eq(recoveryCodes.userId, userId),
            eq(recoveryCodes.codeHash, codeHash),
            isNull(recoveryCodes.usedAt),
          ),
        )
        .returning({ id: recoveryCodes.id });
      return rows.length > 0;
    },

    async countUnusedRecoveryCodes(db: Queryable, userId: string): Promise<number> {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(recoveryCodes)
        .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
      return Number(row?.n ?? 0);
    },

    async findExternalIdentity(db: Queryable, provider: string, subject: string) {
      const [row] = await db
        .select()
        .from(externalIdentities)
        .where(and(eq(externalIdentities.provider, provider), eq(externalIdentities.subject, subject)));
      return row;
    },

    async insertExternalIdentity(
      db: Queryable,
      values: { userId: string; provider: string; subject: string; email: string | null },
    ) {
      await db.insert(externalIdentities).values(values).onConflictDoNothing();
    },

    listExternalIdentities(db: Queryable, userId: string) {
      return db.select().from(externalIdentities).where(eq(externalIdentities.userId, userId));
    },

    async insertOAuthAttempt(db: Queryable, values: NewAttempt) {
      // Old attempts are garbage: clear them on the way.
      await db.delete(oauthAttempts).where(lt(oauthAttempts.expiresAt, new Date()));
      await db.insert(oauthAttempts).values(values);
    },

    /** Returns and deletes the attempt: a state is good for one callback only. */
    async takeOAuthAttempt(db: Queryable, state: string) {
      const [row] = await db
        .delete(oauthAttempts)
        .where(and(eq(oauthAttempts.state, state), gt(oauthAttempts.expiresAt, new Date())))
        .returning();
      return row;
    },

    /** Erases what identifies a person; the row stays so content can point at "deleted user". */
    async eraseUser(db: Queryable, id: string) {
      await db.delete(externalIdentities).where(eq(externalIdentities.userId, id));
      await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, id));
      await db.delete(oneTimeTokens).where(eq(oneTimeTokens.userId, id));
      await db
        .update(users)
        .set({
          email: null,
          passwordHash: null,
          totpSecret: null,
          totpEnabledAt: null,
          totpLastStep: null,
          status: 'deleted',
          deletedAt: new Date(),
          updatedAt: new Date(),
        })
        .where(eq(users.id, id));
      await db
        .update(sessions)
        .set({ revokedAt: new Date(), revokedReason: 'account_deleted', ipAddress: null, userAgent: null })
        .where(eq(sessions.userId, id));
    },

    countUsers(db: Queryable) {
      return db
        .select({ n: sql<number>`count(*)::int` })
        .from(users)
        .where(or(eq(users.status, 'active'), eq(users.status, 'deactivated')));
    },
  };
}

export type AuthRepository = ReturnType<typeof createAuthRepository>;
