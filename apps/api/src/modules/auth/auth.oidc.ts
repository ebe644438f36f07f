import * as client from 'openid-client';
import type { Database } from '../../platform/db/database.js';
import { authError } from './auth.errors.js';
import type { AuthRepository } from './auth.repository.js';

export type OidcProviderSettings = {
  id: string;
  name: string;
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
};

export type ExternalIdentity = {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
};

const ATTEMPT_TTL_MS = 10 * 60_000;

/**
 * Social sign-in over OpenID Connect (openid-client): the authorization code flow with PKCE,
 * `state` and `nonce`, each attempt stored server-side and usable once.
 */
export function createOidc(deps: {
  providers: OidcProviderSettings[];
  publicUrl: string;
  allowHttp: boolean;
  database: Pick<Database, 'db' | 'transaction'>;
  repository: AuthRepository;
}) {
  const configurations = new Map<string, Promise<client.Configuration>>();

  function settingsOf(providerId: string): OidcProviderSettings {
    const settings = deps.providers.find((provider) => provider.id === providerId);
    if (!settings) throw authError('oauth_provider_unknown', `There is no sign-in provider "${providerId}".`);
    return settings;
  }

  /** Discovery happens once per provider and is retried after a failure. */
  function configurationOf(providerId: string): Promise<client.Configuration> {
    const settings = settingsOf(providerId);
    let pending = configurations.get(providerId);
    if (!pending) {
      pending = client
        .discovery(
          new URL(settings.issuer),
          settings.clientId,
          undefined,
          settings.clientSecret ? client.ClientSecretPost(settings.clientSecret) : client.None(),
          deps.allowHttp ? { execute: [client.allowInsecureRequests] } : undefined,
        )
        .catch((error: unknown) => {
          configurations.delete(providerId);
          throw error;
        });
      configurations.set(providerId, pending);
    }
    return pending;
  }

  const callbackUrl = (providerId: string) => `${deps.publicUrl}/api/v1/auth/oauth/${providerId}/callback`;

  return {
    list: () => deps.providers.map(({ id, name }) => ({ id, name })),

    async start(
      providerId: string,
      options: { returnTo: string; linkUserId: string | null; cookieSession: boolean },
    ): Promise<{ url: URL; state: string }> {
      settingsOf(providerId);
      const configuration = await configurationOf(providerId).catch(() => {
        throw authError('oauth_failed', 'The provider cannot be reached right now.');
      });
      const codeVerifier = client.randomPKCECodeVerifier();
      const state = client.randomState();
      const nonce = client.randomNonce();
      await deps.repository.insertOAuthAttempt(deps.database.db, {
        state,
        provider: providerId,
        nonce,
        codeVerifier,
        linkUserId: options.linkUserId,
        returnTo: options.returnTo,
        cookieSession: options.cookieSession,
        expiresAt: new Date(Date.now() + ATTEMPT_TTL_MS),
      });
      const url = client.buildAuthorizationUrl(configuration, {
        redirect_uri: callbackUrl(providerId),
        scope: 'openid email profile',
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url, state };
    },

    /**
     * Checks the callback (state known and unused, code exchanged with the PKCE verifier, ID
     * token signed by the provider with our nonce) and returns who signed in.
     */
    async finish(providerId: string, callbackQuery: string) {
      const currentUrl = new URL(`${callbackUrl(providerId)}?${callbackQuery}`);
      const state = currentUrl.searchParams.get('state');
      if (!state) throw authError('oauth_failed', 'The provider sent no state.');
      const attempt = await deps.repository.takeOAuthAttempt(deps.database.db, state);
      if (!attempt || attempt.provider !== providerId) {
        throw authError('oauth_failed', 'This sign-in attempt is unknown, used or expired; start again.');
      }
      const configuration = await configurationOf(providerId);
      let claims: Record<string, unknown> & { sub: string };
      try {
        const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
          pkceCodeVerifier: attempt.codeVerifier,
          expectedState: attempt.state,
          expectedNonce: attempt.nonce,
          idTokenExpected: true,
        });
        const idToken = tokens.claims();
        if (!idToken?.sub) throw new Error('no subject in the ID token');
        claims = { ...idToken };
        // OIDC Core 5.4: with an access token, a provider may put email and name in userinfo only.
        if (claims.email === undefined || claims.email_verified === undefined || claims.name === undefined) {
          const userInfo = await client.fetchUserInfo(configuration, tokens.access_token, idToken.sub);
          claims = { ...userInfo, ...claims, sub: idToken.sub };
          for (const key of ['email', 'email_verified', 'name'] as const) claims[key] ??= userInfo[key];
        }
      } catch (error) {
        throw authError(
          'oauth_failed',
          `The provider's answer did not check out: ${(error as Error).message}`,
        );
      }
      const identity: ExternalIdentity = {
        subject: claims.sub,
        email: typeof claims.email === 'string' ? claims.email.toLowerCase() : null,
        emailVerified: claims.email_verified === true,
        name: typeof claims.name === 'string' ? claims.name : null,
      };
      return { identity, attempt };
    },
  };
}

export type Oidc = ReturnType<typeof createOidc>;

/** The providers the configuration turns on: Google by client id, and any issuer by URL. */
export function oidcProvidersFrom(config: {
  GOOGLE_CLIENT_ID?: string | undefined;
  GOOGLE_CLIENT_SECRET?: string | undefined;
  OIDC_ISSUER_URL?: string | undefined;
  OIDC_CLIENT_ID?: string | undefined;
  OIDC_CLIENT_SECRET?: string | undefined;
  OIDC_NAME: string;
}): OidcProviderSettings[] {
  const providers: OidcProviderSettings[] = [];
  if (config.GOOGLE_CLIENT_ID) {
    providers.push({
      id: 'google',
      name: 'Google',
      issuer: 'https://accounts.google.com',
      clientId: config.GOOGLE_CLIENT_ID,
      clientSecret: config.GOOGLE_CLIENT_SECRET,
    });
  }
  if (config.OIDC_ISSUER_URL && config.OIDC_CLIENT_ID) {
    providers.push({
      id: 'oidc',
      name: config.OIDC_NAME,
      issuer: config.OIDC_ISSUER_URL,
      clientId: config.OIDC_CLIENT_ID,
      clientSecret: config.OIDC_CLIENT_SECRET,
    });
  }
  return providers;
}
