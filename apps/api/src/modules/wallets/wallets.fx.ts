import { readFile } from 'node:fs/promises';
import type { Converted, FxRate, IsoCurrencyCode, Money } from '@souk/contracts';
import { isIsoCurrency } from '@souk/contracts';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/http/context.js';
import type { AuditOrigin, AuditService } from '../audit/index.js';
import { convertAt, pairKey, rateFor, rateToBillionths } from './fx.rules.js';
import { walletsError } from './wallets.errors.js';
import type { WalletsRepository } from './wallets.repository.js';
import type { FxRateRow } from './wallets.schema.js';

/** A rates feed (decision 037): answers rates of pairs; the import stores them. */
export type FxRatesProvider = {
  readonly name: string;
  fetchRates(): Promise<{ base: IsoCurrencyCode; quote: IsoCurrencyCode; rate: string }[]>;
};

type RatesDocument = { base?: unknown; rates?: Record<string, unknown> };

function ratesOf(document: RatesDocument, where: string) {
  const base = document.base;
  if (!isIsoCurrency(base) || !document.rates)
    throw walletsError('fx_import_failed', `${where} has no base or rates.`);
  return Object.entries(document.rates).flatMap(([quote, rate]) => {
    if (!isIsoCurrency(quote) || quote === base || typeof rate !== 'string') return [];
    rateToBillionths(rate);
    return [{ base, quote, rate }];
  });
}

/**
 * Rates from a JSON file `{ "base": "USD", "rates": { "LKR": "298.5" } }` (1 base = rate CODE),
 * one a cron job of the operator's writes from any feed (FX_RATES_FILE).
 */
export function staticFileRatesProvider(path: string): FxRatesProvider {
  return {
    name: 'static-file',
    async fetchRates() {
      return ratesOf(JSON.parse(await readFile(path, 'utf8')) as RatesDocument, path);
    },
  };
}

/**
 * Reference rates shipped for the demo and tests: one US dollar in each market currency. Not
 * live; an operator sets rates in the admin API or points FX_RATES_FILE at a feed's file.
 */
export const REFERENCE_RATES = {
  base: 'USD',
  rates: { LKR: '298.5', EUR: '0.92', GBP: '0.79', SAR: '3.75', AED: '3.6725' },
} as const;

export function referenceRatesProvider(): FxRatesProvider {
  return { name: 'reference', fetchRates: async () => ratesOf(REFERENCE_RATES, 'the reference rates') };
}

/** Numeric(21, 9) comes back as "298.500000000": the shortest form is what clients see. */
function trimRate(rate: string): string {
  return rate.includes('.') ? rate.replace(/0+$/, '').replace(/\.$/, '') : rate;
}

export function fxRateView(row: FxRateRow): FxRate {
  return {
    base: row.base as IsoCurrencyCode,
    quote: row.quote as IsoCurrencyCode,
    rate: trimRate(row.rate),
    source: row.source,
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** How long a node keeps the rates table in memory (rates move daily; conversions are for display). */
const CACHE_MS = 30_000;

/** What the audit log keeps of a rate. */
function rateState(row: FxRateRow) {
  return { rate: trimRate(row.rate), source: row.source };
}

/**
 * Exchange rates and conversion for display and for search sorts in one currency. Never used to
 * settle: an order settles in its listing's currency.
 */
export function createWalletFx(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: WalletsRepository;
  provider: FxRatesProvider;
  audit: Pick<AuditService, 'record'>;
}) {
  const { repository, database } = deps;
  let cached: { table: Map<string, string>; at: number } | null = null;

  async function table(): Promise<Map<string, string>> {
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.table;
    const rows = await repository.fxRates(database.db);
    const fresh = new Map(rows.map((row) => [pairKey(row.base, row.quote), trimRate(row.rate)]));
    cached = { table: fresh, at: Date.now() };
    return fresh;
  }

  async function rate(from: IsoCurrencyCode, to: IsoCurrencyCode): Promise<string> {
    const found = rateFor(await table(), from, to);
    if (!found) throw walletsError('fx_rate_not_found', `No rate connects ${from} and ${to}.`);
    return found;
  }

  return {
    async list(): Promise<FxRate[]> {
      return (await repository.fxRates(database.db)).map(fxRateView);
    },

    async set(
      ctx: RequestContext,
      pair: { base: IsoCurrencyCode; quote: IsoCurrencyCode },
      value: string,
      origin?: AuditOrigin,
    ): Promise<FxRate> {
      const { base, quote } = pair;
      if (base === quote) throw walletsError('fx_rate_not_found', 'A pair is two different currencies.');
      rateToBillionths(value);
      const view = await database.transaction(async (tx) => {
        const ofPair = async () =>
          (await repository.fxRates(tx)).find((r) => r.base === base && r.quote === quote);
        const earlier = await ofPair();
        await repository.setFxRates(tx, [{ base, quote, rate: value, source: 'admin' }]);
        const row = await ofPair();
        if (!row) throw new Error('rate vanished after being set');
        await deps.audit.record(tx, ctx, {
          action: 'fx_rate.set',
          target: { type: 'fx_rate', id: pairKey(base, quote) },
          ...(earlier ? { before: rateState(earlier) } : {}),
          after: rateState(row),
          ...(origin ? { origin } : {}),
        });
        return fxRateView(row);
      });
      cached = null;
      return view;
    },

    async remove(
      ctx: RequestContext,
      pair: { base: IsoCurrencyCode; quote: IsoCurrencyCode },
      origin?: AuditOrigin,
    ): Promise<void> {
      await database.transaction(async (tx) => {
        const removed = await repository.deleteFxRate(tx, pair.base, pair.quote);
        if (!removed) throw walletsError('fx_rate_not_found');
        await deps.audit.record(tx, ctx, {
          action: 'fx_rate.deleted',
          target: { type: 'fx_rate', id: pairKey(pair.base, pair.quote) },
          before: rateState(removed),
          ...(origin ? { origin } : {}),
        });
      });
      cached = null;
    },

    /**
     * Pulls the provider's rates and stores them (an admin's own rates of the same pairs are
     * replaced). An admin's import is one audit entry (`by`); the daily job's is not an action.
     */
    async importRates(by?: {
      ctx: RequestContext;
      origin?: AuditOrigin;
    }): Promise<{ source: string; imported: number }> {
      let rates: Awaited<ReturnType<FxRatesProvider['fetchRates']>>;
      try {
        rates = await deps.provider.fetchRates();
      } catch (error) {
        if ((error as { code?: string }).code === 'fx_import_failed') throw error;
        throw walletsError('fx_import_failed', (error as Error).message);
      }
      const source = deps.provider.name;
      const imported = await database.transaction(async (tx) => {
        const count = await repository.setFxRates(
          tx,
          rates.map((row) => ({ ...row, source })),
        );
        if (by)
          await deps.audit.record(tx, by.ctx, {
            action: 'fx_rate.imported',
            target: { type: 'fx_rates', id: source },
            after: { source, imported: count, pairs: rates.map((row) => pairKey(row.base, row.quote)) },
            ...(by.origin ? { origin: by.origin } : {}),
          });
        return count;
      });
      cached = null;
      return { source: deps.provider.name, imported };
    },

    rate,

    /** `amount` in `to`, rounded half-even to its minor unit; for display and sorting only. */
    async convert(amount: Money, to: IsoCurrencyCode): Promise<Money> {
      if (amount.currency === to) return amount;
      return convertAt(amount, to, await rate(amount.currency, to));
    },

    async converted(amount: Money, to: IsoCurrencyCode): Promise<Converted> {
      const used = await rate(amount.currency, to);
      return { from: amount, to: convertAt(amount, to, used), rate: used };
    },

    /** The rates as one table for a caller converting many amounts (search sorting a page). */
    rateTable: table,
  };
}

export type WalletFx = ReturnType<typeof createWalletFx>;
