import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database, Queryable } from '../../platform/db/database.js';
import { rowsOf } from './ledger.repository.js';
import type { LedgerDigest, VerifyReport } from './ledger.types.js';

/*
 * Tamper evidence (decision 035). Each entry carries the sha256 of its content (set by a trigger,
 * `ledger_entry_hash`). Blocks of consecutive entries are sealed: a block's hash covers its range,
 * the digest of its entries' hashes in seq order and the hash of the block before, so changing,
 * adding or removing a sealed entry breaks the chain from that block on. Each day the head block
 * is signed with Souk's Ed25519 key and published (GET /api/v1/ledger/digests).
 */

export const GENESIS_HASH = '0'.repeat(64);
/** Entries per sealed block at most: bounds the string a block's digest is computed over. */
export const BLOCK_SIZE = 10_000;
// Sealers serialise on this key (hashtext('souk:ledger:seal')).
const SEAL_LOCK_KEY = 1_873_226_401;

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A block's hash, as the database computes it when sealing and as an auditor recomputes it. */
export function blockHash(block: {
  number: number;
  firstSeq: number;
  lastSeq: number;
  entryCount: number;
  entriesDigest: string;
  prevHash: string;
}): string {
  return sha256Hex(
    [block.number, block.firstSeq, block.lastSeq, block.entryCount, block.entriesDigest, block.prevHash].join(
      '|',
    ),
  );
}

/** What a daily digest signs (UTF-8). */
export function digestMessage(digest: {
  day: string;
  blockNumber: number;
  lastSeq: number;
  headHash: string;
}): string {
  return `souk-ledger-digest/v1\n${digest.day}\n${digest.blockNumber}\n${digest.lastSeq}\n${digest.headHash}`;
}

// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows (RFC 8410).
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export type DigestSigner = {
  keyId: string;
  /** The public key as a JWK (kty OKP, crv Ed25519): what auditors verify signatures with. */
  publicJwk: { kty: string; crv: string; x: string };
  sign(message: string): string;
  verify(message: string, signature: string): boolean;
};

/** An Ed25519 key from a 32-byte seed (derived from Souk's key material, as auth derives its secrets). */
export function createDigestSigner(seed: Buffer): DigestSigner {
  if (seed.length !== 32) throw new Error('ledger digest signing seed must be 32 bytes');
  const privateKey: KeyObject = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; crv: string; x: string };
  const keyId = sha256Hex(jwk.x).slice(0, 16);
  return {
    keyId,
    publicJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x },
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64url'),
    verify: (message, signature) =>
      verify(null, Buffer.from(message, 'utf8'), publicKey, Buffer.from(signature, 'base64url')),
  };
}

type BlockRow = {
  number: number;
  firstSeq: number;
  lastSeq: number;
  entryCount: number;
  entriesDigest: string;
  prevHash: string;
  hash: string;
};

const toBlock = (row: Record<string, unknown>): BlockRow => ({
  number: Number(row.number),
  firstSeq: Number(row.first_seq),
  lastSeq: Number(row.last_seq),
  entryCount: Number(row.entry_count),
  entriesDigest: String(row.entries_digest),
  prevHash: String(row.prev_hash),
  hash: String(row.hash),
});

async function headBlock(db: Queryable): Promise<BlockRow | null> {
  const rows = await rowsOf(
    db,
    sql`select number::text as number, first_seq::text as first_seq, last_seq::text as last_seq, entry_count, entries_digest, prev_hash, hash
        from ledger_blocks order by ledger_blocks.number desc limit 1`,
  );
  return rows[0] ? toBlock(rows[0]) : null;
}

export function createLedgerAudit(deps: { database: Pick<Database, 'transaction'>; signer: DigestSigner }) {
  const { database, signer } = deps;

  /**
   * Seals every entry written so far into blocks. First, a SHARE lock held only for an instant:
   * getting it waits for the transactions inserting entries, so once it is held every seq up to
   * the maximum has committed (or rolled back, leaving a gap) and any entry written later gets a
   * larger seq (seq values only grow). The blocks are then made without holding writers back;
   * an advisory lock keeps two sealers (two workers) from making the same block.
   */
  async function seal(): Promise<{ blocks: number; entries: number }> {
    const maxSeq = await database.transaction(async (tx) => {
      await tx.execute(sql`lock table ledger_entries in share mode`);
      const [top] = await rowsOf(tx, sql`select coalesce(max(seq), 0)::text as max from ledger_entries`);
      return Number(top?.max ?? 0);
    });
    return database.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${SEAL_LOCK_KEY})`);
      let head = await headBlock(tx);
      let blocks = 0;
      let entries = 0;
      while ((head?.lastSeq ?? 0) < maxSeq) {
        const number = (head?.number ?? 0) + 1;
        const firstSeq = (head?.lastSeq ?? 0) + 1;
        const [bound] = await rowsOf(
          tx,
          sql`select seq::text as seq from ledger_entries where seq >= ${firstSeq}::bigint order by seq
              offset ${BLOCK_SIZE - 1} limit 1`,
        );
        const lastSeq = Math.min(bound ? Number(bound.seq) : maxSeq, maxSeq);
        const prevHash = head?.hash ?? GENESIS_HASH;
        const [row] = await rowsOf(
          tx,
          sql`insert into ledger_blocks (number, first_seq, last_seq, entry_count, entries_digest, prev_hash, hash)
              select ${number}::bigint, ${firstSeq}::bigint, ${lastSeq}::bigint, d.count, d.digest, ${prevHash},
                encode(sha256(convert_to(concat_ws('|', ${number}::bigint, ${firstSeq}::bigint, ${lastSeq}::bigint, d.count, d.digest, ${prevHash}::text), 'UTF8')), 'hex')
              from (
                select count(*)::int as count,
                  encode(sha256(convert_to(coalesce(string_agg(hash, '' order by seq), ''), 'UTF8')), 'hex') as digest
                from ledger_entries where seq between ${firstSeq}::bigint and ${lastSeq}::bigint
              ) d
              returning number::text as number, first_seq::text as first_seq, last_seq::text as last_seq, entry_count,
                entries_digest, prev_hash, hash`,
        );
        head = toBlock(row as Record<string, unknown>);
        blocks++;
        entries += head.entryCount;
      }
      return { blocks, entries };
    });
  }

  /** Recomputes every entry's hash, every block, every balance and every transfer's sums. */
  async function verifyLedger(db: Queryable): Promise<VerifyReport> {
    const started = performance.now();
    const [count] = await rowsOf(db, sql`select count(*)::text as n from ledger_entries`);
    const [bad] = await rowsOf(
      db,
      sql`select seq::text as seq, id, transfer_id from ledger_entries
          where hash is distinct from ledger_entry_hash(seq, id, transfer_id, account_id, currency, amount, balance_after, created_at)
          order by seq limit 1`,
    );
    const blocks = (
      await rowsOf(
        db,
        sql`select b.number::text as number, b.first_seq::text as first_seq, b.last_seq::text as last_seq, b.entry_count,
              b.entries_digest, b.prev_hash, b.hash, d.count as actual_count, d.digest as actual_digest
            from ledger_blocks b cross join lateral (
              select count(*)::int as count,
                encode(sha256(convert_to(coalesce(string_agg(e.hash, '' order by e.seq), ''), 'UTF8')), 'hex') as digest
              from ledger_entries e where e.seq between b.first_seq and b.last_seq
            ) d order by b.number`,
      )
    ).map((row) => ({
      ...toBlock(row),
      actualCount: Number(row.actual_count),
      actualDigest: String(row.actual_digest),
    }));
    let firstBadBlock: VerifyReport['firstBadBlock'];
    let previous: BlockRow | null = null;
    for (const block of blocks) {
      const problem =
        block.number !== (previous?.number ?? 0) + 1
          ? 'a block is missing before it'
          : block.firstSeq !== (previous?.lastSeq ?? 0) + 1
            ? 'its range does not follow the block before'
            : block.prevHash !== (previous?.hash ?? GENESIS_HASH)
              ? 'it does not chain to the block before'
              : block.actualCount !== block.entryCount
                ? `it sealed ${block.entryCount} entries and ${block.actualCount} are there`
                : block.actualDigest !== block.entriesDigest
                  ? 'its entries are not the ones sealed'
                  : blockHash(block) !== block.hash
                    ? 'its hash does not match its content'
                    : null;
      if (problem) {
        firstBadBlock = { number: block.number, firstSeq: block.firstSeq, lastSeq: block.lastSeq, problem };
        break;
      }
      previous = block;
    }
    const balanceMismatches = (
      await rowsOf(
        db,
        sql`select a.id, a.balance::text as stored, coalesce(s.total, 0)::text as computed
            from ledger_accounts a
            left join (select account_id, sum(amount) as total from ledger_entries group by account_id) s on s.account_id = a.id
            where a.balance <> coalesce(s.total, 0) order by a.id limit 1000`,
      )
    ).map((row) => ({
      accountId: String(row.id),
      stored: Number(row.stored),
      fromEntries: Number(row.computed),
    }));
    const unbalancedTransfers = (
      await rowsOf(
        db,
        sql`select distinct transfer_id from (
              select transfer_id from ledger_entries group by transfer_id, currency having sum(amount) <> 0
            ) off limit 1000`,
      )
    ).map((row) => String(row.transfer_id));
    const currencyTotals = (
      await rowsOf(
        db,
        sql`select currency, sum(amount)::text as total from ledger_entries group by currency order by currency`,
      )
    ).map((row) => ({ currency: String(row.currency), total: Number(row.total) }));
    const firstBadEntry = bad
      ? { id: String(bad.id), seq: Number(bad.seq), transferId: String(bad.transfer_id) }
      : undefined;
    return {
      ok:
        !firstBadEntry &&
        !firstBadBlock &&
        balanceMismatches.length === 0 &&
        unbalancedTransfers.length === 0 &&
        currencyTotals.every((row) => row.total === 0),
      entries: Number(count?.n ?? 0),
      blocks: blocks.length,
      ...(firstBadEntry ? { firstBadEntry } : {}),
      ...(firstBadBlock ? { firstBadBlock } : {}),
      balanceMismatches,
      unbalancedTransfers,
      currencyTotals,
      durationMs: Math.round(performance.now() - started),
    };
  }

  /** Seals, then signs the head block as `day`'s digest; a day is signed once. */
  async function signDigest(day: string): Promise<LedgerDigest> {
    await seal();
    return database.transaction(async (tx) => {
      const head = await headBlock(tx);
      const digest = {
        day,
        blockNumber: head?.number ?? 0,
        lastSeq: head?.lastSeq ?? 0,
        headHash: head?.hash ?? GENESIS_HASH,
      };
      const signature = signer.sign(digestMessage(digest));
      await tx.execute(
        sql`insert into ledger_digests (day, block_number, last_seq, head_hash, key_id, signature)
            values (${day}::date, ${digest.blockNumber}::bigint, ${digest.lastSeq}::bigint, ${digest.headHash}, ${signer.keyId}, ${signature})
            on conflict (day) do nothing`,
      );
      const [row] = await rowsOf(
        tx,
        sql`select day::text as day, block_number::text as block_number, last_seq::text as last_seq, head_hash, key_id, signature, signed_at from ledger_digests where day = ${day}::date`,
      );
      return toDigest(row as Record<string, unknown>);
    });
  }

  /** Newest first; `beforeDay` pages. */
  async function digests(db: Queryable, options: { beforeDay?: string | undefined; limit: number }) {
    const rows = await rowsOf(
      db,
      sql`select day::text as day, block_number::text as block_number, last_seq::text as last_seq, head_hash, key_id, signature, signed_at from ledger_digests ${options.beforeDay ? sql`where day < ${options.beforeDay}::date` : sql``}
          order by day desc limit ${options.limit}`,
    );
    return rows.map(toDigest);
  }

  return { seal, verify: verifyLedger, signDigest, digests, signer };
}

export type LedgerAudit = ReturnType<typeof createLedgerAudit>;

function toDigest(row: Record<string, unknown>): LedgerDigest {
  const day = row.day instanceof Date ? row.day.toISOString().slice(0, 10) : String(row.day).slice(0, 10);
  return {
    day,
    blockNumber: Number(row.block_number),
    lastSeq: Number(row.last_seq),
    headHash: String(row.head_hash),
    keyId: String(row.key_id),
    signature: String(row.signature),
    signedAt: row.signed_at instanceof Date ? row.signed_at : new Date(String(row.signed_at)),
  };
}
