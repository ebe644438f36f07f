import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';

/** What the provider knows about a person who signs in there (the login is their `sub`). */
export type ProviderAccount = { email: string; emailVerified: boolean; name: string };

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;
type OidcProvider = { callback(): RequestListener };
type OidcProviderClass = new (issuer: string, configuration: object) => OidcProvider;

export type TestOidcProvider = {
  /** `http://127.0.0.1:<port>`, what OIDC_ISSUER_URL should say. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The people who can sign in, by login: tests add their own. */
  accounts: Map<string, ProviderAccount>;
  /** (Re)registers the one client with this redirect URI (Souk's callback). */
  setRedirectUri(redirectUri: string): void;
  close(): Promise<void>;
};

/**
 * A real OpenID Connect provider (`oidc-provider`) on 127.0.0.1 and a random port, with its
 * built-in development login and consent pages: any login (an account of `accounts`) and any
 * password sign in. One confidential client (client_secret_post), code flow only, PKCE required.
 */
export async function startOidcProvider(): Promise<TestOidcProvider> {
  const accounts = new Map<string, ProviderAccount>();
  const clientId = 'souk-test';
  const clientSecret = 'a-test-client-secret-of-some-length';
  let listener: RequestListener = (_request, response) => {
    response.statusCode = 503;
    response.end('not configured yet');
  };
  const server = createServer((request, response) => listener(request, response));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

  // It announces its development-only features (and, on Node 20, that it wants Node 22) on the
  // console; keep the test output clean.
  const { warn, info } = console;
  const quiet =
    (print: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      if (!(typeof args[0] === 'string' && args[0].startsWith('oidc-provider '))) print(...args);
    };
  console.warn = quiet(warn);
  console.info = quiet(info);
  // @ts-expect-error oidc-provider ships no type declarations; the little used here is typed above.
  const { default: Provider } = (await import('oidc-provider')) as { default: OidcProviderClass };

  const findAccount = async (_context: unknown, sub: string) => {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return {
      accountId: sub,
      claims: async () => ({
        sub,
        email: account.email,
        email_verified: account.emailVerified,
        name: account.name,
      }),
    };
  };

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    setRedirectUri(redirectUri) {
      const provider = new Provider(issuer, {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: [redirectUri],
            response_types: ['code'],
            grant_types: ['authorization_code'],
            token_endpoint_auth_method: 'client_secret_post',
          },
        ],
        pkce: { required: () => true },
        features: { devInteractions: { enabled: true } },
        findAccount,
        claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
        // conformIdTokenClaims stays on (the default): email and name then come only from the
        // userinfo endpoint, the stricter case Souk must handle.
        cookies: { keys: ['a-test-cookie-signing-key'] },
        jwks: { keys: [signingKey] },
      });
      listener = provider.callback();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      console.warn = warn;
      console.info = info;
    },
  };
}
