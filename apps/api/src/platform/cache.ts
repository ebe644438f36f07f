import { LRUCache } from 'lru-cache';
import type { Registry } from 'prom-client';
import type { Logger } from './logger.js';
import { createRedisLink } from './redis.js';

/** A small key/value cache for derived data (category trees, counters). Values are JSON. */
export type Cache = {
  readonly kind: 'memory' | 'redis';
  get<T>(key: string): Promise<T | undefined>;
  set(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Adds one to a counter that expires `ttlSeconds` after its first increment; returns the count. */
  increment(key: string, ttlSeconds: number): Promise<number>;
  /** Drops every key starting with `prefix` (all of a module's entries after a write). */
  deletePrefix(prefix: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
};

export function createMemoryCache(maxEntries = 10_000): Cache {
  // Values are stored as JSON strings so a cached object can never be mutated by a caller,
  // and memory and Redis behave alike.
  const lru = new LRUCache<string, string>({ max: maxEntries });
  return {
    kind: 'memory',
    async get<T>(key: string) {
      const raw = lru.get(key);
      return raw === undefined ? undefined : (JSON.parse(raw) as T);
    },
    async set(key, value, ttlSeconds) {
      lru.set(key, JSON.stringify(value), { ttl: ttlSeconds * 1000 });
    },
    async delete(key) {
      lru.delete(key);
    },
    async increment(key, ttlSeconds) {
      const raw = lru.get(key);
      const count = (raw === undefined ? 0 : Number(JSON.parse(raw))) + 1;
      // The first increment fixes the window; later ones keep its remaining time.
      const ttl = raw === undefined ? ttlSeconds * 1000 : lru.getRemainingTTL(key);
      lru.set(key, JSON.stringify(count), { ttl: Math.max(1, ttl) });
      return count;
    },
    async deletePrefix(prefix) {
      for (const key of [...lru.keys()]) if (key.startsWith(prefix)) lru.delete(key);
    },
    async ping() {},
    async close() {
      lru.clear();
    },
  };
}

/**
 * How long a value written to the per-node fallback during a Redis outage is served. Other nodes'
 * invalidations do not reach this node while Redis is gone, so this bounds how stale a fallback
 * value can be (a revoked session, a demoted role: decision 022).
 */
export const FALLBACK_TTL_SECONDS = 5;
/** Invalidations remembered during an outage for replay; past this, keys collapse to their prefix. */
const MAX_PENDING = 10_000;

/**
 * Redis with a per-node fallback. While Redis is unavailable (see platform/redis.ts) every
 * operation is served by an in-process LRU: reads miss unless this node wrote the value during the
 * outage (kept at most FALLBACK_TTL_SECONDS), counters count per node. Deletes and increments
 * that could not reach Redis are remembered and replayed when it returns, before Redis is read
 * again, so a value invalidated during the outage is not read back from Redis afterwards; the
 * fallback is then cleared.
 */
export function createRedisCache(
  url: string,
  options: { keyPrefix?: string; logger?: Logger; registry?: Registry } = {},
): Cache {
  const keyPrefix = options.keyPrefix ?? 'souk:';
  const fallback = createMemoryCache();
  const pending = {
    keys: new Set<string>(),
    prefixes: new Set<string>(),
    increments: new Map<string, { by: number; ttlSeconds: number }>(),
  };

  const rememberDelete = (key: string) => {
    // Replayed before the increments: one counted before this delete must not come back after it.
    pending.increments.delete(key);
    if (pending.keys.size < MAX_PENDING) {
      pending.keys.add(key);
      return;
    }
    // Too many to replay one by one: drop everything under the key's prefix instead (more than
    // needed, which a cache allows).
    pending.prefixes.add(key.slice(0, key.lastIndexOf(':') + 1));
  };
  const rememberIncrement = (key: string, ttlSeconds: number) => {
    const seen = pending.increments.get(key);
    if (seen) seen.by += 1;
    else if (pending.increments.size < MAX_PENDING) pending.increments.set(key, { by: 1, ttlSeconds });
  };

  async function replay() {
    // Operations keep arriving (and falling back) while this runs: loop until nothing is left.
    while (pending.keys.size + pending.prefixes.size + pending.increments.size > 0) {
      const keys = [...pending.keys];
      const prefixes = [...pending.prefixes];
      const increments = [...pending.increments];
      pending.keys.clear();
      pending.prefixes.clear();
      pending.increments.clear();
      try {
        for (const prefix of prefixes) await unlinkPrefix(prefix);
        const batch = link.redis.multi();
        for (const key of keys) batch.unlink(key);
        for (const [key, { by, ttlSeconds }] of increments)
          batch.incrby(key, by).expire(key, ttlSeconds, 'NX');
        if (keys.length + increments.length > 0) await batch.exec();
      } catch (error) {
        for (const key of keys) pending.keys.add(key);
        for (const prefix of prefixes) pending.prefixes.add(prefix);
        for (const [key, value] of increments)
          if (!pending.increments.has(key)) pending.increments.set(key, value);
        throw error;
      }
    }
    // Written during the outage, possibly invalidated since on another node: Redis is the truth again.
    await fallback.deletePrefix('');
  }

  const link = createRedisLink({
    url,
    client: 'cache',
    keyPrefix,
    logger: options.logger,
    registry: options.registry,
    onRecovered: replay,
  });
  const redis = link.redis;

  async function unlinkPrefix(prefix: string) {
    // SCAN sees raw keys (keyPrefix is not applied to patterns or results), so strip it again.
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys.map((key) => key.slice(keyPrefix.length)));
    } while (cursor !== '0');
  }

  /** Runs `remote` while Redis is up; on its failure or during an outage, `local`. */
  async function attempt<T>(
    operation: string,
    remote: () => Promise<T>,
    local: () => Promise<T>,
  ): Promise<T> {
    if (link.available()) {
      try {
        return await remote();
      } catch (error) {
        link.failed(error);
      }
    }
    link.fellBack(operation);
    return local();
  }

  return {
    kind: 'redis',
    get<T>(key: string) {
      return attempt(
        'get',
        async () => {
          const raw = await redis.get(key);
          return raw === null ? undefined : (JSON.parse(raw) as T);
        },
        () => fallback.get<T>(key),
      );
    },
    set(key, value, ttlSeconds) {
      return attempt(
        'set',
        async () => {
          await redis.set(key, JSON.stringify(value), 'EX', Math.max(1, Math.round(ttlSeconds)));
        },
        () => fallback.set(key, value, Math.min(ttlSeconds, FALLBACK_TTL_SECONDS)),
      );
    },
    delete(key) {
      return attempt(
        'delete',
        async () => {
          await redis.del(key);
        },
        async () => {
          rememberDelete(key);
          await fallback.delete(key);
        },
      );
    },
    increment(key, ttlSeconds) {
      return attempt(
        'increment',
        async () => {
          const [[, count]] = (await redis.multi().incr(key).expire(key, ttlSeconds, 'NX').exec()) as [
            [Error | null, number],
          ];
          return count;
        },
        // Counters (attempt throttles, version numbers) count per node during the outage.
        async () => {
          rememberIncrement(key, ttlSeconds);
          return fallback.increment(key, ttlSeconds);
        },
      );
    },
    deletePrefix(prefix) {
      return attempt(
        'deletePrefix',
        () => unlinkPrefix(prefix),
        async () => {
          for (const key of pending.increments.keys())
            if (key.startsWith(prefix)) pending.increments.delete(key);
          pending.prefixes.add(prefix);
          await fallback.deletePrefix(prefix);
        },
      );
    },
    async ping() {
      // Readiness reports the link, not a fresh round trip a frozen Redis would stall.
      const outage = link.outage();
      if (outage)
        throw new Error(
          `unavailable since ${outage.since.toISOString()} (${outage.reason}); using per-node memory`,
        );
      try {
        await redis.ping();
      } catch (error) {
        link.failed(error);
        throw new Error(`unavailable (${(error as Error).message}); using per-node memory`);
      }
    },
    async close() {
      await link.close();
      await fallback.close();
    },
  };
}
