import { fileURLToPath } from 'node:url';
import { Param, type SQL, sql } from 'drizzle-orm';
import type { Queryable, SqlExecutor } from './database.js';

/** The migrations both engines apply (apps/api/drizzle). */
export const migrationsFolder = fileURLToPath(new URL('../../../drizzle', import.meta.url));

/**
 * Runs pg-boss's positional SQL ($1, $2...) through a drizzle transaction, so both engines
 * share one path: the statement is rebuilt as drizzle SQL with the values as bound parameters.
 */
export function executorFor(tx: Queryable): SqlExecutor {
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
