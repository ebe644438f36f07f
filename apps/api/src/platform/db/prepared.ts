import type { Queryable } from './database.js';

/** What drizzle's `.prepare(name)` returns, reduced to the call we make. */
type Prepared<Values, Result> = { execute(values: Values): Promise<Result> };

/**
 * A statement for a hot path, built by drizzle once per database handle instead of on every
 * call, and sent to PostgreSQL as a named prepared statement (parsed and planned once per pooled
 * connection). Building a select through drizzle's query builder cost ~40 µs of CPU, more than
 * the rest of a typical read (measured in bench/, see docs/decisions/007).
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
  const byHandle = new WeakMap<Queryable, Prepared<Values, Result>>();
  return (db, values) => {
    let prepared = byHandle.get(db);
    if (!prepared) {
      prepared = build(db, name);
      byHandle.set(db, prepared);
    }
    return prepared.execute(values);
  };
}
