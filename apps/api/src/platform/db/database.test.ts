import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { copyDatabase, dropDatabase, urlFor } from '../../test-support/postgres.js';
import { createDatabase, type Database, positionalSql } from './database.js';

const journal = JSON.parse(
  readFileSync(new URL('../../../drizzle/meta/_journal.json', import.meta.url), 'utf8'),
) as {
  entries: unknown[];
};

async function tablesOf(database: Database): Promise<string[]> {
  const { rows } = await database.executor.executeSql(
    "select table_name from information_schema.tables where table_schema = 'public' order by 1",
  );
  return rows.map((row) => String(row.table_name));
}

async function appliedMigrations(database: Database): Promise<number> {
  const { rows } = await database.executor.executeSql(
    'select count(*)::int as n from drizzle.__drizzle_migrations',
  );
  return Number(rows[0]?.n);
}

describe('migrations on the embedded database', () => {
  it('migrate an empty database, and a second run changes nothing', async () => {
    const database = await createDatabase({ dataDir: 'memory://' });
    try {
      await database.migrate();
      expect(await tablesOf(database)).toEqual(
        expect.arrayContaining(['categories', 'locations', 'platform_meta']),
      );
      expect(await appliedMigrations(database)).toBe(journal.entries.length);
      await database.migrate();
      expect(await appliedMigrations(database)).toBe(journal.entries.length);
    } finally {
      await database.close();
    }
  });
});

const baseUrl = process.env.TEST_DATABASE_URL;

describe.runIf(baseUrl)('migrations on PostgreSQL', () => {
  const created: string[] = [];
  afterAll(async () => {
    for (const name of created) await dropDatabase(baseUrl as string, name);
  });

  it('two nodes migrating one empty database at once do not race', async () => {
    // template0 is PostgreSQL's pristine empty database.
    const name = await copyDatabase(baseUrl as string, 'template0');
    created.push(name);
    const nodes = await Promise.all(
      [1, 2].map(() => createDatabase({ url: urlFor(baseUrl as string, name), dataDir: '' })),
    );
    try {
      await Promise.all(nodes.map((node) => node.migrate()));
      expect(await appliedMigrations(nodes[0] as Database)).toBe(journal.entries.length);
      await (nodes[1] as Database).migrate();
      expect(await tablesOf(nodes[1] as Database)).toEqual(
        expect.arrayContaining(['categories', 'locations']),
      );
    } finally {
      await Promise.all(nodes.map((node) => node.close()));
    }
  });
});

describe('positionalSql', () => {
  it('binds $n placeholders in order, reusing a value named twice and keeping arrays whole', async () => {
    const database = await createDatabase({ dataDir: 'memory://' });
    try {
      const { rows } = await database
        .executorFor(database.db)
        .executeSql('select $1::int + $2::int as sum, $1::int as first, cardinality($3::text[]) as n', [
          2,
          3,
          ['a', 'b', 'c'],
        ]);
      expect(rows[0]).toEqual({ sum: 5, first: 2, n: 3 });
    } finally {
      await database.close();
    }
  });

  it('refuses a placeholder without a value', () => {
    expect(() => positionalSql('select $2', [1])).toThrow(/\$2 has no value/);
  });
});
