import { afterAll, describe, expect, it } from 'vitest';
import { type Cache, createMemoryCache, createRedisCache } from './cache.js';

const redisUrl = process.env.TEST_REDIS_URL;
const engines: [string, () => Cache][] = [['memory', () => createMemoryCache()]];
if (redisUrl)
  engines.push(['redis', () => createRedisCache(redisUrl, `souk-test-${process.pid}-${Date.now()}:`)]);

describe.each(engines)('%s cache', (_name, make) => {
  const cache = make();
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
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await cache.get('short')).toBeUndefined();
  });

  it('counts within a window that starts at the first increment', async () => {
    expect(await cache.increment('counter', 1)).toBe(1);
    expect(await cache.increment('counter', 1)).toBe(2);
    expect(await cache.increment('counter', 1)).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await cache.increment('counter', 1)).toBe(1);
  });

  it('answers a ping', async () => {
    await expect(cache.ping()).resolves.toBeUndefined();
  });
});
