import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database, type DatabaseOptions } from './database.js';
import { SecondHandleInTransactionError } from './transaction-guard.js';

const answerOf = async (handle: Database['db']) =>
  Number(((await handle.execute(sql`select 1 as n`)) as unknown as { rows: { n: number }[] }).rows[0]?.n);

// A test database without migrations: the guard does not care what is in it.
const engines: { name: string; options: DatabaseOptions }[] = [
  { name: 'PGlite', options: { dataDir: 'memory://' } },
  ...(process.env.TEST_DATABASE_URL
    ? [
        {
          name: 'PostgreSQL',
          options: { dataDir: 'memory://', url: process.env.TEST_DATABASE_URL, poolMax: 3 },
        },
      ]
    : []),
];

describe.each(engines)('the one-connection rule on $name', ({ options }) => {
  let database: Database;
  beforeAll(async () => {
    database = await createDatabase(options);
  });
  afterAll(async () => {
    await database.close();
  });

  it('the main handle inside a transaction throws instead of deadlocking, and rolls back', async () => {
    const attempt = database.transaction(async (tx) => {
      await answerOf(tx);
      return answerOf(database.db);
    });
    await expect(attempt).rejects.toBeInstanceOf(SecondHandleInTransactionError);
    await expect(attempt).rejects.toThrow(/use the transaction handle/);
  });

  it('so do readDb and a nested transaction', async () => {
    await expect(database.transaction(() => database.readDb(null))).rejects.toBeInstanceOf(
      SecondHandleInTransactionError,
    );
    await expect(database.transaction(() => database.transaction(async () => 1))).rejects.toBeInstanceOf(
      SecondHandleInTransactionError,
    );
  });

  it('the transaction handle works inside, and the main handle before and after', async () => {
    expect(await answerOf(database.db)).toBe(1);
    expect(await database.transaction((tx) => answerOf(tx))).toBe(1);
    expect(await answerOf(database.db)).toBe(1);
    expect(await answerOf(await database.readDb(null))).toBe(1);
  });

  it('work started inside a transaction and run after its commit may use the main handle', async () => {
    let committed: () => void = () => {};
    const afterCommit = new Promise<void>((resolve) => {
      committed = resolve;
    });
    let later: Promise<number> = Promise.resolve(0);
    await database.transaction(async (tx) => {
      // This callback inherits the transaction's async context, but runs once it has settled.
      later = afterCommit.then(() => answerOf(database.db));
      return answerOf(tx);
    });
    committed();
    expect(await later).toBe(1);
  });

  it('is off when asked (production)', async () => {
    const bare = await createDatabase({ ...options, guardTransactions: false });
    try {
      if (!options.url) {
        // PGlite would wait forever here; only show that the guard is not what answers.
        expect(bare.db).not.toBe(database.db);
      } else {
        expect(await bare.transaction(() => answerOf(bare.db))).toBe(1);
      }
    } finally {
      await bare.close();
    }
  });
});
