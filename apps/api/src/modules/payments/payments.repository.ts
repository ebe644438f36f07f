import { and, asc, eq, gte, inArray, lt, lte, or } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import {
  type PaymentRefundRow,
  type PaymentRow,
  paymentDiscrepancies,
  paymentRefunds,
  payments,
  paymentWebhookEvents,
} from './payments.schema.js';

export type NewPayment = Pick<
  PaymentRow,
  'provider' | 'memberId' | 'purpose' | 'amount' | 'currency' | 'returnUrl'
>;

/** The only file that touches Souk's payment tables (the sandbox keeps its own books). */
export function createPaymentsRepository() {
  return {
    async insert(tx: Queryable, values: NewPayment): Promise<PaymentRow> {
      const [row] = await tx.insert(payments).values(values).returning();
      if (!row) throw new Error('payment insert returned nothing');
      return row;
    },

    async byId(db: Queryable, id: string): Promise<PaymentRow | null> {
      const [row] = await db.select().from(payments).where(eq(payments.id, id));
      return row ?? null;
    },

    /** The payment an intent belongs to, locked: by the provider's id, else by Souk's id in its metadata. */
    async lockForIntent(
      tx: Queryable,
      provider: string,
      intentId: string,
      paymentId: string | undefined,
    ): Promise<PaymentRow | null> {
      const byIntent = and(eq(payments.provider, provider), eq(payments.providerPaymentId, intentId));
      const condition = paymentId && isUuid(paymentId) ? or(byIntent, eq(payments.id, paymentId)) : byIntent;
      const [row] = await tx.select().from(payments).where(condition).limit(1).for('update');
      return row ?? null;
    },

    async lock(tx: Queryable, id: string): Promise<PaymentRow | null> {
      const [row] = await tx.select().from(payments).where(eq(payments.id, id)).for('update');
      return row ?? null;
    },

    async update(tx: Queryable, id: string, patch: Partial<PaymentRow>): Promise<PaymentRow> {
      const [row] = await tx
        .update(payments)
        .set({ ...patch, updatedAt: new Date() })
        .where(eq(payments.id, id))
        .returning();
      if (!row) throw new Error(`payment ${id} vanished`);
      return row;
    },

    /** Payments reconciliation looks at: created since `since`, oldest first. */
    createdSince(db: Queryable, since: Date, afterId: string | null, limit: number): Promise<PaymentRow[]> {
      return db
        .select()
        .from(payments)
        .where(and(gte(payments.createdAt, since), afterId ? gte(payments.id, afterId) : undefined))
        .orderBy(asc(payments.id))
        .limit(limit);
    },

    /** Payments in one of `statuses` created before `before`, oldest first: what expiry cancels. */
    unpaidBefore(
      db: Queryable,
      statuses: readonly string[],
      before: Date,
      limit: number,
    ): Promise<PaymentRow[]> {
      return db
        .select()
        .from(payments)
        .where(and(inArray(payments.status, [...statuses]), lt(payments.createdAt, before)))
        .orderBy(asc(payments.createdAt), asc(payments.id))
        .limit(limit);
    },

    refundsOf(tx: Queryable, paymentId: string): Promise<PaymentRefundRow[]> {
      return tx
        .select()
        .from(paymentRefunds)
        .where(eq(paymentRefunds.paymentId, paymentId))
        .orderBy(asc(paymentRefunds.createdAt), asc(paymentRefunds.id));
    },

    pendingRefunds(db: Queryable, olderThan: Date): Promise<PaymentRefundRow[]> {
      return db
        .select()
        .from(paymentRefunds)
        .where(and(eq(paymentRefunds.status, 'pending'), lte(paymentRefunds.createdAt, olderThan)));
    },

    /** Null when the key already has a refund of this payment (the caller reads that one). */
    async insertRefund(
      tx: Queryable,
      values: Pick<PaymentRefundRow, 'paymentId' | 'amount' | 'origin' | 'reason' | 'idempotencyKey'> &
        Partial<Pick<PaymentRefundRow, 'status'>>,
    ): Promise<PaymentRefundRow | null> {
      const [row] = await tx.insert(paymentRefunds).values(values).onConflictDoNothing().returning();
      return row ?? null;
    },

    async refundByKey(tx: Queryable, paymentId: string, key: string): Promise<PaymentRefundRow | null> {
      const [row] = await tx
        .select()
        .from(paymentRefunds)
        .where(and(eq(paymentRefunds.paymentId, paymentId), eq(paymentRefunds.idempotencyKey, key)));
      return row ?? null;
    },

    async updateRefunds(tx: Queryable, ids: string[], patch: Partial<PaymentRefundRow>): Promise<void> {
      if (ids.length === 0) return;
      await tx
        .update(paymentRefunds)
        .set({ ...patch, updatedAt: new Date() })
        .where(inArray(paymentRefunds.id, ids));
    },

    async webhookSeen(db: Queryable, provider: string, eventId: string): Promise<boolean> {
      const rows = await db
        .select({ eventId: paymentWebhookEvents.eventId })
        .from(paymentWebhookEvents)
        .where(and(eq(paymentWebhookEvents.provider, provider), eq(paymentWebhookEvents.eventId, eventId)));
      return rows.length > 0;
    },

    /** False when this event was seen before (a redelivery). */
    async recordWebhook(
      tx: Queryable,
      values: {
        provider: string;
        eventId: string;
        type: string;
        providerPaymentId: string | null;
        outcome: string;
      },
    ): Promise<boolean> {
      const rows = await tx
        .insert(paymentWebhookEvents)
        .values(values)
        .onConflictDoNothing()
        .returning({ eventId: paymentWebhookEvents.eventId });
      return rows.length > 0;
    },

    async flag(
      db: Queryable,
      values: {
        provider: string;
        providerPaymentId: string;
        paymentId: string | null;
        kind: string;
        detail: Record<string, unknown>;
      },
    ): Promise<boolean> {
      const rows = await db
        .insert(paymentDiscrepancies)
        .values(values)
        .onConflictDoNothing()
        .returning({ id: paymentDiscrepancies.id });
      return rows.length > 0;
    },

    discrepancies(db: Queryable) {
      return db.select().from(paymentDiscrepancies).orderBy(asc(paymentDiscrepancies.foundAt));
    },
  };
}

export type PaymentsRepository = ReturnType<typeof createPaymentsRepository>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (value: string) => UUID.test(value);
