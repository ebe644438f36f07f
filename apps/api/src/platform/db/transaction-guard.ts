import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, Queryable } from './database.js';

/**
 * Marks the async context of an open transaction. The marker is closed when the transaction
 * settles, so work that outlives it (a promise started inside and awaited later) is free again.
 */
const openTransaction = new AsyncLocalStorage<{ open: boolean }>();

export class SecondHandleInTransactionError extends Error {
  override name = 'SecondHandleInTransactionError';
  constructor(what: string) {
    super(
      `${what} while a transaction is open in this async context: use the transaction handle ` +
        '(`tx`) it gave you. On the embedded database (PGlite, one connection) this call would ' +
        'wait for the transaction forever; on PostgreSQL it would read outside the transaction.',
    );
  }
}

const inTransaction = () => openTransaction.getStore()?.open === true;

/** The handle, refusing every use while a transaction is open in the caller's async context. */
function guardedHandle(handle: Queryable, name: string): Queryable {
  return new Proxy(handle, {
    get(target, property, receiver) {
      if (inTransaction() && typeof property === 'string') {
        throw new SecondHandleInTransactionError(`database.${name}.${property} was used`);
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * The one-connection rule, enforced instead of written in comments: inside
 * `database.transaction(work)`, the main handle (`database.db`, `readDb`) and a second
 * `transaction` throw {@link SecondHandleInTransactionError}. Applied outside production (every
 * test, on both engines); production keeps the bare handles and pays nothing per query.
 */
export function guardTransactions(database: Database): Database {
  const db = guardedHandle(database.db, 'db');
  return Object.assign(Object.create(Object.getPrototypeOf(database)) as Database, database, {
    db,
    async readDb(ctx: Parameters<Database['readDb']>[0]) {
      if (inTransaction()) throw new SecondHandleInTransactionError('database.readDb was called');
      const handle = await database.readDb(ctx);
      return handle === database.db ? db : guardedHandle(handle, 'readDb()');
    },
    transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
      if (inTransaction())
        return Promise.reject(new SecondHandleInTransactionError('database.transaction was called'));
      const marker = { open: true };
      return openTransaction.run(marker, async () => {
        try {
          return await database.transaction(work);
        } finally {
          marker.open = false;
        }
      });
    },
  } satisfies Partial<Database>);
}
