import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { TestApp, TestUser } from '../../test-support/test-app.js';

/** What the wallet tests set up through the app: money in, a payout method, an old account. */
export function walletsHarness(t: TestApp) {
  return {
    /** Money in as a captured top-up would book it, without the card page. */
    async credit(who: TestUser, amount: number, currency = 'USD') {
      const ledger = t.app.modules.ledger.service;
      await ledger.transaction((tx) =>
        ledger.transfer(tx, {
          idempotencyKey: `test-credit-${randomUUID()}`,
          reference: { type: 'top_up', id: randomUUID() },
          legs: [
            {
              from: {
                owner: { type: 'provider', id: 'sandbox' },
                currency: currency as 'USD',
                kind: 'provider_clearing',
              },
              to: {
                owner: { type: 'member', id: who.userId },
                currency: currency as 'USD',
                kind: 'available',
              },
              amount,
            },
          ],
        }),
      );
    },

    async addMethod(who: TestUser) {
      const response = await t.call('POST', '/wallet/payout-methods', who, {
        holderName: 'Nimal Perera',
        accountNumber: 'LK12 3456 7890 1234',
        country: 'lk',
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json() as { id: string; label: string; type: string };
    },

    /** An account opened long ago: its payouts are past the new-seller hold. */
    async age(who: TestUser) {
      await t.platform.database.db.execute(
        sql`update users set created_at = now() - interval '60 days' where id = ${who.userId}::uuid`,
      );
    },
  };
}
