import pg from 'pg';
import type { Logger } from '../logger.js';

/** The watchdog asks `select 1` this often on its own connection... */
const PROBE_INTERVAL_MS = 1_000;
/** ...and gives up after this long: a server that does not answer that is stalled or gone. */
const PROBE_TIMEOUT_MS = 2_000;
/** While the database is unavailable, the watchdog retries this often, so recovery is quick. */
const RECOVERY_INTERVAL_MS = 250;

/** Closes a connection's socket at once: what runs on it fails now instead of waiting. */
export function destroyConnection(client: pg.Client) {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

export type Watchdog = {
  available(): boolean;
  /** Calls `listener` the next time the database turns unavailable; returns its removal. */
  onUnavailable(listener: () => void): () => void;
  checkNow(): void;
  stop(): void;
};

/**
 * Asks `select 1` on a connection of its own (a saturated pool must not look like an outage)
 * every second, and every 250 ms while the database is unavailable. One answer missing for 2 s,
 * or a refused or broken connection, marks the database unavailable; the first answer marks it
 * available again.
 */
export function createWatchdog(deps: {
  url: string;
  logger?: Logger;
  onUnavailable: () => void;
  /** Replaces `select 1` (a replica's probe also reads its lag); must reject on no answer. */
  probe?: ((client: pg.Client) => Promise<void>) | undefined;
}): Watchdog {
  let available = true;
  let stopped = false;
  let client: pg.Client | null = null;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  const listeners = new Set<() => void>();

  const dropClient = () => {
    const current = client;
    client = null;
    if (current) {
      destroyConnection(current);
      current.end().catch(() => {});
    }
  };
  const answer = async () => {
    if (!client) {
      const next = new pg.Client({
        connectionString: deps.url,
        application_name: deps.probe ? 'souk-replica-watchdog' : 'souk-watchdog',
        connectionTimeoutMillis: PROBE_TIMEOUT_MS,
        keepAlive: true,
      });
      next.on('error', () => {
        if (client === next) client = null;
      });
      client = next;
      await withTimeout(next.connect(), PROBE_TIMEOUT_MS);
    }
    const current = client;
    await withTimeout<unknown>(
      deps.probe ? deps.probe(current) : current.query('select 1'),
      PROBE_TIMEOUT_MS,
    );
  };
  const round = async () => {
    try {
      await answer();
      if (!available && !stopped) {
        available = true;
        deps.logger?.warn('database answers again');
      }
    } catch (error) {
      dropClient();
      if (available && !stopped) {
        available = false;
        deps.logger?.error({ err: error }, 'database unavailable: answering 503 until it is back');
        deps.onUnavailable();
        for (const listener of [...listeners]) listener();
        listeners.clear();
      }
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(run, available ? PROBE_INTERVAL_MS : RECOVERY_INTERVAL_MS);
    timer.unref();
  };
  const run = () => {
    clearTimeout(timer);
    if (running || stopped) return;
    running = round().finally(() => {
      running = null;
      schedule();
    });
  };
  schedule();
  return {
    available: () => available,
    onUnavailable(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    checkNow: run,
    stop() {
      stopped = true;
      clearTimeout(timer);
      dropClient();
    },
  };
}

/**
 * `promise`, or a rejection when it has not settled `ms` after the call. A blocked event loop
 * (a busy or overloaded process) fires the timer late, in the same turn as the answer that came
 * meanwhile; the timers run first, so the verdict waits for that turn's I/O (setImmediate) and
 * an answer that did arrive is not mistaken for a silent database.
 */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(
      () =>
        setImmediate(() => {
          if (!settled) reject(new Error(`no answer within ${ms} ms`));
        }),
      ms,
    );
    promise.then(
      (value) => {
        settled = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        settled = true;
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
