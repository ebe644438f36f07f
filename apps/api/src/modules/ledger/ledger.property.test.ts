import type { IsoCurrencyCode } from '@souk/contracts';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { isLedgerError, type LedgerModule } from './index.js';
import type { AccountRef, Hold } from './ledger.types.js';

/*
 * Must-show 1 of issue 18: random concurrent sequences of top-ups, holds, posts, voids, refunds
 * and payouts over many accounts, on PGlite and (with TEST_DATABASE_URL) PostgreSQL. After each
 * run: per currency all entries sum to zero, no member balance is negative, every balance equals
 * the sum of its entries, the sealed chain verifies, and every hold was resolved at most once.
 */

let t: TestApp;
let ledger: LedgerModule;
beforeAll(async () => {
  t = await createTestApp();
  ledger = t.app.modules.ledger;
});
afterAll(async () => t?.close());

const MEMBERS = 6;
const CURRENCIES: IsoCurrencyCode[] = ['LKR', 'JPY'];
const acct = (run: number, m: number, currency: IsoCurrencyCode, kind = 'available'): AccountRef => ({
  owner: { type: 'member', id: `p${run}-m${m}` },
  currency,
  kind,
});
const provider = (currency: IsoCurrencyCode): AccountRef => ({
  owner: { type: 'provider', id: 'sandbox' },
  currency,
  kind: 'provider_clearing',
});
const fees = (currency: IsoCurrencyCode): AccountRef => ({
  owner: { type: 'platform' },
  currency,
  kind: 'fees_revenue',
});

const member = fc.integer({ min: 0, max: MEMBERS - 1 });
const currency = fc.constantFrom(...CURRENCIES);
const amount = fc.integer({ min: 1, max: 5_000 });
const holdPick = fc.nat();
const command = fc.oneof(
  fc.record({ op: fc.constant('topUp' as const), member, currency, amount }),
  fc.record({ op: fc.constant('transfer' as const), from: member, to: member, currency, amount }),
  fc.record({ op: fc.constant('hold' as const), member, currency, amount }),
  fc.record({
    op: fc.constant('post' as const),
    hold: holdPick,
    seller: member,
    share: fc.integer({ min: 0, max: 100 }),
  }),
  fc.record({ op: fc.constant('void' as const), hold: holdPick }),
  fc.record({ op: fc.constant('refund' as const), from: member, to: member, currency, amount }),
  fc.record({ op: fc.constant('payout' as const), member, currency, amount }),
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

let runs = 0;
let keys = 0;

async function apply(run: number, c: Command, holds: Hold[]): Promise<void> {
  const key = `prop-${run}-${++keys}`;
  const reference = { type: c.op, id: key };
  const s = ledger.service;
  await s.transaction(async (tx) => {
    switch (c.op) {
      case 'topUp':
        await s.transfer(tx, {
          idempotencyKey: key,
          reference,
          legs: [{ from: provider(c.currency), to: acct(run, c.member, c.currency), amount: c.amount }],
        });
        return;
      case 'transfer':
        await s.transfer(tx, {
          idempotencyKey: key,
          reference,
          legs: [{ from: acct(run, c.from, c.currency), to: acct(run, c.to, c.currency), amount: c.amount }],
        });
        return;
      case 'refund': {
        // A seller refunds a buyer, the platform giving back its fee share too.
        const fee = Math.floor(c.amount / 10);
        const legs = [
          { from: acct(run, c.from, c.currency), to: acct(run, c.to, c.currency), amount: c.amount },
        ];
        if (fee > 0) legs.push({ from: fees(c.currency), to: acct(run, c.to, c.currency), amount: fee });
        await s.transfer(tx, { idempotencyKey: key, reference, legs });
        return;
      }
      case 'payout':
        await s.transfer(tx, {
          idempotencyKey: key,
          reference,
          legs: [
            {
              from: acct(run, c.member, c.currency),
              to: acct(run, c.member, c.currency, 'pending_payout'),
              amount: c.amount,
            },
            {
              from: acct(run, c.member, c.currency, 'pending_payout'),
              to: provider(c.currency),
              amount: c.amount,
            },
          ],
        });
        return;
      case 'hold':
        holds.push(
          await s.hold(tx, {
            idempotencyKey: key,
            reference,
            from: acct(run, c.member, c.currency),
            amount: c.amount,
            currency: c.currency,
          }),
        );
        return;
      case 'post': {
        const hold = holds.length ? holds[c.hold % holds.length] : undefined;
        if (!hold) return;
        const toSeller = Math.floor((hold.amount * c.share) / 100);
        const fee = Math.floor((hold.amount - toSeller) / 2);
        const legs = [
          ...(toSeller > 0 ? [{ to: acct(run, c.seller, hold.currency), amount: toSeller }] : []),
          ...(fee > 0 ? [{ to: fees(hold.currency), amount: fee }] : []),
        ];
        await s.postHold(tx, hold.id, { idempotencyKey: key, legs });
        return;
      }
      case 'void': {
        const hold = holds.length ? holds[c.hold % holds.length] : undefined;
        if (hold) await s.voidHold(tx, hold.id, { idempotencyKey: key, reason: 'property' });
        return;
      }
    }
  });
}

const EXPECTED_REFUSALS = new Set(['insufficient_funds', 'hold_not_pending']);

async function checkInvariants() {
  const db = t.platform.database.db;
  await ledger.audit.seal();
  const report = await ledger.service.verify(db);
  expect(report.currencyTotals.every((row) => row.total === 0)).toBe(true);
  expect(report.balanceMismatches).toEqual([]);
  expect(report.unbalancedTransfers).toEqual([]);
  expect(report.firstBadEntry).toBeUndefined();
  expect(report.firstBadBlock).toBeUndefined();
  expect(report.ok).toBe(true);
  const rows = async (q: ReturnType<typeof sql>) =>
    ((await db.execute(q)) as unknown as { rows: Record<string, unknown>[] }).rows;
  const [negative] = await rows(
    sql`select count(*)::int as n from ledger_accounts where owner_type = 'member' and balance < 0`,
  );
  expect(Number(negative?.n)).toBe(0);
  // Each hold: one hold transfer; posted or voided by exactly one resolution; pending by none.
  const holds = await rows(sql`
    select h.id, h.status, h.amount::bigint as amount, h.posted_amount::bigint as posted,
      (select count(*)::int from ledger_transfers t where t.metadata->>'holdId' = h.id::text) as resolutions
    from ledger_holds h`);
  for (const hold of holds) {
    expect(['pending', 'posted', 'voided']).toContain(hold.status);
    expect(Number(hold.resolutions)).toBe(hold.status === 'pending' ? 0 : 1);
  }
  // Held accounts hold exactly what the pending holds say.
  const [held] = await rows(sql`
    select (select coalesce(sum(balance), 0) from ledger_accounts where kind = 'held')::bigint::text as held,
           (select coalesce(sum(amount), 0) from ledger_holds where status = 'pending')::bigint::text as pending`);
  expect(held?.held).toBe(held?.pending);
}

describe('ledger properties', () => {
  it('random concurrent money movements keep the books sound', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(command, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 5 }),
        async (batches) => {
          const run = ++runs;
          const holds: Hold[] = [];
          for (const batch of batches) {
            // Each batch runs concurrently; refusals the rules call for are fine, anything else is not.
            const outcomes = await Promise.allSettled(batch.map((c) => apply(run, c, holds)));
            for (const outcome of outcomes) {
              if (outcome.status === 'rejected') {
                const error = outcome.reason as { code?: string };
                if (!isLedgerError(error) || !EXPECTED_REFUSALS.has(error.code ?? '')) throw outcome.reason;
              }
            }
          }
          await checkInvariants();
        },
      ),
      { numRuns: Number(process.env.LEDGER_PROPERTY_RUNS ?? 25), interruptAfterTimeLimit: 90_000 },
    );
  });
});
