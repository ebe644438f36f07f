import { createLocalJWKSet, importJWK, type JWTPayload, jwtVerify, type KeyObject, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';
import { v7 as uuidv7 } from 'uuid';
import type { Role } from '../../platform/http/context.js';
import { type AuthKeys, SIGNING_ALGORITHM } from './auth.keys.js';

export type AccessClaims = { userId: string; role: Role; sessionId: string };
export type MfaClaims = { userId: string; method: string };

// RFC 9068's media type for access tokens; an MFA token carries its own, so one can never be
// accepted as the other even though both are signed by the same key.
const ACCESS_TYPE = 'at+jwt';
const MFA_TYPE = 'mfa+jwt';

/**
 * Signs and checks Souk's JWTs: ES256 only, with key id, issuer, audience, expiry and token
 * type all checked. Rotation adds a key; tokens signed by the previous ones stay valid.
 */
export async function createTokenService(options: {
  keys: AuthKeys;
  issuer: string;
  audience: string;
  accessTtlSeconds: number;
}) {
  const { issuer, audience, accessTtlSeconds } = options;
  const current = options.keys.signingKeys.at(-1);
  if (!current) throw new Error('no signing key');
  const signingKey = (await importJWK(current, SIGNING_ALGORITHM)) as KeyObject;
  const publicJwks = {
    keys: options.keys.signingKeys.map(({ d: _private, ...publicPart }) => ({
      ...publicPart,
      alg: SIGNING_ALGORITHM,
    })),
  };
  const keySet = createLocalJWKSet(publicJwks);

  async function sign(
    payload: JWTPayload,
    type: string,
    subject: string,
    tokenAudience: string,
    ttl: number,
  ) {
    return new SignJWT(payload)
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: current?.kid, typ: type })
      .setIssuer(issuer)
      .setAudience(tokenAudience)
      .setSubject(subject)
      .setJti(uuidv7())
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttl)
      .sign(signingKey);
  }

  /**
   * Access tokens already verified, until their expiry: an ES256 check costs more CPU than the rest
   * of a small request (bench/README.md "Realtime"). Bytes that verified once verify again; the
   * session behind a token is still checked on every request (sessionState), so revocation holds.
   */
  const verifiedAccessTokens = new LRUCache<string, { claims: AccessClaims; expiresAt: number }>({
    max: 10_000,
  });

  async function verify(token: string, type: string, tokenAudience: string) {
    const { payload } = await jwtVerify(token, keySet, {
      algorithms: [SIGNING_ALGORITHM],
      issuer,
      audience: tokenAudience,
      typ: type,
      requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      clockTolerance: 5,
    });
    return payload;
  }

  return {
    accessTtlSeconds,
    publicJwks,
    signAccessToken(claims: AccessClaims): Promise<string> {
      return sign(
        { role: claims.role, sid: claims.sessionId },
        ACCESS_TYPE,
        claims.userId,
        audience,
        accessTtlSeconds,
      );
    },
    /** Throws on anything but a valid, unexpired access token of ours. */
    async verifyAccessToken(token: string): Promise<AccessClaims> {
      const known = verifiedAccessTokens.get(token);
      // Expiry is checked against the wall clock here, not left to the cache's own timer.
      if (known && Date.now() < known.expiresAt) return known.claims;
      const payload = await verify(token, ACCESS_TYPE, audience);
      if (typeof payload.sid !== 'string' || typeof payload.role !== 'string' || !payload.sub) {
        throw new Error('access token lacks claims');
      }
      const claims: AccessClaims = {
        userId: payload.sub,
        role: payload.role as Role,
        sessionId: payload.sid,
      };
      // Until it expires (never past it: no clock tolerance here), the same string verifies the same.
      const expiresAt = (payload.exp as number) * 1000;
      const ttl = expiresAt - Date.now();
      if (ttl > 0) verifiedAccessTokens.set(token, { claims, expiresAt }, { ttl });
      return claims;
    },
    signMfaToken(claims: MfaClaims): Promise<string> {
      return sign({ method: claims.method }, MFA_TYPE, claims.userId, `${audience}:mfa`, 300);
    },
    async verifyMfaToken(token: string): Promise<MfaClaims> {
      const payload = await verify(token, MFA_TYPE, `${audience}:mfa`);
      return { userId: payload.sub as string, method: String(payload.method ?? 'password') };
    },
  };
}

export type TokenService = Awaited<ReturnType<typeof createTokenService>>;
