import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { type Config, ConfigError, loadConfig } from '../platform/config.js';
import { createProgress } from './progress.js';

/*
 * What `npm run backup` writes and `npm run restore` reads. A backup is a folder:
 *   manifest.json    this format: engine, the row count of every table, the index count, media
 *   database.dump    PostgreSQL: pg_dump's custom format
 *   pglite/          PGlite: a copy of DATA_DIR/pglite taken while no process had it open
 *   keys/            DATA_DIR/keys (the sign-in signing keys), unless they come from the environment
 *   media/           DATA_DIR/media, unless the files are in an S3 bucket
 */

export const MANIFEST_FORMAT = 'souk-backup/1';

export type Engine = 'pglite' | 'postgres';

export type DatabaseCounts = {
  /** Rows of every table, `schema.table` (leaf partitions, so each row is counted once). */
  tables: Record<string, number>;
  /** Valid indexes outside the system schemas. */
  indexes: number;
};

export type Manifest = {
  format: typeof MANIFEST_FORMAT;
  createdAt: string;
  engine: Engine;
  database: DatabaseCounts & { serverVersion: string };
  /** `files`: keys/ holds DATA_DIR/keys; `environment`: AUTH_SIGNING_KEYS and AUTH_ENCRYPTION_KEY. */
  keys: 'files' | 'environment' | 'none';
  media:
    | { kind: 'local'; files: number; bytes: number }
    | { kind: 's3'; bucket: string; endpoint: string | null };
};

export type Query = (text: string) => Promise<Record<string, unknown>[]>;

const TABLES = `
  select n.nspname as schema, c.relname as name
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
  where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'
  order by 1, 2`;

const INDEXES = `
  select count(*)::int as n
  from pg_index i join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
  where i.indisvalid and n.nspname not in ('pg_catalog', 'information_schema')
    and n.nspname not like 'pg\\_toast%'`;

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Counts every row of every table, and the valid indexes: what a restore must give back. */
export async function countDatabase(query: Query): Promise<DatabaseCounts> {
  const tables: Record<string, number> = {};
  for (const row of await query(TABLES)) {
    const schema = String(row.schema);
    const name = String(row.name);
    const [count] = await query(`select count(*)::bigint as n from ${quoted(schema)}.${quoted(name)}`);
    tables[`${schema}.${name}`] = Number(count?.n);
  }
  const [indexes] = await query(INDEXES);
  return { tables, indexes: Number(indexes?.n) };
}

/** What differs between the backup's counts and the restored database's, one line each. */
export function countDifferences(expected: DatabaseCounts, actual: DatabaseCounts): string[] {
  const differences: string[] = [];
  for (const name of new Set([...Object.keys(expected.tables), ...Object.keys(actual.tables)])) {
    const want = expected.tables[name];
    const got = actual.tables[name];
    if (want !== got)
      differences.push(`${name}: ${want ?? 'missing'} rows in the backup, ${got ?? 'missing'} restored`);
  }
  if (expected.indexes !== actual.indexes) {
    differences.push(`indexes: ${expected.indexes} in the backup, ${actual.indexes} restored`);
  }
  return differences;
}

export const totalRows = (counts: DatabaseCounts) =>
  Object.values(counts.tables).reduce((sum, count) => sum + count, 0);

/** Every file under `root` (relative paths), skipping uploads still being written (`.*.tmp`). */
export function filesUnder(root: string): { path: string; bytes: number }[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !(entry.name.startsWith('.') && entry.name.endsWith('.tmp')))
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path: relative(root, path), bytes: statSync(path).size };
    });
}

/** Copies the files of `from` into `to` with a progress line; returns the count and bytes. */
export async function copyTree(
  label: string,
  from: string,
  to: string,
): Promise<{ files: number; bytes: number }> {
  const files = filesUnder(from);
  const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
  await mkdir(to, { recursive: true, mode: 0o700 });
  // Empty folders too: a PostgreSQL data directory does not start without its empty ones
  // (pg_tblspc, pg_twophase...).
  if (existsSync(from)) {
    for (const entry of readdirSync(from, { recursive: true, withFileTypes: true })) {
      if (entry.isDirectory()) {
        await mkdir(join(to, relative(from, join(entry.parentPath, entry.name))), {
          recursive: true,
          mode: 0o700,
        });
      }
    }
  }
  if (files.length === 0) return { files: 0, bytes: 0 };
  const progress = createProgress(label, files.length);
  progress.update(0);
  let done = 0;
  let next = 0;
  // A few copies at once: media folders hold many small files.
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++] as { path: string };
      const target = join(to, file.path);
      await mkdir(dirname(target), { recursive: true });
      await copyFile(join(from, file.path), target);
      done += 1;
      progress.update(done);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  progress.finish();
  return { files: files.length, bytes };
}

/** True when `dir` is missing or holds no file (empty folders are fine). */
export function isEmptyDir(dir: string): boolean {
  return filesUnder(dir).length === 0;
}

/**
 * Processes other than this one with a file under `dir` open (Linux's /proc), or null where that
 * cannot be seen. A running Souk keeps PGlite's relation files open; PGlite's postmaster.pid
 * holds no real process id, so it cannot tell a running server from a crashed one.
 */
export function processesUsing(dir: string): number[] | null {
  if (!existsSync('/proc/self/fd')) return null;
  const holders: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone, or another user's
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (target === dir || target.startsWith(dir + sep)) {
        holders.push(pid);
        break;
      }
    }
  }
  return holders;
}

/** A postgres:// URL without its password (for the command line) and the password apart. */
export function splitPassword(url: string): { url: string; password: string | null } {
  const parsed = new URL(url);
  const password = parsed.password ? decodeURIComponent(parsed.password) : null;
  parsed.password = '';
  return { url: parsed.toString(), password };
}

/** `host:port/database` of a URL, to name it in messages without credentials. */
export function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

export function pgTool(name: 'pg_dump' | 'pg_restore', binDir: string | undefined): string {
  return binDir ? join(binDir, name) : name;
}

/** The major version of pg_dump or pg_restore, or null when it cannot be run. */
export async function toolMajorVersion(command: string): Promise<number | null> {
  try {
    const { code, stdout } = await run(command, ['--version'], {});
    const major = /\(PostgreSQL\) (\d+)/.exec(stdout)?.[1];
    return code === 0 && major ? Number(major) : null;
  } catch {
    return null;
  }
}

/**
 * Runs a PostgreSQL client tool with the password in PGPASSWORD (not in the process list),
 * handing every stderr line to `onLine`; resolves with the exit code and the other output.
 */
export function run(
  command: string,
  args: string[],
  options: { password?: string | null; onLine?: (line: string) => void },
): Promise<{ code: number; stdout: string; stderr: string[] }> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env };
    if (options.password) env.PGPASSWORD = options.password;
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    const stderr: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderr.push(line);
      options.onLine?.(line);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const units = ['B', 'KB', 'MB', 'GB', 'TB'];
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

export const formatNumber = (value: number) => value.toLocaleString('en-US');

/** A precondition that is not met: the message says what to do, and the exit code is 2. */
export class Refusal extends Error {}

/** The settings `npm start` would use: `.env` in `cwd` when there is one (the environment wins). */
export function loadScriptConfig(cwd: string): Config {
  if (existsSync(join(cwd, '.env'))) process.loadEnvFile(join(cwd, '.env'));
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(2);
  }
}

/** A refusal exits 2 with its message; anything else exits 1 naming the step that failed. */
export function reportFailure(what: 'backup' | 'restore', error: unknown): void {
  if (error instanceof Refusal) {
    console.error(error.message);
    process.exitCode = 2;
  } else {
    console.error(`${what} failed: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
