import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { cube } from '@electric-sql/pglite/contrib/cube';
import { earthdistance } from '@electric-sql/pglite/contrib/earthdistance';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Param, type SQL, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { Logger } from '../logger.js';
import { traceQueries, tracingEnabled } from '../tracing.js';
import { DatabaseUnavailableError, isDatabaseUnavailable } from './errors.js';
import { useLeanArrayRowResults } from './pg-array-rows.js';
import { guardTransactions } from './transaction-guard.js';

/**
 * What repositories query through: the database itself or an open transaction (a drizzle
 * transaction is a PgDatabase too, so one type serves both).
 */
export type Queryable = PgDatabase<PgQueryResultHKT>;

/** A raw parameterised SQL call, the shape pg-boss expects of its `db` option. */
export type SqlExecutor = {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
};

export type PoolStats = { total: number; idle: number; waiting: number };

export type ReplicaStats = {
  /** host:port/database, no credentials. */
  name: string;
  available: boolean;
  /** Replay lag at the last background check (ms); null before the first one. */
  lagMs: number | null;
  /** Up and within DATABASE_REPLICA_MAX_LAG_MS: reads may go there. */
  usable: boolean;
};

/** Who wrote lately: a mark per member that expires after the read-your-writes window. */
export type WriteMarks = {
  mark(memberId: string): Promise<void>;
  recent(memberId: string): Promise<boolean>;
};

/** Who is reading: a signed-in member's own recent writes are read back from the primary. */
export type ReadContext = { actor: { userId: string } | null } | null | undefined;

export type Database = {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Queryable;
  /**
   * Where a read that tolerates a little lag (search, listing pages) runs: a replica that is up
   * and within the lag bound, else the primary; the primary as well for a member who wrote within
   * the read-your-writes window (decision 029). A replica that fails under a query is retried on
   * the primary, so a replica going away is never an error. PGlite: always `db`.
   */
  readDb(ctx: ReadContext): Promise<Queryable>;
  /** True when DATABASE_REPLICA_URLS names at least one replica. */
  readonly replicated: boolean;
  /**
   * Opens this member's read-your-writes window: their `readDb` reads are the primary's until it
   * ends. Called before the answer to their write leaves (app.ts), so their next request sees it.
   */
  markWrote(memberId: string): Promise<void>;
  replicaStats(): ReplicaStats[];
  /** Runs `work` in one transaction; it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Raw SQL outside any transaction (pg-boss's own connection). */
  readonly executor: SqlExecutor;
  /** Raw SQL inside `tx`, so a job is enqueued if and only if the transaction commits. */
  executorFor(tx: Queryable): SqlExecutor;
  /** Applies pending migrations; safe to call from several processes at once. */
  migrate(): Promise<void>;
  ping(): Promise<void>;
  /**
   * False while PostgreSQL does not answer (a watchdog asks every second on a connection of its
   * own); queries then fail at once with a DatabaseUnavailableError (a 503) instead of waiting.
   */
  available(): boolean;
  poolStats(): PoolStats | null;
  close(): Promise<void>;
};

export type DatabaseOptions = {
  /** postgres:// URL; when absent the embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite data directory, or `memory://` for a throwaway in-memory database. */
  dataDir: string;
  poolMax?: number;
  /** Server-side statement_timeout (the client stops waiting 5 s later); 0 turns both off. */
  statementTimeoutMs?: number;
  /** Streaming replicas (PostgreSQL only) for `readDb`. */
  replicaUrls?: string[];
  /** A replica replaying further behind than this is skipped until it catches up. */
  replicaMaxLagMs?: number;
  /**
   * Refuse the main handle and a nested transaction inside a transaction (transaction-guard.ts);
   * defaults to on outside NODE_ENV=production.
   */
  guardTransactions?: boolean;
  /** Read-your-writes marks (the cache: Redis across nodes); without them `readDb` ignores who reads. */
  writeMarks?: WriteMarks;
  logger?: Logger;
};

const migrationsFolder = fileURLToPath(new URL('../../../drizzle', import.meta.url));

// Any two processes migrating the same database serialise on this key (hashtext('souk:migrations')).
const MIGRATION_LOCK_KEY = 715_204_118;

/** Extensions available on both engines; migrations may CREATE EXTENSION any of them. */
const pgliteExtensions = { btree_gin, citext, cube, earthdistance, ltree, pg_trgm, unaccent };

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.url
    ? await createPostgres(options.url, options)
    : await createPglite(options.dataDir);
  // A second handle inside a transaction deadlocks PGlite (one connection): outside production
  // it throws instead (transaction-guard.ts).
  const guard = options.guardTransactions ?? process.env.NODE_ENV !== 'production';
  return guard ? guardTransactions(database) : database;
}

/**
 * How long a request may wait for a pooled connection before it gets a 503. A burst (100
 * concurrent upvotes on 10 connections at load average 20) waits its turn; a database that is
 * gone does not rely on this bound: the watchdog fails waiting requests within its probe timeout.
 */
const CONNECT_TIMEOUT_MS = 10_000;
/** The watchdog asks `select 1` this often on its own connection... */
const PROBE_INTERVAL_MS = 1_000;
/** ...and gives up after this long: a server that does not answer that is stalled or gone. */
const PROBE_TIMEOUT_MS = 2_000;
/** While the database is unavailable, the watchdog retries this often, so recovery is quick. */
const RECOVERY_INTERVAL_MS = 250;

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

async function createPostgres(url: string, options: DatabaseOptions): Promise<Database> {
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

function destroyConnection(client: pg.PoolClient) {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

type Watchdog = {
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
function createWatchdog(deps: {
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
      (current as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
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

async function createPglite(dataDir: string): Promise<Database> {
  const location = dataDir.startsWith('memory://') ? dataDir : resolve(dataDir);
  if (!location.startsWith('memory://')) mkdirSync(location, { recursive: true });
  const client = await PGlite.create(location, { extensions: pgliteExtensions });
  if (tracingEnabled()) {
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = traceQueries(
      client.query.bind(client) as (...args: unknown[]) => unknown,
      'pglite',
    );
  }
  const db = drizzlePglite({ client });
  const executor: SqlExecutor = {
    async executeSql(text, values) {
      if (values && values.length > 0) {
        const result = await client.query<Record<string, unknown>>(text, values);
        return { rows: result.rows };
      }
      // pg-boss sends multi-statement scripts (its schema, its migrations) without parameters;
      // PGlite's `query` speaks the extended protocol, which takes one statement only.
      const results = await client.exec(text);
      return { rows: (results.at(-1)?.rows ?? []) as Record<string, unknown>[] };
    },
  };
  return {
    kind: 'pglite',
    db,
    // One in-process database: no replicas, every read is the primary's.
    readDb: async () => db,
    replicated: false,
    markWrote: async () => {},
    replicaStats: () => [],
    transaction: (work) => db.transaction((tx) => work(tx)),
    executor,
    executorFor,
    async migrate() {
      // The embedded database belongs to this one process and connection: nothing to race.
      await migratePglite(db, { migrationsFolder });
    },
    async ping() {
      await client.query('select 1');
    },
    // In-process: it is there as long as this process is.
    available: () => true,
    poolStats: () => null,
    close: () => client.close(),
  };
}

/**
 * Runs pg-boss's positional SQL ($1, $2...) through a drizzle transaction, so both engines
 * share one path: the statement is rebuilt as drizzle SQL with the values as bound parameters.
 */
function executorFor(tx: Queryable): SqlExecutor {
  return {
    async executeSql(text, values = []) {
      const result = await tx.execute(positionalSql(text, values));
      return { rows: (result as unknown as { rows: Record<string, unknown>[] }).rows };
    },
  };
}

export function positionalSql(text: string, values: unknown[]): SQL {
  const query = sql.empty();
  let last = 0;
  for (const match of text.matchAll(/\$(\d+)/g)) {
    const index = Number(match[1]) - 1;
    if (index < 0 || index >= values.length) throw new Error(`SQL placeholder $${match[1]} has no value`);
    query.append(sql.raw(text.slice(last, match.index)));
    // Param keeps an array one bound value (a bare array in sql`` would expand to a list).
    query.append(sql`${new Param(values[index])}`);
    last = match.index + match[0].length;
  }
  query.append(sql.raw(text.slice(last)));
  return query;
}
