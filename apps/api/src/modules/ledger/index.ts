import type { Database } from '../../platform/db/database.js';
import type { Jobs } from '../../platform/jobs.js';
import type { Logger } from '../../platform/logger.js';
import { createDigestSigner, createLedgerAudit } from './ledger.audit.js';
import { isLedgerError } from './ledger.errors.js';
import { createLedgerRepository } from './ledger.repository.js';
import { ledgerRoutes } from './ledger.routes.js';
import { createLedgerWrites } from './ledger.service.js';
import type { LedgerService } from './ledger.types.js';
import { createLedgerViews } from './ledger.views.js';

/**
 * Ledger: double-entry accounts and balanced transfers, two-phase holds for escrow, balances kept
 * with the entries, database-enforced rules and tamper evidence (decision 035). Money only ever
 * moves through {@link LedgerService.transfer}, {@link LedgerService.hold},
 * {@link LedgerService.postHold} and {@link LedgerService.voidHold}; each takes the caller's
 * transaction so a module's write and its booking commit together.
 */

export { blockHash, createDigestSigner, digestMessage, GENESIS_HASH } from './ledger.audit.js';
export { isLedgerError, type LedgerErrorCode, ledgerError } from './ledger.errors.js';
export type {
  Account,
  AccountKind,
  AccountOwner,
  AccountRef,
  BalanceMismatch,
  BalanceRow,
  EntriesPage,
  EntriesQuery,
  Entry,
  EntryView,
  Hold,
  HoldInput,
  HoldStatus,
  LedgerDigest,
  LedgerService,
  PostHoldInput,
  Transfer,
  TransferInput,
  TransferKind,
  TransferLeg,
  TransferReference,
  VerifyReport,
  VoidHoldInput,
} from './ledger.types.js';

export const EXPIRE_HOLDS_QUEUE = 'ledger.expire-holds';
export const SEAL_QUEUE = 'ledger.seal';
export const VERIFY_QUEUE = 'ledger.verify';
export const DIGEST_QUEUE = 'ledger.digest';

/**
 * The ledger module. `signingSeed` (32 bytes, derived from Souk's key material by the caller)
 * makes the Ed25519 key the daily digests are signed with. With `jobs`, it defines: expired holds
 * voided every minute, blocks sealed every minute, the whole ledger verified nightly (an error
 * log names what does not match), and yesterday's chain head signed at 00:05 UTC.
 */
export function createLedgerModule(deps: {
  database: Database;
  signingSeed: Buffer;
  jobs?: Pick<Jobs, 'define' | 'schedule'>;
  logger?: Logger;
}) {
  const repository = createLedgerRepository();
  const writes = createLedgerWrites({ database: deps.database, repository });
  const views = createLedgerViews({ repository });
  const audit = createLedgerAudit({ database: deps.database, signer: createDigestSigner(deps.signingSeed) });
  const { expireHold, ...publicWrites } = writes;
  const service: LedgerService = { ...publicWrites, ...views, verify: audit.verify };

  /** Voids the holds whose timeout passed; each in its own transaction, a lost race skipped. */
  async function expireHolds(now = new Date()): Promise<number> {
    let voided = 0;
    for (;;) {
      const ids = await repository.expiredHoldIds(deps.database.db, now, 100);
      for (const id of ids) {
        try {
          await writes.transaction((tx) =>
            expireHold(tx, id, { idempotencyKey: `expiry:${id}`, reason: 'expired' }),
          );
          voided++;
        } catch (error) {
          if (!isLedgerError(error, 'hold_not_pending')) throw error;
        }
      }
      if (ids.length < 100) return voided;
    }
  }

  if (deps.jobs) {
    const { jobs, logger } = deps;
    jobs.define(EXPIRE_HOLDS_QUEUE, async () => {
      const voided = await expireHolds();
      if (voided > 0) logger?.info({ voided }, 'ledger: expired holds voided');
    });
    jobs.schedule(EXPIRE_HOLDS_QUEUE, '* * * * *');
    jobs.define(SEAL_QUEUE, async () => {
      await audit.seal();
    });
    jobs.schedule(SEAL_QUEUE, '* * * * *');
    jobs.define(
      VERIFY_QUEUE,
      async () => {
        const report = await audit.verify(deps.database.db);
        if (report.ok)
          logger?.info({ entries: report.entries, durationMs: report.durationMs }, 'ledger: verified');
        else
          logger?.error({ report }, 'ledger: VERIFY FAILED: the ledger does not match its entries or hashes');
      },
      { expireInSeconds: 60 * 60 },
    );
    jobs.schedule(VERIFY_QUEUE, '30 2 * * *');
    jobs.define(DIGEST_QUEUE, async () => {
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      await audit.signDigest(yesterday);
    });
    jobs.schedule(DIGEST_QUEUE, '5 0 * * *');
  }

  return {
    service,
    audit,
    expireHolds,
    routes: ledgerRoutes({ service, audit, database: deps.database }),
  };
}

export type LedgerModule = ReturnType<typeof createLedgerModule>;
