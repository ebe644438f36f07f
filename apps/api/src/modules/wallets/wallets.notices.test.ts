import { randomUUID } from 'node:crypto';
import type { Notification } from '@souk/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';

// Issue 18: a member hears of their payout's review, payment, refusal and failure in the app (and
// by e-mail, per their preferences), with a link to the wallet.

let t: TestApp;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signUp({ role: 'admin' });
});
afterAll(() => t.close());

const key = () => ({ 'idempotency-key': randomUUID() });

/** Money in as a captured top-up would book it, without the card page. */
async function credit(who: TestUser, amount: number) {
  const ledger = t.app.modules.ledger.service;
  await ledger.transaction((tx) =>
    ledger.transfer(tx, {
      idempotencyKey: `test-credit-${randomUUID()}`,
      reference: { type: 'top_up', id: randomUUID() },
      legs: [
        {
          from: { owner: { type: 'provider', id: 'sandbox' }, currency: 'USD', kind: 'provider_clearing' },
          to: { owner: { type: 'member', id: who.userId }, currency: 'USD', kind: 'available' },
          amount,
        },
      ],
    }),
  );
}

/** An account opened long ago: its payouts are past the new-seller hold. */
async function age(who: TestUser) {
  await t.platform.database.db.execute(
    sql`update users set created_at = now() - interval '60 days' where id = ${who.userId}::uuid`,
  );
}

async function addMethod(who: TestUser) {
  const response = await t.call('POST', '/wallet/payout-methods', who, {
    holderName: 'Nimal Perera',
    accountNumber: 'LK12 3456 7890 1234',
    country: 'lk',
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string };
}

async function payoutNews(who: TestUser): Promise<Notification[]> {
  const response = await t.call('GET', '/notifications', who);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().items as Notification[]).filter((item) => item.type === 'payout_updated');
}

async function channelsOf(notificationId: string): Promise<string[]> {
  const result = await t.platform.database.db.execute(
    sql`select channel from notification_deliveries where notification_id = ${notificationId}::uuid order by channel`,
  );
  return (result as unknown as { rows: { channel: string }[] }).rows.map((row) => row.channel);
}

async function requestPayout(who: TestUser, amountMinor: number) {
  const method = await addMethod(who);
  const response = await t.call(
    'POST',
    '/wallet/payouts',
    who,
    { amount: { amountMinor, currency: 'USD' }, methodId: method.id },
    key(),
  );
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; status: string };
}

describe('payout notifications', () => {
  it('tells the member a payout was sent, once, linking to the wallet, in the app and by e-mail', async () => {
    const member = await t.signUp();
    await age(member);
    await credit(member, 4_000);
    const payout = await requestPayout(member, 4_000);
    expect(payout.status).toBe('pending');
    expect(await payoutNews(member)).toEqual([]);

    await t.app.modules.wallets.service.payouts.processDue();
    // A second run (a retried job) changes nothing and says nothing again.
    await t.app.modules.wallets.service.payouts.send(payout.id);
    const news = await payoutNews(member);
    expect(news).toHaveLength(1);
    expect(news[0]).toMatchObject({
      title: 'Your payout was sent',
      body: 'USD 40.00 was sent to your bank account.',
      url: '/account/wallet',
      data: { payoutId: payout.id, status: 'paid' },
      readAt: null,
    });
    expect(await channelsOf(news[0]?.id ?? '')).toEqual(['email', 'in_app']);
  });

  it('tells the member a payout went to review, then that it was refused with the reason', async () => {
    const member = await t.signUp();
    await age(member);
    await credit(member, 500_000);
    const payout = await requestPayout(member, 200_000);
    expect(payout.status).toBe('in_review');
    const [review] = await payoutNews(member);
    expect(review).toMatchObject({
      title: 'Your payout is being reviewed',
      url: '/account/wallet',
      data: { payoutId: payout.id, status: 'in_review' },
    });
    expect(review?.body).toContain('USD 2000.00');

    const rejected = await t.call('POST', `/admin/payouts/${payout.id}/reject`, admin, {
      reason: 'Documents do not match',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    const news = await payoutNews(member);
    expect(news.map((item) => item.data.status)).toEqual(['rejected', 'in_review']);
    expect(news[0]).toMatchObject({
      title: 'Your payout was refused',
      body: 'Your payout of USD 2000.00 was refused: Documents do not match. The money is back in your available balance.',
      url: '/account/wallet',
    });
    // Someone else's payout news is not theirs to see.
    expect(await payoutNews(admin)).toEqual([]);
  });

  it('tells the member a payout the bank refused failed and the money is back', async () => {
    const member = await t.signUp();
    await age(member);
    await credit(member, 3_000);
    const payout = await requestPayout(member, 3_000);
    // The provider no longer knows the bank account: a permanent refusal.
    await t.platform.database.db.execute(
      sql`delete from sandbox_accounts where member_id = ${member.userId}::uuid`,
    );
    await t.app.modules.wallets.service.payouts.send(payout.id);
    const [failed] = await payoutNews(member);
    expect(failed).toMatchObject({
      title: 'Your payout could not be sent',
      url: '/account/wallet',
      data: { payoutId: payout.id, status: 'failed' },
    });
  });

  it('leaves the payout news off when the member turned the kind off in the app', async () => {
    const member = await t.signUp();
    await age(member);
    await credit(member, 2_000);
    const saved = await t.call('PUT', '/notifications/preferences', member, {
      matrix: { payout_updated: { in_app: false, email: false } },
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const kinds = saved.json().kinds as { type: string; defaults: Record<string, boolean> }[];
    expect(kinds.find((kind) => kind.type === 'payout_updated')?.defaults).toMatchObject({
      in_app: true,
      email: true,
    });
    await requestPayout(member, 2_000);
    await t.app.modules.wallets.service.payouts.processDue();
    expect(await payoutNews(member)).toEqual([]);
  });
});
