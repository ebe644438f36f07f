import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { expect } from 'vitest';
import type { TestApp, TestUser } from '../../test-support/test-app.js';
import { sandboxEvents } from './payments.schema.js';
import { signWebhook } from './payments.signature.js';

export const SANDBOX_WEBHOOK_PURPOSE = 'payments.sandbox.webhook';
export const CARDS = {
  success: '4242 4242 4242 4242',
  challenge: '4000 0025 0000 3155',
  declined: '4000 0000 0000 0002',
  insufficient: '4000 0000 0000 9995',
  captureFails: '4000 0000 0000 0341',
} as const;

/** What the payments tests do through the app: top up, pay on the sandbox page, read the books. */
export function paymentsHarness(t: TestApp) {
  const { app } = t;
  const payments = app.modules.payments;
  const ledger = app.modules.ledger.service;
  const db = t.platform.database.db;
  const webhookSecret = app.modules.auth.deriveSecret(SANDBOX_WEBHOOK_PURPOSE).toString('base64url');

  const harness = {
    payments,
    webhookSecret,

    topUp(who: TestUser, amountMinor: number, key: string = randomUUID(), currency = 'USD') {
      return t.call(
        'POST',
        '/payments/top-ups',
        who,
        { amount: { amountMinor, currency }, returnUrl: '/account/wallet?tab=balance' },
        { 'idempotency-key': key },
      );
    },

    async startTopUp(who: TestUser, amountMinor: number) {
      const response = await harness.topUp(who, amountMinor);
      expect(response.statusCode, response.body).toBe(201);
      return response.json() as { paymentId: string; checkoutUrl: string };
    },

    /** Pays on the hosted page with `card` (and answers the 3-D Secure page); answers where it sends the browser. */
    async pay(checkoutUrl: string, card: string, decision: 'approve' | 'fail' = 'approve'): Promise<string> {
      const form = await app.inject({ method: 'GET', url: checkoutUrl });
      expect(form.statusCode, form.body).toBe(200);
      expect(form.headers['content-type']).toContain('text/html');
      const submitted = await app.inject({
        method: 'POST',
        url: checkoutUrl,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ card }).toString(),
      });
      expect(submitted.statusCode, submitted.body).toBe(303);
      let location = String(submitted.headers.location);
      if (location.endsWith('/challenge')) {
        const challenge = await app.inject({ method: 'GET', url: location });
        expect(challenge.body).toContain('Confirm it is you');
        const answered = await app.inject({
          method: 'POST',
          url: location,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ decision }).toString(),
        });
        expect(answered.statusCode, answered.body).toBe(303);
        location = String(answered.headers.location);
      }
      return location;
    },

    /** The browser arrives at Souk's return endpoint; answers where Souk sends it on. */
    async returnTo(location: string): Promise<URL> {
      const response = await app.inject({ method: 'GET', url: location });
      expect(response.statusCode, response.body).toBe(303);
      return new URL(String(response.headers.location), 'http://souk.test');
    },

    async balance(memberId: string, currency = 'USD'): Promise<number> {
      const rows = await ledger.balances(db, { type: 'member', id: memberId });
      return rows.find((row) => row.currency === currency && row.kind === 'available')?.balance ?? 0;
    },

    /** The member's ledger entries caused by this payment (its capture and its refunds). */
    async entriesOf(memberId: string, paymentId: string) {
      const page = await ledger.entries(db, { owner: { type: 'member', id: memberId }, limit: 200 });
      return page.items.filter((entry) => entry.reference.id === paymentId);
    },

    async payment(paymentId: string) {
      const row = await payments.service.get(
        { actor: { userId: '0', roles: ['admin'] }, requestId: 't', sessionId: null },
        paymentId,
      );
      return row;
    },

    /** The sandbox's events about an intent, oldest first. */
    eventsOf(intentId: string) {
      return db
        .select()
        .from(sandboxEvents)
        .where(eq(sandboxEvents.intentId, intentId))
        .orderBy(asc(sandboxEvents.createdAt), asc(sandboxEvents.id));
    },

    postWebhook(body: string, signature: string | undefined, provider = 'sandbox') {
      return app.inject({
        method: 'POST',
        url: `/api/v1/payments/webhooks/${provider}`,
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'stripe-signature': signature } : {}),
        },
        payload: body,
      });
    },

    /** Redelivers a stored sandbox event now, freshly signed (or as told). */
    redeliver(payload: string, options: { at?: Date; secret?: string } = {}) {
      return harness.postWebhook(payload, signWebhook(payload, options.secret ?? webhookSecret, options.at));
    },
  };
  return harness;
}
