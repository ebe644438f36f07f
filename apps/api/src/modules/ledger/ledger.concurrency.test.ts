import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import type { LedgerModule } from './index.js';
import type { AccountRef } from './ledger.types.js';

/*
 * Must-show 2 of issue 18: races on one hold and on one wallet. On PostgreSQL the calls run on
 * separate connections at once; on PGlite they interleave on its one connection.
 */

let t: TestApp;
let ledger: LedgerModule;

beforeAll(async () => {
  t = await createTestApp();
  ledger = t.app.modules.ledger;
});
afterAll(async () => t?.close());

const wallet = (id: string, kind = 'available'): AccountRef => ({
  owner: { type: 'member', id },
  currency: 'USD',
  kind,
});
const clearing: AccountRef = {
  owner: { type: 'provider', id: 'sandbox' },
  currency: 'USD',
  kind: 'provider_clearing',
};

async function fund(id: string, amount: number) {
  await ledger.service.transaction((tx) =>
    ledger.service.transfer(tx, {
      idempotencyKey: `fund-${id}`,
      reference: { type: 'top_up', id },
      legs: [{ from: clearing, to: wallet(id), amount }],
    }),
  );
}
const balanceOf = async (ref: AccountRef) =>
  (await ledger.service.transaction((tx) => ledger.service.account(tx, ref))).balance;

describe('concurrency', () => {
  it('50 concurrent captures of one hold: exactly one posts', async () => {
    await fund('buyer-50', 5_000);
    const hold = await ledger.service.transaction((tx) =>
      ledger.service.hold(tx, {
        idempotencyKey: 'race-hold',
        reference: { type: 'order', id: 'race' },
        from: wallet('buyer-50'),
        amount: 5_000,
        currency: 'USD',
      }),
    );
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        ledger.service.transaction((tx) =>
          ledger.service.postHold(tx, hold.id, {
            idempotencyKey: `capture-${i}`,
            legs: [{ to: wallet('seller-50'), amount: 4_000 + i }],
          }),
        ),
      ),
    );
    const posted = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as { code?: string }] : []));
    expect(posted).toHaveLength(1);
    expect(refused.map((e) => e.code)).toEqual(Array(49).fill('hold_not_pending'));
    const paid = (await ledger.service.getHold(t.platform.database.db, hold.id))?.postedAmount ?? 0;
    expect(await balanceOf(wallet('seller-50'))).toBe(paid);
    expect(await balanceOf(wallet('buyer-50'))).toBe(5_000 - paid);
    expect(await balanceOf(wallet('buyer-50', 'held'))).toBe(0);
  });

  it('100 concurrent spends from a wallet that affords 10: exactly 10 succeed and it ends at 0', async () => {
    await fund('spender', 10 * 250);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) =>
        ledger.service.transaction((tx) =>
          ledger.service.transfer(tx, {
            idempotencyKey: `spend-${i}`,
            reference: { type: 'order', id: `spend-${i}` },
            legs: [{ from: wallet('spender'), to: wallet(`shop-${i % 7}`), amount: 250 }],
          }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    const codes = outcomes.flatMap((o) =>
      o.status === 'rejected' ? [(o.reason as { code?: string }).code ?? String(o.reason)] : [],
    );
    expect(codes).toEqual(Array(90).fill('insufficient_funds'));
    expect(await balanceOf(wallet('spender'))).toBe(0);
    const report = await ledger.service.verify(t.platform.database.db);
    expect(report.balanceMismatches).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('the same transfer key sent 20 times at once books once', async () => {
    await fund('twice', 1_000);
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () =>
        ledger.service.transaction((tx) =>
          ledger.service.transfer(tx, {
            idempotencyKey: 'one-key',
            reference: { type: 'order', id: 'one' },
            legs: [{ from: wallet('twice'), to: wallet('shop-x'), amount: 300 }],
          }),
        ),
      ),
    );
    expect(new Set(outcomes.map((o) => o.id)).size).toBe(1);
    expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
    expect(await balanceOf(wallet('twice'))).toBe(700);
  });
});
