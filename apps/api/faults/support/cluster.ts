import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './ports.js';
import { waitUntil } from './wait.js';

const run = promisify(execFile);

/** Where Debian and Ubuntu put PostgreSQL 15; PG_BIN overrides it. */
const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export type StopMode = 'fast' | 'immediate';

/** A throwaway PostgreSQL cluster on a free port, for tests that stop, crash or freeze it. */
export type Cluster = {
  readonly port: number;
  readonly dataDir: string;
  /** postgres:// URL of `database` (default `postgres`) as the `postgres` superuser. */
  url(database?: string): string;
  /** `pg_ctl stop -m <mode>`: `fast` is an operator's restart, `immediate` is a crash. */
  stop(mode: StopMode): Promise<void>;
  /** `pg_ctl start`, then waits until it accepts queries (after crash recovery). */
  start(): Promise<void>;
  /** SIGSTOP of the postmaster and every backend: the server holds its sockets and answers nothing. */
  freeze(): Promise<void>;
  thaw(): Promise<void>;
  /** Runs one statement on a short-lived connection. */
  query<Row extends object = Record<string, unknown>>(
    sql: string,
    values?: unknown[],
    database?: string,
  ): Promise<Row[]>;
  /** Stops the cluster (immediately) and deletes its directory. */
  destroy(): Promise<void>;
};

// initdb and postgres refuse to run as root: run them as the `postgres` OS user then.
export const asRoot = process.getuid?.() === 0;
export const pgUser = () => {
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n');
  const line = passwd.find((entry) => entry.startsWith('postgres:'));
  if (!line) throw new Error('running as root needs a `postgres` OS user to run PostgreSQL as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
};

export async function pgCommand(binary: string, args: string[], timeoutMs = 120_000) {
  const file = join(PG_BIN, binary);
  const [command, commandArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  return run(command, commandArgs, { timeout: timeoutMs });
}

/**
 * Stops the server in `dataDir` at once when the test process exits, however it exits (the
 * 'exit' event allows synchronous work only). `before` runs first, e.g. to thaw a frozen server.
 */
export function stopOnExit(dataDir: string, before?: () => void): () => void {
  const stop = () => {
    try {
      before?.();
      const file = join(PG_BIN, 'pg_ctl');
      const args = ['-D', dataDir, 'stop', '-m', 'immediate'];
      execFileSync(asRoot ? 'runuser' : file, asRoot ? ['-u', 'postgres', '--', file, ...args] : args, {
        stdio: 'ignore',
      });
    } catch {
      // Already stopped.
    }
  };
  process.once('exit', stop);
  /** Forgets the server (it was stopped and deleted on purpose). */
  return () => {
    process.removeListener('exit', stop);
  };
}

export async function startCluster(options: { settings?: Record<string, string> } = {}): Promise<Cluster> {
  if (!existsSync(join(PG_BIN, 'initdb'))) {
    throw new Error(`PostgreSQL 15 binaries not found in ${PG_BIN} (set PG_BIN)`);
  }
  const root = mkdtempSync(join(tmpdir(), 'souk-faults-pg-'));
  const dataDir = join(root, 'data');
  const socketDir = root;
  const logFile = join(root, 'postgres.log');
  if (asRoot) {
    const { uid, gid } = pgUser();
    chownSync(root, uid, gid);
    chmodSync(root, 0o700);
  }
  await pgCommand('initdb', ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync']);
  const port = await freePort();
  const settings: Record<string, string> = {
    port: String(port),
    listen_addresses: "'127.0.0.1'",
    unix_socket_directories: `'${socketDir}'`,
    // Durable as in production: the suite checks that no acknowledged write is lost.
    fsync: 'on',
    synchronous_commit: 'on',
    max_connections: '200',
    shared_buffers: '64MB',
    ...options.settings,
  };
  // One line per setting, each ending in a newline: tools that append to this file
  // (pg_basebackup -R adds primary_conninfo) start on a line of their own.
  writeFileSync(
    join(dataDir, 'postgresql.auto.conf'),
    Object.entries(settings)
      .map(([key, value]) => `${key} = ${value}\n`)
      .join(''),
  );
  if (asRoot) {
    const { uid, gid } = pgUser();
    chownSync(join(dataDir, 'postgresql.auto.conf'), uid, gid);
  }

  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const accepts = async () => {
    const client = new pg.Client({ connectionString: url(), connectionTimeoutMillis: 1_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  };
  const pgCtl = (args: string[]) => pgCommand('pg_ctl', ['-D', dataDir, ...args]);
  const start = async () => {
    await pgCtl(['start', '-w', '-t', '120', '-l', logFile]);
    await waitUntil(accepts, { timeoutMs: 120_000, what: 'PostgreSQL to accept queries' });
  };
  /** The postmaster and its children (backends, checkpointer, walwriter...). */
  const processIds = async (): Promise<number[]> => {
    const postmaster = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    const { stdout } = await run('ps', ['-o', 'pid=', '--ppid', String(postmaster)]);
    return [postmaster, ...stdout.split('\n').map(Number).filter(Boolean)];
  };
  let frozen: number[] = [];
  const thaw = async () => {
    for (const pid of frozen.reverse()) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // It ended while frozen (nothing should, but a thaw must not fail on it).
      }
    }
    frozen = [];
  };

  // A test runner that dies must not leave its cluster running (or frozen).
  const forgetOnExit = stopOnExit(dataDir, () => {
    for (const pid of frozen) process.kill(pid, 'SIGCONT');
  });

  await start();
  return {
    port,
    dataDir,
    url,
    async stop(mode) {
      await pgCtl(['stop', '-w', '-t', '60', '-m', mode]);
    },
    start,
    async freeze() {
      frozen = await processIds();
      // The postmaster first, so it forks nothing new while its children are stopped.
      for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    },
    thaw,
    async query(sql, values, database) {
      const client = new pg.Client({ connectionString: url(database), connectionTimeoutMillis: 10_000 });
      client.on('error', () => {});
      await client.connect();
      try {
        return (await client.query(sql, values)).rows;
      } finally {
        await client.end();
      }
    },
    async destroy() {
      forgetOnExit();
      if (frozen.length > 0) await thaw();
      await pgCtl(['stop', '-w', '-m', 'immediate']).catch(() => {});
      rmSync(root, { recursive: true, force: true });
    },
  };
}
