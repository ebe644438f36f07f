import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { asRoot, type Cluster, pgCommand, pgUser, stopOnExit } from './cluster.js';
import { freePort } from './ports.js';
import { waitUntil } from './wait.js';

/** A hot standby of a test cluster, streaming from it, on a port of its own. */
export type Replica = {
  readonly port: number;
  url(database?: string): string;
  query<Row extends object = Record<string, unknown>>(sql: string, database?: string): Promise<Row[]>;
  /** `pg_ctl stop -m immediate`: the replica is gone at once, connections and all. */
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
};

/**
 * `pg_basebackup -R` of `primary` (whose pg_hba, as initdb writes it, trusts local replication
 * connections; wal_level is `replica` by default), started as a streaming hot standby.
 */
export async function startReplica(primary: Cluster): Promise<Replica> {
  const root = mkdtempSync(join(tmpdir(), 'souk-faults-replica-'));
  const dataDir = join(root, 'data');
  if (asRoot) {
    const { uid, gid } = pgUser();
    chownSync(root, uid, gid);
    chmodSync(root, 0o700);
  }
  await pgCommand('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    dataDir,
    '-R',
    '-X',
    'stream',
    '--checkpoint=fast',
    '--no-sync',
  ]);
  const port = await freePort();
  // The copy carries the primary's settings; later lines win.
  const autoConf = join(dataDir, 'postgresql.auto.conf');
  writeFileSync(
    autoConf,
    `${readFileSync(autoConf, 'utf8')}port = ${port}\nunix_socket_directories = '${root}'\nhot_standby = on\n`,
  );
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const logFile = join(root, 'postgres.log');
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
  const start = async () => {
    await pgCommand('pg_ctl', ['-D', dataDir, 'start', '-w', '-t', '120', '-l', logFile]);
    await waitUntil(accepts, { timeoutMs: 120_000, what: 'the replica to accept queries' });
  };
  stopOnExit(dataDir);
  await start();
  return {
    port,
    url,
    async query(sql, database) {
      const client = new pg.Client({ connectionString: url(database), connectionTimeoutMillis: 10_000 });
      client.on('error', () => {});
      await client.connect();
      try {
        return (await client.query(sql)).rows;
      } finally {
        await client.end();
      }
    },
    async stop() {
      await pgCommand('pg_ctl', ['-D', dataDir, 'stop', '-w', '-t', '60', '-m', 'immediate']);
    },
    start,
    async destroy() {
      process.removeListener('exit', stopOnExit);
      await pgCommand('pg_ctl', ['-D', dataDir, 'stop', '-w', '-m', 'immediate']).catch(() => {});
      rmSync(root, { recursive: true, force: true });
    },
  };
}
