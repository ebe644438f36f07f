import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import { type SandboxIntentRow, sandboxEvents } from './payments.schema.js';
import { signWebhook } from './payments.signature.js';
import { stripeShape } from './sandbox.provider.js';

/*
 * The sandbox's webhooks: each change of an intent is an event row and a delivery job, written
 * in the change's transaction; the job POSTs the event to Souk's endpoint, signed like Stripe at
 * each attempt, and pg-boss retries it with exponential backoff until it is answered 2xx.
 */

export const SANDBOX_DELIVER_QUEUE = 'payments.sandbox.deliver';

/** How an event reaches the webhook endpoint: an HTTP POST by default; tests may inject. */
export type WebhookTransport = (
  url: string,
  body: string,
  headers: Record<string, string>,
) => Promise<number>;

/** Test switches. */
export type SandboxDelivery = {
  /** Delivers each event after a random delay of up to this many ms: out of order. */
  shuffleMs: number;
  /** Delivers nothing (the job fails and is retried later): a lost webhook. */
  paused: boolean;
};

const fetchTransport: WebhookTransport = async (url, body, headers) => {
  const response = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  return response.status;
};

export function createSandboxDelivery(deps: {
  database: Pick<Database, 'db'>;
  jobs: Jobs;
  logger: Logger;
  webhookSecret: string;
  webhookUrl: string;
}) {
  const { database } = deps;
  let transport: WebhookTransport = fetchTransport;
  const delivery: SandboxDelivery = { shuffleMs: 0, paused: false };

  const events = {
    delivery,

    /** Records `type` about the intent as it now is, and its delivery job, inside `tx`. */
    async emit(tx: Queryable, type: string, row: SandboxIntentRow): Promise<void> {
      const id = `evt_sb_${randomBytes(12).toString('hex')}`;
      const payload = JSON.stringify({
        id,
        object: 'event',
        type,
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        data: { object: { object: 'payment_intent', ...stripeShape(row) } },
      });
      await tx.insert(sandboxEvents).values({ id, type, intentId: row.id, payload });
      const delay = delivery.shuffleMs > 0 ? Math.floor(Math.random() * delivery.shuffleMs) : 0;
      await deps.jobs.send(
        SANDBOX_DELIVER_QUEUE,
        { eventId: id },
        { tx, ...(delay > 0 ? { startAfter: new Date(Date.now() + delay) } : {}) },
      );
    },

    useTransport(next: WebhookTransport): void {
      transport = next;
    },

    /** Delivers one stored event now, unless it was delivered; answers the endpoint's status. */
    async deliver(eventId: string): Promise<number> {
      const [event] = await database.db.select().from(sandboxEvents).where(eq(sandboxEvents.id, eventId));
      if (!event || event.deliveredAt) return 200;
      // Stripe signs at each attempt: a retry an hour later is not refused as stale.
      const status = await transport(deps.webhookUrl, event.payload, {
        'content-type': 'application/json',
        'stripe-signature': signWebhook(event.payload, deps.webhookSecret),
      }).catch((error: unknown) => {
        deps.logger.warn({ err: error, eventId }, 'sandbox webhook delivery failed; it is retried');
        return 0;
      });
      await database.db
        .update(sandboxEvents)
        .set({
          attempts: sql`${sandboxEvents.attempts} + 1`,
          lastStatus: status,
          ...(status >= 200 && status < 300 ? { deliveredAt: new Date() } : {}),
        })
        .where(eq(sandboxEvents.id, eventId));
      return status;
    },
  };

  deps.jobs.define<{ eventId: string }>(
    SANDBOX_DELIVER_QUEUE,
    async ({ eventId }) => {
      if (delivery.paused) throw new Error('sandbox webhook delivery is paused (test switch)');
      const status = await events.deliver(eventId);
      if (status < 200 || status >= 300) throw new Error(`the webhook endpoint answered ${status}`);
    },
    { retryLimit: 10, retryDelaySeconds: 1, retryBackoff: true, expireInSeconds: 60 },
  );
  return events;
}
