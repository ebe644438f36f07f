import {
  type BalanceHistory,
  type IsoCurrencyCode,
  money,
  toDecimalString,
  type WalletAccountKind,
  type WalletBalance,
  type WalletHistoryFilter,
  type WalletHistoryPage,
  type WalletHistoryQuery,
  type WalletTransaction,
} from '@souk/contracts';
import { csvLine } from '../../platform/csv.js';
import type { Database } from '../../platform/db/database.js';
import type { EntryView, LedgerService } from '../ledger/index.js';

export type WalletsLedger = Pick<LedgerService, 'balances' | 'entries' | 'transfer' | 'transaction'>;

const WALLET_KINDS: readonly string[] = ['available', 'held', 'pending_payout'];
/** A statement holds at most this many lines (a year of a busy seller); narrow the dates for more. */
export const STATEMENT_MAX_LINES = 20_000;
const CHART_MAX_POINTS = 2_000;

/** "2026-12-07" is that day from its start (UTC); an instant is itself. */
function lowerBound(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  return new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
}

/** "2026-12-07" takes that whole day in (the ledger's `to` is exclusive). */
function upperBound(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  if (value.length === 10) return new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000);
  return new Date(value);
}

export function transactionOf(entry: EntryView): WalletTransaction {
  return {
    id: entry.id,
    transferId: entry.transferId,
    at: entry.createdAt.toISOString(),
    account: entry.kind as WalletAccountKind,
    referenceType: entry.reference.type,
    referenceId: entry.reference.id,
    amount: money(entry.amount, entry.currency),
    balanceAfter: money(entry.balanceAfter, entry.currency),
  };
}

/**
 * What a wallet shows, read from the ledger: balances per currency (kept with the entries, so
 * O(1)), history pages (the ledger's keyset on entry order), the statement and the chart.
 */
export function createWalletBalances(deps: { database: Pick<Database, 'db'>; ledger: WalletsLedger }) {
  const { ledger, database } = deps;
  const owner = (memberId: string) => ({ type: 'member', id: memberId }) as const;

  function entriesQuery(memberId: string, filter: WalletHistoryFilter) {
    const from = lowerBound(filter.from);
    const to = upperBound(filter.to);
    return {
      owner: owner(memberId),
      ...(filter.currency ? { currency: filter.currency } : {}),
      ...(filter.account ? { kind: filter.account } : {}),
      ...(filter.referenceType ? { referenceType: filter.referenceType } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    };
  }

  async function balances(memberId: string): Promise<WalletBalance[]> {
    const rows = await ledger.balances(database.db, owner(memberId));
    const byCurrency = new Map<IsoCurrencyCode, WalletBalance>();
    for (const row of rows) {
      if (!WALLET_KINDS.includes(row.kind)) continue;
      const zero = money(0, row.currency);
      const current = byCurrency.get(row.currency) ?? {
        currency: row.currency,
        available: zero,
        held: zero,
        pendingPayout: zero,
      };
      const amount = money(row.balance, row.currency);
      if (row.kind === 'available') current.available = amount;
      else if (row.kind === 'held') current.held = amount;
      else current.pendingPayout = amount;
      byCurrency.set(row.currency, current);
    }
    return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
  }

  async function history(memberId: string, query: WalletHistoryQuery): Promise<WalletHistoryPage> {
    const page = await ledger.entries(database.db, {
      ...entriesQuery(memberId, query),
      limit: query.limit,
      ...(query.cursor ? { cursor: query.cursor } : {}),
    });
    return {
      items: page.items.filter((entry) => WALLET_KINDS.includes(entry.kind)).map(transactionOf),
      nextCursor: page.nextCursor,
    };
  }

  /** Every matching line, newest first, as CSV (amounts as exact decimals, never floats). */
  async function* statement(memberId: string, filter: WalletHistoryFilter): AsyncGenerator<string> {
    yield csvLine([
      'date',
      'account',
      'reference_type',
      'reference_id',
      'amount',
      'currency',
      'balance_after',
    ]);
    let cursor: string | undefined;
    let lines = 0;
    do {
      const page = await ledger.entries(database.db, {
        ...entriesQuery(memberId, filter),
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      for (const entry of page.items) {
        if (!WALLET_KINDS.includes(entry.kind)) continue;
        if (lines >= STATEMENT_MAX_LINES) return;
        lines += 1;
        yield csvLine([
          entry.createdAt.toISOString(),
          entry.kind,
          entry.reference.type,
          entry.reference.id,
          toDecimalString(money(entry.amount, entry.currency)),
          entry.currency,
          toDecimalString(money(entry.balanceAfter, entry.currency)),
        ]);
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /** The available balance after each change of the last `days`, oldest first. */
  async function balanceHistory(
    memberId: string,
    currency: IsoCurrencyCode,
    days: number,
  ): Promise<BalanceHistory> {
    const from = new Date(Date.now() - days * 86_400_000);
    const collected: EntryView[] = [];
    let cursor: string | undefined;
    do {
      const page = await ledger.entries(database.db, {
        owner: owner(memberId),
        currency,
        kind: 'available',
        from,
        limit: 200,
        ...(cursor ? { cursor } : {}),
      });
      collected.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor && collected.length < CHART_MAX_POINTS);
    const points = collected.slice(0, CHART_MAX_POINTS).reverse();
    const first = points[0];
    let opening = first ? first.balanceAfter - first.amount : 0;
    if (!first) {
      const rows = await ledger.balances(database.db, owner(memberId));
      opening = rows.find((row) => row.currency === currency && row.kind === 'available')?.balance ?? 0;
    }
    return {
      currency,
      opening: money(opening, currency),
      points: points.map((entry) => ({
        at: entry.createdAt.toISOString(),
        balance: money(entry.balanceAfter, currency),
      })),
    };
  }

  return { balances, history, statement, balanceHistory };
}

export type WalletBalances = ReturnType<typeof createWalletBalances>;
