import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { waitFor } from '../../test-support/wait.js';
import { CARDS, paymentsHarness } from './payments.test-support.js';

/**
 * Issue 18, must-show 3 (webhooks): a forged signature, a timestamp older than 5 minutes, a
 * duplicate, and events out of order, each handled; and the sandbox's own delivery job, which
 * retries with backoff and (a test switch) delivers out of order.
 */
let t: TestApp;
let h: ReturnType<typeof paymentsHarness>;

beforeAll(async () => {
  t = await createTestApp({ work: true });
  h = paymentsHarness(t);
  // The jobs deliver through the app itself (no port is listened on in tests).
  h.payments.sandbox?.useTransport(async (url, body, headers) => {
    const response = await t.app.inject({
      method: 'POST',
      url: new URL(url).pathname,
      headers,
      payload: body,
    });
    return response.statusCode;
  });
});
afterAll(() => t.close());

function sandbox() {
  if (!h.payments.sandbox) throw new Error('the sandbox is the default provider');
  return h.payments.sandbox;
}

const intentIdOf = (checkoutUrl: string) => checkoutUrl.split('/').at(-1) ?? '';

/** A member's top-up paid on the page, with the browser never coming back (webhooks only). */
async function paidWithoutReturn(amount: number) {
  const member = await t.signUp();
  const { paymentId, checkoutUrl } = await h.startTopUp(member, amount);
  await h.pay(checkoutUrl, CARDS.success);
  return { member, paymentId, intentId: intentIdOf(checkoutUrl) };
}

describe('sandbox webhooks', () => {
  it('are delivered by the job, signed; the authorization webhook makes Souk capture and book once', async () => {
    const { member, paymentId, intentId } = await paidWithoutReturn(12_00);
    await waitFor(async () => (await h.payment(paymentId)).status === 'captured');
    await waitFor(async () => (await h.eventsOf(intentId)).every((event) => event.deliveredAt));
    const types = (await h.eventsOf(intentId)).map((event) => event.type);
    expect(types).toEqual([
      'payment_intent.created',
      'payment_intent.amount_capturable_updated',
      'payment_intent.succeeded',
    ]);
    expect(await h.balance(member.userId)).toBe(12_00);
    expect(await h.entriesOf(member.userId, paymentId)).toHaveLength(1);
  });

  it('refuses a forged signature and a stale timestamp with 400, booking nothing', async () => {
    sandbox().delivery.paused = true;
    try {
      const member = await t.signUp();
      const { paymentId, checkoutUrl } = await h.startTopUp(member, 9_00);
      const intentId = intentIdOf(checkoutUrl);
      await h.pay(checkoutUrl, CARDS.success);
      // The provider captures (a webhook Souk has not had yet says so).
      await h.payments.provider.capture(intentId, { idempotencyKey: 'test-capture' });
      const succeeded = (await h.eventsOf(intentId)).find(
        (event) => event.type === 'payment_intent.succeeded',
      );
      expect(succeeded).toBeDefined();
      const payload = succeeded?.payload ?? '';

      const forged = await h.redeliver(payload, { secret: 'whsec_guessed' });
      expect(forged.statusCode).toBe(400);
      expect(forged.json().code).toBe('webhook_signature_invalid');
      const tampered = await h.postWebhook(
        payload.replace('"amount":900', '"amount":90000'),
        await signedHeader(payload),
      );
      expect(tampered.statusCode).toBe(400);
      const unsigned = await h.postWebhook(payload, undefined);
      expect(unsigned.statusCode).toBe(400);
      const stale = await h.redeliver(payload, { at: new Date(Date.now() - 5 * 60_000 - 5_000) });
      expect(stale.statusCode).toBe(400);
      expect(stale.json().detail).toMatch(/tolerance/i);
      expect(await h.balance(member.userId)).toBe(0);
      expect((await h.payment(paymentId)).status).toBe('created');

      const fresh = await h.redeliver(payload, { at: new Date(Date.now() - 4 * 60_000) });
      expect(fresh.statusCode, fresh.body).toBe(200);
      expect(await h.balance(member.userId)).toBe(9_00);
    } finally {
      sandbox().delivery.paused = false;
    }
  });

  it('answers a duplicate without doing anything twice', async () => {
    sandbox().delivery.paused = true;
    try {
      const member = await t.signUp();
      const { paymentId, checkoutUrl } = await h.startTopUp(member, 6_00);
      const intentId = intentIdOf(checkoutUrl);
      await h.pay(checkoutUrl, CARDS.success);
      await h.payments.provider.capture(intentId, { idempotencyKey: 'test-capture-dup' });
      const succeeded = (await h.eventsOf(intentId)).find(
        (event) => event.type === 'payment_intent.succeeded',
      );
      const payload = succeeded?.payload ?? '';
      const answers = await Promise.all([h.redeliver(payload), h.redeliver(payload), h.redeliver(payload)]);
      expect(answers.map((answer) => answer.statusCode)).toEqual([200, 200, 200]);
      const later = await h.redeliver(payload);
      expect(later.json()).toEqual({ received: true, duplicate: true });
      expect(await h.balance(member.userId)).toBe(6_00);
      expect(await h.entriesOf(member.userId, paymentId)).toHaveLength(1);
    } finally {
      sandbox().delivery.paused = false;
    }
  });

  it('out of order: a refund before the success books both, and the late success does not resurrect it', async () => {
    sandbox().delivery.paused = true;
    try {
      const member = await t.signUp();
      const { paymentId, checkoutUrl } = await h.startTopUp(member, 30_00);
      const intentId = intentIdOf(checkoutUrl);
      await h.pay(checkoutUrl, CARDS.success);
      await h.payments.provider.capture(intentId, { idempotencyKey: 'test-capture-ooo' });
      // Refunded in full at the provider (its dashboard), not through Souk.
      await h.payments.provider.refund(intentId, { amount: 30_00, idempotencyKey: 'dashboard-refund' });
      const events = await h.eventsOf(intentId);
      expect(events.map((event) => event.type)).toEqual([
        'payment_intent.created',
        'payment_intent.amount_capturable_updated',
        'payment_intent.succeeded',
        'charge.refunded',
      ]);
      for (const event of [...events].reverse())
        expect((await h.redeliver(event.payload)).statusCode).toBe(200);

      const payment = await h.payment(paymentId);
      expect(payment).toMatchObject({ status: 'refunded', capturedAmount: 30_00, refundedAmount: 30_00 });
      expect(await h.balance(member.userId)).toBe(0);
      const entries = await h.entriesOf(member.userId, paymentId);
      expect(entries.map((entry) => entry.amount).sort()).toEqual([-30_00, 30_00].sort());
    } finally {
      sandbox().delivery.paused = false;
    }
  });

  it('the delivery job retries with backoff until the endpoint answers, and may deliver out of order', async () => {
    const box = sandbox();
    const member = await t.signUp();
    // The endpoint is down twice for each event of this member's payment (others' events pass).
    const refused = new Map<string, number>();
    box.useTransport(async (url, body, headers) => {
      const event = JSON.parse(body) as { id: string; data: { object: { metadata: { memberId?: string } } } };
      const count = refused.get(event.id) ?? 0;
      if (event.data.object.metadata.memberId === member.userId && count < 2) {
        refused.set(event.id, count + 1);
        return 503;
      }
      const response = await t.app.inject({
        method: 'POST',
        url: new URL(url).pathname,
        headers,
        payload: body,
      });
      return response.statusCode;
    });
    box.delivery.shuffleMs = 1_500;
    try {
      const { paymentId, checkoutUrl } = await h.startTopUp(member, 8_00);
      const intentId = intentIdOf(checkoutUrl);
      await h.pay(checkoutUrl, CARDS.success);
      await waitFor(async () => (await h.payment(paymentId)).status === 'captured', 90_000);
      await waitFor(async () => (await h.eventsOf(intentId)).every((event) => event.deliveredAt), 90_000);
      const events = await h.eventsOf(intentId);
      expect(events.map((event) => event.type)).toContain('payment_intent.succeeded');
      for (const event of events) expect(event.attempts, event.type).toBe(3);
      expect(await h.balance(member.userId)).toBe(8_00);
      expect(await h.entriesOf(member.userId, paymentId)).toHaveLength(1);
    } finally {
      box.delivery.shuffleMs = 0;
    }
  });

  async function signedHeader(payload: string) {
    const { signWebhook } = await import('./payments.signature.js');
    return signWebhook(payload, h.webhookSecret);
  }
});
