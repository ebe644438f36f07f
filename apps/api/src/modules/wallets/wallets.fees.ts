import type { FeeQuote, FeeRule, IsoCurrencyCode, Money, SetFeeRuleBody } from '@souk/contracts';
import { money } from '@souk/contracts';
import type { Database, Queryable } from '../../platform/db/database.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import type { AccountRef, Transfer, TransferReference } from '../ledger/index.js';
import { computeFees, type FeeRuleInput, type Fees, feeLegs } from './fees.rules.js';
import type { WalletsLedger } from './wallets.balances.js';
import { walletsError } from './wallets.errors.js';
import type { WalletsRepository } from './wallets.repository.js';
import type { FeeRuleRow } from './wallets.schema.js';

export function feeRuleView(row: FeeRuleRow): FeeRule {
  return {
    id: row.id,
    kind: row.kind as FeeRule['kind'],
    categoryId: row.categoryId,
    percentBps: row.percentBps,
    fixed:
      row.fixedAmount !== null && row.fixedCurrency !== null
        ? money(row.fixedAmount, row.fixedCurrency as IsoCurrencyCode)
        : null,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Fees (decision 037): the operator's rules, a quote for a price, and the booking of fees as
 * their own ledger entries. Orders call `quote` for a sale and either `bookFees` (from the
 * seller's balance) or put `legsFor` into the legs of the hold they post.
 */
export function createWalletFees(deps: {
  database: Pick<Database, 'db'>;
  repository: WalletsRepository;
  ledger: Pick<WalletsLedger, 'transfer'>;
  /** The category and its ancestors, nearest first (catalog). */
  categoryPath: (categoryId: string) => Promise<string[]>;
}) {
  const { repository, database } = deps;

  async function rules(): Promise<FeeRuleInput[]> {
    return (await repository.feeRules(database.db)).map(feeRuleView);
  }

  async function quote(price: Money, categoryId?: string | null): Promise<Fees> {
    const path = categoryId ? await deps.categoryPath(categoryId) : [];
    return computeFees(price, await rules(), path);
  }

  return {
    async list(): Promise<FeeRule[]> {
      return (await repository.feeRules(database.db)).map(feeRuleView);
    },

    async set(ctx: RequestContext, body: SetFeeRuleBody): Promise<FeeRule> {
      const adminId = requireUser(ctx);
      const row = await repository.setFeeRule(database.db, {
        kind: body.kind,
        categoryId: body.categoryId,
        percentBps: body.percentBps,
        fixedAmount: body.fixed?.amountMinor ?? null,
        fixedCurrency: body.fixed?.currency ?? null,
        updatedBy: adminId,
      });
      return feeRuleView(row);
    },

    async remove(ruleId: string): Promise<void> {
      if (!(await repository.deleteFeeRule(database.db, ruleId))) throw walletsError('fee_rule_not_found');
    },

    quote,

    async quoteView(price: Money, categoryId?: string): Promise<FeeQuote> {
      return quote(price, categoryId ?? null);
    },

    /** The fees as ledger legs paid from `payer` (the legs of an order's hold post, say). */
    legsFor: feeLegs,

    /**
     * Books the fees of a sale as their own transfer from the seller's available balance to the
     * platform's fees revenue, in the caller's transaction, keyed so a retry books once.
     */
    async bookFees(
      tx: Queryable,
      input: { idempotencyKey: string; reference: TransferReference; payer: AccountRef; fees: Fees },
    ): Promise<Transfer | null> {
      const legs = feeLegs(input.payer, input.fees);
      if (legs.length === 0) return null;
      return deps.ledger.transfer(tx, {
        idempotencyKey: input.idempotencyKey,
        reference: input.reference,
        legs,
        metadata: {
          commission: input.fees.commission.amountMinor,
          processing: input.fees.processing.amountMinor,
          price: input.fees.price.amountMinor,
        },
      });
    },
  };
}

export type WalletFees = ReturnType<typeof createWalletFees>;
