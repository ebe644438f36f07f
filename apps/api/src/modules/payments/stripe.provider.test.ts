import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StripeFake, startStripeFake } from '../../test-support/stripe-fake.js';
import { ProviderError } from './payments.provider.js';
import { statusOfIntent } from './payments.rules.js';
import { createStripeProvider } from './stripe.provider.js';

/** The stripe provider through the real `stripe` SDK, against a local fake of Stripe's HTTP API. */
let fake: StripeFake;
let provider: ReturnType<typeof createStripeProvider>;

beforeAll(async () => {
  fake = await startStripeFake();
  provider = createStripeProvider({
    secretKey: fake.secretKey,
    webhookSecret: fake.webhookSecret,
    apiUrl: fake.url,
    checkoutPath: '/api/v1/payments/stripe/checkout',
  });
});
afterAll(() => fake.close());

const newIntent = (paymentId: string, amount = 2_500) =>
  provider.createIntent({
    paymentId,
    memberId: 'member-1',
    amount,
    currency: 'USD',
    returnUrl: `/api/v1/payments/${paymentId}/return`,
    idempotencyKey: `intent-${paymentId}`,
  });

describe('stripe provider (SDK against the fake Stripe API)', () => {
  it('creates a PaymentIntent with manual capture, once per key', async () => {
    const first = await newIntent('p-create');
    const again = await newIntent('p-create');
    expect(again.intent.id).toBe(first.intent.id);
    expect(first.intent).toMatchObject({ status: 'requires_payment_method', amount: 2_500, currency: 'USD' });
    expect(first.intent.metadata.paymentId).toBe('p-create');
    const creates = fake.requests.filter((r) => r.path === '/v1/payment_intents' && r.method === 'POST');
    expect(creates.at(-1)?.body).toMatchObject({ capture_method: 'manual', currency: 'usd', amount: '2500' });
    expect(creates.at(-1)?.idempotencyKey).toBe('intent-p-create');
    expect(fake.intents.size).toBe(1);
  });

  it('captures an authorized intent; a repeated capture with its key changes nothing', async () => {
    const { intent } = await newIntent('p-capture', 4_000);
    fake.pay(intent.id, 'authorized');
    expect(statusOfIntent(await provider.retrieve(intent.id))).toBe('authorized');
    const captured = await provider.capture(intent.id, { idempotencyKey: 'capture-p-capture' });
    const replay = await provider.capture(intent.id, { idempotencyKey: 'capture-p-capture' });
    expect(captured).toMatchObject({ status: 'succeeded', amountCaptured: 4_000 });
    expect(replay).toMatchObject({ status: 'succeeded', amountCaptured: 4_000 });
  });

  it('a capture the bank refuses answers a failed intent', async () => {
    const { intent } = await newIntent('p-capture-fails');
    fake.pay(intent.id, 'fails_at_capture');
    const after = await provider.capture(intent.id, { idempotencyKey: 'capture-p-capture-fails' });
    expect(after.status).toBe('canceled');
    expect(after.lastError).toBe('capture_failed');
    expect(statusOfIntent(after)).toBe('failed');
  });

  it('refunds in part and in full, and refuses more than was captured', async () => {
    const { intent } = await newIntent('p-refund', 1_000);
    fake.pay(intent.id, 'authorized');
    await provider.capture(intent.id, { idempotencyKey: 'capture-p-refund' });
    const partial = await provider.refund(intent.id, { amount: 300, idempotencyKey: 'refund-1' });
    expect(partial.refundId).toMatch(/^re_/);
    expect(partial.intent.amountRefunded).toBe(300);
    const replayed = await provider.refund(intent.id, { amount: 300, idempotencyKey: 'refund-1' });
    expect(replayed.refundId).toBe(partial.refundId);
    expect(replayed.intent.amountRefunded).toBe(300);
    const tooMuch = await provider
      .refund(intent.id, { amount: 800, idempotencyKey: 'refund-2' })
      .catch((e) => e);
    expect(tooMuch).toBeInstanceOf(ProviderError);
    expect(tooMuch).toMatchObject({ code: 'amount_too_large', transient: false });
    const rest = await provider.refund(intent.id, { amount: 700, idempotencyKey: 'refund-3' });
    expect(rest.intent.amountRefunded).toBe(1_000);
  });

  it('rides out a passing Stripe failure and reports a lasting one as transient', async () => {
    fake.failNext('/v1/payment_intents', 1);
    const { intent } = await newIntent('p-flaky');
    expect(intent.id).toMatch(/^pi_/);
    fake.failNext(`/v1/payment_intents/${intent.id}`, 10);
    const error = await provider.retrieve(intent.id).catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.transient).toBe(true);
  });

  it('lists intents created since a time, across pages', async () => {
    const seen: string[] = [];
    for await (const intent of provider.listSince(new Date(Date.now() - 3_600_000))) seen.push(intent.id);
    expect(new Set(seen)).toEqual(new Set(fake.intents.keys()));
  });

  it('verifies webhooks with constructEvent: forged and stale are refused; the intent is fetched afresh', async () => {
    const { intent } = await newIntent('p-webhook');
    fake.pay(intent.id, 'authorized');
    const stale = { ...fake.intents.get(intent.id), status: 'requires_payment_method' };
    const good = fake.event('payment_intent.amount_capturable_updated', stale);
    const event = await provider.parseWebhook(Buffer.from(good.body), good.signature);
    expect(event.intent?.status).toBe('requires_capture'); // Stripe's state now, not the event's
    const forged = fake.event('payment_intent.succeeded', stale, { secret: 'whsec_not_the_secret' });
    await expect(provider.parseWebhook(Buffer.from(forged.body), forged.signature)).rejects.toMatchObject({
      code: 'webhook_signature_invalid',
    });
    const old = fake.event('payment_intent.succeeded', stale, { at: new Date(Date.now() - 6 * 60_000) });
    await expect(provider.parseWebhook(Buffer.from(old.body), old.signature)).rejects.toMatchObject({
      code: 'webhook_signature_invalid',
    });
    const charge = fake.event('charge.refunded', { object: 'charge', id: 'ch_x', payment_intent: intent.id });
    expect((await provider.parseWebhook(Buffer.from(charge.body), charge.signature)).intent?.id).toBe(
      intent.id,
    );
  });

  it('creates Connect accounts and pays out to them, once per key', async () => {
    const { accountId } = await provider.createPayoutAccount({
      memberId: 'm1',
      email: 'a@example.test',
      country: 'US',
    });
    expect(accountId).toMatch(/^acct_/);
    const first = await provider.payout({
      accountId,
      amount: 900,
      currency: 'USD',
      idempotencyKey: 'payout-1',
    });
    const again = await provider.payout({
      accountId,
      amount: 900,
      currency: 'USD',
      idempotencyKey: 'payout-1',
    });
    expect(again.transferId).toBe(first.transferId);
    const changed = await provider
      .payout({ accountId, amount: 901, currency: 'USD', idempotencyKey: 'payout-1' })
      .catch((e) => e);
    expect(changed).toBeInstanceOf(ProviderError);
    await expect(
      provider.payout({ accountId: 'acct_nobody', amount: 1, currency: 'USD', idempotencyKey: 'payout-2' }),
    ).rejects.toBeInstanceOf(ProviderError);
  });
});
