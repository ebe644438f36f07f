import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { paymentRefunds, payments } from './payments.schema.js';
import { CARDS, paymentsHarness } from './payments.test-support.js';

/**
 * Bad input and races on the payment routes: each is a clear 4xx (a stable code) and nothing is
 * written, no money moves.
 */
let t: TestApp;
let h: ReturnType<typeof paymentsHarness>;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  h = paymentsHarness(t);
  admin = await t.signUp({ role: 'admin' });
});
afterAll(() => t.close());

async function paymentsOf(memberId: string) {
  const [row] = await t.platform.database.db
    .select({ n: count() })
    .from(payments)
    .where(eq(payments.memberId, memberId));
  return row?.n ?? 0;
}

async function refundsOf(paymentId: string) {
  return t.platform.database.db.select().from(paymentRefunds).where(eq(paymentRefunds.paymentId, paymentId));
}

function topUpBody(amountMinor: unknown, currency: unknown = 'USD', returnUrl = '/account/wallet') {
  return { amount: { amountMinor, currency }, returnUrl };
}

/** A captured top-up of `amount` for a new member. */
async function captured(amount: number) {
  const member = await t.signUp();
  const { paymentId, checkoutUrl } = await h.startTopUp(member, amount);
  await h.returnTo(await h.pay(checkoutUrl, CARDS.success));
  expect((await h.payment(paymentId)).status).toBe('captured');
  return { member, paymentId };
}

describe('payments input', () => {
  it('refuses amounts that are not whole positive minor units, too large, or in a currency the market lacks', async () => {
    const member = await t.signUp();
    const cases: Array<[unknown, unknown, number, string]> = [
      [12.5, 'USD', 400, 'validation_failed'],
      ['1200', 'USD', 400, 'validation_failed'],
      [0, 'USD', 400, 'validation_failed'],
      [-100, 'USD', 400, 'validation_failed'],
      [2 ** 53, 'USD', 400, 'validation_failed'],
      [1e300, 'USD', 400, 'validation_failed'],
      [100_000_000, 'USD', 422, 'top_up_too_large'],
      [100, 'XYZ', 400, 'validation_failed'],
      [100, 'usd', 400, 'validation_failed'],
      [100, 'CHF', 400, 'validation_failed'],
    ];
    for (const [amount, currency, status, code] of cases) {
      const response = await t.call('POST', '/payments/top-ups', member, topUpBody(amount, currency), {
        'idempotency-key': randomUUID(),
      });
      expect(response.statusCode, `${String(amount)} ${String(currency)}: ${response.body}`).toBe(status);
      expect(response.json().code).toBe(code);
    }
    expect(await paymentsOf(member.userId)).toBe(0);
    // The largest the providers take (8 digits) passes.
    const largest = await t.call('POST', '/payments/top-ups', member, topUpBody(99_999_999), {
      'idempotency-key': randomUUID(),
    });
    expect(largest.statusCode, largest.body).toBe(201);
  });

  it('refuses NUL bytes and control characters in the return path, writing nothing', async () => {
    const member = await t.signUp();
    for (const returnUrl of ['/account\u0000/wallet', '/account/wallet\r\nSet-Cookie: x=1', '/a\tb']) {
      const response = await t.call('POST', '/payments/top-ups', member, topUpBody(100, 'USD', returnUrl), {
        'idempotency-key': randomUUID(),
      });
      expect(response.statusCode, JSON.stringify(returnUrl)).toBe(400);
    }
    expect(await paymentsOf(member.userId)).toBe(0);
  });

  it('answers malformed and unknown payment ids with 400 and 404, and other members with 404', async () => {
    const member = await t.signUp();
    const other = await t.signUp();
    const { paymentId } = await h.startTopUp(member, 3_00);
    expect((await t.call('GET', '/payments/not-a-uuid', member)).statusCode).toBe(400);
    expect((await t.call('GET', '/payments/%00', member)).statusCode).toBe(400);
    expect((await t.call('GET', `/payments/${randomUUID()}`, member)).statusCode).toBe(404);
    expect((await t.call('GET', `/payments/${paymentId}`, other)).json().code).toBe('payment_not_found');
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/payments/nope/return' })).statusCode).toBe(400);
    const unknownReturn = await t.app.inject({
      method: 'GET',
      url: `/api/v1/payments/${randomUUID()}/return`,
    });
    expect(unknownReturn.statusCode).toBe(404);
    // Refunds are an operator's: the member, even the payment's own, is refused.
    const own = await t.call(
      'POST',
      `/payments/${paymentId}/refunds`,
      member,
      { reason: 'mine' },
      { 'idempotency-key': randomUUID() },
    );
    expect(own.statusCode).toBe(403);
    expect(await refundsOf(paymentId)).toHaveLength(0);
  });

  it('refuses refunds of bad amounts, a NUL reason and an uncaptured payment, moving nothing', async () => {
    const { member, paymentId } = await captured(10_00);
    const pending = await h.startTopUp(member, 2_00);
    const cases: Array<[string, Record<string, unknown>, number, string]> = [
      [paymentId, { amountMinor: 1.5, reason: 'x' }, 400, 'validation_failed'],
      [paymentId, { amountMinor: 2 ** 53, reason: 'x' }, 400, 'validation_failed'],
      [paymentId, { amountMinor: -1, reason: 'x' }, 400, 'validation_failed'],
      [paymentId, { amountMinor: 10_01, reason: 'x' }, 409, 'refund_exceeds_captured'],
      [paymentId, { reason: 'a\u0000b' }, 400, 'validation_failed'],
      [paymentId, { reason: '   ' }, 400, 'validation_failed'],
      [pending.paymentId, { reason: 'not paid' }, 409, 'payment_not_refundable'],
      [randomUUID(), { reason: 'nobody' }, 404, 'payment_not_found'],
    ];
    for (const [id, body, status, code] of cases) {
      const response = await t.call('POST', `/payments/${id}/refunds`, admin, body, {
        'idempotency-key': randomUUID(),
      });
      expect(response.statusCode, `${JSON.stringify(body)}: ${response.body}`).toBe(status);
      if (code !== 'validation_failed') expect(response.json().code).toBe(code);
    }
    expect(await refundsOf(paymentId)).toHaveLength(0);
    expect(await h.balance(member.userId)).toBe(10_00);
    expect((await h.payment(paymentId)).status).toBe('captured');
  });

  it('concurrent refunds with different keys never refund more than was captured', async () => {
    const { member, paymentId } = await captured(10_00);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        t.call(
          'POST',
          `/payments/${paymentId}/refunds`,
          admin,
          { amountMinor: 4_00, reason: 'race' },
          { 'idempotency-key': randomUUID() },
        ),
      ),
    );
    const codes = answers.map((answer) => answer.statusCode).sort();
    expect(codes).toEqual([201, 201, 409, 409, 409, 409]);
    for (const answer of answers.filter((one) => one.statusCode === 409))
      expect(answer.json().code).toBe('refund_exceeds_captured');
    expect(await h.balance(member.userId)).toBe(2_00);
    const payment = await h.payment(paymentId);
    expect(payment.refundedAmount).toBe(8_00);
    expect(payment.status).toBe('partially_refunded');
    expect(await refundsOf(paymentId)).toHaveLength(2);
  });

  it("a member replaying another member's Idempotency-Key gets a payment of their own", async () => {
    const first = await t.signUp();
    const second = await t.signUp();
    const key = randomUUID();
    const a = await h.topUp(first, 4_00, key);
    const b = await h.topUp(second, 4_00, key);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(b.json().paymentId).not.toBe(a.json().paymentId);
    expect(await paymentsOf(second.userId)).toBe(1);
  });
});
