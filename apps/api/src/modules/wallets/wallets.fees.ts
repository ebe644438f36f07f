import type { FeeQuote, FeeRule, IsoCurrencyCode, Money, SetFeeRuleBody } from '@souk/contracts';
import { money } from '@souk/contracts';
import type { Database, Queryable } from '../../platform/db/database.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import type { AuditOrigin, AuditService } from '../audit/index.js';
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

/** What the audit log keeps of a rule: what it charges and where, not when it was stored. */
function ruleState(rule: FeeRule) {
  return { kind: rule.kind, categoryId: rule.categoryId, percentBps: rule.percentBps, fixed: rule.fixed };
}

/**
 * Fees (decision 037): the operator's rules, a quote for a price, and the booking of fees as
 * their own ledger entries. Orders call `quote` for a sale and either `bookFees` (from the
 * seller's balance) or put `legsFor` into the legs of the hold they post.
 */
export function createWalletFees(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: WalletsRepository;
  ledger: Pick<WalletsLedger, 'transfer'>;
  audit: Pick<AuditService, 'record'>;
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

    async set(ctx: RequestContext, body: SetFeeRuleBody, origin?: AuditOrigin): Promise<FeeRule> {
      const adminId = requireUser(ctx);
      return database.transaction(async (tx) => {
        const earlier = (await repository.feeRules(tx)).find(
          (rule) => rule.kind === body.kind && rule.categoryId === (body.categoryId ?? null),
        );
        const row = await repository.setFeeRule(tx, {
          kind: body.kind,
          categoryId: body.categoryId,
          percentBps: body.percentBps,
          fixedAmount: body.fixed?.amountMinor ?? null,
          fixedCurrency: body.fixed?.currency ?? null,
          updatedBy: adminId,
        });
        const view = feeRuleView(row);
        await deps.audit.record(tx, ctx, {
          action: 'fee_rule.set',
          target: { type: 'fee_rule', id: row.id },
          ...(earlier ? { before: ruleState(feeRuleView(earlier)) } : {}),
          after: ruleState(view),
          ...(origin ? { origin } : {}),
        });
        return view;
      });
    },

    async remove(ctx: RequestContext, ruleId: string, origin?: AuditOrigin): Promise<void> {
      await database.transaction(async (tx) => {
        const removed = await repository.deleteFeeRule(tx, ruleId);
        if (!removed) throw walletsError('fee_rule_not_found');
        await deps.audit.record(tx, ctx, {
          action: 'fee_rule.deleted',
          target: { type: 'fee_rule', id: ruleId },
          before: ruleState(feeRuleView(removed)),
          ...(origin ? { origin } : {}),
        });
      });
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
