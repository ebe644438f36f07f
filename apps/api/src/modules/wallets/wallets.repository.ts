import { and, asc, desc, eq, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import {
  type FeeRuleRow,
  type FxRateRow,
  feeRules,
  fxRates,
  type PayoutMethodRow,
  type PayoutRow,
  payoutMethods,
  payouts,
} from './wallets.schema.js';

export type PayoutPosition = { at: Date; id: string };

/** The only file that touches the wallets tables. */
export function createWalletsRepository() {
  return {
    async insertMethod(db: Queryable, values: typeof payoutMethods.$inferInsert): Promise<PayoutMethodRow> {
      const [row] = await db.insert(payoutMethods).values(values).returning();
      if (!row) throw new Error('payout method insert returned nothing');
      return row;
    },

    methodsOf(db: Queryable, memberId: string): Promise<PayoutMethodRow[]> {
      return db
        .select()
        .from(payoutMethods)
        .where(and(eq(payoutMethods.memberId, memberId), isNull(payoutMethods.removedAt)))
        .orderBy(asc(payoutMethods.createdAt));
    },

    async methodById(db: Queryable, id: string): Promise<PayoutMethodRow | null> {
      const [row] = await db.select().from(payoutMethods).where(eq(payoutMethods.id, id));
      return row ?? null;
    },

    async removeMethod(db: Queryable, memberId: string, id: string): Promise<boolean> {
      const rows = await db
        .update(payoutMethods)
        .set({ removedAt: new Date() })
        .where(
          and(
            eq(payoutMethods.id, id),
            eq(payoutMethods.memberId, memberId),
            isNull(payoutMethods.removedAt),
          ),
        )
        .returning({ id: payoutMethods.id });
      return rows.length > 0;
    },

    /** Null when the member already used this key (the caller reads that payout). */
    async insertPayout(db: Queryable, values: typeof payouts.$inferInsert): Promise<PayoutRow | null> {
      const [row] = await db.insert(payouts).values(values).onConflictDoNothing().returning();
      return row ?? null;
    },

    async payoutByKey(db: Queryable, memberId: string, key: string): Promise<PayoutRow | null> {
      const [row] = await db
        .select()
        .from(payouts)
        .where(and(eq(payouts.memberId, memberId), eq(payouts.idempotencyKey, key)));
      return row ?? null;
    },

    async payoutById(db: Queryable, id: string): Promise<PayoutRow | null> {
      const [row] = await db.select().from(payouts).where(eq(payouts.id, id));
      return row ?? null;
    },

    async lockPayout(tx: Queryable, id: string): Promise<PayoutRow | null> {
      const [row] = await tx.select().from(payouts).where(eq(payouts.id, id)).for('update');
      return row ?? null;
    },

    async updatePayout(
      tx: Queryable,
      id: string,
      values: Partial<typeof payouts.$inferInsert>,
    ): Promise<PayoutRow> {
      const [row] = await tx
        .update(payouts)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(payouts.id, id))
        .returning();
      if (!row) throw new Error(`payout ${id} vanished under its lock`);
      return row;
    },

    /** Newest first, keyset on (created_at, id); a member's own or (no member) everyone's. */
    payoutPage(
      db: Queryable,
      filter: { memberId?: string; status?: string },
      limit: number,
      after?: PayoutPosition,
    ): Promise<PayoutRow[]> {
      const conditions = [];
      if (filter.memberId) conditions.push(eq(payouts.memberId, filter.memberId));
      if (filter.status) conditions.push(eq(payouts.status, filter.status));
      if (after)
        conditions.push(
          or(lt(payouts.createdAt, after.at), and(eq(payouts.createdAt, after.at), lt(payouts.id, after.id))),
        );
      return db
        .select()
        .from(payouts)
        .where(and(...conditions))
        .orderBy(desc(payouts.createdAt), desc(payouts.id))
        .limit(limit);
    },

    /** Pending payouts whose hold is over, and ones left processing (a crash mid-send), oldest first. */
    async duePayouts(db: Queryable, now: Date, stuckBefore: Date, limit: number): Promise<string[]> {
      const rows = await db
        .select({ id: payouts.id })
        .from(payouts)
        .where(
          or(
            and(eq(payouts.status, 'pending'), lte(payouts.releaseAt, now)),
            and(eq(payouts.status, 'processing'), lt(payouts.updatedAt, stuckBefore)),
          ),
        )
        .orderBy(asc(payouts.releaseAt))
        .limit(limit);
      return rows.map((row) => row.id);
    },

    feeRules(db: Queryable): Promise<FeeRuleRow[]> {
      return db.select().from(feeRules).orderBy(asc(feeRules.kind), asc(feeRules.categoryId));
    },

    /** One rule per (kind, category): setting it again replaces it. */
    async setFeeRule(db: Queryable, values: typeof feeRules.$inferInsert): Promise<FeeRuleRow> {
      const scope =
        values.categoryId == null
          ? and(eq(feeRules.kind, values.kind), isNull(feeRules.categoryId))
          : and(eq(feeRules.kind, values.kind), eq(feeRules.categoryId, values.categoryId));
      const [updated] = await db
        .update(feeRules)
        .set({ ...values, updatedAt: new Date() })
        .where(scope)
        .returning();
      if (updated) return updated;
      const [inserted] = await db.insert(feeRules).values(values).onConflictDoNothing().returning();
      if (inserted) return inserted;
      // A concurrent first set won the insert: replace its values.
      const [raced] = await db
        .update(feeRules)
        .set({ ...values, updatedAt: new Date() })
        .where(scope)
        .returning();
      if (!raced) throw new Error('fee rule vanished while being set');
      return raced;
    },

    /** The rule removed, or null when there was none. */
    async deleteFeeRule(db: Queryable, id: string): Promise<FeeRuleRow | null> {
      const rows = await db.delete(feeRules).where(eq(feeRules.id, id)).returning();
      return rows[0] ?? null;
    },

    fxRates(db: Queryable): Promise<FxRateRow[]> {
      return db.select().from(fxRates).orderBy(asc(fxRates.base), asc(fxRates.quote));
    },

    async setFxRates(
      db: Queryable,
      rows: { base: string; quote: string; rate: string; source: string }[],
    ): Promise<number> {
      if (rows.length === 0) return 0;
      const written = await db
        .insert(fxRates)
        .values(rows.map((row) => ({ ...row, updatedAt: new Date() })))
        .onConflictDoUpdate({
          target: [fxRates.base, fxRates.quote],
          set: {
            rate: sql`excluded.rate`,
            source: sql`excluded.source`,
            updatedAt: sql`excluded.updated_at`,
          },
        })
        .returning({ base: fxRates.base });
      return written.length;
    },

    /** The rate removed, or null when there was none. */
    async deleteFxRate(db: Queryable, base: string, quote: string): Promise<FxRateRow | null> {
      const rows = await db
        .delete(fxRates)
        .where(and(eq(fxRates.base, base), eq(fxRates.quote, quote)))
        .returning();
      return rows[0] ?? null;
    },
  };
}

export type WalletsRepository = ReturnType<typeof createWalletsRepository>;
