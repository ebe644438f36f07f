import { createRequire } from 'node:module';
import type { FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Registry } from 'prom-client';
import type { Logger } from './logger.js';
import { createRedisLink, type RedisLink } from './redis.js';

type Counted = { current: number; ttl: number };
type Callback = (error: Error | null, result?: Counted) => void;
type RouteOptions = {
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
  cache?: number;
  routeInfo: { method: string; url: string };
};
/** The store contract of @fastify/rate-limit (its RedisStore and LocalStore implement it). */
type Store = {
  incr(key: string, callback: Callback, timeWindow: number, max: number): void;
  read(key: string, callback: Callback, timeWindow: number, max: number): void;
  child(routeOptions: RouteOptions): Store;
};
type StoreClass<A extends unknown[]> = new (...args: A) => Store;

// The plugin's own stores (CommonJS files without type declarations): the Redis one for the
// shared count, the in-process one for the per-node fallback.
const require = createRequire(import.meta.url);
const RedisStore: StoreClass<
  [boolean, boolean, RedisLink['redis'], string]
> = require('@fastify/rate-limit/store/RedisStore.js');
const LocalStore: StoreClass<
  [boolean, boolean, number | undefined]
> = require('@fastify/rate-limit/store/LocalStore.js');

/**
 * A @fastify/rate-limit store that counts in Redis (shared by every node) and, while Redis is
 * unavailable, in per-node memory: a limit of N a minute then allows up to N a minute on each
 * node instead of disappearing (`skipOnError` would let everything through) or failing the
 * request. Counts made during an outage are not carried over to Redis when it returns.
 */
export function createFallbackRateLimitStore(options: {
  url: string;
  logger?: Logger;
  registry?: Registry;
  nameSpace: string;
}) {
  const link = createRedisLink({
    url: options.url,
    client: 'rate-limit',
    logger: options.logger,
    registry: options.registry,
  });

  const combine = (shared: Store, local: Store): Store => {
    const run = (
      method: 'incr' | 'read',
      key: string,
      callback: Callback,
      timeWindow: number,
      max: number,
    ) => {
      const fallBack = () => {
        link.fellBack(`rate-limit ${method}`);
        local[method](key, callback, timeWindow, max);
      };
      if (!link.available()) return fallBack();
      shared[method](
        key,
        (error, result) => {
          if (!error) return callback(null, result ?? undefined);
          link.failed(error);
          fallBack();
        },
        timeWindow,
        max,
      );
    };
    return {
      incr: (key, callback, timeWindow, max) => run('incr', key, callback, timeWindow, max),
      read: (key, callback, timeWindow, max) => run('read', key, callback, timeWindow, max),
      child: (routeOptions) => combine(shared.child(routeOptions), local.child(routeOptions)),
    };
  };

  /** Pass as the plugin's `store`: it constructs it once with the global options. */
  const store = function FallbackRateLimitStore(
    this: unknown,
    global: { continueExceeding?: boolean; exponentialBackoff?: boolean },
  ) {
    const continueExceeding = Boolean(global.continueExceeding);
    const exponentialBackoff = Boolean(global.exponentialBackoff);
    return combine(
      new RedisStore(continueExceeding, exponentialBackoff, link.redis, options.nameSpace),
      new LocalStore(continueExceeding, exponentialBackoff, undefined),
    );
  } as unknown as FastifyRateLimitStoreCtor;

  return { store, link, close: () => link.close() };
}
