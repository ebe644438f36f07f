import type { IsoCurrencyCode } from '@souk/contracts';
import type { LedgerService } from '../ledger/index.js';
import { memberAccount } from './wallets.rules.js';

/** The demo's credits come from the platform's own grant account, never from a provider. */
const DEMO_REFERENCE = 'demo_credit';

const DEMO_CREDITS: { currency: IsoCurrencyCode; amounts: number[] }[] = [
  { currency: 'LKR', amounts: [2_500_000, 1_250_000, 500_000] },
  { currency: 'USD', amounts: [5_000, 2_500] },
];

/**
 * Demo wallet history for the demo members: a few credits in rupees and dollars, booked as
 * balanced transfers from the platform's `demo_grants` account (reference type `demo_credit`, so
 * reconciliation with a provider never sees them as top-ups), and a payout of part of the rupees,
 * reserved as any payout is (it waits in `pending`). Every booking is keyed per member, so a
 * second run adds nothing.
 */
export async function seedDemoWallets(
  deps: {
    ledger: Pick<LedgerService, 'transfer' | 'transaction'>;
    /** Adds a payout method and requests a payout as the member would (the payouts service). */
    requestPayout?: (
      memberId: string,
      amount: { amountMinor: number; currency: IsoCurrencyCode },
    ) => Promise<void>;
  },
  memberIds: readonly string[],
): Promise<{ members: number; transfers: number; payouts: number }> {
  let transfers = 0;
  let payouts = 0;
  for (const memberId of memberIds) {
    for (const { currency, amounts } of DEMO_CREDITS) {
      for (const [index, amount] of amounts.entries()) {
        const transfer = await deps.ledger.transaction((tx) =>
          deps.ledger.transfer(tx, {
            idempotencyKey: `demo-wallet:${memberId}:${currency}:${index}`,
            reference: { type: DEMO_REFERENCE, id: `${memberId}:${currency}:${index}` },
            legs: [
              {
                from: { owner: { type: 'platform' }, currency, kind: 'demo_grants' },
                to: memberAccount(memberId, currency, 'available'),
                amount,
              },
            ],
            metadata: { demo: true },
          }),
        );
        if (!transfer.replayed) transfers += 1;
      }
    }
    if (deps.requestPayout && transfers > 0) {
      await deps.requestPayout(memberId, { amountMinor: 1_000_000, currency: 'LKR' });
      payouts += 1;
    }
  }
  return { members: memberIds.length, transfers, payouts };
}
