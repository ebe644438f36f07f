import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { waitFor } from '../../test-support/wait.js';
import { EXPIRE_QUEUE } from './payments.expiry.js';
import { payments, sandboxIntents } from './payments.schema.js';
import { CARDS, paymentsHarness } from './payments.test-support.js';

/**
 * Issue 18 follow-up: a top-up started and never paid is canceled after PAYMENTS_EXPIRE_MINUTES
 * (default 60), at the provider and in Souk, through the state machine; one the member did pay is
 * captured instead; a second run (or two at once) changes nothing more.
 */
let t: TestApp;
let h: ReturnType<typeof paymentsHarness>;

beforeAll(async () => {
  t = await createTestApp({ work: true });
  h = paymentsHarness(t);
  // No webhooks in this file: what the expiry does must not depend on them.
  if (!h.payments.sandbox) throw new Error('the sandbox is the default provider');
  h.payments.sandbox.delivery.paused = true;
});
afterAll(() => t.close());

const db = () => t.platform.database.db;
const intentIdOf = (checkoutUrl: string) => checkoutUrl.split('/').at(-1) ?? '';
const later = () => new Date(Date.now() + 60_000);

async function sandboxStatus(intentId: string) {
  const [row] = await db().select().from(sandboxIntents).where(eq(sandboxIntents.id, intentId));
  return row?.status;
}

/** Makes payments look `minutes` old, as the job's cut-off sees them. */
async function age(paymentIds: string[], minutes: number) {
  await db()
    .update(payments)
    .set({ createdAt: sql`now() - make_interval(mins => ${minutes})` })
    .where(inArray(payments.id, paymentIds));
}

describe('expiry of unpaid top-ups', () => {
  it('cancels a created and a 3-D Secure one at the provider and in Souk; the page then books nothing', async () => {
    const member = await t.signUp();
    const created = await h.startTopUp(member, 15_00);
    const challenged = await h.startTopUp(member, 16_00);
    // The card asks for 3-D Secure and the member walks away from that page.
    const submitted = await t.app.inject({
      method: 'POST',
      url: challenged.checkoutUrl,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ card: CARDS.challenge }).toString(),
    });
    expect(submitted.statusCode).toBe(303);
    expect((await h.payment(challenged.paymentId)).status).toBe('created');
    expect(await sandboxStatus(intentIdOf(challenged.checkoutUrl))).toBe('requires_action');

    const report = await h.payments.expireUnpaid({ olderThan: later() });
    expect(report.canceled).toEqual(expect.arrayContaining([created.paymentId, challenged.paymentId]));
    for (const { paymentId, checkoutUrl } of [created, challenged]) {
      expect((await h.payment(paymentId)).status).toBe('canceled');
      expect(await sandboxStatus(intentIdOf(checkoutUrl))).toBe('canceled');
    }

    // Paying on the old page afterwards moves no money.
    const location = await h.pay(created.checkoutUrl, CARDS.success).catch(() => null);
    if (location?.includes('/return')) await t.app.inject({ method: 'GET', url: location });
    expect((await h.payment(created.paymentId)).status).toBe('canceled');
    expect(await h.balance(member.userId)).toBe(0);
  });

  it('leaves a payment younger than the cut-off alone', async () => {
    const member = await t.signUp();
    const old = await h.startTopUp(member, 5_00);
    await age([old.paymentId], 120);
    const fresh = await h.startTopUp(member, 6_00);
    const report = await h.payments.expireUnpaid({ olderThan: new Date(Date.now() - 60 * 60_000) });
    expect(report.canceled).toContain(old.paymentId);
    expect(report.canceled).not.toContain(fresh.paymentId);
    expect((await h.payment(fresh.paymentId)).status).toBe('created');
    expect(await sandboxStatus(intentIdOf(fresh.checkoutUrl))).toBe('requires_payment_method');
  });

  it('captures (never cancels) one the member paid whose news Souk had not had, once', async () => {
    const member = await t.signUp();
    const paid = await h.startTopUp(member, 20_00);
    await h.pay(paid.checkoutUrl, CARDS.success); // the browser never comes back, no webhook
    expect((await h.payment(paid.paymentId)).status).toBe('created');

    const report = await h.payments.expireUnpaid({ olderThan: later() });
    expect(report.advanced).toContain(paid.paymentId);
    expect(report.canceled).not.toContain(paid.paymentId);
    expect((await h.payment(paid.paymentId)).status).toBe('captured');
    expect(await h.balance(member.userId)).toBe(20_00);
    expect(await h.entriesOf(member.userId, paid.paymentId)).toHaveLength(1);
  });

  it('is idempotent: two runs at once and a third change nothing more', async () => {
    const member = await t.signUp();
    const started = await Promise.all([1_00, 2_00, 3_00].map((amount) => h.startTopUp(member, amount)));
    const ids = started.map((one) => one.paymentId);
    const [first, second] = await Promise.all([
      h.payments.expireUnpaid({ olderThan: later() }),
      h.payments.expireUnpaid({ olderThan: later() }),
    ]);
    const canceledOnce = [...first.canceled, ...second.canceled];
    for (const id of ids) expect(canceledOnce).toContain(id);
    const rows = await db().select().from(payments).where(inArray(payments.id, ids));
    expect(rows.map((row) => row.status)).toEqual(['canceled', 'canceled', 'canceled']);
    const updatedAt = rows.map((row) => row.updatedAt.getTime()).sort();

    const third = await h.payments.expireUnpaid({ olderThan: later() });
    for (const id of ids) {
      expect(third.canceled).not.toContain(id);
      expect(third.skipped).not.toContain(id);
    }
    const again = await db().select().from(payments).where(inArray(payments.id, ids));
    expect(again.map((row) => row.updatedAt.getTime()).sort()).toEqual(updatedAt);
  });

  it('runs as a job (pg-boss, so a restart loses nothing): a top-up older than 60 minutes is canceled', async () => {
    const member = await t.signUp();
    const stale = await h.startTopUp(member, 7_00);
    await age([stale.paymentId], 61);
    await t.platform.jobs.send(EXPIRE_QUEUE, {});
    await waitFor(async () => (await h.payment(stale.paymentId)).status === 'canceled', 60_000);
    expect(await sandboxStatus(intentIdOf(stale.checkoutUrl))).toBe('canceled');
  });
});
