/**
 * `npm run bench:ledger`: the ledger under load (issue 18, must-show 6; decision 035).
 *
 * For each engine (BENCH_ENGINES, default postgres,pglite): a throwaway database, migrated;
 * BENCH_ACCOUNTS member accounts (10,000) funded; then BENCH_CLIENTS (20) concurrent clients each
 * booking two-leg-free transfers (one leg: a debit and a credit) between random accounts for
 * BENCH_DURATION seconds, each in its own transaction through `ledger.transaction` (retries on
 * 40001/40P01), while blocks are sealed every second as the `ledger.seal` job would. Then the same
 * load with the alternative this decision rejected, one global hash chain (a trigger that chains
 * every entry to the one before through a single head row), to measure what it costs. Last,
 * `ledger:verify` over BENCH_VERIFY_ENTRIES (1,000,000) entries, bulk-loaded with their hashes.
 *
 * Prints a table and writes bench/results/ledger-<engine>.json. Targets on PostgreSQL:
 * >= 2,000 transfers/s, p99 <= 50 ms, verify of 1,000,000 entries <= 30 s.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createLedgerModule, type LedgerModule } from '../src/modules/ledger/index.js';
import type { AccountRef } from '../src/modules/ledger/ledger.types.js';
import { createDatabase, type Database } from '../src/platform/db/database.js';

type Engine = 'postgres' | 'pglite';
const env = process.env;
const int = (name: string, fallback: number) => {
  const value = Number((env[name] ?? String(fallback)).replaceAll('_', ''));
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${name} must be a positive whole number (got ${env[name]})`);
    process.exit(2);
  }
  return value;
};
const ENGINES = (env.BENCH_ENGINES ?? 'postgres,pglite').split(',').map((s) => s.trim()) as Engine[];
const BASE_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const ACCOUNTS = int('BENCH_ACCOUNTS', 10_000);
const CLIENTS = int('BENCH_CLIENTS', 20);
const DURATION_S = int('BENCH_DURATION', 15);
const VERIFY_ENTRIES = int('BENCH_VERIFY_ENTRIES', 1_000_000);
const MODES = (env.BENCH_MODES ?? 'blocks,chain').split(',').map((s) => s.trim());
const RESULTS_DIR = fileURLToPath(new URL('../../../bench/results', import.meta.url));
const FUNDING = 1_000_000_000;

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? 0
    : (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0);
const member = (i: number): AccountRef => ({
  owner: { type: 'member', id: `bench-${i}` },
  currency: 'USD',
  kind: 'available',
});
const clearing: AccountRef = {
  owner: { type: 'provider', id: 'sandbox' },
  currency: 'USD',
  kind: 'provider_clearing',
};

/** The rejected alternative: every entry chained to the one before through one head row. */
const GLOBAL_CHAIN_SQL = [
  `create table if not exists ledger_chain_head (id int primary key, seq bigint not null, hash text not null)`,
  `insert into ledger_chain_head values (1, 0, repeat('0', 64)) on conflict do nothing`,
  // Each entry still carries its content hash (so verify stays meaningful); the chain head row
  // every writer updates, and holds until commit, is what a global chain costs.
  `create or replace function ledger_entries_set_hash() returns trigger language plpgsql as $$
   begin
     NEW.hash := ledger_entry_hash(NEW.seq, NEW.id, NEW.transfer_id, NEW.account_id, NEW.currency, NEW.amount,
       NEW.balance_after, NEW.created_at);
     update ledger_chain_head set seq = NEW.seq, hash = encode(sha256(convert_to(hash || NEW.hash, 'UTF8')), 'hex')
     where id = 1;
     return NEW;
   end $$`,
];
const CONTENT_HASH_SQL = `create or replace function ledger_entries_set_hash() returns trigger language plpgsql as $$
  begin
    NEW.hash := ledger_entry_hash(NEW.seq, NEW.id, NEW.transfer_id, NEW.account_id, NEW.currency, NEW.amount, NEW.balance_after, NEW.created_at);
    return NEW;
  end $$`;

type Cleanup = () => Promise<void>;

async function open(engine: Engine): Promise<{ database: Database; cleanup: Cleanup } | null> {
  if (engine === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'souk-bench-ledger-'));
    const database = await createDatabase({ dataDir: dir, guardTransactions: false, statementTimeoutMs: 0 });
    await database.migrate();
    return {
      database,
      cleanup: async () => {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `souk_bench_ledger_${process.pid}`;
  const admin = new pg.Client({ connectionString: BASE_URL });
  try {
    await admin.connect();
  } catch (error) {
    console.log(`postgres: skipped (${(error as Error).message})`);
    return null;
  }
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  const database = await createDatabase({
    url: url.toString(),
    dataDir: tmpdir(),
    poolMax: CLIENTS + 4,
    guardTransactions: false,
    statementTimeoutMs: 0,
  });
  await database.migrate();
  return {
    database,
    cleanup: async () => {
      await database.close();
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

async function fund(ledger: LedgerModule) {
  const batch = 500;
  for (let start = 0; start < ACCOUNTS; start += batch) {
    const legs = Array.from({ length: Math.min(batch, ACCOUNTS - start) }, (_, i) => ({
      from: clearing,
      to: member(start + i),
      amount: FUNDING,
    }));
    await ledger.service.transaction((tx) =>
      ledger.service.transfer(tx, {
        idempotencyKey: `fund-${start}`,
        reference: { type: 'bench', id: 'fund' },
        legs,
      }),
    );
  }
}

async function load(ledger: LedgerModule, mode: string, sealEverySecond: boolean) {
  const latencies: number[] = [];
  let failures = 0;
  let sealed = 0;
  const deadline = performance.now() + DURATION_S * 1000;
  let counter = 0;
  const sealer = (async () => {
    while (sealEverySecond && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      sealed += (await ledger.audit.seal()).entries;
    }
  })();
  const client = async (c: number) => {
    while (performance.now() < deadline) {
      const a = Math.floor(Math.random() * ACCOUNTS);
      let b = Math.floor(Math.random() * (ACCOUNTS - 1));
      if (b >= a) b++;
      const started = performance.now();
      try {
        await ledger.service.transaction((tx) =>
          ledger.service.transfer(tx, {
            idempotencyKey: `${mode}-${c}-${counter++}`,
            reference: { type: 'bench', id: String(c) },
            legs: [{ from: member(a), to: member(b), amount: 1 + Math.floor(Math.random() * 100) }],
          }),
        );
        latencies.push(performance.now() - started);
      } catch (error) {
        failures++;
        if (failures < 5) console.error(`  ${mode}: ${(error as Error).message}`);
      }
    }
  };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await sealer;
  latencies.sort((x, y) => x - y);
  return {
    mode,
    transfers: latencies.length,
    failures,
    perSecond: Math.round(latencies.length / seconds),
    p50Ms: +percentile(latencies, 50).toFixed(2),
    p99Ms: +percentile(latencies, 99).toFixed(2),
    maxMs: +(latencies.at(-1) ?? 0).toFixed(2),
    sealedEntries: sealed,
    /** CPU this process (the clients and the ledger code) spent per transfer. */
    nodeCpuMsPerTransfer: +((used.user + used.system) / 1000 / Math.max(1, latencies.length)).toFixed(3),
    loadAverage: +(loadavg()[0] ?? 0).toFixed(1),
  };
}

/** Bulk-loads balanced pairs up to `target` entries, with hashes, then balances and blocks. */
async function bulkLoad(database: Database, target: number) {
  const counted = (await database.db.execute(
    sql`select count(*)::int as n, coalesce(max(seq), 0)::text as max from ledger_entries`,
  )) as unknown as { rows: { n: number; max: string }[] };
  const have = Number(counted.rows[0]?.n ?? 0);
  let next = Number(counted.rows[0]?.max ?? 0) + 1;
  const pairs = Math.max(0, Math.ceil((target - have) / 2));
  const chunk = 50_000;
  for (let done = 0; done < pairs; done += chunk) {
    const n = Math.min(chunk, pairs - done);
    await database.transaction(async (tx) => {
      // Bench-only bulk path: triggers off for speed (the hash is computed in the statement).
      await tx.execute(sql`set local session_replication_role = replica`);
      await tx.execute(sql`
        with accounts as (select array_agg(id order by id) as ids from ledger_accounts where owner_type = 'member'),
        t as (
          insert into ledger_transfers (id, idempotency_key, kind, reference_type, reference_id, fingerprint)
          select gen_random_uuid(), 'bulk-' || ${next}::bigint + g, 'transfer', 'bench', 'bulk', 'bulk'
          from generate_series(0, ${n - 1}) g
          returning id, idempotency_key
        ),
        numbered as (select id, (substr(idempotency_key, 6)::bigint - ${next}::bigint) as g from t),
        pairs as (
          select n.id as transfer_id, n.g, a.ids[1 + (n.g % array_length(a.ids, 1))] as debit,
            a.ids[1 + ((n.g + 1) % array_length(a.ids, 1))] as credit, 1 + (n.g % 97) as amount
          from numbered n cross join accounts a
        ),
        rows as (
          select ${next}::bigint + 2 * g as seq, gen_random_uuid() as id, transfer_id, debit as account_id, -amount as amount from pairs
          union all
          select ${next}::bigint + 2 * g + 1, gen_random_uuid(), transfer_id, credit, amount from pairs
        )
        insert into ledger_entries (seq, id, transfer_id, account_id, currency, amount, balance_after, created_at, hash)
        overriding system value
        select seq, id, transfer_id, account_id, 'USD', amount, 0, now(),
          ledger_entry_hash(seq, id, transfer_id, account_id, 'USD', amount, 0, now())
        from rows`);
    });
    next += 2 * n;
    process.stdout.write(`\r  bulk-loaded ${Math.min(have + 2 * (done + n), target)} entries`);
  }
  process.stdout.write('\n');
  await database.transaction(async (tx) => {
    await tx.execute(
      sql`select setval(pg_get_serial_sequence('ledger_entries', 'seq'), (select max(seq) from ledger_entries))`,
    );
    await tx.execute(sql`
      update ledger_accounts a set balance = s.total
      from (select account_id, sum(amount) as total from ledger_entries group by account_id) s
      where s.account_id = a.id and a.balance <> s.total`);
  });
}

async function run(engine: Engine) {
  const opened = await open(engine);
  if (!opened) return null;
  const { database, cleanup } = opened;
  try {
    const ledger = createLedgerModule({ database, signingSeed: Buffer.alloc(32, 7) });
    console.log(`${engine}: funding ${ACCOUNTS} accounts`);
    await fund(ledger);
    await ledger.audit.seal();
    const loads = [];
    for (const mode of MODES) {
      if (mode === 'chain')
        for (const statement of GLOBAL_CHAIN_SQL) await database.db.execute(sql.raw(statement));
      console.log(
        `${engine}: ${CLIENTS} clients, ${DURATION_S} s, tamper evidence: ${mode === 'chain' ? 'one global hash chain' : 'sealed blocks (sealed every second)'}`,
      );
      const result = await load(ledger, mode, mode === 'blocks');
      console.log(`  ${JSON.stringify(result)}`);
      loads.push(result);
      if (mode === 'chain') await database.db.execute(sql.raw(CONTENT_HASH_SQL));
    }
    console.log(`${engine}: loading up to ${VERIFY_ENTRIES} entries for verify`);
    const loadStarted = performance.now();
    await bulkLoad(database, VERIFY_ENTRIES);
    const sealStarted = performance.now();
    const sealedBlocks = await ledger.audit.seal();
    const sealMs = Math.round(performance.now() - sealStarted);
    console.log(
      `  loaded in ${Math.round((sealStarted - loadStarted) / 1000)} s; sealed ${sealedBlocks.blocks} blocks in ${sealMs} ms`,
    );
    const report = await ledger.audit.verify(database.db);
    const verify = {
      entries: report.entries,
      blocks: report.blocks,
      ms: report.durationMs,
      ok: report.ok,
      firstBadEntry: report.firstBadEntry ?? null,
      balanceMismatches: report.balanceMismatches.length,
    };
    console.log(`  verify: ${JSON.stringify(verify)}`);
    return { engine, accounts: ACCOUNTS, clients: CLIENTS, durationS: DURATION_S, loads, sealMs, verify };
  } finally {
    await cleanup();
  }
}

const results = [];
for (const engine of ENGINES) {
  const result = await run(engine);
  if (!result) continue;
  results.push(result);
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(
    join(RESULTS_DIR, `ledger-${engine}.json`),
    JSON.stringify({ ...result, at: new Date(), loadavg: loadavg(), cpus: availableParallelism() }, null, 2),
  );
}
console.log(
  `\nload average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${availableParallelism()} CPUs`,
);
console.log('engine    mode    transfers/s   p50 ms   p99 ms   failures   | verify entries   verify s');
for (const r of results) {
  for (const l of r.loads) {
    console.log(
      `${r.engine.padEnd(9)} ${l.mode.padEnd(7)} ${String(l.perSecond).padStart(11)} ${String(l.p50Ms).padStart(8)} ${String(l.p99Ms).padStart(8)} ${String(l.failures).padStart(10)}   | ${String(r.verify.entries).padStart(14)} ${(r.verify.ms / 1000).toFixed(1).padStart(10)}`,
    );
  }
}
process.exit(0);
