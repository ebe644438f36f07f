import { createHash } from 'node:crypto';
import { Column, DrizzleQueryError, is, Param, Placeholder, type SQL } from 'drizzle-orm';
import { NodePgPreparedQuery } from 'drizzle-orm/node-postgres';
import type { PgDialect } from 'drizzle-orm/pg-core';
import { PglitePreparedQuery } from 'drizzle-orm/pglite';
import type { Queryable } from './database.js';

/** What drizzle's `.prepare(name)` returns, reduced to the call we make. */
type Prepared<Values, Result> = { execute(values: Values): Promise<Result> };

/**
 * A statement for a hot path, built by drizzle once per database handle instead of on every
 * call, and sent to PostgreSQL as a named prepared statement (parsed and planned once per pooled
 * connection). Building a select through drizzle's query builder cost ~40 µs of CPU, more than
 * the rest of a typical read (measured in bench/, see docs/decisions/012).
 *
 * `build` writes the statement with `sql.placeholder('…')` for every value and ends with
 * `.prepare(name)`; `name` must be unique to the statement's text (PostgreSQL refuses one name
 * for two texts on a connection). The handle is the pool or a transaction: a transaction gets
 * its own prepared query (built once for that transaction), so repositories keep taking `db`.
 *
 * @example
 *   const byId = preparedStatement('listings_by_id', (db, name) =>
 *     db.select().from(listings).where(eq(listings.id, sql.placeholder('id'))).prepare(name));
 *   const [row] = await byId(db, { id });
 */
export function preparedStatement<Values extends Record<string, unknown>, Result>(
  name: string,
  build: (db: Queryable, name: string) => Prepared<Values, Result>,
): (db: Queryable, values: Values) => Promise<Result> {
  const byHandle = new WeakMap<Queryable, (values: Values) => Promise<Result>>();
  return (db, values) => {
    let run = byHandle.get(db);
    if (!run) {
      const prepared = build(db, name);
      run =
        (directRunner(prepared) as ((values: Values) => Promise<Result>) | null) ??
        ((v) => prepared.execute(v));
      byHandle.set(db, run);
    }
    return run(values);
  };
}

/**
 * Runs a statement built at run time, as `db.execute` does, but as a named prepared statement
 * (the name is a hash of its text): PostgreSQL parses and plans it once per pooled connection and,
 * after five runs, keeps a generic plan. For statements whose planning costs more than running
 * them (a category browse's page: 1.3–2.4 ms of planning, 0.3 ms of execution at 1M) and whose
 * best plan does not depend on the parameters' values. Keep the number of distinct texts small:
 * each stays prepared on every connection that ran it. PGlite plans every statement as before.
 */
export async function executeNamed<Row>(db: Queryable, statement: SQL): Promise<Row[]> {
  // drizzle's own `execute`, with a name: `dialect` and `session` are its internals.
  const { dialect, _ } = db as unknown as { dialect?: PgDialect; _?: { session: Queryable['_']['session'] } };
  if (!dialect || !_) {
    // A stand-in with `execute` only (the EXPLAIN tests' recorder): run it as `execute` does.
    return ((await db.execute(statement)) as unknown as { rows: Row[] }).rows;
  }
  const query = dialect.sqlToQuery(statement);
  const name = `souk_${createHash('sha1').update(query.sql).digest('base64url').slice(0, 24)}`;
  const result = (await _.session.prepareQuery(query, undefined, name, false).execute()) as { rows: Row[] };
  return result.rows;
}

// The parts of drizzle's prepared queries (node-postgres and PGlite) the direct runner uses.
type DriverQuery = {
  client: { query(...args: unknown[]): Promise<{ rows: unknown[][] }> };
  queryConfig: { text?: string } & Record<string, unknown>;
  queryString: string;
  params: unknown[];
  fields?: Array<{ path: string[]; field: unknown }>;
  customResultMapper?: unknown;
};

/**
 * For a flat select or `returning` of columns (what hot paths use), the same driver call and
 * row mapping drizzle's `execute` makes, without its per-call layers: tracing spans, the cache
 * check, several promise hops and a generic row mapper that re-inspects every column. About a
 * tenth of a listing page's CPU (bench/listing.bench.ts). Anything else keeps drizzle's execute.
 */
function directRunner(prepared: unknown): ((values: Record<string, unknown>) => Promise<unknown[]>) | null {
  const isPg = is(prepared, NodePgPreparedQuery);
  if (!isPg && !is(prepared, PglitePreparedQuery)) return null;
  const query = prepared as unknown as DriverQuery;
  const fields = query.fields;
  if (
    !fields ||
    query.customResultMapper ||
    // One-segment paths only: the joins map drizzle keeps matters for nested (joined) results.
    !fields.every(({ path, field }) => path.length === 1 && is(field, Column))
  ) {
    return null;
  }
  const keys = fields.map(({ path }) => path[0] as string);
  const columns = fields.map(({ field }) => field as Column);
  // drizzle's fillPlaceholders, resolved once per parameter instead of on every call.
  const parameters = query.params.map((param): ((values: Record<string, unknown>) => unknown) => {
    const placeholder = is(param, Placeholder)
      ? param
      : is(param, Param) && is(param.value, Placeholder)
        ? param.value
        : null;
    if (!placeholder) return () => param;
    const encode = is(param, Param) ? (value: unknown) => param.encoder.mapToDriverValue(value) : null;
    return (values) => {
      if (!(placeholder.name in values))
        throw new Error(`No value for placeholder "${placeholder.name}" was provided`);
      const value = values[placeholder.name];
      return encode ? encode(value) : value;
    };
  });
  const { client, queryConfig, queryString } = query;
  // PGlite copies its whole table of type parsers into a new object for every query that brings
  // its own `parsers`, as drizzle's do (~15 % of a listing page's CPU on PGlite). Those parsers only
  // keep date and time types as text; when the statement has none but timestamptz columns read as
  // Dates (whose decoder takes a Date as well as text), PGlite's own parsers give the same values.
  const pgliteConfig =
    !isPg && columns.every(parsedAlikeByPglite) ? { rowMode: queryConfig.rowMode } : queryConfig;
  // pg copies a query's config object on every call (`normalizeQueryConfig`), descriptor by
  // descriptor: ~5 µs for drizzle's four fields, so ~20 µs of a listing page. It copies own
  // properties and keeps the prototype, so a config with none of its own that inherits
  // drizzle's (name, text, rowMode, types) copies in a fraction of that and reads the same.
  const pgConfig = Object.create(queryConfig) as typeof queryConfig;
  const send = isPg
    ? (params: unknown[]) => client.query(pgConfig, params)
    : (params: unknown[]) => client.query(queryString, params, pgliteConfig);
  return async (values) => {
    const params = parameters.map((parameter) => parameter(values));
    let rows: unknown[][];
    try {
      ({ rows } = await send(params));
    } catch (error) {
      throw new DrizzleQueryError(queryString, params, error as Error);
    }
    return rows.map((row) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const raw = row[i];
        out[keys[i] as string] = raw === null ? null : (columns[i] as Column).mapFromDriverValue(raw);
      }
      return out;
    });
  };
}

/** Whether PGlite's default parsing of `column` decodes to what drizzle's text parsing gives. */
function parsedAlikeByPglite(column: Column): boolean {
  const type = column.getSQLType();
  if (type === 'timestamp with time zone') return column.columnType === 'PgTimestamp';
  return !/\b(timestamp|date|interval)\b|^numeric.*\[\]$/.test(type);
}
