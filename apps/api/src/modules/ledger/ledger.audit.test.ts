import { createHash, createPublicKey, verify } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { blockHash, digestMessage, GENESIS_HASH, type LedgerModule } from './index.js';
import type { AccountRef } from './ledger.types.js';

/* Must-show 5 of issue 18 and the published digests: tampering found and named; signatures checked. */

let t: TestApp;
let ledger: LedgerModule;

beforeAll(async () => {
  t = await createTestApp();
  ledger = t.app.modules.ledger;
});
afterAll(async () => t?.close());

const wallet = (id: string): AccountRef => ({
  owner: { type: 'member', id },
  currency: 'EUR',
  kind: 'available',
});
const clearing: AccountRef = {
  owner: { type: 'provider', id: 'sandbox' },
  currency: 'EUR',
  kind: 'provider_clearing',
};
type Row = Record<string, unknown>;
const rows = async (query: ReturnType<typeof sql>) =>
  ((await t.platform.database.db.execute(query)) as unknown as { rows: Row[] }).rows;

async function topUps(count: number, prefix: string) {
  for (let i = 0; i < count; i++) {
    await ledger.service.transaction((tx) =>
      ledger.service.transfer(tx, {
        idempotencyKey: `${prefix}-${i}`,
        reference: { type: 'top_up', id: `${prefix}-${i}` },
        legs: [{ from: clearing, to: wallet(`m${i % 3}`), amount: 100 + i }],
      }),
    );
  }
}

/** What an attacker with superuser rights does: triggers off, then a direct change. */
async function asSuperuser(statement: ReturnType<typeof sql>) {
  await t.platform.database.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await tx.execute(statement);
  });
}

describe('tamper evidence', () => {
  it('seals blocks an auditor can recompute, and a clean ledger verifies', async () => {
    await topUps(6, 'clean');
    expect(await ledger.audit.seal()).toMatchObject({ blocks: 1, entries: 12 });
    const [block] =
      await rows(sql`select number::int as number, first_seq::int as first_seq, last_seq::int as last_seq,
      entry_count, entries_digest, prev_hash, hash from ledger_blocks order by number`);
    const hashes = await rows(sql`select hash from ledger_entries order by seq`);
    const digest = createHash('sha256')
      .update(hashes.map((row) => String(row.hash)).join(''))
      .digest('hex');
    expect(block?.entries_digest).toBe(digest);
    expect(block?.prev_hash).toBe(GENESIS_HASH);
    expect(
      blockHash({
        number: Number(block?.number),
        firstSeq: Number(block?.first_seq),
        lastSeq: Number(block?.last_seq),
        entryCount: Number(block?.entry_count),
        entriesDigest: String(block?.entries_digest),
        prevHash: String(block?.prev_hash),
      }),
    ).toBe(block?.hash);
    const report = await ledger.service.verify(t.platform.database.db);
    expect(report).toMatchObject({
      ok: true,
      entries: 12,
      blocks: 1,
      balanceMismatches: [],
      unbalancedTransfers: [],
    });
  });

  it('an entry changed directly in SQL is caught by verify, which names it', async () => {
    await topUps(4, 'later');
    const [victim] = await rows(
      sql`select id, seq::int as seq, transfer_id from ledger_entries where amount > 0 order by seq desc offset 2 limit 1`,
    );
    await asSuperuser(
      sql`update ledger_entries set amount = amount + 1000 where id = ${String(victim?.id)}::uuid`,
    );
    const report = await ledger.service.verify(t.platform.database.db);
    expect(report.ok).toBe(false);
    expect(report.firstBadEntry).toEqual({
      id: victim?.id,
      seq: victim?.seq,
      transferId: victim?.transfer_id,
    });
    expect(report.unbalancedTransfers).toEqual([victim?.transfer_id]);
    expect(report.balanceMismatches).toHaveLength(1);
  });

  it('an entry re-hashed after the change (or deleted) breaks its sealed block', async () => {
    // Undo the previous tamper so only this one shows, then rewrite a sealed entry with a fresh hash.
    await asSuperuser(
      sql`update ledger_entries set amount = amount - 1000 where hash <> ledger_entry_hash(seq, id, transfer_id, account_id, currency, amount, balance_after, created_at)`,
    );
    expect((await ledger.service.verify(t.platform.database.db)).ok).toBe(true);
    const [sealed] = await rows(sql`select id, seq::int as seq from ledger_entries where seq = 3`);
    await asSuperuser(sql`update ledger_entries set balance_after = balance_after + 1,
      hash = ledger_entry_hash(seq, id, transfer_id, account_id, currency, amount, balance_after + 1, created_at)
      where id = ${String(sealed?.id)}::uuid`);
    let report = await ledger.service.verify(t.platform.database.db);
    expect(report.firstBadEntry).toBeUndefined();
    expect(report.firstBadBlock).toMatchObject({ number: 1, problem: 'its entries are not the ones sealed' });
    expect(report.ok).toBe(false);
    await asSuperuser(sql`delete from ledger_entries where id = ${String(sealed?.id)}::uuid`);
    report = await ledger.service.verify(t.platform.database.db);
    expect(report.firstBadBlock).toMatchObject({
      number: 1,
      problem: 'it sealed 12 entries and 11 are there',
    });
  });
});

describe('GET /ledger/digests', () => {
  it("publishes each day's chain head signed with Souk's Ed25519 key", async () => {
    await ledger.audit.seal();
    const signed = await ledger.audit.signDigest('2026-01-02');
    expect(await ledger.audit.signDigest('2026-01-02')).toEqual(signed);
    await ledger.audit.signDigest('2026-01-03');
    const response = await t.call('GET', '/ledger/digests?limit=1', null);
    expect(response.statusCode).toBe(200);
    const body = response.json() as {
      publicKey: { kty: string; crv: string; x: string };
      items: { day: string; blockNumber: number; lastSeq: number; headHash: string; signature: string }[];
      nextCursor: string | null;
    };
    expect(body.items.map((d) => d.day)).toEqual(['2026-01-03']);
    const next = (
      await t.call('GET', `/ledger/digests?limit=5&cursor=${body.nextCursor}`, null)
    ).json() as typeof body;
    expect(next.items.map((d) => d.day)).toEqual(['2026-01-02']);
    // What an auditor does: the public JWK, the documented message, node:crypto (or any Ed25519).
    const key = createPublicKey({ key: { ...body.publicKey }, format: 'jwk' });
    for (const digest of [...body.items, ...next.items]) {
      expect(
        verify(null, Buffer.from(digestMessage(digest)), key, Buffer.from(digest.signature, 'base64url')),
      ).toBe(true);
      const forged = { ...digest, headHash: GENESIS_HASH };
      expect(
        verify(null, Buffer.from(digestMessage(forged)), key, Buffer.from(digest.signature, 'base64url')),
      ).toBe(false);
    }
    const [head] = await rows(
      sql`select hash, number::int as number from ledger_blocks order by number desc limit 1`,
    );
    expect(next.items[0]).toMatchObject({ headHash: head?.hash, blockNumber: head?.number });
  });

  it('admin reads: balances, a hold, verify; members are refused', async () => {
    const admin = await t.signUp({ role: 'admin' });
    const memberUser = await t.signUp();
    const balances = await t.call('GET', '/admin/ledger/balances?ownerType=member&ownerId=m1', admin);
    expect(balances.statusCode).toBe(200);
    expect((balances.json() as { items: unknown[] }).items).toHaveLength(1);
    expect(
      (await t.call('GET', '/admin/ledger/balances?ownerType=member&ownerId=m1', memberUser)).statusCode,
    ).toBe(403);
    const missing = await t.call('GET', '/admin/ledger/holds/01a25000-0000-7000-8000-000000000000', admin);
    expect(missing.statusCode).toBe(404);
    const verified = await t.call('POST', '/admin/ledger/verify', admin);
    expect(verified.statusCode).toBe(200);
    expect((verified.json() as { ok: boolean }).ok).toBe(false);
  });
});
