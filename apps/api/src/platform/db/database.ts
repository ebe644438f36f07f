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
import { useLeanArrayRowResults } from './pg-array-rows.js';

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

export type Database = {
  readonly kind: 'pglite' | 'postgres';
  readonly db: Queryable;
  /** Runs `work` in one transaction; it commits when `work` resolves and rolls back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Raw SQL outside any transaction (pg-boss's own connection). */
  readonly executor: SqlExecutor;
  /** Raw SQL inside `tx`, so a job is enqueued if and only if the transaction commits. */
  executorFor(tx: Queryable): SqlExecutor;
  /** Applies pending migrations; safe to call from several processes at once. */
  migrate(): Promise<void>;
  ping(): Promise<void>;
  poolStats(): PoolStats | null;
  close(): Promise<void>;
};

export type DatabaseOptions = {
  /** postgres:// URL; when absent the embedded PGlite is used. */
  url?: string | undefined;
  /** PGlite data directory, or `memory://` for a throwaway in-memory database. */
  dataDir: string;
  poolMax?: number;
  logger?: Logger;
};

const migrationsFolder = fileURLToPath(new URL('../../../drizzle', import.meta.url));

// Any two processes migrating the same database serialise on this key (hashtext('souk:migrations')).
const MIGRATION_LOCK_KEY = 715_204_118;

/** Extensions available on both engines; migrations may CREATE EXTENSION any of them. */
const pgliteExtensions = { btree_gin, citext, cube, earthdistance, ltree, pg_trgm, unaccent };

export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? createPostgres(options.url, options) : createPglite(options.dataDir);
}

async function createPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  useLeanArrayRowResults();
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    application_name: 'souk',
    connectionTimeoutMillis: 10_000,
    // JIT compiles a plan's expressions when its estimated cost passes jit_above_cost; for a
    // broad search at 1M listings that cost 40-50 ms of compilation on a statement that then ran
    // in 10-30 ms (decision 018). Souk's statements are short, so it is off for its sessions.
    options: '-c jit=off',
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', (error) => options.logger?.warn({ err: error }, 'idle database connection failed'));
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
    transaction: (work) => db.transaction((tx) => work(tx)),
    executor,
    executorFor,
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          await migrateNodePg(drizzleNodePg({ client }), { migrationsFolder });
        } finally {
          await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    async ping() {
      await pool.query('select 1');
    },
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}

async function createPglite(dataDir: string): Promise<Database> {
  const location = dataDir.startsWith('memory://') ? dataDir : resolve(dataDir);
  if (!location.startsWith('memory://')) mkdirSync(location, { recursive: true });
  const client = await PGlite.create(location, { extensions: pgliteExtensions });
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
