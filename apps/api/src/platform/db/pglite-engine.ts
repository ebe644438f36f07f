import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gin } from '@electric-sql/pglite/contrib/btree_gin';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { cube } from '@electric-sql/pglite/contrib/cube';
import { earthdistance } from '@electric-sql/pglite/contrib/earthdistance';
import { ltree } from '@electric-sql/pglite/contrib/ltree';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { traceQueries, tracingEnabled } from '../tracing.js';
import type { Database, SqlExecutor } from './database.js';
import { executorFor, migrationsFolder } from './sql-executor.js';

/** Extensions available on both engines; migrations may CREATE EXTENSION any of them. */
const pgliteExtensions = { btree_gin, citext, cube, earthdistance, ltree, pg_trgm, unaccent };

/** The embedded database: PostgreSQL in WASM, in this process, on disk under `dataDir` or in memory. */
export async function createPglite(dataDir: string): Promise<Database> {
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
