/**
 * What the benchmarks share: settings from the environment, how Souk is started (built or from
 * source), clean-up that runs once however the run ends, throwaway PostgreSQL databases, and
 * table output. Child processes and HTTP are in ./processes.ts.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export type Engine = 'postgres' | 'pglite';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const RESULTS_DIR = join(ROOT, 'bench', 'results');

const env = process.env;

/** A whole number from the environment in [1, max], or exit 2 with a message. */
export function positiveInt(name: string, fallback: number, max = 3600, unit = 'seconds'): number {
  const raw = env[name];
  if (!raw) return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < 1 || value > max) {
    console.error(
      `${name} must be a whole number of ${unit} between 1 and ${max} (got ${JSON.stringify(raw)})`,
    );
    process.exit(2);
  }
  return value;
}

export function parseEngines(raw: string, variable = 'BENCH_ENGINES'): Engine[] {
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const bad = names.filter((name) => name !== 'postgres' && name !== 'pglite');
  if (bad.length > 0 || names.length === 0) {
    console.error(`${variable} lists postgres and/or pglite (got ${JSON.stringify(raw)})`);
    process.exit(2);
  }
  return names as Engine[];
}

export const isTruthy = (raw: string | undefined) => raw === '1' || raw === 'true';

/**
 * The built server when both builds exist and are newer than the sources (as in production),
 * else the sources through tsx. BENCH_SERVER=dist|src forces one.
 */
export function serverMode(raw: string | undefined): 'dist' | 'src' {
  if (raw && raw !== 'dist' && raw !== 'src') {
    console.error(`BENCH_SERVER is dist or src (got ${JSON.stringify(raw)})`);
    process.exit(2);
  }
  const builds = [join(ROOT, 'apps/api/dist/main.js'), join(ROOT, 'packages/contracts/dist/index.js')];
  const built = builds.every((file) => existsSync(file));
  if (raw === 'dist' && !built) {
    console.error(
      'BENCH_SERVER=dist needs `npm run build -w @souk/contracts && npm run build -w @souk/api` first',
    );
    process.exit(2);
  }
  if (raw === 'src' || raw === 'dist') return raw;
  if (!built) return 'src';
  const builtAt = Math.min(...builds.map((file) => statSync(file).mtimeMs));
  const editedAt = Math.max(
    newestSource(join(ROOT, 'apps/api/src')),
    newestSource(join(ROOT, 'packages/contracts/src')),
  );
  if (editedAt > builtAt) {
    console.log(
      'note: apps/api/dist is older than the sources; measuring the sources via tsx (BENCH_SERVER=dist to force)',
    );
    return 'src';
  }
  return 'dist';
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts')) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/** `node` arguments that run an entry point of apps/api (`main`, `scripts/seed`) in `mode`. */
export function apiArgs(mode: 'dist' | 'src', entry: string): string[] {
  return mode === 'dist'
    ? [join(ROOT, `apps/api/dist/${entry}.js`)]
    : ['--conditions=@souk/source', '--import', 'tsx', join(ROOT, `apps/api/src/${entry}.ts`)];
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------
// Clean-up: everything started registers how to undo it; Ctrl-C and errors run what is left.
// Each undo runs once: a second call (the engine's `finally` racing a Ctrl-C) awaits the first.

type Undo = { label: string; run: () => Promise<void>; running?: Promise<void> };
const undo: Undo[] = [];

function runUndo(entry: Undo): Promise<void> {
  entry.running ??= withTimeout(entry.run(), 20_000, entry.label).catch((error: unknown) =>
    console.error(`clean-up of ${entry.label} failed: ${(error as Error).message}`),
  );
  return entry.running;
}

/** Registers `run` to undo something; returns a function that runs it now (once). */
export function onCleanup(label: string, run: () => Promise<void>): () => Promise<void> {
  const entry: Undo = { label, run };
  undo.push(entry);
  return () => runUndo(entry);
}

/** Undoes everything in reverse order: servers before their data. */
export async function cleanupAll(): Promise<void> {
  for (const entry of [...undo].reverse()) await runUndo(entry);
}

let interruptedAt = 0;
let onInterrupt: (() => void) | undefined;

/** Whether Ctrl-C (or SIGTERM) arrived; long steps check it and stop. */
export const interrupted = () => interruptedAt > 0;

/** What to stop at once on Ctrl-C (the running load generator), besides the clean-up. */
export function setInterruptHandler(handler: (() => void) | undefined): void {
  onInterrupt = handler;
}

// Ctrl-C reaches this process several times (from the terminal, and relayed by npm and tsx), and
// reaches the servers directly too; only a Ctrl-C more than 3 s after the first skips clean-up.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interruptedAt > 0) {
      if (Date.now() - interruptedAt > 3000) {
        console.error('leaving without finishing clean-up');
        process.exit(130); // children are SIGKILLed on exit
      }
      return;
    }
    interruptedAt = Date.now();
    console.error(`\n${signal}: stopping, cleaning up…`);
    onInterrupt?.();
    void cleanupAll().finally(() => process.exit(130));
  });
}

/** Ends the run: clean-up first, then exit with `code`. */
export function finish(run: Promise<number>): void {
  run
    .catch((error: unknown) => {
      console.error(`benchmark failed: ${(error as Error).stack ?? String(error)}`);
      return 1;
    })
    .then(async (code) => {
      await cleanupAll();
      process.exit(code);
    });
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

/**
 * Creates a throwaway database `souk_bench_<random>` on `adminUrl` (dropped at clean-up), or
 * returns why PostgreSQL cannot be used.
 */
export async function createPostgresDatabase(
  adminUrl: string,
  log: (line: string) => void,
): Promise<{ url: string; name: string; drop: () => Promise<void> } | string> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await withTimeout(admin.connect(), 6000, 'connecting to PostgreSQL');
  } catch (error) {
    await admin.end().catch(() => {});
    return `PostgreSQL unreachable at ${redact(adminUrl)} (${(error as Error).message})`;
  }
  const name = `souk_bench_${randomBytes(5).toString('hex')}`;
  // Registered before `create database`, so a Ctrl-C during it still drops what it made.
  const drop = onCleanup(`database ${name}`, async () => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
    try {
      await withTimeout(client.connect(), 6000, 'connecting to PostgreSQL');
      const { rowCount } = await withTimeout(
        client.query('select 1 from pg_database where datname = $1', [name]),
        5000,
        'looking up the database',
      );
      if (!rowCount) return;
      await withTimeout(client.query(`drop database "${name}" with (force)`), 12_000, 'drop database');
      log(`dropped database ${name}`);
    } finally {
      await client.end().catch(() => {});
    }
  });
  try {
    await withTimeout(admin.query(`create database "${name}"`), 30_000, 'create database');
  } catch (error) {
    await drop();
    throw error;
  } finally {
    await admin.end().catch(() => {});
  }
  log(`created database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name, drop };
}

// ---------------------------------------------------------------------------------------------
// Output

export function fmtInt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function percent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? '?' : `${(ratio * 100).toFixed(1)} %`;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** A plain-text table: the first `leftColumns` columns left-aligned, the rest right-aligned. */
export function table(header: string[], rows: string[][], leftColumns = 2): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column < leftColumns ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}
