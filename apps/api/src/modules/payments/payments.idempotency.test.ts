import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { payments, sandboxIntents } from './payments.schema.js';
import { CARDS, paymentsHarness } from './payments.test-support.js';

/**
 * Issue 18, must-show 4: the same top-up replayed, sent concurrently, and with a changed body.
 * One payment, one provider intent, one booking, whatever the client does.
 */
let t: TestApp;
let h: ReturnType<typeof paymentsHarness>;

beforeAll(async () => {
  t = await createTestApp();
  h = paymentsHarness(t);
});
afterAll(() => t.close());

async function paymentsOf(memberId: string) {
  const [row] = await t.platform.database.db
    .select({ n: count() })
    .from(payments)
    .where(eq(payments.memberId, memberId));
  return row?.n ?? 0;
}

describe('top-up idempotency', () => {
  it('a replay answers the first answer and starts nothing new', async () => {
    const member = await t.signUp();
    const key = randomUUID();
    const first = await h.topUp(member, 20_00, key);
    const replay = await h.topUp(member, 20_00, key);
    expect(first.statusCode, first.body).toBe(201);
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json()).toEqual(first.json());
    expect(replay.headers.location).toBe(first.headers.location);
    expect(await paymentsOf(member.userId)).toBe(1);
    const { checkoutUrl } = first.json();
    const intents = await t.platform.database.db
      .select({ n: count() })
      .from(sandboxIntents)
      .where(eq(sandboxIntents.id, checkoutUrl.split('/').at(-1)));
    expect(intents[0]?.n).toBe(1);
  });

  it('sent concurrently: one payment, and every answer names it', async () => {
    const member = await t.signUp();
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 8 }, () => h.topUp(member, 15_00, key)));
    const ok = answers.filter((answer) => answer.statusCode === 201);
    // A duplicate still waiting after 10 s would get 409 idempotency_in_progress; none should here.
    expect(answers.map((answer) => answer.statusCode)).toEqual(answers.map(() => 201));
    expect(new Set(ok.map((answer) => answer.json().paymentId)).size).toBe(1);
    expect(await paymentsOf(member.userId)).toBe(1);
  });

  it('the same key with a changed body is refused (422) and nothing is started', async () => {
    const member = await t.signUp();
    const key = randomUUID();
    expect((await h.topUp(member, 10_00, key)).statusCode).toBe(201);
    const changed = await h.topUp(member, 99_00, key);
    expect(changed.statusCode).toBe(422);
    expect(changed.json().code).toBe('idempotency_key_reused');
    const otherCurrency = await h.topUp(member, 10_00, key, 'EUR');
    expect(otherCurrency.statusCode).toBe(422);
    expect(await paymentsOf(member.userId)).toBe(1);
    // Without a key the route refuses to run at all.
    const keyless = await t.call('POST', '/payments/top-ups', member, {
      amount: { amountMinor: 100, currency: 'USD' },
      returnUrl: '/w',
    });
    expect(keyless.statusCode).toBe(400);
    expect(keyless.json().code).toBe('idempotency_key_required');
  });

  it('paying, a double submit, the return twice and the webhook replayed book the top-up once', async () => {
    const member = await t.signUp();
    const key = randomUUID();
    const { paymentId, checkoutUrl } = (await h.topUp(member, 50_00, key)).json();
    const location = await h.pay(checkoutUrl, CARDS.success);
    // The second submit of the page (a double tap) changes nothing at the provider.
    await t.app.inject({
      method: 'POST',
      url: checkoutUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `card=${encodeURIComponent(CARDS.success)}`,
    });
    const [a, b] = await Promise.all([h.returnTo(location), h.returnTo(location)]);
    expect([a.searchParams.get('status'), b.searchParams.get('status')]).toEqual(['captured', 'captured']);
    for (const event of await h.eventsOf(checkoutUrl.split('/').at(-1))) {
      expect((await h.redeliver(event.payload)).statusCode).toBe(200);
      expect((await h.redeliver(event.payload)).json().duplicate).toBe(true);
    }
    const replay = await h.topUp(member, 50_00, key);
    expect(replay.json().paymentId).toBe(paymentId);
    expect(await h.balance(member.userId)).toBe(50_00);
    expect(await h.entriesOf(member.userId, paymentId)).toHaveLength(1);
  });

  it('a refund replayed with its key refunds once', async () => {
    const member = await t.signUp();
    const admin = await t.signUp({ role: 'admin' });
    const { paymentId, checkoutUrl } = await h.startTopUp(member, 30_00);
    await h.returnTo(await h.pay(checkoutUrl, CARDS.success));
    const key = randomUUID();
    const send = () =>
      t.call(
        'POST',
        `/payments/${paymentId}/refunds`,
        admin,
        { amountMinor: 10_00, reason: 'x' },
        { 'idempotency-key': key },
      );
    const answers = await Promise.all([send(), send(), send()]);
    expect(answers.map((answer) => answer.statusCode)).toEqual([201, 201, 201]);
    expect(new Set(answers.map((answer) => answer.json().id)).size).toBe(1);
    expect(await h.balance(member.userId)).toBe(20_00);
  });
});
