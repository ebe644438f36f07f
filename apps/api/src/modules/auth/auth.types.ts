import type { SignedIn } from '@souk/contracts';
import type { Queryable } from '../../platform/db/database.js';

/** What the auth module needs of profiles (implemented by the users module). */
export type ProfilePort = {
  createProfile(tx: Queryable, input: { userId: string; displayName: string }): Promise<void>;
  summaryOf(userId: string): Promise<{ displayName: string; avatarUrl: string | null } | null>;
};

/**
 * Where a request comes from; recorded on the session (the "device" in the sessions list).
 * `knownUserIds` are the accounts that signed in before in this browser (its signed device
 * cookie, checked by the HTTP layer).
 */
export type ClientInfo = {
  ipAddress: string | null;
  userAgent: string | null;
  knownUserIds?: readonly string[] | undefined;
};

/** A signed-in result plus the refresh token, which routes put in a cookie or the body. */
export type IssuedSession = SignedIn & { refreshToken: string; accessToken: string; sessionId: string };

export type AuthServiceConfig = {
  publicUrl: string;
  refreshTtlDays: number;
  /** How long a rotated refresh token still answers with its successor; 0 turns the grace off. */
  refreshReuseGraceSeconds: number;
  adminEmail?: string | undefined;
  encryptionKey: string;
};
