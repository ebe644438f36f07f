import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRedisServer, type RedisServer, startRedisServer } from '../test-support/redis-server.js';
import { waitFor } from '../test-support/wait.js';
import { type Cache, createMemoryCache, createRedisCache, FALLBACK_TTL_SECONDS } from './cache.js';
import { createLogger } from './logger.js';

const redisUrl = process.env.TEST_REDIS_URL;
const engines: [string, () => Cache][] = [['memory', () => createMemoryCache()]];
if (redisUrl)
  engines.push([
    'redis',
    () => createRedisCache(redisUrl, { keyPrefix: `souk-test-${process.pid}-${Date.now()}:` }),
  ]);

/** A Redis cache serves from Redis once its connection is up; before that it falls back. */
const redisAnswers = (cache: Cache) =>
  waitFor(
    () =>
      cache.ping().then(
        () => true,
        () => false,
      ),
    15_000,
  );

describe.each(engines)('%s cache', (_name, make) => {
  const cache = make();
  beforeAll(() => redisAnswers(cache));
  afterAll(async () => {
    await cache.deletePrefix('');
    await cache.close();
  });

  it('stores JSON values and hands out copies', async () => {
    await cache.set('a', { list: [1, 2] }, 60);
    const first = await cache.get<{ list: number[] }>('a');
    expect(first).toEqual({ list: [1, 2] });
    first?.list.push(3);
    expect(await cache.get('a')).toEqual({ list: [1, 2] });
    expect(await cache.get('missing')).toBeUndefined();
  });

  it('deletes one key, or every key under a prefix', async () => {
    await cache.set('catalog:tree', 1, 60);
    await cache.set('catalog:category:cars', 2, 60);
    await cache.set('other:thing', 3, 60);
    await cache.delete('catalog:tree');
    expect(await cache.get('catalog:tree')).toBeUndefined();
    await cache.deletePrefix('catalog:');
    expect(await cache.get('catalog:category:cars')).toBeUndefined();
    expect(await cache.get('other:thing')).toBe(3);
  });

  it('forgets a value after its time to live', async () => {
    await cache.set('short', 'x', 1);
    expect(await cache.get('short')).toBe('x');
    await expect.poll(() => cache.get('short'), { timeout: 5000, interval: 100 }).toBeUndefined();
  });

  it('counts within a window that starts at the first increment', async () => {
    expect(await cache.increment('counter', 1)).toBe(1);
    expect(await cache.increment('counter', 1)).toBe(2);
    expect(await cache.increment('counter', 1)).toBe(3);
    await expect.poll(() => cache.get('counter'), { timeout: 5000, interval: 100 }).toBeUndefined();
    expect(await cache.increment('counter', 1)).toBe(1);
  });

  it('answers a ping', async () => {
    await expect(cache.ping()).resolves.toBeUndefined();
  });
});

/**
 * The Redis cache against a redis-server of its own that the test kills, restarts and freezes:
 * Redis is an accelerator, so every operation keeps answering, at once, from per-node memory.
 */
describe.skipIf(!hasRedisServer)('Redis cache when Redis fails', () => {
  let server: RedisServer;
  let cache: Cache;
  let direct: Redis;
  const registry = new Registry();
  const logged: { level: number; msg: string }[] = [];
  const outageWarnings = () => logged.filter((line) => line.level === 40 && /unavailable/.test(line.msg));
  const available = async () =>
    (await registry.getSingleMetricAsString('redis_available')).trim().split('\n').at(-1);
  const fallbacks = async () =>
    (await registry.getMetricsAsJSON())
      .find((metric) => metric.name === 'redis_fallbacks_total')
      ?.values.reduce((sum, value) => sum + value.value, 0) ?? 0;

  beforeAll(async () => {
    server = await startRedisServer();
    const logger = createLogger('info', { write: (line: string) => void logged.push(JSON.parse(line)) });
    cache = createRedisCache(server.url, { logger, registry });
    await redisAnswers(cache);
    direct = new Redis(server.url, { keyPrefix: 'souk:', lazyConnect: true });
  });
  afterAll(async () => {
    direct?.disconnect();
    await cache?.close();
    await server?.stop();
  });

  it('answers every operation at once from per-node memory while Redis is dead, and warns once', async () => {
    await cache.set('auth:session:1', { active: true }, 60);
    expect(await cache.get('auth:session:1')).toEqual({ active: true });
    expect(await available()).toBe('redis_available{client="cache"} 1');

    await server.kill();
    const started = performance.now();
    // A miss, never an error: a session check then reads the database.
    expect(await cache.get('auth:session:1')).toBeUndefined();
    await cache.set('written-during', 'x', 60);
    expect(await cache.get('written-during')).toBe('x');
    expect(await cache.increment('catalog:version', 3600)).toBe(1);
    expect(await cache.increment('catalog:version', 3600)).toBe(2);
    await cache.delete('auth:session:1');
    // A counter reset during the outage (a successful login) stays reset when replayed.
    for (let i = 0; i < 3; i += 1) await cache.increment('auth:attempts:x', 600);
    await cache.delete('auth:attempts:x');
    expect(await cache.increment('auth:attempts:x', 600)).toBe(1);
    for (let i = 0; i < 100; i += 1) await cache.get(`auth:session:${i}`);
    expect(performance.now() - started).toBeLessThan(1000);

    await expect(cache.ping()).rejects.toThrow(/unavailable since .*per-node memory/);
    expect(await available()).toBe('redis_available{client="cache"} 0');
    expect(await fallbacks()).toBeGreaterThanOrEqual(110);
    expect(outageWarnings()).toHaveLength(1);
  });

  it('serves what it wrote during the outage for at most FALLBACK_TTL_SECONDS (other nodes may have invalidated it)', async () => {
    const written = Date.now();
    await cache.set('auth:session:3', { active: true }, 60);
    expect(await cache.get('auth:session:3')).toEqual({ active: true });
    await expect.poll(() => cache.get('auth:session:3'), { timeout: 15_000, interval: 100 }).toBeUndefined();
    expect(Date.now() - written).toBeGreaterThanOrEqual(FALLBACK_TTL_SECONDS * 1000 - 50);
  });

  it('reads Redis again once it is back, drops what it wrote to memory and replays the increments', async () => {
    await server.start();
    await redisAnswers(cache);
    expect(await available()).toBe('redis_available{client="cache"} 1');
    await direct.connect();
    // Redis came back empty (a crash): the value written to memory during the outage is gone,
    // and the catalog version bumped twice during the outage was bumped in Redis too.
    expect(await cache.get('written-during')).toBeUndefined();
    expect(await cache.get('catalog:version')).toBe(2);
    expect(await cache.get('auth:attempts:x')).toBe(1);
    await direct.set('set-elsewhere', JSON.stringify('from redis'));
    expect(await cache.get('set-elsewhere')).toBe('from redis');
    expect(logged.filter((line) => /available again/.test(line.msg))).toHaveLength(1);
    expect(outageWarnings()).toHaveLength(1);
  });

  it('trips on a frozen Redis within one command timeout, and replays the deletes it missed', async () => {
    await cache.set('auth:session:2', { active: true }, 60);
    await cache.set('catalog:tree:a', 1, 60);
    server.freeze();
    try {
      const started = performance.now();
      expect(await cache.get('auth:session:2')).toBeUndefined(); // the command times out
      const tripped = performance.now();
      // Not sent to Redis: remembered, and replayed before Redis is read again.
      await cache.delete('auth:session:2');
      await cache.deletePrefix('catalog:tree:');
      expect(await cache.get('auth:session:2')).toBeUndefined();
      expect(tripped - started).toBeLessThan(2000);
      expect(performance.now() - tripped).toBeLessThan(100);
    } finally {
      server.thaw();
    }
    await redisAnswers(cache);
    expect(await direct.exists('auth:session:2', 'catalog:tree:a')).toBe(0);
    expect(outageWarnings()).toHaveLength(2);
  });
});
