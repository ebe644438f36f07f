import { Redis } from 'ioredis';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from './logger.js';

/**
 * One Redis connection and whether it can be used right now. Redis is an accelerator (cache,
 * rate-limit counters, realtime fan-out), never a dependency a request waits on: a command is
 * sent only while the link is up, fails at once or after COMMAND_TIMEOUT_MS otherwise, and the
 * caller then serves from its per-node fallback. An outage is logged once when it starts and once
 * when it ends, and shows as `redis_available{client} 0` and `redis_fallbacks_total{client}`.
 */
export type RedisLink = {
  readonly client: string;
  readonly redis: Redis;
  /** True while commands may be sent; false during an outage and until `onRecovered` has run. */
  available(): boolean;
  /** A command failed: the link goes down (logged once per outage) and probes Redis until it answers. */
  failed(error: unknown): void;
  /** Counts one operation served by the caller's local fallback. */
  fellBack(operation: string): void;
  /** Resolves true once the link is up, or false after `timeoutMs` (start-up, tests). */
  whenAvailable(timeoutMs: number): Promise<boolean>;
  /** Why the link is down, for readiness; undefined while it is up. */
  outage(): { since: Date; reason: string } | undefined;
  close(): Promise<void>;
};

/**
 * A command that has not answered after this long counts as an outage (a frozen Redis). Not
 * shorter: on a busy host event-loop lag alone fires a 500 ms timer before the reply is read.
 */
export const COMMAND_TIMEOUT_MS = 1000;
/** Reconnect backoff: 100 ms, 200 ms, ... capped, so service resumes within ~1 s of Redis returning. */
const MAX_RECONNECT_DELAY_MS = 1000;
/** While the connection looks open but commands fail (a timeout, an OOM reply), probe this often. */
const PROBE_INTERVAL_MS = 1000;

type OutageLog = { down: Set<string>; since: number };
const newOutageLog = (): OutageLog => ({ down: new Set(), since: 0 });
type RedisMetrics = { links: Set<RedisLink>; fallbacks: Counter<'client' | 'operation'>; outages: OutageLog };
// One set of metric objects per registry (tests build many apps, each with its own registry).
const metricsByRegistry = new WeakMap<Registry, RedisMetrics>();

function redisMetrics(registry: Registry): RedisMetrics {
  const existing = metricsByRegistry.get(registry);
  if (existing) return existing;
  const links = new Set<RedisLink>();
  new Gauge({
    name: 'redis_available',
    help: 'Whether this process can use Redis (1) or serves from its per-node fallback (0), by client',
    labelNames: ['client'],
    registers: [registry],
    collect() {
      this.reset();
      for (const link of links) this.set({ client: link.client }, link.available() ? 1 : 0);
    },
  });
  const fallbacks = new Counter({
    name: 'redis_fallbacks_total',
    help: 'Operations served by the per-node fallback because Redis was unavailable, by client and operation',
    labelNames: ['client', 'operation'],
    registers: [registry],
  });
  const created = { links, fallbacks, outages: newOutageLog() };
  metricsByRegistry.set(registry, created);
  return created;
}

export function createRedisLink(options: {
  url: string;
  /** Names the connection in logs and metrics: cache, rate-limit, realtime, realtime-subscriber. */
  client: string;
  logger?: Logger;
  registry?: Registry;
  keyPrefix?: string;
  /**
   * A pub/sub subscriber: commands queue while disconnected (SUBSCRIBE is re-sent on reconnect),
   * no command timeout; `available()` then only reports the connection state.
   */
  subscriber?: boolean;
  /**
   * Runs once the connection is ready again, before the link reports itself available (the cache
   * replays the invalidations it could not send); a rejection keeps the link down and retries.
   */
  onRecovered?: () => Promise<void>;
}): RedisLink {
  const { client, logger, subscriber = false } = options;
  const redis = new Redis(options.url, {
    keyPrefix: options.keyPrefix,
    lazyConnect: false,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 100, MAX_RECONNECT_DELAY_MS),
    ...(subscriber
      ? { maxRetriesPerRequest: null }
      : // Fail a command at once while disconnected instead of queueing it behind reconnects (the
        // caller has a fallback), and fail one in flight when the connection drops.
        { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: COMMAND_TIMEOUT_MS }),
  });

  let up = false;
  let closed = false;
  let down: { since: Date; reason: string; fallbacks: number } | undefined;
  let probe: NodeJS.Timeout | undefined;
  let recovering = false;
  const waiters = new Set<() => void>();

  // The links of one process (one registry) log one outage together: a warning when the first
  // goes down, a line when the last is back; each link's own transitions are debug lines.
  const outages = options.registry ? redisMetrics(options.registry).outages : newOutageLog();
  const goDown = (reason: string, error?: unknown) => {
    up = false;
    if (closed || down) return;
    down = { since: new Date(), reason, fallbacks: 0 };
    const first = outages.down.size === 0;
    outages.down.add(client);
    if (first) outages.since = Date.now();
    const line = first ? logger?.warn.bind(logger) : logger?.debug.bind(logger);
    line?.(
      { err: error, redisClient: client },
      `redis unavailable (${client}: ${reason}); serving from per-node fallbacks until it returns`,
    );
  };
  const backUp = () => {
    if (!down) return;
    outages.down.delete(client);
    const last = outages.down.size === 0;
    const line = last ? logger?.info.bind(logger) : logger?.debug.bind(logger);
    line?.(
      {
        redisClient: client,
        outageMs: Date.now() - (last ? outages.since : down.since.getTime()),
        fallbacks: down.fallbacks,
      },
      last ? 'redis available again' : `redis available again (${client})`,
    );
    down = undefined;
  };

  const recover = async () => {
    if (closed || recovering || up) return;
    recovering = true;
    try {
      if (!subscriber) await redis.ping();
      await options.onRecovered?.();
      if (closed || redis.status !== 'ready') return;
      up = true;
      for (const wake of waiters) wake();
      backUp();
    } catch (error) {
      goDown(error instanceof Error ? error.message : String(error), error);
      scheduleProbe();
    } finally {
      recovering = false;
    }
  };

  const scheduleProbe = () => {
    if (closed || probe) return;
    probe = setTimeout(() => {
      probe = undefined;
      // A closed connection probes itself through reconnects and the 'ready' event.
      if (redis.status === 'ready') void recover();
    }, PROBE_INTERVAL_MS);
    probe.unref();
  };

  redis.on('ready', () => void recover());
  // ioredis emits 'error' on every failed reconnect attempt: the outage is logged once, in goDown.
  redis.on('error', (error: Error) => goDown(error.message, error));
  redis.on('close', () => goDown('connection closed'));

  const metrics = options.registry ? redisMetrics(options.registry) : undefined;
  const link: RedisLink = {
    client,
    redis,
    available: () => up,
    failed(error) {
      goDown(error instanceof Error ? error.message : String(error), error);
      scheduleProbe();
    },
    whenAvailable(timeoutMs) {
      if (up) return Promise.resolve(true);
      return new Promise((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(up);
        };
        const timer = setTimeout(wake, timeoutMs);
        waiters.add(wake);
      });
    },
    fellBack(operation) {
      if (down) down.fallbacks += 1;
      metrics?.fallbacks.inc({ client, operation });
    },
    outage: () =>
      down
        ? { since: down.since, reason: down.reason }
        : up
          ? undefined
          : { since: new Date(), reason: 'not connected yet' },
    async close() {
      closed = true;
      up = false;
      clearTimeout(probe);
      metrics?.links.delete(link);
      outages.down.delete(client);
      // QUIT waits for an answer a dead Redis never gives; disconnect does not wait.
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
  metrics?.links.add(link);
  return link;
}
