import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { platformMeta } from './platform.schema.js';
import { preparedStatement } from './prepared.js';

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
});
