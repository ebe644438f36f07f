import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { traceQueries } from '../tracing.js';
import type { Database, DatabaseOptions, Queryable, ReplicaStats, SqlExecutor } from './database.js';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './errors.js';
import { useLeanArrayRowResults } from './pg-array-rows.js';
import { executorFor, migrationsFolder } from './sql-executor.js';
import { createWatchdog, destroyConnection, type Watchdog } from './watchdog.js';

// Any two processes migrating the same database serialise on this key (hashtext('souk:migrations')).
const MIGRATION_LOCK_KEY = 715_204_118;

/**
 * How long a request may wait for a pooled connection before it gets a 503. A burst (100
 * concurrent upvotes on 10 connections at load average 20) waits its turn; a database that is
 * gone does not rely on this bound: the watchdog fails waiting requests within its probe timeout.
 */
const CONNECT_TIMEOUT_MS = 10_000;

type GuardedPool = { pool: pg.Pool; watchdog: Watchdog };

/**
 * A pool with decision 025's guards: bounded waits and timeouts, a permanent error listener per
 * client, a watchdog on its own connection, and fail-fast while the server does not answer. The
 * primary and every replica get one each.
 */
function createGuardedPool(
  url: string,
  options: DatabaseOptions,
  probe?: (client: pg.Client) => Promise<void>,
): GuardedPool {
  const statementTimeoutMs = options.statementTimeoutMs ?? 30_000;
  const logger = options.logger;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    application_name: 'souk',
    // A bounded wait: with the database gone or every connection stuck, a request gets a 503
    // instead of queueing until its client gives up.
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // A dead peer (a host that vanished, a dropped NAT entry) is noticed by the kernel.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // The server cancels a runaway statement; a frozen or unreachable server cannot, so the
    // client stops waiting a little later (and the watchdog below closes the stuck connection).
    ...(statementTimeoutMs > 0
      ? { statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + 5_000 }
      : {}),
    // JIT compiles a plan's expressions when its estimated cost passes jit_above_cost; for a
    // broad search at 1M listings that cost 40-50 ms of compilation on a statement that then ran
    // in 10-30 ms (decision 018). Souk's statements are short, so it is off for its sessions.
    options: '-c jit=off',
  });
  const clients = new Set<pg.PoolClient>();
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (error) => logger?.warn({ err: error }, 'idle database connection failed'));
  pool.on('connect', (client) => {
    clients.add(client);
    // pg-pool removes its own 'error' listener while a client is checked out (a transaction):
    // a server restart then emitted an 'error' with no listener, an uncaught exception that
    // ended the process. This one stays for the client's life; the query in flight fails on its
    // own and the pool drops the broken client when it is released.
    client.on('error', (error) => logger?.debug({ err: error }, 'database connection failed'));
    client.once('end', () => clients.delete(client));
    // A client-side query timeout leaves the statement on the wire and the connection in an
    // unknown state; later queries would queue behind it. Close it, as pg does in pipeline mode.
    const query = traceQueries(client.query.bind(client) as (...args: unknown[]) => unknown, 'postgresql');
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      const result = query(...args);
      if (result instanceof Promise) {
        result.catch((error: unknown) => {
          if ((error as Error | undefined)?.message === 'Query read timeout') destroyConnection(client);
        });
      }
      return result;
    };
  });
  pool.on('remove', (client) => clients.delete(client));

  const watchdog = createWatchdog({
    url,
    logger,
    probe,
    onUnavailable: () => {
      // A stalled server leaves every connection waiting on an answer that will not come:
      // close them, so what runs on them fails now (a 503) instead of at its query timeout.
      for (const client of clients) destroyConnection(client);
    },
  });

  // While the watchdog says the database is gone, new work fails at once instead of waiting for
  // a connection that cannot be made; work waiting for a connection fails when it says so.
  const rawConnect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const guardedConnect = (): Promise<pg.PoolClient> => {
    if (!watchdog.available()) return Promise.reject(new DatabaseUnavailableError());
    return new Promise((resolve, reject) => {
      let settled = false;
      const stopWaiting = watchdog.onUnavailable(() => {
        settled = true;
        reject(new DatabaseUnavailableError());
      });
      rawConnect().then(
        (client) => {
          stopWaiting();
          if (settled) client.release();
          else resolve(client);
        },
        (error: unknown) => {
          stopWaiting();
          if (!settled) reject(error);
        },
      );
    });
  };
  (pool as unknown as { connect: (callback?: unknown) => unknown }).connect = (callback?: unknown) =>
    typeof callback === 'function'
      ? (rawConnect as unknown as (callback: unknown) => void)(callback)
      : guardedConnect();
  // pool.query hands its pooled client a callback, which the client's span wrapper passes by.
  const rawQuery = traceQueries(pool.query.bind(pool) as (...args: unknown[]) => unknown, 'postgresql');
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    if (typeof args.at(-1) === 'function') return rawQuery(...args);
    if (!watchdog.available()) return Promise.reject(new DatabaseUnavailableError());
    const result = rawQuery(...args) as Promise<unknown>;
    // A connection-class failure asks the watchdog to look now rather than at its next round.
    return result.catch((error: unknown) => {
      if (isDatabaseUnavailable(error)) watchdog.checkNow();
      throw error;
    });
  };

  return { pool, watchdog };
}

export async function createPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  useLeanArrayRowResults();
  const logger = options.logger;
  const { pool, watchdog } = createGuardedPool(url, options);
  const replicas = (options.replicaUrls ?? []).map((replicaUrl, index) =>
    createReplica(replicaUrl, index, pool, options),
  );
  const writeMarks = options.writeMarks;
  let turn = 0;
  const usableReplica = (): Replica | null => {
    for (let tried = 0; tried < replicas.length; tried++) {
      const replica = replicas[turn++ % replicas.length] as Replica;
      if (replica.usable()) return replica;
    }
    return null;
  };

  const db = drizzleNodePg({ client: pool });
  const executor: SqlExecutor = {
    async executeSql(text, values) {
      const result = await pool.query(text, values);
      return { rows: result.rows };
    },
  };
  return {
    kind: 'postgres',
    db,
    async readDb(ctx) {
      const replica = usableReplica();
      if (!replica) return db;
      const memberId = ctx?.actor?.userId;
      if (memberId && writeMarks) {
        // A failed look-up reads from the primary: fresh is always correct, only slower.
        const wrote = await writeMarks.recent(memberId).catch(() => true);
        if (wrote) return db;
      }
      return replica.db;
    },
    replicated: replicas.length > 0,
    async markWrote(memberId) {
      if (replicas.length > 0 && writeMarks) await writeMarks.mark(memberId);
    },
    replicaStats: () => replicas.map((replica) => replica.stats()),
    transaction: (work) => db.transaction((tx) => work(tx)),
    executor,
    executorFor,
    async migrate() {
      // Its own connection without the timeouts: waiting for another node's migration (the
      // advisory lock) or a long index build is expected here.
      const client = new pg.Client({ connectionString: url, application_name: 'souk', keepAlive: true });
      client.on('error', (error) => logger?.warn({ err: error }, 'migration connection failed'));
      await client.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          await migrateNodePg(drizzleNodePg({ client }), { migrationsFolder });
        } finally {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        }
      } finally {
        await client.end();
      }
    },
    async ping() {
      await pool.query('select 1');
    },
    available: () => watchdog.available(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      watchdog.stop();
      await Promise.all([...replicas.map((replica) => replica.close()), pool.end()]);
    },
  };
}

type Replica = {
  db: Queryable;
  usable(): boolean;
  stats(): ReplicaStats;
  close(): Promise<void>;
};

/**
 * Replay lag without cost per query: the replica's watchdog reads it on its own connection every
 * second. A replica that has replayed all it received is not behind (an idle primary writes
 * nothing, and `now() - pg_last_xact_replay_timestamp()` would grow without any lag); otherwise
 * the lag is the age of the last transaction it replayed.
 */
const LAG_SQL = `select case
  when not pg_is_in_recovery() then 0
  when pg_last_wal_receive_lsn() is not distinct from pg_last_wal_replay_lsn() then 0
  else coalesce(extract(epoch from (clock_timestamp() - pg_last_xact_replay_timestamp())) * 1000, 0)
end::float8 as lag_ms`;

function createReplica(url: string, index: number, primary: pg.Pool, options: DatabaseOptions): Replica {
  const maxLagMs = options.replicaMaxLagMs ?? 5_000;
  let lagMs: number | null = null;
  const name = replicaName(url, index);
  const { pool, watchdog } = createGuardedPool(
    url,
    { ...options, poolMax: options.poolMax },
    async (client) => {
      const result = await client.query<{ lag_ms: number }>(LAG_SQL);
      const lag = Number(result.rows[0]?.lag_ms ?? 0);
      const wasUsable = lagMs === null || lagMs <= maxLagMs;
      lagMs = lag;
      if (wasUsable && lag > maxLagMs) {
        options.logger?.warn(
          { replica: name, lagMs: lag },
          'replica lags beyond the bound: reading from the primary',
        );
      } else if (!wasUsable && lag <= maxLagMs) {
        options.logger?.warn({ replica: name, lagMs: lag }, 'replica caught up: reading from it again');
      }
    },
  );
  const usable = () => watchdog.available() && lagMs !== null && lagMs <= maxLagMs;
  // What drizzle calls on the replica's handle. Between the watchdog's rounds a replica can stop
  // or start lagging; a query that then fails for a connection-class reason (the 503 family) is
  // run again on the primary, so the member never sees a replica go away.
  const replicaQuery = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  const primaryQuery = primary.query.bind(primary) as (...args: unknown[]) => Promise<unknown>;
  (pool as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    if (typeof args.at(-1) === 'function') return replicaQuery(...args);
    if (!usable()) return primaryQuery(...args);
    return replicaQuery(...args).catch((error: unknown) => {
      if (!isDatabaseUnavailable(error) && !cancelledByRecovery(error)) throw error;
      options.logger?.debug({ err: error, replica: name }, 'replica query failed: retried on the primary');
      return primaryQuery(...args);
    });
  };
  return {
    db: drizzleNodePg({ client: pool }),
    usable,
    stats: () => ({ name, available: watchdog.available(), lagMs, usable: usable() }),
    async close() {
      watchdog.stop();
      await pool.end();
    },
  };
}

/** A standby cancels a read whose rows replay must remove (40001); the primary has no such conflict. */
function cancelledByRecovery(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '40001';
}

function replicaName(url: string, index: number): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return `replica ${index + 1}`;
  }
}
