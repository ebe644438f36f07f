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

describe('top-up through the sandbox checkout', () => {
  it('a good card: the return books the top-up to the member and sends the browser back', async () => {
    const member = await t.signUp();
    const { paymentId, checkoutUrl } = await h.startTopUp(member, 25_00);
    expect(checkoutUrl).toMatch(/^\/api\/v1\/payments\/sandbox\/checkout\/pi_sb_/);
    const page = await t.app.inject({ method: 'GET', url: checkoutUrl });
    expect(page.body).toContain('$25.00');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");

    const back = await h.returnTo(await h.pay(checkoutUrl, CARDS.success));
    expect(back.pathname).toBe('/account/wallet');
    expect(Object.fromEntries(back.searchParams)).toEqual({ tab: 'balance', paymentId, status: 'captured' });
    expect(await h.balance(member.userId)).toBe(25_00);
    const view = await t.call('GET', `/payments/${paymentId}`, member);
    expect(view.json()).toMatchObject({
      status: 'captured',
      amount: { amountMinor: 25_00, currency: 'USD' },
      captured: { amountMinor: 25_00, currency: 'USD' },
      refunded: { amountMinor: 0, currency: 'USD' },
    });
  });

  it("a signed-in browser (Souk's session cookie, no CSRF header) can post the sandbox's forms", async () => {
    const member = await t.signUp();
    const { checkoutUrl } = await h.startTopUp(member, 12_00);
    // The browser sends its cookies with the provider's form; the pages never read the session,
    // so the double-submit CSRF check that guards Souk's own cookie requests does not apply.
    const cookie = `souk_access=${member.accessToken}`;
    const form = { 'content-type': 'application/x-www-form-urlencoded', cookie };
    const submitted = await t.app.inject({
      method: 'POST',
      url: checkoutUrl,
      headers: form,
      payload: new URLSearchParams({ card: CARDS.challenge }).toString(),
    });
    expect(submitted.statusCode, submitted.body).toBe(303);
    const answered = await t.app.inject({
      method: 'POST',
      url: String(submitted.headers.location),
      headers: form,
      payload: new URLSearchParams({ decision: 'approve' }).toString(),
    });
    expect(answered.statusCode, answered.body).toBe(303);
    await h.returnTo(String(answered.headers.location));
    expect(await h.balance(member.userId)).toBe(12_00);
    // Souk's own cookie routes still demand the token.
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/payments/top-ups',
      headers: { cookie },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('csrf_token_invalid');
  });

  it('3-D Secure: passing the challenge captures, failing it books nothing', async () => {
    const member = await t.signUp();
    const passed = await h.startTopUp(member, 10_00);
    await h.returnTo(await h.pay(passed.checkoutUrl, CARDS.challenge, 'approve'));
    const failed = await h.startTopUp(member, 7_00);
    const back = await h.returnTo(await h.pay(failed.checkoutUrl, CARDS.challenge, 'fail'));
    expect(back.searchParams.get('status')).toBe('failed');
    expect((await h.payment(failed.paymentId)).failureCode).toBe('authentication_failed');
    expect(await h.balance(member.userId)).toBe(10_00);
  });

  it('declined, insufficient funds and a capture the bank refuses all end failed with nothing booked', async () => {
    const member = await t.signUp();
    for (const [card, code] of [
      [CARDS.declined, 'card_declined'],
      [CARDS.insufficient, 'insufficient_funds'],
      [CARDS.captureFails, 'capture_failed'],
    ] as const) {
      const { paymentId, checkoutUrl } = await h.startTopUp(member, 5_00);
      const back = await h.returnTo(await h.pay(checkoutUrl, card));
      expect(back.searchParams.get('status'), card).toBe('failed');
      expect((await h.payment(paymentId)).failureCode).toBe(code);
    }
    expect(await h.balance(member.userId)).toBe(0);
  });

  it('refunds in part and in full (admin), never more than was captured; the member pays it back', async () => {
    const member = await t.signUp();
    const { paymentId, checkoutUrl } = await h.startTopUp(member, 40_00);
    await h.returnTo(await h.pay(checkoutUrl, CARDS.success));
    const refund = (amountMinor: number | undefined, who: TestUser = admin, key = randomUUID()) =>
      t.call(
        'POST',
        `/payments/${paymentId}/refunds`,
        who,
        { amountMinor, reason: 'asked' },
        { 'idempotency-key': key },
      );

    expect((await refund(10_00, member)).statusCode).toBe(403);
    const partial = await refund(15_00);
    expect(partial.statusCode, partial.body).toBe(201);
    expect(partial.json()).toMatchObject({ status: 'succeeded', payment: { status: 'partially_refunded' } });
    expect(await h.balance(member.userId)).toBe(25_00);
    const tooMuch = await refund(30_00);
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().code).toBe('refund_exceeds_captured');
    const rest = await refund(undefined);
    expect(rest.json()).toMatchObject({ amount: { amountMinor: 25_00 }, payment: { status: 'refunded' } });
    expect(await h.balance(member.userId)).toBe(0);
    expect((await refund(1)).json().code).toBe('payment_not_refundable');
  });

  it('a refund the member can no longer cover is refused and nothing moves', async () => {
    const member = await t.signUp();
    const { paymentId, checkoutUrl } = await h.startTopUp(member, 20_00);
    await h.returnTo(await h.pay(checkoutUrl, CARDS.success));
    // The member spent 15.00 of it.
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
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('insufficient_funds');
    expect(await h.balance(member.userId)).toBe(5_00);
    expect((await h.payment(paymentId)).status).toBe('captured');
  });

  it('refuses a return address on another site, and hides a payment from other members', async () => {
    const member = await t.signUp();
    const other = await t.signUp();
    const offsite = await t.call(
      'POST',
      '/payments/top-ups',
      member,
      { amount: { amountMinor: 100, currency: 'USD' }, returnUrl: '//evil.example/steal' },
      { 'idempotency-key': randomUUID() },
    );
    expect(offsite.statusCode).toBe(400);
    const { paymentId } = await h.startTopUp(member, 1_00);
    expect((await t.call('GET', `/payments/${paymentId}`, other)).statusCode).toBe(404);
    expect((await t.call('GET', `/payments/${paymentId}`, null)).statusCode).toBe(401);
    const anonymous = await t.call(
      'POST',
      '/payments/top-ups',
      null,
      { amount: { amountMinor: 100, currency: 'USD' }, returnUrl: '/w' },
      { 'idempotency-key': randomUUID() },
    );
    expect(anonymous.statusCode).toBe(401);
  });

  it('documents the payment routes in OpenAPI, the hosted pages aside', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const paths = Object.keys(document.paths);
    for (const path of [
      '/api/v1/payments/top-ups',
      '/api/v1/payments/{paymentId}',
      '/api/v1/payments/{paymentId}/return',
      '/api/v1/payments/{paymentId}/refunds',
      '/api/v1/payments/webhooks/{provider}',
      '/api/v1/payments/reconcile',
    ])
      expect(paths, path).toContain(path);
    expect(paths.some((path) => path.includes('/checkout/'))).toBe(false);
    const topUp = document.paths['/api/v1/payments/top-ups'].post;
    expect(JSON.stringify(topUp.parameters ?? [])).toContain('idempotency-key');
  });
});
