import { chmodSync, existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import {
  copyTree,
  countDatabase,
  type DatabaseCounts,
  describeUrl,
  filesUnder,
  formatBytes,
  formatNumber,
  isEmptyDir,
  loadScriptConfig,
  MANIFEST_FORMAT,
  type Manifest,
  pgTool,
  processesUsing,
  Refusal,
  reportFailure,
  run,
  splitPassword,
  toolMajorVersion,
  totalRows,
} from './backup-format.js';
import { createProgress } from './progress.js';

const usage = `npm run backup [-- --out DIR] [--pg-bin DIR]

Backs up what a Souk needs to come back: the database, the sign-in keys (DATA_DIR/keys) and the
uploaded files (DATA_DIR/media), into a new folder, and records the row count of every table so
that \`npm run restore\` can check it got everything back.
  --out DIR      where to write (default backups/souk-<engine>-<time> in the current folder)
  --pg-bin DIR   the folder of pg_dump (default: the one on PATH); it must be at least as new as
                 the PostgreSQL server
PostgreSQL (DATABASE_URL set): runs while Souk runs; pg_dump reads one consistent snapshot.
PGlite (the embedded database in DATA_DIR/pglite): stop Souk first; only one process may open it.
Media in an S3 bucket (S3_BUCKET set) are not copied: back the bucket up with the store's own
tools (versioning, replication, \`aws s3 sync\`, \`mc mirror\`).`;

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      out: { type: 'string' },
      'pg-bin': { type: 'string' },
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

const cwd = process.env.INIT_CWD ?? process.cwd();
const config = loadScriptConfig(cwd);

const engine = config.DATABASE_URL ? 'postgres' : 'pglite';
const dataDir = resolve(cwd, config.DATA_DIR);
const stamp = new Date()
  .toISOString()
  .replaceAll(':', '-')
  .replace(/\.\d+Z$/, 'Z');
const out = resolve(cwd, args.values.out ?? join('backups', `souk-${engine}-${stamp}`));

async function backUpPostgres(url: string): Promise<{ counts: DatabaseCounts; serverVersion: string }> {
  const pgDump = pgTool('pg_dump', args.values['pg-bin']);
  const client = new pg.Client({ connectionString: url, application_name: 'souk-backup' });
  await client.connect();
  try {
    const serverVersion = String((await client.query('show server_version')).rows[0]?.server_version);
    const serverMajor =
      Number((await client.query('show server_version_num')).rows[0]?.server_version_num) / 10000;
    const toolMajor = await toolMajorVersion(pgDump);
    if (toolMajor === null) {
      throw new Refusal(
        `cannot run ${pgDump}: install the PostgreSQL ${Math.floor(serverMajor)} client tools ` +
          '(postgresql-client) or name their folder with --pg-bin',
      );
    }
    if (toolMajor < Math.floor(serverMajor)) {
      throw new Refusal(
        `${pgDump} is version ${toolMajor}, older than the server (${serverVersion}): it cannot dump it. ` +
          `Install the PostgreSQL ${Math.floor(serverMajor)} client tools or name their folder with --pg-bin`,
      );
    }
    // The counts and the dump read the same snapshot, so the restore can be checked row for row
    // even while Souk keeps writing.
    await client.query('begin isolation level repeatable read read only');
    const snapshot = String((await client.query('select pg_export_snapshot() as s')).rows[0]?.s);
    console.log(`counting rows in ${describeUrl(url)}`);
    const counts = await countDatabase(async (text) => (await client.query(text)).rows);
    const tables = Object.keys(counts.tables).length;
    const progress = createProgress('tables dumped', tables);
    progress.update(0);
    let dumped = 0;
    const { url: bare, password } = splitPassword(url);
    const dump = await run(
      pgDump,
      [
        '--format=custom',
        '--verbose',
        `--snapshot=${snapshot}`,
        `--file=${join(out, 'database.dump')}`,
        `--dbname=${bare}`,
      ],
      {
        password,
        onLine(line) {
          if (line.includes('dumping contents of table')) progress.update(Math.min(++dumped, tables));
        },
      },
    );
    await client.query('commit');
    // The dump holds password hashes and mail addresses: as private as the keys beside it.
    if (existsSync(join(out, 'database.dump'))) chmodSync(join(out, 'database.dump'), 0o600);
    if (dump.code !== 0) {
      const problems = dump.stderr.filter(
        (line) => !/^pg_dump: (dumping|reading|saving|last|finding|flagging|identifying)/.test(line),
      );
      throw new Error(`pg_dump exited ${dump.code}:\n${problems.join('\n')}`);
    }
    progress.update(tables);
    progress.finish();
    return { counts, serverVersion };
  } finally {
    await client.end();
  }
}

async function backUpPglite(): Promise<{ counts: DatabaseCounts; serverVersion: string }> {
  const pgliteDir = join(dataDir, 'pglite');
  if (!existsSync(join(pgliteDir, 'PG_VERSION'))) {
    throw new Refusal(`no embedded database in ${pgliteDir}: is DATA_DIR right (or DATABASE_URL missing)?`);
  }
  const holders = processesUsing(pgliteDir);
  if (holders === null ? existsSync(join(pgliteDir, 'postmaster.pid')) : holders.length > 0) {
    throw new Refusal(
      `${pgliteDir} is open${holders?.length ? ` in process ${holders.join(', ')}` : ''}: stop Souk first ` +
        '(the embedded database belongs to one process; a copy taken while it writes is not a backup)' +
        (holders === null
          ? '. If Souk is not running, it did not stop cleanly: start and stop it once.'
          : ''),
    );
  }
  // Opening it finishes any crash recovery and closing it checkpoints: the files are then a
  // consistent cluster to copy, and the counts are of exactly what is copied.
  console.log(`counting rows in ${pgliteDir}`);
  const db = await PGlite.create(pgliteDir);
  let counts: DatabaseCounts;
  let serverVersion: string;
  try {
    counts = await countDatabase(async (text) => (await db.query<Record<string, unknown>>(text)).rows);
    serverVersion = String(
      (await db.query<{ server_version: string }>('show server_version')).rows[0]?.server_version,
    );
  } finally {
    await db.close();
  }
  await copyTree('database files', pgliteDir, join(out, 'pglite'));
  return { counts, serverVersion };
}

let created = false;
try {
  if (existsSync(out) && !(statSync(out).isDirectory() && isEmptyDir(out))) {
    throw new Refusal(`${out} exists and is not empty: name a new folder with --out`);
  }
  const source = config.DATABASE_URL
    ? `PostgreSQL ${describeUrl(config.DATABASE_URL)}`
    : 'the embedded database';
  console.log(`backing up ${source} and ${dataDir} to ${out}`);
  const started = performance.now();
  created = !existsSync(out);
  mkdirSync(out, { recursive: true, mode: 0o700 });

  const database = config.DATABASE_URL ? await backUpPostgres(config.DATABASE_URL) : await backUpPglite();

  const keysFromEnvironment = Boolean(config.AUTH_SIGNING_KEYS && config.AUTH_ENCRYPTION_KEY);
  const keysDir = join(dataDir, 'keys');
  let keys: Manifest['keys'] = 'none';
  if (keysFromEnvironment) keys = 'environment';
  else if (!isEmptyDir(keysDir)) {
    await copyTree('key files', keysDir, join(out, 'keys'));
    keys = 'files';
  }

  let media: Manifest['media'];
  if (config.S3_BUCKET) {
    media = { kind: 's3', bucket: config.S3_BUCKET, endpoint: config.S3_ENDPOINT ?? null };
  } else {
    media = { kind: 'local', ...(await copyTree('media files', join(dataDir, 'media'), join(out, 'media'))) };
  }

  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    createdAt: new Date().toISOString(),
    engine,
    database: { ...database.counts, serverVersion: database.serverVersion },
    keys,
    media,
  };
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });

  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const size = formatBytes(filesUnder(out).reduce((sum, file) => sum + file.bytes, 0));
  const counts = database.counts;
  console.log(`backed up in ${seconds} s to ${out} (${size}):`);
  console.log(
    `  database  ${engine === 'postgres' ? 'PostgreSQL' : 'PGlite'} ${database.serverVersion}: ` +
      `${formatNumber(Object.keys(counts.tables).length)} tables, ${formatNumber(totalRows(counts))} rows, ` +
      `${formatNumber(counts.indexes)} indexes`,
  );
  console.log(
    `  keys      ${
      {
        files: 'DATA_DIR/keys (sign-in signing keys)',
        environment:
          'from AUTH_SIGNING_KEYS and AUTH_ENCRYPTION_KEY: not copied, keep them with your secrets',
        none: 'none in DATA_DIR/keys: sessions will not survive a restore',
      }[keys]
    }`,
  );
  console.log(
    media.kind === 'local'
      ? `  media     ${formatNumber(media.files)} files, ${formatBytes(media.bytes)}`
      : `  media     in S3 bucket ${media.bucket}: not copied; back the bucket up with the store's own tools`,
  );
  if (keys === 'files') console.log('It holds the sign-in keys: keep it as private as the database.');
} catch (error) {
  // Half a backup must not pass for one: what this run wrote goes.
  if (created) rmSync(out, { recursive: true, force: true });
  reportFailure('backup', error);
}
