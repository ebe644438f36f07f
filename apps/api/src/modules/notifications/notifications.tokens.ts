import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Channel, NotificationType } from './notifications.types.js';
import { NOTIFICATION_TYPES } from './notifications.types.js';

export type UnsubscribeClaim = { userId: string; type: NotificationType; channel: Channel };

/** Long enough for an old mail in someone's inbox, short enough that a leaked link dies. */
export const UNSUBSCRIBE_TTL_DAYS = 180;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Signed one-click unsubscribe tokens: `base64url(json).base64url(HMAC-SHA256)`. The key is
 * derived from the auth module's secret (docs/decisions/009), so every node shares it and no new
 * secret has to be configured.
 */
export function createUnsubscribeTokens(key: Buffer, now: () => number = Date.now) {
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  return {
    issue(claim: UnsubscribeClaim, ttlDays = UNSUBSCRIBE_TTL_DAYS): string {
      const payload = Buffer.from(
        JSON.stringify({
          u: claim.userId,
          t: claim.type,
          c: claim.channel,
          e: Math.floor(now() / 1000) + ttlDays * 86_400,
        }),
      ).toString('base64url');
      return `${payload}.${sign(payload)}`;
    },
    /** The claim of a token signed here and not expired; null for anything else. */
    verify(token: string): UnsubscribeClaim | null {
      const [payload, signature, ...rest] = token.split('.');
      if (!payload || !signature || rest.length > 0) return null;
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      let parsed: { u?: unknown; t?: unknown; c?: unknown; e?: unknown };
      try {
        parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        return null;
      }
      const { u, t, c, e } = parsed;
      if (typeof u !== 'string' || !UUID.test(u) || typeof e !== 'number') return null;
      if (typeof t !== 'string' || !(t in NOTIFICATION_TYPES)) return null;
      const type = t as NotificationType;
      if (typeof c !== 'string' || !NOTIFICATION_TYPES[type].channels.includes(c as Channel)) return null;
      if (e * 1000 < now()) return null;
      return { userId: u, type, channel: c as Channel };
    },
  };
}

export type UnsubscribeTokens = ReturnType<typeof createUnsubscribeTokens>;
