import type { Cache } from '../../platform/cache.js';
import type { Database } from '../../platform/db/database.js';
import type { EventPublisher } from '../../platform/events.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import { createAccounts } from './auth.accounts.js';
import { createCredentials } from './auth.credentials.js';
import type { AuthEvents } from './auth.events.js';
import type { AuthRepository } from './auth.repository.js';
import { createSessionIssuer, createSessionService } from './auth.sessions.js';
import { createSignIn } from './auth.sign-in.js';
import { createSignInLimits } from './auth.sign-in-limits.js';
import type { TokenService } from './auth.tokens.js';
import { createTwoFactor } from './auth.two-factor.js';
import type { AuthServiceConfig, ProfilePort } from './auth.types.js';

export { LOGIN_LIMITS, networkOf } from './auth.sign-in-limits.js';
export type { AuthServiceConfig, ClientInfo, IssuedSession, ProfilePort } from './auth.types.js';

/**
 * The auth service: the ways in (auth.sign-in.ts) within the sign-in limits
 * (auth.sign-in-limits.ts), sessions (auth.sessions.ts), passwords and mailed links
 * (auth.credentials.ts), two-factor (auth.two-factor.ts), and accounts as other modules and
 * operators reach them (auth.accounts.ts).
 */
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
  const { database, repository, tokens, jobs, events, cache, profiles, logger, config } = deps;
  const limits = createSignInLimits({ cache, logger });
  const issuer = createSessionIssuer({ repository, tokens, cache, profiles, config });
  const { acceptTotp, ...twoFactor } = createTwoFactor({ database, repository, config, issuer });
  const { sendVerification, ...credentials } = createCredentials({
    database,
    repository,
    jobs,
    events,
    cache,
    profiles,
    config,
    limits,
    issuer,
  });
  return {
    ...createSignIn({
      database,
      repository,
      tokens,
      events,
      cache,
      profiles,
      limits,
      issuer,
      acceptTotp,
      sendVerification,
    }),
    ...createSessionService({ database, repository, cache, events, logger, config, issuer }),
    ...credentials,
    ...twoFactor,
    ...createAccounts({ database, repository, profiles, issuer }),
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
