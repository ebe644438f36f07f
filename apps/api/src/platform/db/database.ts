import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Logger } from '../logger.js';
import { createPglite } from './pglite-engine.js';
import { createPostgres } from './postgres-engine.js';
import { guardTransactions } from './transaction-guard.js';

export { positionalSql } from './sql-executor.js';

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

/**
 * The database: PostgreSQL when `url` is set (postgres-engine.ts: a guarded pool, a watchdog,
 * replicas), else the embedded PGlite (pglite-engine.ts). One interface, one set of migrations.
 */
export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  const database = options.url
    ? await createPostgres(options.url, options)
    : await createPglite(options.dataDir);
  // A second handle inside a transaction deadlocks PGlite (one connection): outside production
  // it throws instead (transaction-guard.ts).
  const guard = options.guardTransactions ?? process.env.NODE_ENV !== 'production';
  return guard ? guardTransactions(database) : database;
}
