import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { walletsHarness } from './wallets.test-support.js';

let t: TestApp;
let admin: TestUser;
let h: ReturnType<typeof walletsHarness>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signUp({ role: 'admin' });
  h = walletsHarness(t);
});
afterAll(() => t.close());

type Entry = {
  action: string;
  actorId: string | null;
  actorRole: string;
  targetType: string;
  targetId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  userAgent: string | null;
  ip: string | null;
};

/** The audit log as an admin reads it, filtered by action prefix and target. */
async function audit(action: string, targetId?: string): Promise<Entry[]> {
  const query = new URLSearchParams({ action, limit: '100', ...(targetId ? { targetId } : {}) });
  const response = await t.call('GET', `/admin/audit?${query}`, admin);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items;
}

const asAgent = { 'user-agent': 'souk-audit-test/1' };

describe('payout review', () => {
  it('records approve and reject with the reviewer, before/after and origin; refused reviews record nothing', async () => {
    const member = await t.signUp();
    await h.age(member);
    await h.credit(member, 500_000);
    const method = await h.addMethod(member);
    const big = { amount: { amountMinor: 200_000, currency: 'USD' }, methodId: method.id };
    const ask = () => t.call('POST', '/wallet/payouts', member, big, { 'idempotency-key': randomUUID() });
    const first = (await ask()).json();
    const second = (await ask()).json();
    expect([first.status, second.status]).toEqual(['in_review', 'in_review']);

    // Refused: a member cannot review, and an unknown payout is not found.
    expect((await t.call('POST', `/admin/payouts/${first.id}/approve`, member)).statusCode).toBe(403);
    expect((await t.call('POST', `/admin/payouts/${randomUUID()}/approve`, admin)).statusCode).toBe(404);
    expect(await audit('payout', first.id)).toEqual([]);

    const rejected = await t.call(
      'POST',
      `/admin/payouts/${first.id}/reject`,
      admin,
      { reason: 'Documents do not match' },
      asAgent,
    );
    expect(rejected.statusCode, rejected.body).toBe(200);
    const approved = await t.call('POST', `/admin/payouts/${second.id}/approve`, admin, undefined, asAgent);
    expect(approved.statusCode, approved.body).toBe(200);

    const [rejection] = await audit('payout', first.id);
    expect(rejection).toMatchObject({
      action: 'payout.rejected',
      actorId: admin.userId,
      actorRole: 'admin',
      targetType: 'payout',
      before: { status: 'in_review' },
      after: {
        status: 'rejected',
        memberId: member.userId,
        amount: { amountMinor: 200_000, currency: 'USD' },
        reason: 'Documents do not match',
      },
      userAgent: 'souk-audit-test/1',
    });
    expect(rejection?.ip).toBeTruthy();
    expect(await audit('payout.approved', second.id)).toMatchObject([
      {
        action: 'payout.approved',
        actorId: admin.userId,
        before: { status: 'in_review' },
        after: { status: 'pending' },
      },
    ]);

    // Reviewing a payout twice is a 409 and adds no entry.
    const again = await t.call('POST', `/admin/payouts/${first.id}/reject`, admin, { reason: 'Twice' });
    expect(again.statusCode).toBe(409);
    expect(await audit('payout', first.id)).toHaveLength(1);
  });
});

describe('fee rules', () => {
  it('records a rule set (with what it replaced) and deleted; refused changes record nothing', async () => {
    const body = { kind: 'commission', categoryId: null, percentBps: 500, fixed: null };
    expect((await t.call('PUT', '/admin/fees', await t.signUp(), body)).statusCode).toBe(403);
    expect((await t.call('DELETE', `/admin/fees/${randomUUID()}`, admin)).statusCode).toBe(404);
    expect(await audit('fee_rule')).toEqual([]);

    const set = await t.call('PUT', '/admin/fees', admin, body, asAgent);
    expect(set.statusCode, set.body).toBe(200);
    const ruleId = set.json().id as string;
    await t.call('PUT', '/admin/fees', admin, { ...body, percentBps: 400 });
    const removed = await t.call('DELETE', `/admin/fees/${ruleId}`, admin);
    expect(removed.statusCode).toBe(204);

    const entries = await audit('fee_rule', ruleId);
    expect(entries.map((entry) => entry.action)).toEqual([
      'fee_rule.deleted',
      'fee_rule.set',
      'fee_rule.set',
    ]);
    const [deleted, replaced, created] = entries;
    expect(created).toMatchObject({ before: null, after: { kind: 'commission', percentBps: 500 } });
    expect(created?.userAgent).toBe('souk-audit-test/1');
    expect(replaced).toMatchObject({ before: { percentBps: 500 }, after: { percentBps: 400 } });
    expect(deleted).toMatchObject({ actorId: admin.userId, before: { percentBps: 400 }, after: null });
  });
});

describe('exchange rates', () => {
  it('records a rate set, deleted, and one entry per import; refused changes record nothing', async () => {
    const member = await t.signUp();
    expect((await t.call('PUT', '/admin/fx-rates/USD/LKR', member, { rate: '300' })).statusCode).toBe(403);
    expect((await t.call('PUT', '/admin/fx-rates/USD/USD', admin, { rate: '1.5' })).statusCode).toBe(404);
    expect((await t.call('DELETE', '/admin/fx-rates/USD/JPY', admin)).statusCode).toBe(404);
    expect((await t.call('POST', '/admin/fx-rates/import', member)).statusCode).toBe(403);
    expect(await audit('fx_rate')).toEqual([]);

    const imported = await t.call('POST', '/admin/fx-rates/import', admin, undefined, asAgent);
    expect(imported.json()).toEqual({ source: 'reference', imported: 5 });
    const [importEntry, ...more] = await audit('fx_rate.imported');
    expect(more).toEqual([]);
    expect(importEntry).toMatchObject({
      actorId: admin.userId,
      targetType: 'fx_rates',
      targetId: 'reference',
      after: { source: 'reference', imported: 5 },
      userAgent: 'souk-audit-test/1',
    });

    // The daily job's import is not an admin action: no entry.
    await t.app.modules.wallets.service.fx.importRates();
    expect(await audit('fx_rate.imported')).toHaveLength(1);

    expect((await t.call('PUT', '/admin/fx-rates/USD/LKR', admin, { rate: '300.125' })).statusCode).toBe(200);
    expect((await t.call('DELETE', '/admin/fx-rates/USD/LKR', admin)).statusCode).toBe(204);
    const pair = await audit('fx_rate', 'USD/LKR');
    expect(pair.map((entry) => entry.action)).toEqual(['fx_rate.deleted', 'fx_rate.set']);
    expect(pair[1]).toMatchObject({
      before: { source: 'reference' },
      after: { rate: '300.125', source: 'admin' },
    });
    expect(pair[0]).toMatchObject({ before: { rate: '300.125', source: 'admin' }, after: null });
  });
});
