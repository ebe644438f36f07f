import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StripeFake, startStripeFake } from '../../test-support/stripe-fake.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { paymentsHarness } from './payments.test-support.js';

/**
 * The whole app in Stripe mode (PAYMENTS_PROVIDER=stripe), the SDK talking to a local fake of
 * Stripe's HTTP API: top-up, Stripe's webhook, capture, booking, refunds, reconciliation.
 */
let fake: StripeFake;
let t: TestApp;
let h: ReturnType<typeof paymentsHarness>;
let admin: TestUser;

beforeAll(async () => {
  fake = await startStripeFake();
  // The module reads its settings from the environment (this file runs in its own process).
  Object.assign(process.env, {
    PAYMENTS_PROVIDER: 'stripe',
    STRIPE_SECRET_KEY: fake.secretKey,
    STRIPE_WEBHOOK_SECRET: fake.webhookSecret,
    STRIPE_PUBLISHABLE_KEY: 'pk_test_fake',
    STRIPE_API_URL: fake.url,
  });
  t = await createTestApp();
  h = paymentsHarness(t);
  admin = await t.signUp({ role: 'admin' });
});
afterAll(async () => {
  await t?.close();
  await fake?.close();
});

async function topUp(member: TestUser, amount: number) {
  const { paymentId, checkoutUrl } = await h.startTopUp(member, amount);
  const intentId = (await h.payment(paymentId)).providerPaymentId ?? '';
  return { paymentId, checkoutUrl, intentId };
}

const webhook = (type: string, object: object) => {
  const { body, signature } = fake.event(type, object);
  return h.postWebhook(body, signature, 'stripe');
};

describe('stripe mode', () => {
  it("top-up: Stripe's page for the member's own payment, then its webhook captures and books once", async () => {
    const member = await t.signUp();
    const other = await t.signUp();
    const { paymentId, checkoutUrl, intentId } = await topUp(member, 33_00);
    expect(checkoutUrl).toBe(`/api/v1/payments/stripe/checkout/${paymentId}`);
    expect(fake.intents.get(intentId)).toMatchObject({
      capture_method: 'manual',
      amount: 33_00,
      currency: 'usd',
    });
    const page = await t.app.inject({ method: 'GET', url: checkoutUrl, headers: member.headers });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(fake.intents.get(intentId)?.client_secret);
    expect(page.body).toContain('pk_test_fake');
    expect((await t.app.inject({ method: 'GET', url: checkoutUrl, headers: other.headers })).statusCode).toBe(
      404,
    );

    fake.pay(intentId, 'authorized');
    const event = fake.event('payment_intent.amount_capturable_updated', fake.intents.get(intentId) ?? {});
    expect((await h.postWebhook(event.body, event.signature, 'stripe')).json()).toEqual({
      received: true,
      duplicate: false,
    });
    expect(fake.intents.get(intentId)?.status).toBe('succeeded');
    expect(fake.requests.find((r) => r.path.endsWith('/capture'))?.idempotencyKey).toBe(
      `capture-${paymentId}`,
    );
    expect(await h.balance(member.userId)).toBe(33_00);
    const again = await h.postWebhook(event.body, event.signature, 'stripe');
    expect(again.json().duplicate).toBe(true);
    expect(await h.entriesOf(member.userId, paymentId)).toHaveLength(1);
    // The sandbox's endpoint is not this deployment's.
    expect((await h.postWebhook(event.body, event.signature, 'sandbox')).statusCode).toBe(404);
  });

  it('refuses a forged Stripe signature', async () => {
    const forged = fake.event(
      'payment_intent.succeeded',
      { object: 'payment_intent', id: 'pi_x' },
      { secret: 'whsec_x' },
    );
    const answer = await h.postWebhook(forged.body, forged.signature, 'stripe');
    expect(answer.statusCode).toBe(400);
    expect(answer.json().code).toBe('webhook_signature_invalid');
  });

  it("a decline leaves the payment open for another card; Stripe's refunds are booked; so are Souk's", async () => {
    const member = await t.signUp();
    const { paymentId, intentId } = await topUp(member, 20_00);
    fake.pay(intentId, 'declined');
    await webhook('payment_intent.payment_failed', { object: 'payment_intent', id: intentId });
    expect(await h.payment(paymentId)).toMatchObject({ status: 'created', failureCode: 'generic_decline' });
    fake.pay(intentId, 'authorized');
    await webhook('payment_intent.amount_capturable_updated', { object: 'payment_intent', id: intentId });
    expect(await h.balance(member.userId)).toBe(20_00);

    fake.refundOutside(intentId, 5_00); // in Stripe's dashboard
    await webhook('charge.refunded', { object: 'charge', id: 'ch_x', payment_intent: intentId });
    expect(await h.payment(paymentId)).toMatchObject({ status: 'partially_refunded', refundedAmount: 5_00 });
    expect(await h.balance(member.userId)).toBe(15_00);

    const refund = await t.call(
      'POST',
      `/payments/${paymentId}/refunds`,
      admin,
      { reason: 'returned' },
      { 'idempotency-key': randomUUID() },
    );
    expect(refund.statusCode, refund.body).toBe(201);
    expect(refund.json()).toMatchObject({
      amount: { amountMinor: 15_00 },
      status: 'succeeded',
      payment: { status: 'refunded' },
    });
    expect(fake.requests.filter((r) => r.path === '/v1/refunds').at(-1)?.idempotencyKey).toBe(
      `refund-${refund.json().id}`,
    );
    expect(await h.balance(member.userId)).toBe(0);
  });

  it('reconciliation captures and books a payment whose webhooks never came', async () => {
    const member = await t.signUp();
    const { paymentId, intentId } = await topUp(member, 11_00);
    fake.pay(intentId, 'authorized');
    const report = await t.call('POST', '/payments/reconcile', admin, { sinceHours: 1 });
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json().captured).toContain(paymentId);
    expect(await h.balance(member.userId)).toBe(11_00);
    const again = (await t.call('POST', '/payments/reconcile', admin, { sinceHours: 1 })).json();
    expect(again.bookedCaptures).toEqual([]);
    expect(await h.entriesOf(member.userId, paymentId)).toHaveLength(1);
  });

  it('Stripe down: the top-up is a 503 the client may retry with the same key', async () => {
    const member = await t.signUp();
    const key = randomUUID();
    fake.failNext('/v1/payment_intents', 3);
    const down = await h.topUp(member, 3_00, key);
    expect(down.statusCode).toBe(503);
    expect(down.json().code).toBe('provider_unavailable');
    const retried = await h.topUp(member, 3_00, key);
    expect(retried.statusCode, retried.body).toBe(201);
  });

  it('a refund Stripe did not answer stays pending (money held back) until reconciliation asks again', async () => {
    const member = await t.signUp();
    const { paymentId, intentId } = await topUp(member, 14_00);
    fake.pay(intentId, 'authorized');
    await webhook('payment_intent.amount_capturable_updated', { object: 'payment_intent', id: intentId });
    fake.failNext('/v1/refunds', 3);
    const refund = await t.call(
      'POST',
      `/payments/${paymentId}/refunds`,
      admin,
      { amountMinor: 4_00, reason: 'late' },
      { 'idempotency-key': randomUUID() },
    );
    expect(refund.statusCode, refund.body).toBe(201);
    expect(refund.json()).toMatchObject({ status: 'pending', payment: { status: 'captured' } });
    expect(await h.balance(member.userId)).toBe(10_00);
    const report = await h.payments.reconcile({
      since: new Date(Date.now() - 3_600_000),
      pendingRefundAgeMs: 0,
    });
    expect(report.retriedRefunds).toEqual([refund.json().id]);
    expect(await h.payment(paymentId)).toMatchObject({ status: 'partially_refunded', refundedAmount: 4_00 });
    expect(
      fake.requests.filter(
        (r) => r.path === '/v1/refunds' && r.idempotencyKey === `refund-${refund.json().id}`,
      ).length,
    ).toBeGreaterThan(3);
    expect(await h.balance(member.userId)).toBe(10_00);
  });
});
