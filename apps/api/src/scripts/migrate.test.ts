import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, it } from 'vitest';
import { dropDatabase, urlFor } from '../test-support/postgres.js';

/*
 * `npm run migrate` as a deploy runs it (the Kubernetes Job, the compose `migrate` service): a
 * real process on an empty database, which must end migrated, with pg-boss's schema, and exit 0;
 * a second run (the next release with nothing new) is a no-op that exits 0 too. Its job queues
 * are made too, so the nodes started next do not create them at once.
 */

const run = promisify(execFile);
const baseUrl = process.env.TEST_DATABASE_URL;
const journal = JSON.parse(
  readFileSync(new URL('../../drizzle/meta/_journal.json', import.meta.url), 'utf8'),
) as { entries: unknown[] };
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function migrate(env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'souk-migrate-'));
  cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  return run(process.execPath, ['--conditions=@souk/source', '--import', 'tsx', 'src/scripts/migrate.ts'], {
    env: { PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: 'info', DATA_DIR: dataDir, ...env },
    timeout: 120_000,
  });
}

describe('npm run migrate', () => {
  it.runIf(baseUrl)(
    'migrates an empty PostgreSQL database, exits 0, and exits 0 again with nothing to do',
    async () => {
      const name = `souk_migrate_${uuidv7().replaceAll('-', '').slice(-12)}`;
      const admin = new pg.Client({ connectionString: baseUrl });
      await admin.connect();
      await admin.query(`create database "${name}"`);
      await admin.end();
      cleanups.push(() => dropDatabase(baseUrl as string, name));
      const url = urlFor(baseUrl as string, name);

      const first = await migrate({ DATABASE_URL: url });
      expect(first.stdout).toContain('migrations applied');
      const second = await migrate({ DATABASE_URL: url });
      expect(second.stdout).toContain('migrations applied');

      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const applied = await client.query('select count(*)::int as n from drizzle.__drizzle_migrations');
        expect(applied.rows[0].n).toBe(journal.entries.length);
        const tables = await client.query(
          `select table_schema, table_name from information_schema.tables
          where (table_schema, table_name) in (('public', 'profiles'), ('public', 'listings'), ('pgboss', 'job'))`,
        );
        expect(tables.rows).toHaveLength(3);
        // The nodes that start next find every queue made (creating them at once deadlocked).
        const queues = await client.query('select count(*)::int as n from pgboss.queue');
        expect(queues.rows[0].n).toBeGreaterThan(10);
      } finally {
        await client.end();
      }
    },
    240_000,
  );

  it('migrates an empty embedded database and exits 0', async () => {
    const { stdout } = await migrate({});
    expect(stdout).toContain('"database":"pglite"');
  }, 240_000);
});
