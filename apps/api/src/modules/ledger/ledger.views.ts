import type { IsoCurrencyCode } from '@souk/contracts';
import { z } from 'zod';
import type { Queryable } from '../../platform/db/database.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import type { LedgerRepository } from './ledger.repository.js';
import { ownerKey, ownerOf } from './ledger.rules.js';
import { holdOf } from './ledger.service.js';
import type {
  AccountOwner,
  BalanceRow,
  EntriesPage,
  EntriesQuery,
  Hold,
  TransferKind,
} from './ledger.types.js';

const EntriesPosition = z.object({ seq: z.number().int().positive() });
export const MAX_ENTRIES_PAGE = 200;

/** The reads: balances (one row each, kept with the entries), history pages, holds. */
export function createLedgerViews({ repository }: { repository: LedgerRepository }) {
  async function balances(db: Queryable, owner: AccountOwner): Promise<BalanceRow[]> {
    const { ownerType, ownerId } = ownerKey(owner);
    const rows = await repository.accountsOf(db, ownerType, ownerId);
    return rows.map((row) => ({
      accountId: row.id,
      currency: row.currency as IsoCurrencyCode,
      kind: row.kind,
      balance: row.balance,
    }));
  }

  async function entries(db: Queryable, query: EntriesQuery): Promise<EntriesPage> {
    const position = decodeCursor(query.cursor, EntriesPosition);
    const limit = Math.min(Math.max(query.limit ?? 50, 1), MAX_ENTRIES_PAGE);
    let accountIds: string[];
    if ('accountId' in query) {
      accountIds = [query.accountId];
    } else {
      const { ownerType, ownerId } = ownerKey(query.owner);
      accountIds = (await repository.accountsOf(db, ownerType, ownerId))
        .filter(
          (row) =>
            (!query.currency || row.currency === query.currency) && (!query.kind || row.kind === query.kind),
        )
        .map((row) => row.id);
    }
    const rows = await repository.entriesPage(db, {
      accountIds,
      from: query.from,
      to: query.to,
      referenceType: query.referenceType,
      beforeSeq: position?.seq,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => ({
        ...row.entry,
        currency: row.entry.currency as IsoCurrencyCode,
        kind: row.kind,
        owner: ownerOf(row.ownerType, row.ownerId),
        reference: { type: row.referenceType, id: row.referenceId },
        transferKind: row.transferKind as TransferKind,
        metadata: row.metadata,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor({ seq: last.entry.seq }) : null,
    };
  }

  async function getHold(db: Queryable, holdId: string): Promise<Hold | null> {
    if (!z.uuid().safeParse(holdId).success) return null;
    const row = await repository.holdById(db, holdId);
    return row ? holdOf(row) : null;
  }

  return { balances, entries, getHold };
}
