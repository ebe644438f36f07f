import type { IsoCurrencyCode } from '@souk/contracts';
import type { Queryable } from '../../platform/db/database.js';

/*
 * The ledger's public types (issue 18, /tmp money split). Amounts are safe integers in the
 * currency's minor unit. Every write takes the caller's transaction (`tx`), so a module books
 * inside its own transaction and its write and the money movement commit together.
 */

/** Whose money an account holds. The platform has one owner; providers are named. */
export type AccountOwner =
  | { type: 'member'; id: string }
  | { type: 'platform' }
  | { type: 'provider'; id: 'sandbox' | 'stripe' | (string & {}) };

/**
 * What an account is for. Member accounts (any kind) may never go negative, in code and by a
 * CHECK in the database; platform and provider accounts are the other side of the books and may.
 */
export type AccountKind =
  | 'available'
  | 'held'
  | 'pending_payout'
  | 'fees_revenue'
  | 'provider_clearing'
  | 'points'
  | (string & {});

/** Names an account; `ledger.account` creates it on first use. */
export type AccountRef = { owner: AccountOwner; currency: IsoCurrencyCode; kind: AccountKind };

export type Account = AccountRef & { id: string; balance: number; createdAt: Date };

/** What caused a transfer: a top-up, an order, a payout... (type, id) of the cause. */
export type TransferReference = { type: string; id: string };

/** One leg: a debit of `from` and a credit of `to`, both in `currency` (the refs' currency). */
export type TransferLeg = { from: AccountRef; to: AccountRef; amount: number };

export type TransferInput = {
  /** Unique per logical transfer: the same key and content returns the first transfer. */
  idempotencyKey: string;
  reference: TransferReference;
  legs: TransferLeg[];
  metadata?: Record<string, unknown>;
};

/** What the ledger booked; `kind` says which operation made it. */
export type TransferKind = 'transfer' | 'hold' | 'hold_post' | 'hold_void';

export type Transfer = {
  id: string;
  idempotencyKey: string;
  kind: TransferKind;
  reference: TransferReference;
  metadata: Record<string, unknown>;
  entries: Entry[];
  createdAt: Date;
  /** True when the idempotency key had already booked it (nothing new was written). */
  replayed: boolean;
};

/** One side of a leg. Debits are negative, credits positive; per currency a transfer sums to 0. */
export type Entry = {
  id: string;
  /** Position in the ledger: the order entries were written in. */
  seq: number;
  transferId: string;
  accountId: string;
  currency: IsoCurrencyCode;
  amount: number;
  /** The account's balance just after this entry (a balance-over-time chart reads it). */
  balanceAfter: number;
  createdAt: Date;
};

/** An entry with its transfer's reference and its account, as history lists show it. */
export type EntryView = Entry & {
  kind: AccountKind;
  owner: AccountOwner;
  reference: TransferReference;
  transferKind: TransferKind;
  metadata: Record<string, unknown>;
};

export type HoldStatus = 'pending' | 'posted' | 'voided';

export type HoldInput = {
  idempotencyKey: string;
  reference: TransferReference;
  /** A member's 'available' account: the funds move to that member's 'held' account. */
  from: AccountRef;
  amount: number;
  currency: IsoCurrencyCode;
  /** After this, the `ledger.expire-holds` job voids the hold. */
  expiresAt?: Date;
  metadata?: Record<string, unknown>;
};

export type PostHoldInput = {
  idempotencyKey: string;
  /** Paid from the held funds, in the hold's currency; what is left goes back to the source. */
  legs: { to: AccountRef; amount: number }[];
  metadata?: Record<string, unknown>;
};

export type VoidHoldInput = { idempotencyKey: string; reason: string };

export type Hold = {
  id: string;
  idempotencyKey: string;
  reference: TransferReference;
  status: HoldStatus;
  currency: IsoCurrencyCode;
  amount: number;
  /** What was paid out when posted (<= amount); 0 while pending or when voided. */
  postedAmount: number;
  sourceAccountId: string;
  heldAccountId: string;
  holdTransferId: string;
  /** The post's or void's transfer, once resolved. */
  resolutionTransferId: string | null;
  expiresAt: Date | null;
  voidReason: string | null;
  createdAt: Date;
  resolvedAt: Date | null;
};

export type BalanceRow = { accountId: string; currency: IsoCurrencyCode; kind: AccountKind; balance: number };

export type EntriesQuery = ({ owner: AccountOwner } | { accountId: string }) & {
  currency?: IsoCurrencyCode;
  kind?: AccountKind;
  from?: Date;
  to?: Date;
  referenceType?: string;
  /** `nextCursor` of the previous page (platform/http/cursor.ts). */
  cursor?: string;
  /** Capped at 200; default 50. */
  limit?: number;
};

export type EntriesPage = { items: EntryView[]; nextCursor: string | null };

export type BalanceMismatch = { accountId: string; stored: number; fromEntries: number };

export type VerifyReport = {
  ok: boolean;
  /** Entries checked. */
  entries: number;
  /** Sealed blocks checked (the tamper-evidence chain, decision 035). */
  blocks: number;
  /** The first entry (in ledger order) whose stored hash does not match its content. */
  firstBadEntry?: { id: string; seq: number; transferId: string };
  /** The first sealed block whose hash or entries digest does not match (a deleted or re-hashed entry). */
  firstBadBlock?: { number: number; firstSeq: number; lastSeq: number; problem: string };
  balanceMismatches: BalanceMismatch[];
  /** Transfers whose entries do not sum to zero per currency. */
  unbalancedTransfers: string[];
  /** Per currency, the sum of every entry (0 in a sound ledger). */
  currencyTotals: { currency: string; total: number }[];
  durationMs: number;
};

/** A day's chain head, signed with Souk's Ed25519 key (GET /api/v1/ledger/digests). */
export type LedgerDigest = {
  day: string;
  blockNumber: number;
  lastSeq: number;
  headHash: string;
  signedAt: Date;
  /** base64url Ed25519 signature of `digestMessage(...)`. */
  signature: string;
  keyId: string;
};

/**
 * The ledger as other modules use it. Writes take the caller's `tx`; reads take any handle.
 * Refusals are AppErrors from ledger.errors.ts (`isLedgerError(error, 'insufficient_funds')`).
 */
export type LedgerService = {
  /** Get-or-create; idempotent and safe under concurrency. */
  account(tx: Queryable, ref: AccountRef): Promise<Account>;
  /** A balanced transfer; the same key + content returns the first one (`replayed: true`). */
  transfer(tx: Queryable, input: TransferInput): Promise<Transfer>;
  hold(tx: Queryable, input: HoldInput): Promise<Hold>;
  /** In full or part; a hold is posted or voided exactly once (else 'hold_not_pending'). */
  postHold(tx: Queryable, holdId: string, input: PostHoldInput): Promise<Hold>;
  voidHold(tx: Queryable, holdId: string, input: VoidHoldInput): Promise<Hold>;
  getHold(db: Queryable, holdId: string): Promise<Hold | null>;
  /** Every account of an owner with its balance (O(1): kept with the entries). */
  balances(db: Queryable, owner: AccountOwner): Promise<BalanceRow[]>;
  entries(db: Queryable, query: EntriesQuery): Promise<EntriesPage>;
  /**
   * Runs `work` in its own transaction, retried on serialization failures and deadlocks
   * (40001, 40P01) with a short jittered back-off: the way to book when you have no tx yet.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  verify(db: Queryable): Promise<VerifyReport>;
};
