import { randomBytes } from 'node:crypto';
import type { IsoCurrencyCode } from '@souk/contracts';
import { asc, eq, gte, sql } from 'drizzle-orm';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import {
  type CreateIntentInput,
  intentFromStripe,
  type PaymentProvider,
  ProviderError,
  type ProviderEvent,
  type ProviderIntent,
  type StripeShapedIntent,
} from './payments.provider.js';
import {
  type SandboxIntentRow,
  sandboxAccounts,
  sandboxIntents,
  sandboxRefunds,
  sandboxTransfers,
} from './payments.schema.js';
import { verifyWebhook } from './payments.signature.js';
import { createSandboxDelivery, type SandboxDelivery, type WebhookTransport } from './sandbox.delivery.js';

/*
 * The built-in sandbox provider: Stripe's side of a payment, kept in Souk's database (its own
 * tables, reached by nothing but this file) and spoken to through the same port as Stripe. Test
 * cards decide what a payment does; every change is a Stripe-shaped event, signed like Stripe's
 * and delivered to Souk's webhook endpoint by a job that retries with backoff.
 */

/** The test cards, as Stripe numbers them. */
export const SANDBOX_CARDS = {
  '4242424242424242': { outcome: 'success', label: 'Succeeds' },
  '4000002500003155': { outcome: 'challenge', label: '3-D Secure challenge' },
  '4000000000000002': { outcome: 'card_declined', label: 'Declined' },
  '4000000000009995': { outcome: 'insufficient_funds', label: 'Insufficient funds' },
  '4000000000000341': { outcome: 'capture_fails', label: 'Fails at capture' },
} as const;
export type SandboxCard = keyof typeof SANDBOX_CARDS;

export const newId = (prefix: string) => `${prefix}_sb_${randomBytes(12).toString('hex')}`;

/** An intent row as Stripe shapes a PaymentIntent (the latest charge expanded). */
export function stripeShape(row: SandboxIntentRow): StripeShapedIntent {
  return {
    id: row.id,
    status: row.status,
    amount: row.amount,
    currency: row.currency.toLowerCase(),
    amount_received: row.amountCaptured,
    latest_charge: { amount_refunded: row.amountRefunded },
    last_payment_error: row.lastError ? { code: row.lastError, decline_code: row.lastError } : null,
    metadata: row.metadata,
    created: Math.floor(row.createdAt.getTime() / 1000),
  };
}

export type SandboxProvider = PaymentProvider & {
  /** The member paid on the checkout page with `card`; answers the intent after it. */
  confirm(intentId: string, card: string): Promise<ProviderIntent>;
  /** The member passed (or failed) the 3-D Secure challenge. */
  authenticate(intentId: string, approved: boolean): Promise<ProviderIntent>;
  /** The intent as the checkout page shows it, with where to send the member afterwards. */
  checkout(intentId: string): Promise<{ intent: ProviderIntent; returnUrl: string } | null>;
  readonly delivery: SandboxDelivery;
  useTransport(transport: WebhookTransport): void;
  /** Delivers one stored event now (the job's work; tests call it to replay). */
  deliver(eventId: string): Promise<number>;
};

export function createSandboxProvider(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  jobs: Jobs;
  logger: Logger;
  webhookSecret: string;
  /** Souk's webhook endpoint, absolute (the delivery job POSTs there). */
  webhookUrl: string;
  /** Path prefix of the checkout page (same origin as the web app). */
  checkoutPath: string;
}): SandboxProvider {
  const { database } = deps;
  const events = createSandboxDelivery(deps);
  const emit = events.emit;

  async function load(db: Queryable, intentId: string, lock = false): Promise<SandboxIntentRow> {
    const query = db.select().from(sandboxIntents).where(eq(sandboxIntents.id, intentId));
    const [row] = lock ? await query.for('update') : await query;
    if (!row) throw new ProviderError('resource_missing', `No such payment_intent: ${intentId}`, false);
    return row;
  }

  /** Changes an intent under its row lock and emits `type` with the result, in one transaction. */
  async function change(
    intentId: string,
    decide: (row: SandboxIntentRow) => { set: Partial<SandboxIntentRow>; event: string } | null,
  ): Promise<ProviderIntent> {
    const row = await database.transaction(async (tx) => {
      const current = await load(tx, intentId, true);
      const decision = decide(current);
      if (!decision) return current;
      const [updated] = await tx
        .update(sandboxIntents)
        .set({ ...decision.set, updatedAt: new Date() })
        .where(eq(sandboxIntents.id, intentId))
        .returning();
      if (!updated) throw new Error('sandbox intent vanished under its lock');
      await emit(tx, decision.event, updated);
      return updated;
    });
    return intentFromStripe(stripeShape(row));
  }

  const provider: SandboxProvider = {
    name: 'sandbox',

    async createIntent(input: CreateIntentInput) {
      const row = await database.transaction(async (tx) => {
        const [created] = await tx
          .insert(sandboxIntents)
          .values({
            id: newId('pi'),
            amount: input.amount,
            currency: input.currency,
            status: 'requires_payment_method',
            metadata: { paymentId: input.paymentId, memberId: input.memberId, returnUrl: input.returnUrl },
            idempotencyKey: input.idempotencyKey,
          })
          .onConflictDoNothing({ target: sandboxIntents.idempotencyKey })
          .returning();
        if (created) {
          await emit(tx, 'payment_intent.created', created);
          return created;
        }
        const [existing] = await tx
          .select()
          .from(sandboxIntents)
          .where(eq(sandboxIntents.idempotencyKey, input.idempotencyKey));
        if (!existing) throw new Error('sandbox intent key conflict without a row');
        return existing;
      });
      return { intent: intentFromStripe(stripeShape(row)), checkoutUrl: `${deps.checkoutPath}/${row.id}` };
    },

    async retrieve(intentId) {
      return intentFromStripe(stripeShape(await load(database.db, intentId)));
    },

    async checkout(intentId) {
      const [row] = await database.db.select().from(sandboxIntents).where(eq(sandboxIntents.id, intentId));
      if (!row) return null;
      return { intent: intentFromStripe(stripeShape(row)), returnUrl: row.metadata.returnUrl ?? '/' };
    },

    confirm(intentId, card) {
      const outcome = (SANDBOX_CARDS as Record<string, { outcome: string }>)[card.replace(/\D/g, '')]
        ?.outcome;
      return change(intentId, (row) => {
        // A second submit of the page (a double tap) changes nothing.
        if (row.status !== 'requires_payment_method') return null;
        const digits = card.replace(/\D/g, '');
        if (outcome === 'success' || outcome === 'capture_fails')
          return {
            set: { status: 'requires_capture', card: digits },
            event: 'payment_intent.amount_capturable_updated',
          };
        if (outcome === 'challenge')
          return {
            set: { status: 'requires_action', card: digits },
            event: 'payment_intent.requires_action',
          };
        const code = outcome ?? 'incorrect_number';
        return {
          set: { status: 'canceled', card: digits, lastError: code },
          event: 'payment_intent.payment_failed',
        };
      });
    },

    authenticate(intentId, approved) {
      return change(intentId, (row) => {
        if (row.status !== 'requires_action') return null;
        return approved
          ? { set: { status: 'requires_capture' }, event: 'payment_intent.amount_capturable_updated' }
          : {
              set: { status: 'canceled', lastError: 'authentication_failed' },
              event: 'payment_intent.payment_failed',
            };
      });
    },

    async capture(intentId) {
      const intent = await change(intentId, (row) => {
        if (row.status !== 'requires_capture') return null;
        if (SANDBOX_CARDS[row.card as SandboxCard]?.outcome === 'capture_fails')
          return {
            set: { status: 'canceled', lastError: 'capture_failed' },
            event: 'payment_intent.payment_failed',
          };
        return {
          set: { status: 'succeeded', amountCaptured: row.amount },
          event: 'payment_intent.succeeded',
        };
      });
      if (intent.status === 'requires_payment_method' || intent.status === 'requires_action')
        throw new ProviderError('intent_not_capturable', `The intent is ${intent.status}.`, false);
      return intent;
    },

    async cancel(intentId) {
      const intent = await change(intentId, (row) =>
        ['requires_payment_method', 'requires_action', 'requires_capture'].includes(row.status)
          ? { set: { status: 'canceled' }, event: 'payment_intent.canceled' }
          : null,
      );
      if (intent.status === 'succeeded')
        throw new ProviderError(
          'intent_not_cancelable',
          'A captured intent is refunded, not canceled.',
          false,
        );
      return intent;
    },

    async refund(intentId, input) {
      let refundId = '';
      const row = await database.transaction(async (tx) => {
        const current = await load(tx, intentId, true);
        const [earlier] = await tx
          .select()
          .from(sandboxRefunds)
          .where(eq(sandboxRefunds.idempotencyKey, input.idempotencyKey));
        if (earlier) {
          refundId = earlier.id;
          return current;
        }
        if (current.status !== 'succeeded')
          throw new ProviderError('charge_not_refundable', 'Only a captured payment is refunded.', false);
        if (current.amountRefunded + input.amount > current.amountCaptured)
          throw new ProviderError('amount_too_large', 'The refund is more than what is left.', false);
        refundId = newId('re');
        await tx.insert(sandboxRefunds).values({
          id: refundId,
          intentId,
          amount: input.amount,
          idempotencyKey: input.idempotencyKey,
        });
        const [updated] = await tx
          .update(sandboxIntents)
          .set({
            amountRefunded: sql`${sandboxIntents.amountRefunded} + ${input.amount}`,
            updatedAt: new Date(),
          })
          .where(eq(sandboxIntents.id, intentId))
          .returning();
        if (!updated) throw new Error('sandbox intent vanished under its lock');
        await emit(tx, 'charge.refunded', updated);
        return updated;
      });
      return { refundId, intent: intentFromStripe(stripeShape(row)) };
    },

    async *listSince(since) {
      let after: { createdAt: Date; id: string } | null = null;
      for (;;) {
        const rows: SandboxIntentRow[] = await database.db
          .select()
          .from(sandboxIntents)
          .where(
            after
              ? sql`(${sandboxIntents.createdAt}, ${sandboxIntents.id}) > (${after.createdAt.toISOString()}::timestamptz, ${after.id})`
              : gte(sandboxIntents.createdAt, since),
          )
          .orderBy(asc(sandboxIntents.createdAt), asc(sandboxIntents.id))
          .limit(100);
        for (const row of rows) yield intentFromStripe(stripeShape(row));
        const last = rows.at(-1);
        if (!last || rows.length < 100) return;
        after = { createdAt: last.createdAt, id: last.id };
      }
    },

    async parseWebhook(rawBody, signature): Promise<ProviderEvent> {
      const event = verifyWebhook(rawBody, signature, deps.webhookSecret) as {
        id: string;
        type: string;
        created: number;
        data: { object: StripeShapedIntent & { object: string } };
      };
      const object = event.data.object;
      return {
        id: event.id,
        type: event.type,
        created: new Date(event.created * 1000),
        intent: object.object === 'payment_intent' ? intentFromStripe(object) : null,
      };
    },

    async createPayoutAccount(input) {
      const accountId = newId('acct');
      await database.db
        .insert(sandboxAccounts)
        .values({ id: accountId, memberId: input.memberId, country: input.country });
      return { accountId };
    },

    async payout(input) {
      const [account] = await database.db
        .select()
        .from(sandboxAccounts)
        .where(eq(sandboxAccounts.id, input.accountId));
      if (!account) throw new ProviderError('account_missing', `No such account: ${input.accountId}`, false);
      const [created] = await database.db
        .insert(sandboxTransfers)
        .values({
          id: newId('tr'),
          accountId: input.accountId,
          amount: input.amount,
          currency: input.currency as IsoCurrencyCode,
          idempotencyKey: input.idempotencyKey,
        })
        .onConflictDoNothing({ target: sandboxTransfers.idempotencyKey })
        .returning();
      if (created) return { transferId: created.id };
      const [existing] = await database.db
        .select()
        .from(sandboxTransfers)
        .where(eq(sandboxTransfers.idempotencyKey, input.idempotencyKey));
      if (!existing || existing.accountId !== input.accountId || existing.amount !== input.amount)
        throw new ProviderError('idempotency_error', 'The key was used for another transfer.', false);
      return { transferId: existing.id };
    },

    delivery: events.delivery,
    useTransport: events.useTransport,
    deliver: events.deliver,
  };

  return provider;
}
