import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type App, buildApp } from '../app.js';
import { multipart } from '../modules/media/media.test-support.js';
import { loadConfig } from '../platform/config.js';
import { systemContext } from '../platform/http/context.js';
import { twoTonePhoto } from '../platform/images/test-images.js';
import { createPlatform, type Platform } from '../platform/index.js';
import { createLogger } from '../platform/logger.js';
import { listingFixtures } from '../test-support/listing-fixtures.js';
import { copyDatabase, dropDatabase, urlFor } from '../test-support/postgres.js';
import type { TestApp, TestUser } from '../test-support/test-app.js';

/*
 * `npm run backup` of a Souk with members, a listing, an uploaded photo and a signed-in session,
 * `npm run restore` into a new database and DATA_DIR, then Souk started on the restore: every
 * row, the photo and the session must be there. The scripts run as real processes, as an
 * operator runs them.
 */

const run = promisify(execFile);
const baseUrl = process.env.TEST_DATABASE_URL;
const template = inject('templateDatabase');
const engines = baseUrl && template ? (['pglite', 'postgres'] as const) : (['pglite'] as const);
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `souk-${label}-`));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A new, empty PostgreSQL database (dropped after the file). */
async function emptyDatabase(): Promise<string> {
  const name = `souk_restore_${uuidv7().replaceAll('-', '').slice(-12)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database "${name}"`);
  await admin.end();
  cleanups.push(() => dropDatabase(baseUrl as string, name));
  return urlFor(baseUrl as string, name);
}

type Souk = { app: App; platform: Platform; close(): Promise<void> };

/** Souk on a real DATA_DIR (PGlite on disk, keys, media), as `npm start` runs it. */
async function startSouk(env: Record<string, string>): Promise<Souk> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', ...env });
  const platform = await createPlatform(config, { logger: createLogger('silent') });
  const app = await buildApp(platform, { webDistDir: null });
  await platform.jobs.start({ work: false });
  await app.ready();
  return {
    app,
    platform,
    async close() {
      await app.close();
      await platform.close();
    },
  };
}

/** Runs `npm run backup` / `npm run restore` (the script itself) with only the given settings. */
async function script(name: 'backup' | 'restore', args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--conditions=@souk/source', '--import', 'tsx', `src/scripts/${name}.ts`, ...args],
      {
        cwd: join(import.meta.dirname, '../..'),
        // INIT_CWD: no .env of the developer's is read.
        env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), INIT_CWD: tmpdir(), ...env },
        timeout: 180_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

type Snapshot = { tables: Record<string, string>; indexes: string[] };
type Rows = (text: string) => Promise<Record<string, unknown>[]>;

/** Every table's rows as one checksum (with the count), and the name of every valid index. */
async function snapshot(query: Rows): Promise<Snapshot> {
  const tables: Record<string, string> = {};
  const names = await query(`
    select n.nspname as schema, c.relname as name from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\\_toast%' order by 1, 2`);
  for (const { schema, name } of names) {
    const [row] = await query(
      `select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as sum
       from "${schema}"."${name}" t`,
    );
    tables[`${schema}.${name}`] = `${row?.n} rows ${row?.sum}`;
  }
  const indexes = await query(`
    select n.nspname || '.' || c.relname as name from pg_index i
    join pg_class c on c.oid = i.indexrelid join pg_namespace n on n.oid = c.relnamespace
    where i.indisvalid and n.nspname not in ('pg_catalog', 'information_schema')
      and n.nspname not like 'pg\\_toast%' order by 1`);
  return { tables, indexes: indexes.map((row) => String(row.name)) };
}

async function snapshotOf(engine: 'pglite' | 'postgres', dataDir: string, url: string | undefined) {
  if (engine === 'postgres') {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await snapshot(async (text) => (await client.query(text)).rows);
    } finally {
      await client.end();
    }
  }
  const db = await PGlite.create(join(dataDir, 'pglite'));
  try {
    return await snapshot(async (text) => (await db.query<Record<string, unknown>>(text)).rows);
  } finally {
    await db.close();
  }
}

describe.each(engines)('backup and restore on %s', (engine) => {
  const sourceDir = tempDir('backup-source');
  const backupDir = join(tempDir('backup'), 'souk-backup');
  const restoredDir = tempDir('backup-restored');
  const env: Record<string, string> = { DATA_DIR: sourceDir };
  const restoredEnv: Record<string, string> = { DATA_DIR: restoredDir };
  let seller: TestUser;
  let listingId: string;
  let photoUrl: string;
  let photo: Buffer;
  let before: Snapshot;

  it('backs up a Souk with members, a listing, a photo and a signed-in session', async () => {
    if (engine === 'postgres') {
      const name = await copyDatabase(baseUrl as string, template as string);
      cleanups.push(() => dropDatabase(baseUrl as string, name));
      env.DATABASE_URL = urlFor(baseUrl as string, name);
      restoredEnv.DATABASE_URL = await emptyDatabase();
    }
    const souk = await startSouk(env);
    try {
      const auth = souk.app.modules.auth.service;
      const email = `seller-${engine}@example.test`;
      const password = 'correct horse battery staple';
      // An admin account is created verified, so it may publish.
      await auth.ensureAdmin({ email, password, displayName: 'Seller' });
      const session = await auth.login(
        systemContext(),
        { email, password },
        { ipAddress: '127.0.0.1', userAgent: 'vitest' },
      );
      if (session.status !== 'signed_in') throw new Error('no second factor expected');
      seller = {
        userId: session.user.id,
        email,
        password,
        accessToken: session.accessToken,
        refreshToken: session.refreshToken,
        headers: { authorization: `Bearer ${session.accessToken}` },
      };
      const fixtures = await listingFixtures({ app: souk.app });
      const listing = await fixtures.publish(seller, { title: 'Backed-up Corolla' });
      listingId = listing.id;
      const body = multipart([{ data: await twoTonePhoto(640, 480).png().toBuffer(), type: 'image/png' }]);
      const uploaded = await souk.app.inject({
        method: 'POST',
        url: `/api/v1/listings/${listingId}/images`,
        headers: { ...seller.headers, 'content-type': body.contentType },
        payload: body.payload,
      });
      expect(uploaded.statusCode, uploaded.body).toBe(200);
      photoUrl = uploaded.json()[0].variants[0].url;
      const served = await souk.app.inject({ method: 'GET', url: photoUrl });
      expect(served.statusCode).toBe(200);
      photo = served.rawPayload;

      if (engine === 'pglite') {
        // The embedded database belongs to the running Souk: a copy now would not be a backup.
        const refused = await script('backup', ['--out', backupDir], env);
        expect(refused.code, refused.stdout + refused.stderr).toBe(2);
        expect(refused.stderr).toMatch(/is open in process \d+: stop Souk first/);
      }
    } finally {
      await souk.close();
    }
    before = await snapshotOf(engine, sourceDir, env.DATABASE_URL);
    expect(before.tables['public.listings']).toMatch(/^1 rows /);
    expect(before.tables['public.media_images']).toMatch(/^1 rows /);
    expect(before.indexes).toContain('public.listings_search_earth_cover_idx');

    const backup = await script('backup', ['--out', backupDir], env);
    expect(backup.code, backup.stdout + backup.stderr).toBe(0);
    expect(backup.stdout).toMatch(/backed up in [\d.]+ s to /);
    expect(backup.stdout).toMatch(
      new RegExp(
        `${Object.keys(before.tables).length} tables, [\\d,]+ rows, ${before.indexes.length} indexes`,
      ),
    );
    expect(backup.stdout).toMatch(/keys {6}DATA_DIR\/keys/);
    expect(backup.stdout).toMatch(/media {5}\d+ files/);
    expect(backup.stderr).toMatch(/media files \d+\/\d+ \(100%\)/);
  }, 240_000);

  it('restores into a new database and DATA_DIR with every row and every index', async () => {
    const restore = await script('restore', [backupDir], restoredEnv);
    expect(restore.code, restore.stdout + restore.stderr).toBe(0);
    if (engine === 'postgres') expect(restore.stdout).toMatch(/pg_restore exited 0/);
    expect(restore.stdout).toMatch(`${before.indexes.length} indexes: every count equals the backup`);
    const after = await snapshotOf(engine, restoredDir, restoredEnv.DATABASE_URL);
    expect(after.tables).toEqual(before.tables);
    expect(after.indexes).toEqual(before.indexes);

    // Restoring over what is there is refused and changes nothing.
    const again = await script('restore', [backupDir], restoredEnv);
    expect(again.code, again.stdout + again.stderr).toBe(2);
    expect(again.stderr).toMatch(/already (holds|has)/);
    expect(await snapshotOf(engine, restoredDir, restoredEnv.DATABASE_URL)).toEqual(after);
  }, 240_000);

  it('Souk on the restore serves the listing, the photo and the old session', async () => {
    const souk = await startSouk(restoredEnv);
    try {
      const listing = await souk.app.inject({ method: 'GET', url: `/api/v1/listings/${listingId}` });
      expect(listing.statusCode, listing.body).toBe(200);
      expect(listing.json().title).toBe('Backed-up Corolla');
      const served = await souk.app.inject({ method: 'GET', url: photoUrl });
      expect(served.statusCode).toBe(200);
      expect(Buffer.compare(served.rawPayload, photo)).toBe(0);
      // The access token was signed before the backup: the restored keys still verify it.
      const session = await souk.app.inject({
        method: 'GET',
        url: '/api/v1/auth/session',
        headers: seller.headers,
      });
      expect(session.statusCode, session.body).toBe(200);
      expect(JSON.stringify(session.json())).toContain(seller.userId);
      const refreshed = await souk.app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        payload: { refreshToken: seller.refreshToken },
      });
      expect(refreshed.statusCode, refreshed.body).toBe(200);
      const found = await souk.app.inject({ method: 'GET', url: '/api/v1/search?q=corolla' });
      expect(found.statusCode, found.body).toBe(200);
      expect(found.json().items.map((item: { id: string }) => item.id)).toEqual([listingId]);
    } finally {
      await souk.close();
    }
  }, 240_000);
});
