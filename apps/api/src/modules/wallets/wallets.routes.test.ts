import { randomUUID } from 'node:crypto';
import type { IsoCurrencyCode } from '@souk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { computeFees } from './fees.rules.js';
import { seedDemoWallets } from './wallets.seed.js';
import { walletsHarness } from './wallets.test-support.js';

let t: TestApp;
let admin: TestUser;
let credit: ReturnType<typeof walletsHarness>['credit'];
let addMethod: ReturnType<typeof walletsHarness>['addMethod'];
let age: ReturnType<typeof walletsHarness>['age'];

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signUp({ role: 'admin' });
  ({ credit, addMethod, age } = walletsHarness(t));
});
afterAll(() => t.close());

const key = () => ({ 'idempotency-key': randomUUID() });

/** Pays a checkout page with `card` as a browser would (answering 3-D Secure); follows the return. */
async function pay(checkoutUrl: string, card: string): Promise<string> {
  const { app } = t;
  const form = await app.inject({ method: 'GET', url: checkoutUrl });
  expect(form.statusCode, form.body).toBe(200);
  const submitted = await app.inject({
    method: 'POST',
    url: checkoutUrl,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ card }).toString(),
  });
  expect(submitted.statusCode, submitted.body).toBe(303);
  let location = String(submitted.headers.location);
  if (location.endsWith('/challenge')) {
    const answered = await app.inject({
      method: 'POST',
      url: location,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'decision=approve',
    });
    location = String(answered.headers.location);
  }
  const back = await app.inject({ method: 'GET', url: location });
  expect(back.statusCode, back.body).toBe(303);
  return String(back.headers.location);
}

async function summary(who: TestUser) {
  const response = await t.call('GET', '/wallet', who);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as {
    balances: {
      currency: string;
      available: { amountMinor: number };
      pendingPayout: { amountMinor: number };
    }[];
    payoutPolicy: { heldUntil: string | null };
  };
}

const available = async (who: TestUser, currency = 'USD') =>
  (await summary(who)).balances.find((row) => row.currency === currency)?.available.amountMinor ?? 0;

describe('wallet', () => {
  it('tops up through the 3-D Secure card: the balance, the history, the chart and the statement show it', async () => {
    const member = await t.signUp();
    const empty = await summary(member);
    expect(empty.balances).toEqual([]);
    expect(empty.payoutPolicy.heldUntil).not.toBeNull();

    const headers = key();
    const started = await t.call(
      'POST',
      '/wallet/top-ups',
      member,
      { amount: { amountMinor: 2_500, currency: 'USD' } },
      headers,
    );
    expect(started.statusCode, started.body).toBe(201);
    const replay = await t.call(
      'POST',
      '/wallet/top-ups',
      member,
      { amount: { amountMinor: 2_500, currency: 'USD' } },
      headers,
    );
    expect(replay.json()).toEqual(started.json());
    expect(
      (await t.call('POST', '/wallet/top-ups', member, { amount: { amountMinor: 2_500, currency: 'USD' } }))
        .statusCode,
    ).toBe(400);

    const back = await pay(started.json().checkoutUrl, '4000 0025 0000 3155');
    expect(back).toMatch(/^\/account\/wallet\?paymentId=.+&status=captured$/);
    expect(await available(member)).toBe(2_500);

    const history = await t.call('GET', '/wallet/transactions?currency=USD', member);
    expect(history.json().items).toMatchObject([
      {
        referenceType: 'top_up',
        account: 'available',
        amount: { amountMinor: 2_500 },
        balanceAfter: { amountMinor: 2_500 },
      },
    ]);
    const chart = await t.call('GET', '/wallet/balance-history?currency=USD', member);
    expect(chart.json()).toMatchObject({
      opening: { amountMinor: 0 },
      points: [{ balance: { amountMinor: 2_500 } }],
    });

    const csv = await t.call('GET', '/wallet/statement.csv', member);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split('\n');
    expect(lines[0]).toBe('date,account,reference_type,reference_id,amount,currency,balance_after');
    expect(lines[1]).toContain(',available,top_up,');
    expect(lines[1]).toContain(',25.00,USD,25.00');

    // Another member sees none of it.
    const other = await t.signUp();
    expect((await summary(other)).balances).toEqual([]);
    expect((await t.call('GET', '/wallet/transactions', other)).json().items).toEqual([]);
    expect((await t.call('GET', '/wallet', null)).statusCode).toBe(401);
  });

  it('filters and pages the history with the platform cursor', async () => {
    const member = await t.signUp();
    await credit(member, 1_000);
    await credit(member, 2_000);
    await credit(member, 30_000, 'LKR');
    const first = await t.call('GET', '/wallet/transactions?currency=USD&limit=1', member);
    expect(first.json().items).toHaveLength(1);
    expect(first.json().items[0].amount.amountMinor).toBe(2_000);
    const second = await t.call(
      'GET',
      `/wallet/transactions?currency=USD&limit=1&cursor=${encodeURIComponent(first.json().nextCursor)}`,
      member,
    );
    expect(second.json().items[0].amount.amountMinor).toBe(1_000);
    expect(second.json().nextCursor).toBeNull();
    expect((await t.call('GET', '/wallet/transactions?currency=LKR', member)).json().items).toHaveLength(1);
    expect((await t.call('GET', '/wallet/transactions?referenceType=payout', member)).json().items).toEqual(
      [],
    );
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect((await t.call('GET', `/wallet/transactions?from=${tomorrow}`, member)).json().items).toEqual([]);
    const bad = await t.call('GET', '/wallet/transactions?cursor=nonsense', member);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('invalid_cursor');
  });

  it('holds a new seller’s payout pending with the money reserved; refuses below the minimum and beyond the balance', async () => {
    const member = await t.signUp();
    await credit(member, 5_000);
    const method = await addMethod(member);
    expect(method).toMatchObject({ label: '••••1234', type: 'sandbox_bank' });

    const tooSmall = await t.call(
      'POST',
      '/wallet/payouts',
      member,
      { amount: { amountMinor: 500, currency: 'USD' }, methodId: method.id },
      key(),
    );
    expect(tooSmall.json().code).toBe('payout_below_minimum');
    const tooMuch = await t.call(
      'POST',
      '/wallet/payouts',
      member,
      { amount: { amountMinor: 5_001, currency: 'USD' }, methodId: method.id },
      key(),
    );
    expect(tooMuch.statusCode).toBe(409);
    expect((await t.call('GET', '/wallet/payouts', member)).json().items).toEqual([]);

    const headers = key();
    const body = { amount: { amountMinor: 3_000, currency: 'USD' }, methodId: method.id };
    const requested = await t.call('POST', '/wallet/payouts', member, body, headers);
    expect(requested.statusCode, requested.body).toBe(201);
    expect(requested.json()).toMatchObject({ status: 'pending', methodLabel: '••••1234' });
    expect(Date.parse(requested.json().releaseAt)).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    expect((await t.call('POST', '/wallet/payouts', member, body, headers)).json().id).toBe(
      requested.json().id,
    );
    expect(
      (
        await t.call(
          'POST',
          '/wallet/payouts',
          member,
          { ...body, amount: { amountMinor: 3_001, currency: 'USD' } },
          headers,
        )
      ).statusCode,
    ).toBe(422);

    const after = (await summary(member)).balances[0];
    expect(after?.available.amountMinor).toBe(2_000);
    expect(after?.pendingPayout.amountMinor).toBe(3_000);
    // The job leaves a held payout alone.
    await t.app.modules.wallets.service.payouts.processDue();
    expect((await t.call('GET', '/wallet/payouts', member)).json().items[0].status).toBe('pending');
    // Someone else's method is not usable.
    const other = await t.signUp();
    await credit(other, 5_000);
    const stolen = await t.call('POST', '/wallet/payouts', other, body, key());
    expect(stolen.statusCode).toBe(404);
  });

  it('lets concurrent payout requests spend the balance once: 10 asks of 30 against 100, exactly 3 pass', async () => {
    const member = await t.signUp();
    await credit(member, 10_000);
    const method = await addMethod(member);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.call(
          'POST',
          '/wallet/payouts',
          member,
          { amount: { amountMinor: 3_000, currency: 'USD' }, methodId: method.id },
          key(),
        ),
      ),
    );
    expect(answers.filter((answer) => answer.statusCode === 201)).toHaveLength(3);
    expect(answers.filter((answer) => answer.statusCode === 409)).toHaveLength(7);
    const balance = (await summary(member)).balances[0];
    expect(balance).toMatchObject({
      available: { amountMinor: 1_000 },
      pendingPayout: { amountMinor: 9_000 },
    });
    expect((await t.call('GET', '/wallet/payouts', member)).json().items).toHaveLength(3);
  });

  it('sends an established seller’s payout: paid, and the money leaves to the provider', async () => {
    const member = await t.signUp();
    await age(member);
    await credit(member, 4_000);
    const method = await addMethod(member);
    const requested = await t.call(
      'POST',
      '/wallet/payouts',
      member,
      { amount: { amountMinor: 4_000, currency: 'USD' }, methodId: method.id },
      key(),
    );
    expect(requested.json().status).toBe('pending');
    await t.app.modules.wallets.service.payouts.processDue();
    const [payout] = (await t.call('GET', '/wallet/payouts', member)).json().items;
    expect(payout.status).toBe('paid');
    const balance = (await summary(member)).balances[0];
    expect(balance).toMatchObject({ available: { amountMinor: 0 }, pendingPayout: { amountMinor: 0 } });
    const history = (
      await t.call('GET', '/wallet/transactions?referenceType=payout&account=pending_payout', member)
    ).json().items;
    expect(history.map((item: { amount: { amountMinor: number } }) => item.amount.amountMinor)).toEqual([
      -4_000, 4_000,
    ]);
    const verify = await t.app.modules.ledger.service.verify(t.platform.database.db);
    expect(verify.ok).toBe(true);
  });

  it('sends a payout above the threshold to review: an admin rejects (money back) or approves', async () => {
    const member = await t.signUp();
    await age(member);
    await credit(member, 500_000);
    const method = await addMethod(member);
    const big = { amount: { amountMinor: 200_000, currency: 'USD' }, methodId: method.id };
    const first = (await t.call('POST', '/wallet/payouts', member, big, key())).json();
    const second = (await t.call('POST', '/wallet/payouts', member, big, key())).json();
    expect([first.status, second.status]).toEqual(['in_review', 'in_review']);
    expect(await available(member)).toBe(100_000);

    expect((await t.call('POST', `/admin/payouts/${first.id}/approve`, member)).statusCode).toBe(403);
    const queue = (await t.call('GET', '/admin/payouts?status=in_review', admin)).json().items;
    expect(queue.map((item: { id: string }) => item.id)).toEqual(
      expect.arrayContaining([first.id, second.id]),
    );

    const rejected = await t.call('POST', `/admin/payouts/${first.id}/reject`, admin, {
      reason: 'Documents do not match',
    });
    expect(rejected.json()).toMatchObject({ status: 'rejected', rejectionReason: 'Documents do not match' });
    expect(await available(member)).toBe(300_000);
    const again = await t.call('POST', `/admin/payouts/${first.id}/reject`, admin, { reason: 'Twice' });
    expect(again.statusCode).toBe(409);
    expect(await available(member)).toBe(300_000);

    const approved = await t.call('POST', `/admin/payouts/${second.id}/approve`, admin);
    expect(approved.json().status).toBe('pending');
    await t.app.modules.wallets.service.payouts.processDue();
    expect(
      (await t.call('GET', `/admin/payouts?status=paid`, admin))
        .json()
        .items.map((p: { id: string }) => p.id),
    ).toContain(second.id);
  });
});

describe('fees and exchange rates', () => {
  it('lets an admin set fees globally and per category; the quote and the booking follow them', async () => {
    const member = await t.signUp();
    expect(
      (
        await t.call('PUT', '/admin/fees', member, {
          kind: 'commission',
          categoryId: null,
          percentBps: 500,
          fixed: null,
        })
      ).statusCode,
    ).toBe(403);
    const global = await t.call('PUT', '/admin/fees', admin, {
      kind: 'commission',
      categoryId: null,
      percentBps: 500,
      fixed: null,
    });
    expect(global.statusCode, global.body).toBe(200);
    await t.call('PUT', '/admin/fees', admin, {
      kind: 'processing',
      categoryId: null,
      percentBps: 290,
      fixed: { amountMinor: 30, currency: 'USD' },
    });
    const replaced = await t.call('PUT', '/admin/fees', admin, {
      kind: 'commission',
      categoryId: null,
      percentBps: 400,
      fixed: null,
    });
    expect(replaced.json().id).toBe(global.json().id);
    expect((await t.call('GET', '/admin/fees', admin)).json().items).toHaveLength(2);

    const quote = await t.call('GET', '/fees/quote?amountMinor=10000&currency=USD', null);
    expect(quote.json()).toEqual({
      price: { amountMinor: 10_000, currency: 'USD' },
      commission: { amountMinor: 400, currency: 'USD' },
      processing: { amountMinor: 320, currency: 'USD' },
      sellerNet: { amountMinor: 9_280, currency: 'USD' },
    });

    // A category's own rule wins over the global one, for it and the categories below it.
    await t.app.modules.catalog.seedDemoData();
    const cars = await t.call('GET', '/categories/cars', null);
    expect(cars.statusCode, cars.body).toBe(200);
    // The rule sits on the nearest ancestor when cars has one: the sale inherits it.
    const ruleCategory = (cars.json().ancestors.at(-1)?.id ?? cars.json().id) as string;
    const carRule = await t.call('PUT', '/admin/fees', admin, {
      kind: 'commission',
      categoryId: ruleCategory,
      percentBps: 150,
      fixed: null,
    });
    expect(carRule.statusCode, carRule.body).toBe(200);
    const carQuote = await t.call(
      'GET',
      `/fees/quote?amountMinor=10000&currency=USD&categoryId=${cars.json().id}`,
      null,
    );
    expect(carQuote.json().commission.amountMinor).toBe(150);
    await t.call('DELETE', `/admin/fees/${carRule.json().id}`, admin);

    // Booked as their own entries, from the seller to the platform's fees revenue.
    const seller = await t.signUp();
    await credit(seller, 10_000);
    const wallets = t.app.modules.wallets.service;
    const ledger = t.app.modules.ledger.service;
    const fees = await wallets.fees.quote({ amountMinor: 10_000, currency: 'USD' });
    expect(fees).toEqual(
      computeFees({ amountMinor: 10_000, currency: 'USD' }, await wallets.fees.list(), []),
    );
    const payer = {
      owner: { type: 'member', id: seller.userId },
      currency: 'USD',
      kind: 'available',
    } as const;
    const orderId = randomUUID();
    const booked = await ledger.transaction((tx) =>
      wallets.fees.bookFees(tx, {
        idempotencyKey: `fees-${orderId}`,
        reference: { type: 'order', id: orderId },
        payer,
        fees,
      }),
    );
    expect(booked?.entries).toHaveLength(4);
    expect(await available(seller)).toBe(10_000 - 720);
    const platform = await ledger.balances(t.platform.database.db, { type: 'platform' });
    expect(
      platform.find((row) => row.kind === 'fees_revenue' && row.currency === 'USD')?.balance,
    ).toBeGreaterThanOrEqual(720);
    await t.call('DELETE', `/admin/fees/${global.json().id}`, admin);
    expect(
      (await t.call('GET', '/fees/quote?amountMinor=10000&currency=USD', null)).json().commission.amountMinor,
    ).toBe(0);
  });

  it('converts with admin-set and imported rates, directly, inverted and through a pivot', async () => {
    const missing = await t.call('GET', '/fx/convert?amountMinor=100&from=USD&to=LKR', null);
    expect(missing.statusCode).toBe(404);
    const imported = await t.call('POST', '/admin/fx-rates/import', admin);
    expect(imported.json()).toEqual({ source: 'reference', imported: 5 });
    const set = await t.call('PUT', '/admin/fx-rates/USD/LKR', admin, { rate: '300.125' });
    expect(set.json()).toMatchObject({ base: 'USD', quote: 'LKR', rate: '300.125', source: 'admin' });
    expect((await t.call('PUT', '/admin/fx-rates/USD/LKR', admin, { rate: '-1' })).statusCode).toBe(400);

    const direct = await t.call('GET', '/fx/convert?amountMinor=1000&from=USD&to=LKR', null);
    expect(direct.json()).toEqual({
      from: { amountMinor: 1_000, currency: 'USD' },
      to: { amountMinor: 300_125, currency: 'LKR' },
      rate: '300.125',
    });
    const inverse = await t.call('GET', '/fx/convert?amountMinor=300125&from=LKR&to=USD', null);
    expect(inverse.json().to).toEqual({ amountMinor: 1_000, currency: 'USD' });
    const pivot = await t.call('GET', '/fx/convert?amountMinor=92&from=EUR&to=GBP', null);
    expect(pivot.json().to).toEqual({ amountMinor: 79, currency: 'GBP' });
    const converted = await t.app.modules.wallets.service.fx.convert(
      { amountMinor: 1_000, currency: 'USD' },
      'LKR',
    );
    expect(converted).toEqual({ amountMinor: 300_125, currency: 'LKR' });
    expect((await t.call('GET', '/fx/rates', null)).json().items).toHaveLength(5);
  });
});

describe('the public contract', () => {
  it('documents the wallet routes in OpenAPI, money routes asking for an Idempotency-Key', async () => {
    const spec = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(spec.statusCode, spec.body.slice(0, 500)).toBe(200);
    const paths = spec.json().paths as Record<string, Record<string, { summary?: string }>>;
    for (const path of [
      '/api/v1/wallet',
      '/api/v1/wallet/transactions',
      '/api/v1/wallet/payouts',
      '/api/v1/admin/fees',
      '/api/v1/fx/convert',
    ])
      expect(Object.keys(paths)).toContain(path);
    expect(paths['/api/v1/wallet/top-ups']?.post?.summary).toContain('Idempotency-Key');
    expect(paths['/api/v1/wallet/payouts']?.post?.summary).toContain('Idempotency-Key');
  });
});

describe('demo data', () => {
  it('gives demo members a wallet history and a pending payout, once however often it runs', async () => {
    const members = [await t.signUp(), await t.signUp()];
    const wallets = t.app.modules.wallets.service;
    const requestPayout = async (
      memberId: string,
      amount: { amountMinor: number; currency: IsoCurrencyCode },
    ) => {
      const ctx = {
        actor: { userId: memberId, roles: ['member' as const] },
        sessionId: null,
        requestId: 'seed',
      };
      const method = await wallets.payouts.addMethod(ctx, {
        holderName: 'Demo Member',
        accountNumber: '00001234567',
        country: 'LK',
      });
      await wallets.payouts.request(ctx, {
        amount,
        methodId: method.id,
        idempotencyKey: `demo-payout-${memberId}`,
      });
    };
    const ids = members.map((member) => member.userId);
    const first = await seedDemoWallets({ ledger: t.app.modules.ledger.service, requestPayout }, ids);
    expect(first).toEqual({ members: 2, transfers: 10, payouts: 2 });
    const again = await seedDemoWallets({ ledger: t.app.modules.ledger.service, requestPayout }, ids);
    expect(again.transfers).toBe(0);
    const wallet = await summary(members[0] as TestUser);
    expect(
      wallet.balances.map((row) => [row.currency, row.available.amountMinor, row.pendingPayout.amountMinor]),
    ).toEqual([
      ['LKR', 4_250_000 - 1_000_000, 1_000_000],
      ['USD', 7_500, 0],
    ]);
    expect((await t.call('GET', '/wallet/payouts', members[0] as TestUser)).json().items[0].status).toBe(
      'pending',
    );
  });
});
