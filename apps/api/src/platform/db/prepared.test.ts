import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { platformMeta } from './platform.schema.js';
import { executeNamed, preparedStatement } from './prepared.js';

const byKey = preparedStatement('test_platform_meta_by_key', (db, name) =>
  db
    .select()
    .from(platformMeta)
    .where(eq(platformMeta.key, sql.placeholder('key')))
    .prepare(name),
);
const insertMeta = preparedStatement('test_platform_meta_insert', (db, name) =>
  db
    .insert(platformMeta)
    .values({ key: sql.placeholder('key'), value: sql.placeholder('value') })
    .onConflictDoNothing()
    .returning({ key: platformMeta.key, updatedAt: platformMeta.updatedAt })
    .prepare(name),
);

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('prepared statements', () => {
  it('return what the query builder returns, typed the same (dates, JSON), inside and outside a transaction', async () => {
    const { db } = t.platform.database;
    const value = { nested: { list: [1, 'two', null] }, flag: true };
    const [inserted] = await insertMeta(db, { key: 'prepared-test', value });
    expect(inserted?.key).toBe('prepared-test');
    expect(inserted?.updatedAt).toBeInstanceOf(Date);
    expect(await insertMeta(db, { key: 'prepared-test', value })).toEqual([]);

    const built = await db.select().from(platformMeta).where(eq(platformMeta.key, 'prepared-test'));
    const prepared = await byKey(db, { key: 'prepared-test' });
    expect(prepared).toEqual(built);
    expect(prepared[0]?.value).toEqual(value);
    expect(prepared[0]?.updatedAt).toBeInstanceOf(Date);
    // Twice: the second call runs the statement already prepared on the connection.
    expect(await byKey(db, { key: 'prepared-test' })).toEqual(built);
    expect(await byKey(db, { key: 'missing' })).toEqual([]);

    const inTransaction = await t.platform.database.transaction((tx) => byKey(tx, { key: 'prepared-test' }));
    expect(inTransaction).toEqual(built);
  });

  it('report a failing statement as drizzle does, with its SQL', async () => {
    await expect(
      insertMeta(t.platform.database.db, { key: null as unknown as string, value: {} }),
    ).rejects.toThrow(/Failed query: insert into "platform_meta"/);
  });

  it('run a statement built at run time under a name: the same rows as execute, prepared once on the connection', async () => {
    const { database } = t.platform;
    const statement = sql`select key, value from platform_meta where key = ${'prepared-test'} or key like ${'nothing%'}`;
    const named = await executeNamed<{ key: string }>(database.db, statement);
    const plain = ((await database.db.execute(statement)) as unknown as { rows: { key: string }[] }).rows;
    expect(named).toEqual(plain);
    expect(named.map((row) => row.key)).toEqual(['prepared-test']);
    if (database.kind !== 'postgres') return;
    // On one connection (a transaction), twice: one prepared statement, run twice by its name.
    const prepared = await database.transaction(async (tx) => {
      await executeNamed(tx, statement);
      await executeNamed(
        tx,
        sql`select key, value from platform_meta where key = ${'other'} or key like ${'x%'}`,
      );
      return (
        (await tx.execute(
          sql`select count(*)::int as n from pg_prepared_statements where name like 'souk\_%' and statement like 'select key, value from platform_meta%'`,
        )) as unknown as { rows: { n: number }[] }
      ).rows[0]?.n;
    });
    expect(prepared).toBe(1);
  });
});
