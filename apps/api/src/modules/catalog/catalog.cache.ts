import type { Cache } from '../../platform/cache.js';

/** Bumped by every write; each node compares it with the version its parsed answers were built at. */
export const CATALOG_VERSION_KEY = 'catalog:version';
// A write is seen at once on this node (and on every node when the cache is Redis);
// with per-node memory caches another node may serve the old tree for at most this long.
const CACHE_TTL_SECONDS = 60;

/** The catalog's read cache: answers kept parsed per catalog version, dropped by `invalidate`. */
export function createCatalogCache(cache: Cache) {
  // Catalog answers are kept parsed in this process per catalog version (the version lives in the
  // shared cache, so a write on any node is seen by all): re-parsing a car's 600-option schema
  // from a JSON cache cost about 0.4 ms a request (bench/listing.bench.ts). Callers must not
  // mutate what they get.
  const parsed = new Map<string, { version: number; at: number; value: unknown }>();
  async function memoized<T>(key: string, load: () => Promise<T>): Promise<T> {
    const version = (await cache.get<number>(CATALOG_VERSION_KEY)) ?? 0;
    const hit = parsed.get(key);
    if (hit && hit.version === version && Date.now() - hit.at < CACHE_TTL_SECONDS * 1000)
      return hit.value as T;
    const value = await load();
    if (parsed.size > 5000) parsed.clear();
    parsed.set(key, { version, at: Date.now(), value });
    return value;
  }

  /** Drops every cached catalog answer on every node (the version moves on). */
  async function invalidate() {
    await cache.increment(CATALOG_VERSION_KEY, 365 * 86_400);
  }

  return { memoized, invalidate };
}

export type CatalogCache = ReturnType<typeof createCatalogCache>;

/** The entries of `all` for `ids` (unknown ids left out). */
export function pick<T>(all: Map<string, T>, ids: string[]): Map<string, T> {
  const found = new Map<string, T>();
  for (const id of ids) {
    const value = all.get(id);
    if (value !== undefined) found.set(id, value);
  }
  return found;
}
