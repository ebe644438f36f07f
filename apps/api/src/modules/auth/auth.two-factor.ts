import { randomBytes } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/http/context.js';
import { decryptSecret, encryptSecret, sha256, verifyPassword } from './auth.crypto.js';
import { authError } from './auth.errors.js';
import type { AuthRepository } from './auth.repository.js';
import type { UserRow } from './auth.schema.js';
import { requireActor, type SessionIssuer } from './auth.sessions.js';

const TOTP = { issuer: 'Souk', digits: 6, period: 30, algorithm: 'SHA1' } as const;

export const normaliseRecoveryCode = (code: string) =>
  code
    .trim()
    .toLowerCase()
    .replaceAll(/[^0-9a-f]/g, '');

function newTotp(secret: OTPAuth.Secret, label: string) {
  return new OTPAuth.TOTP({ ...TOTP, label, secret });
}

function newRecoveryCodes(): string[] {
  return Array.from({ length: 10 }, () => {
    const raw = randomBytes(6).toString('hex'); // 48 bits each
    return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
  });
}

/**
 * TOTP two-factor: setting it up and confirming it (with recovery codes), turning it off and
 * new recovery codes (each re-authenticated), and the code check sign-in uses (replays refused).
 */
export function createTwoFactor(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: AuthRepository;
  config: { encryptionKey: string };
  issuer: Pick<SessionIssuer, 'activeUser'>;
}) {
  const { database, repository, config } = deps;
  const { activeUser } = deps.issuer;

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

  return {
    acceptTotp,

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
  };
}
