import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { isLedgerError, type LedgerModule } from './index.js';
import type { AccountRef } from './ledger.types.js';

let t: TestApp;
let ledger: LedgerModule;
let counter = 0;

beforeAll(async () => {
  t = await createTestApp();
  ledger = t.app.modules.ledger;
});
afterAll(async () => t?.close());

const key = (name: string) => `${name}-${++counter}`;
const member = (id: string, kind = 'available'): AccountRef => ({
  owner: { type: 'member', id },
  currency: 'LKR',
  kind,
});
const clearing: AccountRef = {
  owner: { type: 'provider', id: 'sandbox' },
  currency: 'LKR',
  kind: 'provider_clearing',
};
const fees: AccountRef = { owner: { type: 'platform' }, currency: 'LKR', kind: 'fees_revenue' };

function book<T>(
  work: (tx: Parameters<Parameters<LedgerModule['service']['transaction']>[0]>[0]) => Promise<T>,
) {
  return ledger.service.transaction(work);
}
async function balance(ref: AccountRef) {
  return (await book((tx) => ledger.service.account(tx, ref))).balance;
}
function topUp(memberId: string, amount: number, idempotencyKey = key('topup')) {
  return book((tx) =>
    ledger.service.transfer(tx, {
      idempotencyKey,
      reference: { type: 'top_up', id: idempotencyKey },
      legs: [{ from: clearing, to: member(memberId), amount }],
    }),
  );
}

describe('transfers', () => {
  it('books balanced entries and keeps the balances with them', async () => {
    const transfer = await topUp('alice', 10_000);
    expect(transfer.entries.map((e) => e.amount).sort((a, b) => a - b)).toEqual([-10_000, 10_000]);
    expect(transfer.entries.find((e) => e.amount > 0)?.balanceAfter).toBe(10_000);
    expect(await balance(member('alice'))).toBe(10_000);
    const rows = await ledger.service.balances(t.platform.database.db, { type: 'member', id: 'alice' });
    expect(rows).toMatchObject([{ currency: 'LKR', kind: 'available', balance: 10_000 }]);
  });

  it('replays the same key and content once, and refuses the key with other content', async () => {
    const k = key('same');
    const first = await topUp('bob', 500, k);
    const again = await topUp('bob', 500, k);
    expect(again.id).toBe(first.id);
    expect(again.replayed).toBe(true);
    expect(await balance(member('bob'))).toBe(500);
    await expect(topUp('bob', 501, k)).rejects.toMatchObject({ code: 'idempotency_conflict' });
  });

  it('refuses to overdraw a member and writes nothing', async () => {
    await topUp('carol', 100);
    const k = key('spend');
    const spend = book((tx) =>
      ledger.service.transfer(tx, {
        idempotencyKey: k,
        reference: { type: 'order', id: 'o1' },
        legs: [{ from: member('carol'), to: fees, amount: 101 }],
      }),
    );
    await expect(spend).rejects.toMatchObject({ code: 'insufficient_funds' });
    expect(await balance(member('carol'))).toBe(100);
    const [row] = (
      (await t.platform.database.db.execute(
        sql`select count(*)::int as n from ledger_transfers where idempotency_key = ${k}`,
      )) as unknown as {
        rows: { n: number }[];
      }
    ).rows;
    expect(Number(row?.n)).toBe(0);
  });

  it('refuses bad amounts and mixed currencies', async () => {
    const legs = (amount: number) => [{ from: clearing, to: member('dan'), amount }];
    for (const amount of [0, -5, 1.5, Number.MAX_SAFE_INTEGER + 2]) {
      await expect(
        book((tx) =>
          ledger.service.transfer(tx, {
            idempotencyKey: key('bad'),
            reference: { type: 'x', id: 'x' },
            legs: legs(amount),
          }),
        ),
      ).rejects.toMatchObject({ code: 'invalid_amount' });
    }
    await expect(
      book((tx) =>
        ledger.service.transfer(tx, {
          idempotencyKey: key('fx'),
          reference: { type: 'x', id: 'x' },
          legs: [{ from: { ...clearing, currency: 'USD' }, to: member('dan'), amount: 5 }],
        }),
      ),
    ).rejects.toMatchObject({ code: 'currency_mismatch' });
  });
});

describe('holds', () => {
  it('posts in part: the legs are paid and the rest goes back to the buyer', async () => {
    await topUp('erin', 1_000);
    const hold = await book((tx) =>
      ledger.service.hold(tx, {
        idempotencyKey: key('hold'),
        reference: { type: 'order', id: 'o2' },
        from: member('erin'),
        amount: 800,
        currency: 'LKR',
      }),
    );
    expect(hold.status).toBe('pending');
    expect(await balance(member('erin'))).toBe(200);
    expect(await balance(member('erin', 'held'))).toBe(800);
    const postKey = key('post');
    const post = () =>
      book((tx) =>
        ledger.service.postHold(tx, hold.id, {
          idempotencyKey: postKey,
          legs: [
            { to: member('seller'), amount: 600 },
            { to: fees, amount: 50 },
          ],
        }),
      );
    const posted = await post();
    expect(posted).toMatchObject({ status: 'posted', postedAmount: 650 });
    expect((await post()).resolutionTransferId).toBe(posted.resolutionTransferId);
    expect(await balance(member('erin'))).toBe(350);
    expect(await balance(member('erin', 'held'))).toBe(0);
    expect(await balance(member('seller'))).toBe(600);
    await expect(
      book((tx) => ledger.service.voidHold(tx, hold.id, { idempotencyKey: key('void'), reason: 'late' })),
    ).rejects.toMatchObject({ code: 'hold_not_pending' });
  });

  it('voids in full, and the expiry job voids holds past their timeout', async () => {
    await topUp('finn', 300);
    const take = (expiresAt?: Date) =>
      book((tx) =>
        ledger.service.hold(tx, {
          idempotencyKey: key('hold'),
          reference: { type: 'order', id: 'o3' },
          from: member('finn'),
          amount: 100,
          currency: 'LKR',
          ...(expiresAt ? { expiresAt } : {}),
        }),
      );
    const voided = await take();
    await book((tx) =>
      ledger.service.voidHold(tx, voided.id, { idempotencyKey: key('void'), reason: 'cancelled' }),
    );
    const expiring = await take(new Date(Date.now() - 1000));
    const lasting = await take(new Date(Date.now() + 3_600_000));
    expect(await balance(member('finn'))).toBe(100);
    expect(await ledger.expireHolds()).toBeGreaterThanOrEqual(1);
    const db = t.platform.database.db;
    expect((await ledger.service.getHold(db, expiring.id))?.status).toBe('voided');
    expect((await ledger.service.getHold(db, lasting.id))?.status).toBe('pending');
    expect(await balance(member('finn'))).toBe(200);
    expect(await balance(member('finn', 'held'))).toBe(100);
  });
});

describe('rules the database enforces', () => {
  const db = () => t.platform.database.db;
  const refused = async (statement: ReturnType<typeof sql>) => {
    const error = await t.platform.database
      .transaction((tx) => tx.execute(statement))
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).not.toBeNull();
    return error;
  };

  it('never updates or deletes an entry', async () => {
    await topUp('gail', 10);
    await refused(
      sql`update ledger_entries set amount = amount + 1 where seq = (select max(seq) from ledger_entries)`,
    );
    await refused(sql`delete from ledger_entries where seq = (select max(seq) from ledger_entries)`);
    await refused(sql`truncate ledger_entries cascade`);
  });

  it('refuses a negative member balance and an unbalanced transfer', async () => {
    const transfer = await topUp('hank', 10);
    const credit = transfer.entries.find((e) => e.amount > 0);
    await refused(sql`update ledger_accounts set balance = -1 where id = ${credit?.accountId}::uuid`);
    await refused(sql`
      with t as (insert into ledger_transfers (id, idempotency_key, kind, reference_type, reference_id, fingerprint)
        values (gen_random_uuid(), 'lopsided', 'transfer', 'x', 'x', 'x') returning id)
      insert into ledger_entries (id, transfer_id, account_id, currency, amount, balance_after)
      select gen_random_uuid(), t.id, ${credit?.accountId}::uuid, 'LKR', 5, 15 from t`);
    expect(await balance(member('hank'))).toBe(10);
    expect(isLedgerError(new Error('x'))).toBe(false);
    expect((await ledger.service.verify(db())).ok).toBe(true);
  });
});
