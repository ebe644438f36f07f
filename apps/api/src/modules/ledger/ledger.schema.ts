import { sql } from 'drizzle-orm';
import {
  bigint,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/*
 * The ledger's tables (decision 035). Entries, transfers, blocks and digests are append-only (a
 * trigger refuses UPDATE, DELETE and TRUNCATE, see the migration); a transfer whose entries do
 * not sum to zero per currency is refused at commit by a deferred constraint trigger; each entry's
 * hash is set by a trigger from its content, and blocks of entries are sealed into a hash chain.
 */

/** One account per (owner, currency, kind); its balance is kept in the row with the entries. */
export const ledgerAccounts = pgTable(
  'ledger_accounts',
  {
    id: uuid('id').primaryKey(),
    ownerType: text('owner_type').notNull(),
    /** Member id, provider name, or '' for the platform. */
    ownerId: text('owner_id').notNull(),
    currency: text('currency').notNull(),
    kind: text('kind').notNull(),
    balance: bigint('balance', { mode: 'number' }).notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('ledger_accounts_owner_idx').on(table.ownerType, table.ownerId, table.currency, table.kind),
    check('ledger_accounts_owner_type', sql`${table.ownerType} in ('member', 'platform', 'provider')`),
    // Members never owe the platform through the ledger: none of their accounts goes below zero.
    check(
      'ledger_accounts_member_not_negative',
      sql`${table.ownerType} <> 'member' or ${table.balance} >= 0`,
    ),
  ],
);

/** A balanced set of entries, booked once per idempotency key. */
export const ledgerTransfers = pgTable(
  'ledger_transfers',
  {
    id: uuid('id').primaryKey(),
    idempotencyKey: text('idempotency_key').notNull(),
    kind: text('kind').notNull(),
    referenceType: text('reference_type').notNull(),
    referenceId: text('reference_id').notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    /** sha256 of what was asked: the same key with other content is an idempotency conflict. */
    fingerprint: text('fingerprint').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('ledger_transfers_key_idx').on(table.idempotencyKey),
    index('ledger_transfers_reference_idx').on(table.referenceType, table.referenceId),
  ],
);

/** One side of a leg: negative debits, positive credits. `seq` is the ledger's order. */
export const ledgerEntries = pgTable(
  'ledger_entries',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    id: uuid('id').notNull(),
    transferId: uuid('transfer_id')
      .notNull()
      .references(() => ledgerTransfers.id),
    accountId: uuid('account_id')
      .notNull()
      .references(() => ledgerAccounts.id),
    currency: text('currency').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    balanceAfter: bigint('balance_after', { mode: 'number' }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** sha256 (hex) of the entry's content, set by the insert trigger (ledger_entry_hash). */
    hash: text('hash').notNull().default(''),
  },
  (table) => [
    uniqueIndex('ledger_entries_id_idx').on(table.id),
    index('ledger_entries_account_idx').on(table.accountId, table.seq),
    index('ledger_entries_transfer_idx').on(table.transferId),
    check('ledger_entries_amount_not_zero', sql`${table.amount} <> 0`),
  ],
);

/** Two-phase transfers (escrow): pending, then posted (in full or part) or voided, once. */
export const ledgerHolds = pgTable(
  'ledger_holds',
  {
    id: uuid('id').primaryKey(),
    idempotencyKey: text('idempotency_key').notNull(),
    referenceType: text('reference_type').notNull(),
    referenceId: text('reference_id').notNull(),
    status: text('status').notNull().default('pending'),
    currency: text('currency').notNull(),
    amount: bigint('amount', { mode: 'number' }).notNull(),
    postedAmount: bigint('posted_amount', { mode: 'number' }).notNull().default(0),
    sourceAccountId: uuid('source_account_id')
      .notNull()
      .references(() => ledgerAccounts.id),
    heldAccountId: uuid('held_account_id')
      .notNull()
      .references(() => ledgerAccounts.id),
    holdTransferId: uuid('hold_transfer_id')
      .notNull()
      .references(() => ledgerTransfers.id),
    resolutionTransferId: uuid('resolution_transfer_id').references(() => ledgerTransfers.id),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    voidReason: text('void_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (table) => [
    uniqueIndex('ledger_holds_key_idx').on(table.idempotencyKey),
    index('ledger_holds_reference_idx').on(table.referenceType, table.referenceId),
    index('ledger_holds_expiry_idx')
      .on(table.expiresAt)
      .where(sql`${table.status} = 'pending' and ${table.expiresAt} is not null`),
    check('ledger_holds_status', sql`${table.status} in ('pending', 'posted', 'voided')`),
    check('ledger_holds_amount', sql`${table.amount} > 0`),
    check(
      'ledger_holds_posted_amount',
      sql`${table.postedAmount} >= 0 and ${table.postedAmount} <= ${table.amount} and (${table.status} = 'posted' or ${table.postedAmount} = 0)`,
    ),
    check(
      'ledger_holds_resolution',
      sql`(${table.status} = 'pending') = (${table.resolutionTransferId} is null and ${table.resolvedAt} is null)`,
    ),
  ],
);

/**
 * Sealed blocks: a run of entries (first_seq..last_seq, every entry between) whose hashes are
 * digested, chained to the block before. Sealing waits for writers, so a block never misses an
 * entry that commits later with a smaller seq.
 */
export const ledgerBlocks = pgTable('ledger_blocks', {
  number: bigint('number', { mode: 'number' }).primaryKey(),
  firstSeq: bigint('first_seq', { mode: 'number' }).notNull(),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
  entryCount: integer('entry_count').notNull(),
  entriesDigest: text('entries_digest').notNull(),
  prevHash: text('prev_hash').notNull(),
  hash: text('hash').notNull(),
  sealedAt: timestamp('sealed_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A day's chain head signed with Souk's Ed25519 key: what auditors keep. */
export const ledgerDigests = pgTable('ledger_digests', {
  day: date('day', { mode: 'string' }).primaryKey(),
  blockNumber: bigint('block_number', { mode: 'number' }).notNull(),
  lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
  headHash: text('head_hash').notNull(),
  keyId: text('key_id').notNull(),
  signature: text('signature').notNull(),
  signedAt: timestamp('signed_at', { withTimezone: true }).notNull().defaultNow(),
});
