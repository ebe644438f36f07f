/**
 * Ledger: double-entry accounts and balanced transfers, two-phase holds for escrow, balances kept
 * with the entries, database-enforced rules and tamper evidence (decision 035). Money only ever
 * moves through {@link LedgerService.transfer}, {@link LedgerService.hold},
 * {@link LedgerService.postHold} and {@link LedgerService.voidHold}; each takes the caller's
 * transaction so a module's write and its booking commit together.
 */

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
