import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import {
  copyTree,
  countDatabase,
  countDifferences,
  type DatabaseCounts,
  describeUrl,
  formatBytes,
  formatNumber,
  isEmptyDir,
  loadScriptConfig,
  MANIFEST_FORMAT,
  type Manifest,
  pgTool,
  Refusal,
  reportFailure,
  run,
  splitPassword,
  toolMajorVersion,
  totalRows,
} from './backup-format.js';
import { createProgress } from './progress.js';

const usage = `npm run restore -- BACKUP_DIR [--pg-bin DIR]

Restores a folder written by \`npm run backup\` into the database and DATA_DIR this environment
names, then checks that every table has the row count it had at the backup and that every index
was rebuilt. It writes only into empty places: a new database and a new DATA_DIR.
  --pg-bin DIR   the folder of pg_restore (default: the one on PATH)
PostgreSQL: create the empty database first (createdb souk_restored) and set DATABASE_URL to it.
PGlite: set DATA_DIR to a new folder (or move the old one aside); Souk must not be running on it.
Start Souk on the result as usual: it applies any newer migrations on start.`;

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: { 'pg-bin': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
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
const [folder] = args.positionals;
if (!folder || args.positionals.length > 1) {
  console.error(usage);
  process.exit(2);
}

const cwd = process.env.INIT_CWD ?? process.cwd();
const config = loadScriptConfig(cwd);

const from = resolve(cwd, folder);
const dataDir = resolve(cwd, config.DATA_DIR);

function readManifest(): Manifest {
  const path = join(from, 'manifest.json');
  if (!existsSync(path))
    throw new Refusal(`${path} is missing: is ${from} a folder written by npm run backup?`);
  const manifest = JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  if (manifest.format !== MANIFEST_FORMAT) {
    throw new Refusal(`${path} is ${JSON.stringify(manifest.format)}, not ${MANIFEST_FORMAT}`);
  }
  return manifest;
}

async function restorePostgres(url: string): Promise<DatabaseCounts> {
  const pgRestore = pgTool('pg_restore', args.values['pg-bin']);
  const client = new pg.Client({ connectionString: url, application_name: 'souk-restore' });
  await client.connect();
  try {
    const { rows } = await client.query(`
      select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema')
        and n.nspname not like 'pg\\_toast%'`);
    if (Number(rows[0]?.n) > 0) {
      throw new Refusal(
        `${describeUrl(url)} already has tables: restore into a new, empty database ` +
          '(createdb souk_restored, then DATABASE_URL=…/souk_restored npm run restore -- …)',
      );
    }
    if ((await toolMajorVersion(pgRestore)) === null) {
      throw new Refusal(
        `cannot run ${pgRestore}: install the PostgreSQL client tools (postgresql-client) or name their folder with --pg-bin`,
      );
    }
    const dump = join(from, 'database.dump');
    const { url: bare, password } = splitPassword(url);
    const list = await run(pgRestore, ['--list', dump], {});
    if (list.code !== 0) throw new Error(`pg_restore cannot read ${dump}:\n${list.stderr.join('\n')}`);
    // An extension's comment may only be set by its owner: a database owner restoring into
    // extensions a superuser created for it (as Souk's first migration needs) would stop there.
    const entries = list.stdout.split('\n').filter((line) => line.trim() && !line.startsWith(';'));
    const kept = entries.filter((line) => !/^\d+; \d+ \d+ COMMENT - EXTENSION /.test(line));
    const listFile = join(mkdtempSync(join(tmpdir(), 'souk-restore-')), 'toc.list');
    writeFileSync(listFile, `${kept.join('\n')}\n`);
    const steps = kept.length;
    const progress = createProgress('restore steps', steps);
    progress.update(0);
    let done = 0;
    // One transaction, stopping at the first error: a failed restore leaves the database empty
    // instead of half restored. No owners or grants: the roles of the backed-up server may not
    // exist here, and Souk needs only the restoring user's.
    const restored = await run(
      pgRestore,
      [
        '--verbose',
        '--exit-on-error',
        '--single-transaction',
        '--no-owner',
        '--no-privileges',
        `--use-list=${listFile}`,
        `--dbname=${bare}`,
        dump,
      ],
      {
        password,
        onLine(line) {
          if (/^pg_restore: (creating|processing|executing) /.test(line)) {
            progress.update(Math.min(++done, steps));
          }
        },
      },
    );
    rmSync(dirname(listFile), { recursive: true, force: true });
    if (restored.code !== 0) {
      const problems = restored.stderr.filter(
        (line) => !/^pg_restore: (creating|processing|executing|connecting) /.test(line),
      );
      throw new Error(
        `pg_restore exited ${restored.code}; nothing was restored (one transaction):\n${problems.join('\n')}`,
      );
    }
    progress.update(steps);
    progress.finish();
    console.log(`pg_restore exited 0 (${formatNumber(steps)} steps); checking ${describeUrl(url)}`);
    return await countDatabase(async (text) => (await client.query(text)).rows);
  } finally {
    await client.end();
  }
}

async function restorePglite(): Promise<DatabaseCounts> {
  const target = join(dataDir, 'pglite');
  if (!isEmptyDir(target)) {
    throw new Refusal(`${target} already holds a database: set DATA_DIR to a new folder, or move it aside`);
  }
  await copyTree('database files', join(from, 'pglite'), target);
  console.log(`checking ${target}`);
  const db = await PGlite.create(target);
  try {
    return await countDatabase(async (text) => (await db.query<Record<string, unknown>>(text)).rows);
  } finally {
    await db.close();
  }
}

try {
  const manifest = readManifest();
  const engine = config.DATABASE_URL ? 'postgres' : 'pglite';
  if (manifest.engine !== engine) {
    throw new Refusal(
      manifest.engine === 'postgres'
        ? 'this is a PostgreSQL backup: set DATABASE_URL to a new, empty database'
        : 'this is a backup of the embedded database (PGlite): unset DATABASE_URL and set DATA_DIR to a new folder',
    );
  }
  if (manifest.media.kind === 'local' && config.S3_BUCKET) {
    throw new Refusal(
      'the backup holds media files for DATA_DIR/media, but S3_BUCKET is set: unset it, or copy the ' +
        `backup's media/ folder into the bucket yourself and restore with S3_BUCKET unset`,
    );
  }
  const keysDir = join(dataDir, 'keys');
  const mediaDir = join(dataDir, 'media');
  if (manifest.keys === 'files' && !isEmptyDir(keysDir)) {
    throw new Refusal(`${keysDir} already holds keys: set DATA_DIR to a new folder, or move it aside`);
  }
  if (manifest.media.kind === 'local' && !isEmptyDir(mediaDir)) {
    throw new Refusal(`${mediaDir} already holds files: set DATA_DIR to a new folder, or move it aside`);
  }
  const into = config.DATABASE_URL
    ? `PostgreSQL ${describeUrl(config.DATABASE_URL)}`
    : 'the embedded database';
  console.log(`restoring ${from} (taken ${manifest.createdAt}) into ${into} and ${dataDir}`);
  const started = performance.now();

  const counts = config.DATABASE_URL ? await restorePostgres(config.DATABASE_URL) : await restorePglite();
  const keys = manifest.keys === 'files' ? await copyTree('key files', join(from, 'keys'), keysDir) : null;
  const media =
    manifest.media.kind === 'local' ? await copyTree('media files', join(from, 'media'), mediaDir) : null;

  const differences = countDifferences(manifest.database, counts);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`restored in ${seconds} s:`);
  console.log(
    `  database  ${formatNumber(Object.keys(counts.tables).length)} tables, ${formatNumber(totalRows(counts))} rows, ` +
      `${formatNumber(counts.indexes)} indexes${differences.length === 0 ? ': every count equals the backup' : ''}`,
  );
  console.log(
    keys
      ? `  keys      ${formatNumber(keys.files)} file(s) into ${keysDir}: old sessions stay signed in`
      : manifest.keys === 'environment'
        ? '  keys      from AUTH_SIGNING_KEYS and AUTH_ENCRYPTION_KEY: set the same values as before'
        : '  keys      none in the backup: members sign in again',
  );
  console.log(
    media
      ? `  media     ${formatNumber(media.files)} files, ${formatBytes(media.bytes)} into ${mediaDir}`
      : `  media     in S3 bucket ${manifest.media.kind === 's3' ? manifest.media.bucket : ''}: restore it with the store's own tools`,
  );
  if (differences.length > 0) {
    console.error(`the restored database differs from the backup:\n  ${differences.join('\n  ')}`);
    process.exitCode = 1;
  }
} catch (error) {
  reportFailure('restore', error);
}
