import { hkdfSync } from 'node:crypto';
import type { Cache } from '../../platform/cache.js';
import type { Config } from '../../platform/config.js';
import type { Database } from '../../platform/db/database.js';
import type { EventPublisher } from '../../platform/events.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import type { AuthEvents } from './auth.events.js';
import { cookiePolicyFor, createCallerResolver, createDeviceCookies } from './auth.http.js';
import { loadAuthKeys } from './auth.keys.js';
import { createOidc, oidcProvidersFrom } from './auth.oidc.js';
import { createAuthRepository } from './auth.repository.js';
import { authRoutes } from './auth.routes.js';
import { createAuthService, type ProfilePort } from './auth.service.js';
import { createTokenService } from './auth.tokens.js';

export type { AuthEvents } from './auth.events.js';
export type { AuthService, ClientInfo, ProfilePort } from './auth.service.js';

/**
 * Accounts and sessions: e-mail + password (argon2id), short-lived ES256 access tokens and
 * rotating refresh tokens, cookie sessions with CSRF checks for the web app, TOTP two-factor,
 * and sign-in through OpenID Connect providers.
 *
 * Other modules learn who is calling from `request.ctx`, filled by {@link resolveCaller}, and
 * reach accounts through `service.accounts`.
 */
export async function createAuthModule(deps: {
  config: Config;
  database: Database;
  jobs: Pick<Jobs, 'send'>;
  events: EventPublisher<AuthEvents>;
  cache: Cache;
  logger: Logger;
  /** The users module's narrow side (its directory), built before this module. */
  profiles: ProfilePort;
}) {
  const { config } = deps;
  const publicUrl = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  const keys = await loadAuthKeys({
    dataDir: config.DATA_DIR,
    signingKeysJson: config.AUTH_SIGNING_KEYS,
    encryptionKey: config.AUTH_ENCRYPTION_KEY,
  });
  const tokens = await createTokenService({
    keys,
    issuer: publicUrl,
    audience: `${publicUrl}/api`,
    accessTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  const repository = createAuthRepository();
  const service = createAuthService({
    ...deps,
    repository,
    tokens,
    config: {
      publicUrl,
      refreshTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
      refreshReuseGraceSeconds: config.REFRESH_REUSE_GRACE_SECONDS,
      adminEmail: config.ADMIN_EMAIL,
      encryptionKey: keys.encryptionKey,
    },
  });
  const oidc = createOidc({
    providers: oidcProvidersFrom(config),
    publicUrl,
    allowHttp: config.OIDC_ALLOW_HTTP,
    database: deps.database,
    repository,
  });
  const cookies = cookiePolicyFor(publicUrl, config.REFRESH_TOKEN_TTL_DAYS);
  const deriveSecret = (purpose: string): Buffer =>
    Buffer.from(
      hkdfSync('sha256', Buffer.from(keys.encryptionKey, 'base64'), Buffer.alloc(0), `souk:${purpose}`, 32),
    );
  const devices = createDeviceCookies(deriveSecret('auth.known-device'), cookies);
  return {
    service,
    tokens,
    routes: authRoutes({ service, oidc, cookies, devices, publicJwks: tokens.publicJwks }),
    /**
     * A key for another module's own signatures (e.g. unsubscribe links), derived from the auth
     * secret with HKDF under `purpose`: one secret to keep and share across nodes, no new setting.
     */
    deriveSecret,
    /** The ActorResolver for buildApp. */
    resolveCaller: createCallerResolver({ tokens, service }),
  };
}

export type AuthModule = Awaited<ReturnType<typeof createAuthModule>>;
