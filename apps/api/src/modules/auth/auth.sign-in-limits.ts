import type { Cache } from '../../platform/cache.js';
import type { Logger } from '../../platform/logger.js';
import { sha256 } from './auth.crypto.js';
import { authError } from './auth.errors.js';
import type { ClientInfo } from './auth.types.js';

const ACCOUNT_ATTEMPTS = { max: 10, windowSeconds: 15 * 60 };
/**
 * Failed password sign-ins (decision 022). Only failures count, and each limit stops a different
 * attacker without handing a stranger the power to lock the owner out:
 * - one account from one address: someone guessing one member's password;
 * - one network (/24 IPv4, /64 IPv6): one host or subnet guessing many accounts (stuffing);
 * - one account from anywhere: guessing spread over many addresses. It is high, and it does not
 *   stop a browser the account signed in from before, nor one that opened a mailed unlock link.
 */
export const LOGIN_LIMITS = {
  windowSeconds: 15 * 60,
  accountAddress: 5,
  network: 100,
  accountWindowSeconds: 3600,
  account: 100,
};

/** The network an address belongs to, for the per-network limit: its /24 (IPv4) or /64 (IPv6). */
export function networkOf(address: string | null): string {
  if (!address) return 'unknown';
  const v4 = /^(?:::ffff:)?(\d+\.\d+\.\d+)\.\d+$/i.exec(address);
  if (v4) return `${v4[1]}.0/24`;
  if (!address.includes(':')) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * The sign-in limits, counted in the cache (Redis, or per node without it): failed password
 * sign-ins by account and address, network and account (LOGIN_LIMITS), and a per-account
 * throttle on registering, two-factor codes, reset and verification mails.
 */
export function createSignInLimits(deps: { cache: Cache; logger: Pick<Logger, 'warn'> }) {
  const { cache, logger } = deps;

  /** Per-account throttle (per-address limits are the HTTP layer's): counts every attempt. */
  async function throttleAccount(kind: string, email: string) {
    const attempts = await cache.increment(
      `auth:attempts:${kind}:${sha256(email)}`,
      ACCOUNT_ATTEMPTS.windowSeconds,
    );
    if (attempts > ACCOUNT_ATTEMPTS.max) throw authError('too_many_attempts');
  }

  function loginKeys(email: string, client: ClientInfo) {
    const account = sha256(email.toLowerCase());
    return {
      accountAddress: `auth:fail:pair:${account}:${client.ipAddress ?? 'unknown'}`,
      network: `auth:fail:net:${networkOf(client.ipAddress)}`,
      account: `auth:fail:account:${account}`,
    };
  }

  /** Refuses a password sign-in the failure limits stop, before the password is checked. */
  async function assertLoginAllowed(email: string, client: ClientInfo, userId: string | null) {
    const keys = loginKeys(email, client);
    const [pair, network, account] = await Promise.all([
      cache.get<number>(keys.accountAddress),
      cache.get<number>(keys.network),
      cache.get<number>(keys.account),
    ]);
    if ((pair ?? 0) >= LOGIN_LIMITS.accountAddress || (network ?? 0) >= LOGIN_LIMITS.network) {
      throw authError(
        'too_many_attempts',
        'Too many failed sign-ins from this address. Wait 15 minutes, or reset your password.',
      );
    }
    const knownDevice = userId !== null && (client.knownUserIds ?? []).includes(userId);
    if ((account ?? 0) >= LOGIN_LIMITS.account && !knownDevice) {
      throw authError(
        'account_locked',
        'Many wrong passwords were tried for this account, so new devices cannot sign in for now. ' +
          'Ask for an unlock link (POST /api/v1/auth/unlock/request with your e-mail), open it in ' +
          'this browser, then sign in. A browser you signed in with before still can.',
      );
    }
  }

  async function countLoginFailure(email: string, client: ClientInfo) {
    const keys = loginKeys(email, client);
    const [, network] = await Promise.all([
      cache.increment(keys.accountAddress, LOGIN_LIMITS.windowSeconds),
      cache.increment(keys.network, LOGIN_LIMITS.windowSeconds),
      cache.increment(keys.account, LOGIN_LIMITS.accountWindowSeconds),
    ]);
    if (network === LOGIN_LIMITS.network) {
      logger.warn(
        { network: networkOf(client.ipAddress), event: 'login_network_limited' },
        'many failed sign-ins from one network; it is refused for a while',
      );
    }
  }

  return { throttleAccount, loginKeys, assertLoginAllowed, countLoginFailure };
}

export type SignInLimits = ReturnType<typeof createSignInLimits>;
