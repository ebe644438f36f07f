import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

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

export function createRedisCache(url: string, keyPrefix = 'souk:'): Cache {
  const redis = new Redis(url, { keyPrefix, maxRetriesPerRequest: 2, lazyConnect: false });
  // Connection trouble surfaces through /health/ready and failed commands, not a crash.
  redis.on('error', () => {});
  return {
    kind: 'redis',
    async get<T>(key: string) {
      const raw = await redis.get(key);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    },
    async set(key, value, ttlSeconds) {
      await redis.set(key, JSON.stringify(value), 'EX', Math.max(1, Math.round(ttlSeconds)));
    },
    async delete(key) {
      await redis.del(key);
    },
    async increment(key, ttlSeconds) {
      const [[, count]] = (await redis.multi().incr(key).expire(key, ttlSeconds, 'NX').exec()) as [
        [Error | null, number],
      ];
      return count;
    },
    async deletePrefix(prefix) {
      // SCAN sees raw keys (keyPrefix is not applied to patterns or results), so strip it again.
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${keyPrefix}${prefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.unlink(...keys.map((key) => key.slice(keyPrefix.length)));
      } while (cursor !== '0');
    },
    async ping() {
      await redis.ping();
    },
    async close() {
      await redis.quit();
    },
  };
}
