/**
 * Listing benchmark: `GET /api/v1/listings/:id` on Souk beside a bare Fastify + driver server
 * (bench/listing-baseline.mjs) that sends the same SQL statements and answers the same JSON, in
 * the same run, over BENCH_LISTINGS (100,000) listings seeded by `npm run seed -- --listings N`.
 *
 *   npm run bench:listing                              # PostgreSQL, then PGlite; 10 s each
 *   BENCH_ENGINES=postgres BENCH_ROUNDS=5 npm run bench:listing
 *   BENCH_ASSERT=1 npm run bench:listing               # exit 1 if a target is missed
 *   BENCH_WARMUP=2 npm run bench:listing               # shorter warm-up (default 10 s a server)
 *
 * Targets (asserted on BENCH_ASSERT_ENGINES, default postgres): Souk serves at least 80 % of the
 * baseline's requests per second, and its p99 latency is at most 1.5 times the baseline's.
 * See bench/README.md for every variable and how to read the output.
 */
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Extension, Extensions } from '@electric-sql/pglite';
import autocannon from 'autocannon';
import pg from 'pg';
import {
  apiArgs,
  createPostgresDatabase,
  type Engine,
  finish,
  fmtInt,
  interrupted,
  isTruthy,
  onCleanup,
  parseEngines,
  percent,
  positiveInt,
  RESULTS_DIR,
  ROOT,
  serverMode,
  setInterruptHandler,
  table,
} from './harness.js';
import { type LoadStats, type LoadTarget, measureTargets } from './load.js';
import { freePort, getRaw, startChild, stopChild, waitFor200 } from './processes.js';
import { runSeedScript } from './seeding.js';

type Target = 'souk' | 'baseline';

const env = process.env;
const DURATION_SECONDS = positiveInt('BENCH_DURATION', 10);
const ROUNDS = Math.min(positiveInt('BENCH_ROUNDS', 1), DURATION_SECONDS);
const LISTINGS = positiveInt('BENCH_LISTINGS', 100_000, 10_000_000, 'listings');
const ID_COUNT = positiveInt('BENCH_IDS', 1_000, 100_000, 'ids');
const CONNECTIONS = positiveInt('BENCH_CONNECTIONS', 50, 1_000, 'connections');
const ASSERT = isTruthy(env.BENCH_ASSERT);
const ASSERT_ENGINES = parseEngines(env.BENCH_ASSERT_ENGINES || 'postgres', 'BENCH_ASSERT_ENGINES');
const COUNT_STATEMENTS = env.BENCH_COUNT_STATEMENTS !== '0';
const POSTGRES_URL = env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const ENGINES = parseEngines(env.BENCH_ENGINES || 'postgres,pglite');
const SERVER_MODE = serverMode(env.BENCH_SERVER);

const PIPELINING = 1;
// Each server's warm-up before its first measured slice, discarded. Souk runs far more code per
// request than the baseline, and V8 optimizes it only after many calls: on a busy 2-core machine
// its CPU per request kept falling for ~20 s of load (830 µs in the first 5 s, 370 µs after 20 s),
// so a 2 s warm-up measured its start-up rather than the running server.
const WARMUP_SECONDS = positiveInt('BENCH_WARMUP', 10);
const START_TIMEOUT_MS = 60_000;
const TARGETS = { minRequestsRatio: 0.8, maxP99Ratio: 1.5 };
const pathOf = (id: string) => `/api/v1/listings/${id}`;

function log(tag: string, line: string): void {
  console.log(`${tag} ${line}`);
}

// ---------------------------------------------------------------------------------------------
// Measuring

let stopCurrentCannon: (() => void) | undefined;
setInterruptHandler(() => stopCurrentCannon?.());

/** autocannon against `port`, each request for the next id of `ids` (all connections share the turn). */
function cannon(port: number, ids: string[], seconds: number): Promise<autocannon.Result> {
  let turn = 0;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: CONNECTIONS,
        pipelining: PIPELINING,
        duration: seconds,
        timeout: 10,
        requests: [
          {
            method: 'GET',
            setupRequest: (request) => ({ ...request, path: pathOf(ids[turn++ % ids.length] as string) }),
          },
        ],
      },
      (error, result) => {
        clearTimeout(guard);
        stopCurrentCannon = undefined;
        if (error) reject(error);
        else resolve(result);
      },
    );
    stopCurrentCannon = () => instance.stop();
    // autocannon ends on its own after `seconds`; this only bounds a run that would not.
    const guard = setTimeout(() => instance.stop(), (seconds + 30) * 1000);
  });
}

type Measurement = { target: Target } & LoadStats;

async function measure(tag: string, ids: string[], targets: LoadTarget<Target>[]): Promise<Measurement[]> {
  const rows = await measureTargets({
    label: 'GET /api/v1/listings/:id',
    targets,
    durationSeconds: DURATION_SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    rounds: ROUNDS,
    load: (port, seconds) => cannon(port, ids, seconds),
    log: (line) => log(tag, line),
  });
  return rows.map(({ target, stats }) => ({ target, ...stats }));
}

// ---------------------------------------------------------------------------------------------
// Steps of one engine

type Seeding = {
  listings: number;
  inserted: number;
  seconds: number;
  rowsPerSecond: number;
  wallSeconds: number;
};

/** `npm run seed -- --listings N` as a child process (the same script users run). */
async function seed(tag: string, serverEnv: NodeJS.ProcessEnv): Promise<Seeding> {
  log(tag, `seeding ${fmtInt(LISTINGS)} listings (npm run seed -- --listings ${LISTINGS})…`);
  const started = performance.now();
  const line = await runSeedScript({
    listings: LISTINGS,
    mode: SERVER_MODE,
    env: serverEnv,
    log: (text) => log(tag, text),
    exitTimeoutMs: 60_000,
  });
  log(tag, `seed: ${line}`);
  const numbers = /([\d,]+) of ([\d,]+) inserted in ([\d.]+) s \(([\d,]+) rows\/s\)/.exec(line);
  const parse = (text: string | undefined) => Number((text ?? '0').replaceAll(',', ''));
  return {
    listings: LISTINGS,
    inserted: parse(numbers?.[1]),
    seconds: parse(numbers?.[3]),
    rowsPerSecond: parse(numbers?.[4]),
    wallSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

const PICK_IDS = `select id from listings where status = 'active' and deleted_at is null
  order by md5(id::text) limit $1`;

async function pickIdsPostgres(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ id: string }>(PICK_IDS, [ID_COUNT])).rows.map((row) => row.id);
  } finally {
    await client.end();
  }
}

/** Opens the embedded database (nobody else has it open yet), picks the ids, closes it. */
async function pickIdsPglite(dir: string): Promise<string[]> {
  const { PGlite } = await import('@electric-sql/pglite');
  // The extensions Souk loads (apps/api/src/platform/db/database.ts), so the data opens alike.
  const extensions: Extensions = {};
  for (const name of ['citext', 'cube', 'earthdistance', 'ltree', 'pg_trgm', 'unaccent']) {
    const module = (await import(`@electric-sql/pglite/contrib/${name}`)) as Record<string, Extension>;
    extensions[name] = module[name] as Extension;
  }
  const db = await PGlite.create(dir, { extensions });
  try {
    return (await db.query<{ id: string }>(PICK_IDS, [ID_COUNT])).rows.map((row) => row.id);
  } finally {
    await db.close();
  }
}

/**
 * Statements each server sends per request, from PostgreSQL's transaction counter (each
 * statement outside a transaction is one): n requests for one listing already viewed, so the
 * view is a conflict, as in the steady state of the run. Background work (Souk's job queue) is
 * measured over an idle window and subtracted. Statistics reach pg_stat_database within ~10 s.
 */
async function statementsPerRequest(
  tag: string,
  url: string,
  id: string,
  targets: Array<{ target: Target; port: number }>,
): Promise<Record<Target, number>> {
  const n = 500;
  const settle = () => new Promise((resolve) => setTimeout(resolve, 11_000));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const read = async () => {
      const { rows } = await client.query<{ n: string }>(
        'select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()',
      );
      return { count: Number(rows[0]?.n ?? 0), at: performance.now() };
    };
    log(tag, `counting statements per request (${n} requests each; about 45 s)…`);
    await settle();
    const idleStart = await read();
    await settle();
    const idleEnd = await read();
    // Per ms of background work; the reading itself is one transaction.
    const background = (idleEnd.count - idleStart.count - 1) / (idleEnd.at - idleStart.at);
    const result = {} as Record<Target, number>;
    let before = idleEnd;
    for (const { target, port } of targets) {
      for (let i = 0; i < n; i++) await getRaw(port, pathOf(id));
      await settle();
      const after = await read();
      const work = after.count - before.count - 1 - Math.max(0, background) * (after.at - before.at);
      result[target] = Math.round((work / n) * 100) / 100;
      before = after;
      if (interrupted()) throw new Error('interrupted');
    }
    return result;
  } finally {
    await client.end();
  }
}

/** The first differences between two JSON values, as paths. */
function jsonDifferences(a: unknown, b: unknown, path = '$', found: string[] = []): string[] {
  if (found.length >= 10) return found;
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) {
    found.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  } else if (a && typeof a === 'object') {
    const keysA = Object.keys(a);
    const keysB = Object.keys(b as object);
    if (keysA.join() !== keysB.join()) found.push(`${path}: keys ${keysA.join(',')} vs ${keysB.join(',')}`);
    for (const key of new Set([...keysA, ...keysB])) {
      jsonDifferences(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${path}.${key}`,
        found,
      );
    }
  } else if (a !== b) {
    found.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------
// One engine

type EngineReport = {
  engine: Engine;
  skipped?: string;
  startedAt: string;
  node: string;
  cpus: { count: number; model: string };
  server: { mode: 'dist' | 'src'; readyAfterMs?: number };
  /** How the baseline reaches the data: the same PostgreSQL database, or a copy of the PGlite one. */
  baseline: string;
  settings: {
    listings: number;
    ids: number;
    durationSeconds: number;
    rounds: number;
    warmupSeconds: number;
    connections: number;
    pipelining: number;
  };
  seeding?: Seeding;
  response?: { bytes: number; identical: boolean; differences: string[] };
  statementsPerRequest?: Record<Target, number> | null;
  measurements: Measurement[];
  /** Souk over baseline: requests per second (≥ 0.8 wanted) and p99 latency (≤ 1.5 wanted). */
  ratios?: { requestsPerSecond: number; p99: number; cpuPerRequest: number | null };
  targets: { minRequestsRatio: number; maxP99Ratio: number; asserted: boolean; met: boolean | null };
};

async function runEngine(engine: Engine): Promise<EngineReport> {
  const tag = `[${engine}]`;
  const cpuList = cpus();
  const report: EngineReport = {
    engine,
    startedAt: new Date().toISOString(),
    node: process.version,
    cpus: { count: cpuList.length, model: cpuList[0]?.model ?? 'unknown' },
    server: { mode: SERVER_MODE },
    baseline:
      engine === 'postgres'
        ? 'bare Fastify + pg Pool (max 10) on the same database'
        : 'bare Fastify + PGlite in its own process, on a copy of the seeded data directory',
    settings: {
      listings: LISTINGS,
      ids: ID_COUNT,
      durationSeconds: DURATION_SECONDS,
      rounds: ROUNDS,
      warmupSeconds: WARMUP_SECONDS,
      connections: CONNECTIONS,
      pipelining: PIPELINING,
    },
    measurements: [],
    targets: { ...TARGETS, asserted: ASSERT_ENGINES.includes(engine), met: null },
  };
  const started: Array<() => Promise<void>> = [];
  try {
    const serverEnv: NodeJS.ProcessEnv = { ...env };
    for (const name of ['DATABASE_URL', 'DATA_DIR', 'PORT', 'HOST', 'SEED_DEMO_DATA']) delete serverEnv[name];
    const baselineEnv: NodeJS.ProcessEnv = { PATH: env.PATH, HOST: '127.0.0.1' };
    let databaseUrl: string | null = null;
    let dataDir: string | null = null;

    if (engine === 'postgres') {
      const database = await createPostgresDatabase(POSTGRES_URL, (line) => log(tag, line));
      if (typeof database === 'string') {
        log(tag, `${database}; skipping this engine`);
        report.skipped = database;
        return report;
      }
      started.push(database.drop);
      databaseUrl = database.url;
      serverEnv.DATABASE_URL = database.url;
      baselineEnv.DATABASE_URL = database.url;
    } else {
      dataDir = await mkdtemp(join(tmpdir(), 'souk-bench-listing-'));
      started.push(
        onCleanup(`data dir ${dataDir}`, () => rm(dataDir as string, { recursive: true, force: true })),
      );
      serverEnv.DATA_DIR = dataDir;
    }

    report.seeding = await seed(tag, serverEnv);
    if (interrupted()) throw new Error('interrupted');

    const ids = databaseUrl
      ? await pickIdsPostgres(databaseUrl)
      : await pickIdsPglite(join(dataDir as string, 'pglite'));
    if (ids.length === 0) throw new Error('no active listings were seeded');
    log(tag, `measuring over ${fmtInt(ids.length)} active listings, in turn`);
    if (dataDir) {
      const copy = join(dataDir, 'baseline-pglite');
      await cp(join(dataDir, 'pglite'), copy, { recursive: true });
      baselineEnv.PGLITE_DIR = copy;
    }

    // Souk
    const soukPort = await freePort();
    log(
      tag,
      `starting Souk… (${SERVER_MODE === 'dist' ? 'built dist' : 'sources via tsx'}, port ${soukPort})`,
    );
    const souk = startChild('souk', apiArgs(SERVER_MODE, 'main'), {
      cwd: ROOT,
      env: {
        ...serverEnv,
        HOST: '127.0.0.1',
        PORT: String(soukPort),
        LOG_LEVEL: 'warn',
        SEED_DEMO_DATA: 'never',
        NODE_ENV: 'production',
        ROLE: SOUK_ROLE,
      },
      log: (line) => log(tag, line),
    });
    started.push(onCleanup('souk server', () => stopChild(souk)));
    report.server.readyAfterMs = await waitFor200(souk, soukPort, '/health/ready', START_TIMEOUT_MS);
    log(tag, `Souk ready after ${(report.server.readyAfterMs / 1000).toFixed(1)} s`);

    // The baseline
    const baselinePort = await freePort();
    log(tag, `starting the baseline… (port ${baselinePort})`);
    const baseline = startChild('baseline', [join(ROOT, 'bench/listing-baseline.mjs')], {
      cwd: ROOT,
      env: { ...baselineEnv, PORT: String(baselinePort) },
      log: (line) => log(tag, line),
    });
    started.push(onCleanup('baseline server', () => stopChild(baseline, 5000)));
    await baseline.waitForLine(/^listening \d+/, 30_000);

    // Same bytes? Souk first: its view of the listing is counted, the baseline's is then a
    // conflict on PostgreSQL (the same viewer and day); on PGlite each counts in its own copy.
    const probe = ids[0] as string;
    const fromSouk = await getRaw(soukPort, pathOf(probe));
    const fromBaseline = await getRaw(baselinePort, pathOf(probe));
    if (fromSouk.status !== 200 || fromBaseline.status !== 200) {
      throw new Error(
        `GET ${pathOf(probe)}: Souk ${fromSouk.status}, baseline ${fromBaseline.status}: ${fromSouk.body.toString().slice(0, 300)}`,
      );
    }
    const identical = fromSouk.body.equals(fromBaseline.body);
    const differences = identical
      ? []
      : jsonDifferences(JSON.parse(fromSouk.body.toString()), JSON.parse(fromBaseline.body.toString()));
    report.response = { bytes: fromSouk.body.length, identical, differences };
    log(
      tag,
      identical
        ? `responses identical: ${fromSouk.body.length} bytes, byte for byte`
        : `responses DIFFER (${fromSouk.body.length} vs ${fromBaseline.body.length} bytes): ${differences.join('; ') || 'same JSON, other bytes (key order or spacing)'}`,
    );

    const targets = [
      { target: 'souk' as const, server: souk, port: soukPort },
      { target: 'baseline' as const, server: baseline, port: baselinePort },
    ];
    report.statementsPerRequest =
      databaseUrl && COUNT_STATEMENTS ? await statementsPerRequest(tag, databaseUrl, probe, targets) : null;
    if (report.statementsPerRequest) {
      const { souk: soukStatements, baseline: baseStatements } = report.statementsPerRequest;
      log(
        tag,
        `statements per request: Souk ${soukStatements}, baseline ${baseStatements}` +
          (Math.abs(soukStatements - baseStatements) > 0.3 ? ' — NOT the same queries' : ''),
      );
    }

    report.measurements = await measure(tag, ids, targets);
    const [s, b] = report.measurements;
    if (!s || !b) throw new Error('missing measurement');
    report.ratios = {
      requestsPerSecond: b.requestsPerSecond > 0 ? s.requestsPerSecond / b.requestsPerSecond : 0,
      p99: b.latencyP99Ms > 0 ? s.latencyP99Ms / b.latencyP99Ms : Number.POSITIVE_INFINITY,
      cpuPerRequest:
        s.serverCpuMicrosPerRequest && b.serverCpuMicrosPerRequest
          ? b.serverCpuMicrosPerRequest / s.serverCpuMicrosPerRequest
          : null,
    };
    const clean = s.errors + s.non2xx + b.errors + b.non2xx === 0;
    report.targets.met =
      clean &&
      identical &&
      report.ratios.requestsPerSecond >= TARGETS.minRequestsRatio &&
      report.ratios.p99 <= TARGETS.maxP99Ratio;
    return report;
  } finally {
    log(tag, 'stopping…');
    for (const stop of started.reverse()) await stop();
  }
}

// ---------------------------------------------------------------------------------------------
// Output

function printReport(report: EngineReport): void {
  console.log('');
  if (report.skipped) {
    console.log(`== ${report.engine}: skipped (${report.skipped})`);
    return;
  }
  const seeding = report.seeding;
  console.log(
    `== ${report.engine}: GET /api/v1/listings/:id over ${fmtInt(report.settings.ids)} of ${fmtInt(report.settings.listings)} listings; ` +
      `${report.settings.connections} connections, ${DURATION_SECONDS} s each ` +
      `${ROUNDS > 1 ? `in ${ROUNDS} alternating slices ` : ''}(after ${WARMUP_SECONDS} s warm-up); ` +
      `souk from ${report.server.mode}, ROLE=${SOUK_ROLE}; ${report.cpus.count} CPU, node ${report.node}`,
  );
  console.log(`   baseline: ${report.baseline}`);
  if (seeding) {
    console.log(
      `   seeding: ${fmtInt(seeding.inserted)} listings in ${seeding.seconds} s (${fmtInt(seeding.rowsPerSecond)} rows/s), ` +
        `${seeding.wallSeconds} s with start-up, catalog and sellers`,
    );
  }
  if (report.response) {
    console.log(
      `   response: ${report.response.bytes} bytes, ${report.response.identical ? 'identical to the baseline’s' : `DIFFERENT: ${report.response.differences.join('; ')}`}`,
    );
  }
  if (report.statementsPerRequest) {
    console.log(
      `   SQL statements per request: souk ${report.statementsPerRequest.souk}, baseline ${report.statementsPerRequest.baseline}`,
    );
  }
  const ratios = report.ratios;
  const rows = report.measurements.map((m) => [
    m.target,
    fmtInt(m.requestsPerSecond),
    String(m.latencyP50Ms),
    String(m.latencyP99Ms),
    String(m.errors),
    String(m.non2xx),
    m.serverCpuMicrosPerRequest === null ? '?' : String(m.serverCpuMicrosPerRequest),
    m.target === 'souk' && ratios ? percent(ratios.requestsPerSecond) : '',
    m.target === 'souk' && ratios ? `${ratios.p99.toFixed(2)}x` : '',
    m.target === 'souk' && ratios ? percent(ratios.cpuPerRequest) : '',
  ]);
  console.log(
    table(
      [
        'target',
        'req/s',
        'p50 ms',
        'p99 ms',
        'errors',
        'non-2xx',
        'srv CPU µs/req',
        'req/s ratio',
        'p99 ratio',
        'by CPU/req',
      ],
      rows,
      1,
    ),
  );
  if (ratios) {
    console.log(
      `   targets: req/s ≥ ${TARGETS.minRequestsRatio * 100} % of the baseline (${percent(ratios.requestsPerSecond)}), ` +
        `p99 ≤ ${TARGETS.maxP99Ratio}x the baseline's (${ratios.p99.toFixed(2)}x): ` +
        `${report.targets.met ? 'met' : 'NOT met'}${report.targets.asserted ? '' : ' (not asserted on this engine)'}`,
    );
  }
}

async function writeReport(report: EngineReport): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `listing-${report.engine}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

// The process measured is an API node (`ROLE=api`), as a deployment runs behind its load balancer
// with the job workers in their own processes (README, "Scaling"). `BENCH_ROLE=all` measures the
// all-in-one process of `npm start` instead, whose job polling shares the database pool.
const SOUK_ROLE = process.env.BENCH_ROLE === 'all' ? 'all' : 'api';

async function main(): Promise<number> {
  console.log(
    `listing benchmark: engines ${ENGINES.join(', ')}; ${fmtInt(LISTINGS)} listings; ${DURATION_SECONDS} s per measurement; ` +
      `souk from ${SERVER_MODE === 'dist' ? 'apps/api/dist' : 'apps/api/src via tsx'}`,
  );
  const reports: EngineReport[] = [];
  let failed = false;
  for (const engine of ENGINES) {
    if (interrupted()) return 130;
    try {
      const report = await runEngine(engine);
      reports.push(report);
      log(`[${engine}]`, `results written to ${await writeReport(report)}`);
    } catch (error) {
      if (interrupted()) return 130;
      failed = true;
      console.error(`[${engine}] failed: ${(error as Error).message}`);
    }
  }
  for (const report of reports) printReport(report);
  const missed = reports.filter((report) => report.targets.asserted && report.targets.met === false);
  if (missed.length > 0) {
    console.log('');
    for (const report of missed) {
      console.log(`${ASSERT ? 'FAIL' : 'note'}: [${report.engine}] the listing targets are not met`);
    }
  }
  if (failed) return 1;
  return ASSERT && missed.length > 0 ? 1 : 0;
}

finish(main());
