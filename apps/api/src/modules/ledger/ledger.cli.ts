import { join } from 'node:path';
import { loadConfig, redactUrl } from '../../platform/config.js';
import { createDatabase } from '../../platform/db/database.js';
import { sqlState } from '../../platform/db/errors.js';
import { createDigestSigner, createLedgerAudit } from './ledger.audit.js';

/**
 * `npm run ledger:verify`: recomputes every entry's hash, every sealed block, every balance and
 * every transfer's sums from the entries (DATABASE_URL, else the PGlite data in DATA_DIR), prints
 * the report as JSON and exits 1 when anything does not match, naming the first bad entry.
 * `--seal` seals the entries written since the last block first (as the minute job does).
 */
const config = loadConfig();
const database = await createDatabase({
  url: config.DATABASE_URL,
  dataDir: join(config.DATA_DIR, 'pglite'),
  poolMax: 2,
  statementTimeoutMs: 0,
  guardTransactions: false,
});
try {
  // Verify signs nothing: the seed only satisfies the audit's shape.
  const audit = createLedgerAudit({ database, signer: createDigestSigner(Buffer.alloc(32)) });
  if (process.argv.includes('--seal')) console.error(`sealed: ${JSON.stringify(await audit.seal())}`);
  const report = await audit.verify(database.db);
  console.log(JSON.stringify(report, null, 2));
  if (report.firstBadEntry) {
    console.error(
      `FIRST BAD ENTRY: seq ${report.firstBadEntry.seq}, id ${report.firstBadEntry.id} (transfer ${report.firstBadEntry.transferId}): its hash does not match its content`,
    );
  }
  if (report.firstBadBlock) {
    console.error(
      `FIRST BAD BLOCK: ${report.firstBadBlock.number} (entries ${report.firstBadBlock.firstSeq}..${report.firstBadBlock.lastSeq}): ${report.firstBadBlock.problem}`,
    );
  }
  console.error(
    report.ok
      ? `ledger verified: ${report.entries} entries, ${report.blocks} blocks in ${report.durationMs} ms`
      : 'LEDGER VERIFY FAILED',
  );
  process.exitCode = report.ok ? 0 : 1;
} catch (error) {
  const missing = sqlState(error) === '42P01' || sqlState((error as { cause?: unknown }).cause) === '42P01';
  console.error(
    missing
      ? 'ledger verify: this database has no ledger tables (run `npm run migrate` first)'
      : `ledger verify failed to run: ${redactUrl((error as Error).message)}`,
  );
  process.exitCode = 2;
} finally {
  await database.close();
}
