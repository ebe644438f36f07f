import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { CARDS, paymentsHarness } from './payments.test-support.js';

let t: TestApp;
let h: ReturnType<typeof paymentsHarness>;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  h = paymentsHarness(t);
  admin = await t.signUp({ role: 'admin' });
});
afterAll(() => t.close());

/** The refund entries of one payment, newest first, as an admin reads the audit log. */
async function refundEntries(paymentId: string) {
  const response = await t.call('GET', `/admin/audit?action=refund&targetId=${paymentId}`, admin);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items as {
    action: string;
    actorId: string;
    actorRole: string;
    targetType: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    userAgent: string | null;
  }[];
}

describe('audit of admin refunds', () => {
  it('records one entry per refund issued (a replay adds none); refused refunds record nothing', async () => {
    const member = await t.signUp();
    const { paymentId, checkoutUrl } = await h.startTopUp(member, 40_00);
    await h.returnTo(await h.pay(checkoutUrl, CARDS.success));
    const refund = (amountMinor: number | undefined, who: TestUser = admin, key = randomUUID()) =>
      t.call(
        'POST',
        `/payments/${paymentId}/refunds`,
        who,
        { amountMinor, reason: 'asked' },
        { 'idempotency-key': key, 'user-agent': 'souk-audit-test/1' },
      );

    expect((await refund(10_00, member)).statusCode).toBe(403);
    expect((await refund(50_00)).statusCode).toBe(409);
    expect(await refundEntries(paymentId)).toEqual([]);

    const key = randomUUID();
    const partial = await refund(15_00, admin, key);
    expect(partial.statusCode, partial.body).toBe(201);
    expect((await refund(15_00, admin, key)).json().id).toBe(partial.json().id);
    const [entry, ...others] = await refundEntries(paymentId);
    expect(others).toEqual([]);
    expect(entry).toMatchObject({
      action: 'refund.issued',
      actorId: admin.userId,
      actorRole: 'admin',
      targetType: 'payment',
      before: { status: 'captured', refunded: { amountMinor: 0, currency: 'USD' } },
      after: {
        refundId: partial.json().id,
        memberId: member.userId,
        amount: { amountMinor: 15_00, currency: 'USD' },
        reason: 'asked',
      },
      userAgent: 'souk-audit-test/1',
    });

    expect((await refund(undefined)).statusCode).toBe(201);
    expect((await refundEntries(paymentId)).map((e) => e.after?.amount)).toEqual([
      { amountMinor: 25_00, currency: 'USD' },
      { amountMinor: 15_00, currency: 'USD' },
    ]);
    expect((await refund(1)).json().code).toBe('payment_not_refundable');
    expect(await refundEntries(paymentId)).toHaveLength(2);
  });

  it('a refund the ledger refuses (the member spent the money) leaves no entry', async () => {
    const member = await t.signUp();
    const { paymentId, checkoutUrl } = await h.startTopUp(member, 20_00);
    await h.returnTo(await h.pay(checkoutUrl, CARDS.success));
    const ledger = t.app.modules.ledger.service;
    await ledger.transaction((tx) =>
      ledger.transfer(tx, {
        idempotencyKey: `spend-${paymentId}`,
        reference: { type: 'test_spend', id: paymentId },
        legs: [
          {
            from: { owner: { type: 'member', id: member.userId }, currency: 'USD', kind: 'available' },
            to: { owner: { type: 'platform' }, currency: 'USD', kind: 'fees_revenue' },
            amount: 15_00,
          },
        ],
      }),
    );
    const refused = await t.call(
      'POST',
      `/payments/${paymentId}/refunds`,
      admin,
      { reason: 'asked' },
      { 'idempotency-key': randomUUID() },
    );
    expect(refused.json().code).toBe('insufficient_funds');
    expect(await refundEntries(paymentId)).toEqual([]);
  });
});
