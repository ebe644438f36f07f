import { closeSync, createReadStream, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../app.js';
import { detectFormat } from '../modules/imports/imports.format.js';
import { loadConfig } from '../platform/config.js';
import { createPlatform } from '../platform/index.js';
import { createProgress } from './progress.js';

const usage = `npm run import -- FILE [--seller EMAIL] [--images ZIP] [--dry-run] [--withdraw-missing]

Imports listings from FILE (CSV with a header row, or JSON Lines; see docs/import.md) for one
seller, matched by the seller's external id: new rows are created, changed ones updated, the
same ones left alone. Rows that fail are listed with the reason per field; the others land.
  --seller EMAIL      the seller's account (default: ADMIN_EMAIL)
  --create-seller     create the seller's account first if there is none (a verified member)
  --images ZIP        a zip archive holding the images rows name by path
  --dry-run           check every row and count what would change; write nothing
  --withdraw-missing  take the seller's active imported listings missing from FILE back to draft
Uses DATABASE_URL (PostgreSQL) when set, else the embedded database in DATA_DIR.`;

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      seller: { type: 'string' },
      images: { type: 'string' },
      'create-seller': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'withdraw-missing': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
try {
  args = parse();
} catch (error) {
  console.error(`${(error as Error).message}\n\n${usage}`);
  process.exit(2);
}
if (args.values.help) {
  console.log(usage);
  process.exit(0);
}
const [file] = args.positionals;
if (!file || args.positionals.length > 1) {
  console.error(usage);
  process.exit(2);
}
const path = resolve(process.env.INIT_CWD ?? process.cwd(), file);
const archivePath = args.values.images
  ? resolve(process.env.INIT_CWD ?? process.cwd(), args.values.images)
  : null;
let size: number;
try {
  size = statSync(path).size;
  if (archivePath) statSync(archivePath);
} catch (error) {
  console.error(`cannot read ${(error as NodeJS.ErrnoException).path ?? path}: ${(error as Error).message}`);
  process.exit(2);
}

const config = loadConfig();
const email = (args.values.seller ?? config.ADMIN_EMAIL)?.trim().toLowerCase();
if (!email) {
  console.error(`name the seller with --seller EMAIL (or set ADMIN_EMAIL)\n\n${usage}`);
  process.exit(2);
}

const head = Buffer.alloc(64);
const fd = openSync(path, 'r');
const headBytes = readSync(fd, head, 0, 64, 0);
closeSync(fd);
const format = detectFormat(basename(path), head.subarray(0, headBytes));

/** The process's peak resident memory (Linux keeps it in /proc), or 0 where unknown. */
function highWaterRss(): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

const platform = await createPlatform(config);
try {
  const app = await buildApp(platform, { webDistDir: null });
  await platform.jobs.start({ work: false });
  const accounts = app.modules.auth.service;
  let sellerId = await accounts.accounts.idOfEmail(email);
  if (!sellerId && args.values['create-seller']) {
    const password = crypto.randomUUID();
    sellerId =
      (await accounts.ensureMembers([{ email, displayName: email.split('@')[0] ?? email }], password))[0] ??
      null;
    console.log(`created the seller account ${email} (reset its password to sign in)`);
  }
  if (!sellerId) {
    console.error(`no account ${email}: sign it up first, or add --create-seller`);
    process.exitCode = 1;
  } else {
    const dryRun = Boolean(args.values['dry-run']);
    console.log(
      `${dryRun ? 'checking' : 'importing'} ${basename(path)} (${format}, ${(size / 1024 / 1024).toFixed(1)} MB) for ${email} ` +
        `into ${platform.database.kind === 'postgres' ? 'PostgreSQL' : `the embedded database in ${config.DATA_DIR}`}`,
    );
    const progress = createProgress('rows', 0);
    let peakRss = process.memoryUsage().rss;
    const started = performance.now();
    // Starts the clock; the total is a guess (about 200 bytes a row) until bytes have been read.
    progress.update(0, Math.max(1, Math.round(size / 200)));
    const job = await app.modules.imports.service.runLocal(
      {
        sellerId,
        fileName: basename(path),
        fileSize: size,
        format,
        dryRun,
        withdrawMissing: Boolean(args.values['withdraw-missing']),
        source: { file: () => createReadStream(path, { highWaterMark: 256 * 1024 }), archivePath },
      },
      (row) => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        // The total is unknown until the end: estimate it from the bytes read so far.
        const estimate = row.bytesDone > 0 ? Math.round((row.rowsDone * size) / row.bytesDone) : row.rowsDone;
        progress.update(row.rowsDone, Math.max(estimate, row.rowsDone));
      },
    );
    const seconds = (performance.now() - started) / 1000;
    peakRss = Math.max(peakRss, highWaterRss());
    progress.update(job.progress.rowsDone, job.progress.rowsDone);
    progress.finish();
    const p = job.progress;
    const n = (value: number) => value.toLocaleString('en-US');
    console.log(
      `${job.status}${dryRun ? ' (dry run: nothing written)' : ''}: ${n(p.rowsDone)} rows in ${seconds.toFixed(1)} s ` +
        `(${n(Math.round(p.rowsDone / seconds))} rows/s), peak RSS ${Math.round(peakRss / 1024 / 1024)} MB — ` +
        `created ${n(p.created)}, updated ${n(p.updated)}, unchanged ${n(p.unchanged)}, failed ${n(p.failed)}` +
        (job.withdrawMissing ? `, withdrawn ${n(p.withdrawn)}` : ''),
    );
    if (job.error) console.error(job.error);
    if (p.failed > 0) {
      const failures = await app.modules.imports.service.failures(
        { actor: { userId: sellerId, roles: ['member'] }, requestId: 'cli', sessionId: null },
        job.id,
        { limit: 10 },
      );
      console.log('first failed rows:');
      for (const failure of failures.items) {
        console.log(
          `  row ${failure.row}${failure.externalId ? ` (${failure.externalId})` : ''}: ${failure.errors
            .map((error) => `${error.path}: ${error.message}`)
            .join('; ')}`,
        );
      }
      console.log(`the whole report: GET /api/v1/imports/${job.id}/report.csv (signed in as the seller)`);
    }
    if (job.status === 'failed') process.exitCode = 1;
  }
  await app.close();
} finally {
  await platform.close();
}
