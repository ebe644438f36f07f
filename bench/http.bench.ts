/**
 * HTTP benchmark: Souk against a bare `node:http` server answering the same bytes, in the same run.
 *
 * For each engine (PostgreSQL, then embedded PGlite) it starts the Souk server as a child process,
 * fetches the payloads of the measured routes once, starts `bench/baseline-server.mjs` (another
 * child) with those payloads, and runs autocannon from this process against both, back to back:
 * a 2 s warm-up that is discarded, then BENCH_DURATION seconds that count.
 *
 *   npm run bench                          # both engines, 10 s per measurement
 *   BENCH_DURATION=5 BENCH_ENGINES=pglite npm run bench
 *   BENCH_ROUNDS=5 npm run bench           # alternate Souk and node:http in 5 slices
 *   BENCH_ASSERT=1 npm run bench           # exit 1 if /health/live < 90 % of node:http
 *
 * See bench/README.md for every variable and how to read the ratio.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { type Child, cpuSeconds, freePort, getRaw, startChild, stopChild, waitFor200 } from './processes.js';

type Engine = 'postgres' | 'pglite';
type Target = 'souk' | 'node:http';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const ENDPOINTS = ['/health/live', '/api/v1/categories'] as const;
const ASSERTED_ENDPOINT = '/health/live';
const THRESHOLD = 0.9;
const CONNECTIONS = 50;
const PIPELINING = 1;
const WARMUP_SECONDS = 2;
const START_TIMEOUT_MS = 60_000;

const env = process.env;
const DURATION_SECONDS = positiveInt('BENCH_DURATION', 10);
const ROUNDS = Math.min(positiveInt('BENCH_ROUNDS', 1), DURATION_SECONDS);
const ASSERT = env.BENCH_ASSERT === '1' || env.BENCH_ASSERT === 'true';
const POSTGRES_URL = env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const ENGINES = parseEngines(env.BENCH_ENGINES || 'postgres,pglite');
const SERVER_MODE = serverMode(env.BENCH_SERVER);

function positiveInt(name: string, fallback: number): number {
  const raw = env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 3600) {
    console.error(
      `${name} must be a whole number of seconds between 1 and 3600 (got ${JSON.stringify(raw)})`,
    );
    process.exit(2);
  }
  return value;
}

function parseEngines(raw: string): Engine[] {
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const bad = names.filter((name) => name !== 'postgres' && name !== 'pglite');
  if (bad.length > 0 || names.length === 0) {
    console.error(`BENCH_ENGINES lists postgres and/or pglite (got ${JSON.stringify(raw)})`);
    process.exit(2);
  }
  return names as Engine[];
}

/**
 * The built server when both builds exist and are newer than the sources (as in production),
 * else the sources through tsx. BENCH_SERVER=dist|src forces one.
 */
function serverMode(raw: string | undefined): 'dist' | 'src' {
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

function soukArgs(): string[] {
  return SERVER_MODE === 'dist'
    ? [join(ROOT, 'apps/api/dist/main.js')]
    : ['--conditions=@souk/source', '--import', 'tsx', join(ROOT, 'apps/api/src/main.ts')];
}

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
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

function onCleanup(label: string, run: () => Promise<void>): () => Promise<void> {
  const entry: Undo = { label, run };
  undo.push(entry);
  return () => runUndo(entry);
}

/** Undoes everything in reverse order: servers before their data. */
async function cleanupAll(): Promise<void> {
  for (const entry of [...undo].reverse()) await runUndo(entry);
}

// Ctrl-C reaches this process several times (from the terminal, and relayed by npm and tsx), and
// reaches the servers directly too; only a Ctrl-C more than 3 s after the first skips clean-up.
let interrupted = false;
let interruptedAt = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) {
      if (Date.now() - interruptedAt > 3000) {
        console.error('leaving without finishing clean-up');
        process.exit(130); // children are SIGKILLed on exit
      }
      return;
    }
    interrupted = true;
    interruptedAt = Date.now();
    console.error(`\n${signal}: stopping, cleaning up…`);
    stopCurrentCannon?.();
    void cleanupAll().finally(() => process.exit(130));
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------
// Measuring

let stopCurrentCannon: (() => void) | undefined;

type Measurement = {
  endpoint: string;
  target: Target;
  requestsPerSecond: number;
  totalRequests: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyAverageMs: number;
  throughputBytesPerSecond: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  durationSeconds: number;
  /** CPU time the server process spent per request served (null where /proc is missing). */
  serverCpuMicrosPerRequest: number | null;
  /** CPU this process (autocannon) used, in % of one core: near 100 means the client was the limit. */
  loadGeneratorCpuPercent: number;
};

function cannon(url: string, seconds: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url, connections: CONNECTIONS, pipelining: PIPELINING, duration: seconds, timeout: 10 },
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

type Slice = {
  result: autocannon.Result;
  serverCpuSeconds: number | null;
  ownCpuMicros: number;
  wallMs: number;
};

async function slice(server: Child, url: string, seconds: number): Promise<Slice> {
  const serverCpuBefore = cpuSeconds(server.process.pid);
  const ownCpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const result = await cannon(url, seconds);
  const wallMs = performance.now() - wallBefore;
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const serverCpuAfter = cpuSeconds(server.process.pid);
  if (interrupted) throw new Error('interrupted');
  return {
    result,
    serverCpuSeconds:
      serverCpuBefore !== null && serverCpuAfter !== null ? serverCpuAfter - serverCpuBefore : null,
    ownCpuMicros: ownCpu.user + ownCpu.system,
    wallMs,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Folds the slices of one target into one row: mean req/s, median percentiles, summed counts. */
function summarize(endpoint: string, target: Target, slices: Slice[]): Measurement {
  const sum = (pick: (s: Slice) => number) => slices.reduce((total, s) => total + pick(s), 0);
  const served = sum((s) => s.result.requests.total);
  const cpuKnown = slices.every((s) => s.serverCpuSeconds !== null);
  return {
    endpoint,
    target,
    requestsPerSecond: sum((s) => s.result.requests.average) / slices.length,
    totalRequests: served,
    latencyP50Ms: median(slices.map((s) => s.result.latency.p50)),
    latencyP99Ms: median(slices.map((s) => s.result.latency.p99)),
    latencyAverageMs: sum((s) => s.result.latency.average * s.result.requests.total) / Math.max(1, served),
    throughputBytesPerSecond: sum((s) => s.result.throughput.average) / slices.length,
    errors: sum((s) => s.result.errors),
    timeouts: sum((s) => s.result.timeouts),
    non2xx: sum((s) => s.result.non2xx),
    durationSeconds: sum((s) => s.result.duration),
    serverCpuMicrosPerRequest:
      cpuKnown && served > 0 ? Math.round((sum((s) => s.serverCpuSeconds ?? 0) * 1e6) / served) : null,
    loadGeneratorCpuPercent: Math.round((sum((s) => s.ownCpuMicros) / 1000 / sum((s) => s.wallMs)) * 100),
  };
}

function describe(m: Measurement): string {
  return (
    `${fmtInt(m.requestsPerSecond)} req/s, p50 ${m.latencyP50Ms} ms, p99 ${m.latencyP99Ms} ms, ` +
    `errors ${m.errors}, non-2xx ${m.non2xx}, server ${m.serverCpuMicrosPerRequest ?? '?'} µs CPU/req, ` +
    `autocannon ${m.loadGeneratorCpuPercent} % CPU`
  );
}

/**
 * Souk, then node:http, each after its own warm-up; with BENCH_ROUNDS > 1 the measured time is
 * cut into that many slices per target, alternating, so background load hits both alike.
 */
async function measureEndpoint(
  tag: string,
  endpoint: string,
  targets: Array<{ target: Target; server: Child; port: number }>,
): Promise<Measurement[]> {
  const sliceSeconds = DURATION_SECONDS / ROUNDS;
  const slices = new Map<Target, Slice[]>(targets.map(({ target }) => [target, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const { target, server, port } of targets) {
      const url = `http://127.0.0.1:${port}${endpoint}`;
      if (round === 1) {
        log(tag, `GET ${endpoint} ${target}… (warm-up ${WARMUP_SECONDS} s, then ${DURATION_SECONDS} s)`);
        await cannon(url, WARMUP_SECONDS);
        if (interrupted) throw new Error('interrupted');
      } else if (target === targets[0]?.target) {
        log(tag, `GET ${endpoint} round ${round}/${ROUNDS}…`);
      }
      const done = await slice(server, url, sliceSeconds);
      slices.get(target)?.push(done);
      if (ROUNDS === 1) log(tag, `  ${describe(summarize(endpoint, target, [done]))}`);
      await assertAlive(server);
    }
  }
  const rows = targets.map(({ target }) => summarize(endpoint, target, slices.get(target) ?? []));
  if (ROUNDS > 1) for (const row of rows) log(tag, `  ${row.target}: ${describe(row)}`);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// One engine

type Payload = { contentType: string; body: Buffer };

type EngineReport = {
  engine: Engine;
  skipped?: string;
  startedAt: string;
  node: string;
  cpus: { count: number; model: string };
  server: { mode: 'dist' | 'src'; command: string; readyAfterMs?: number };
  settings: {
    durationSeconds: number;
    rounds: number;
    warmupSeconds: number;
    connections: number;
    pipelining: number;
  };
  payloads: Record<string, { bytes: number; contentType: string }>;
  measurements: Measurement[];
  /** Souk req/s over node:http req/s, per endpoint: the figure the 90 % rule reads. */
  ratios: Record<string, number>;
  /** node:http server CPU per request over Souk's: the same comparison, less sensitive to noise. */
  cpuRatios: Record<string, number | null>;
  threshold: { endpoint: string; minimumRatio: number; met: boolean | null };
};

function emptyReport(engine: Engine): EngineReport {
  const cpuList = cpus();
  return {
    engine,
    startedAt: new Date().toISOString(),
    node: process.version,
    cpus: { count: cpuList.length, model: cpuList[0]?.model ?? 'unknown' },
    server: { mode: SERVER_MODE, command: `node ${soukArgs().join(' ')}` },
    settings: {
      durationSeconds: DURATION_SECONDS,
      rounds: ROUNDS,
      warmupSeconds: WARMUP_SECONDS,
      connections: CONNECTIONS,
      pipelining: PIPELINING,
    },
    payloads: {},
    measurements: [],
    ratios: {},
    cpuRatios: {},
    threshold: { endpoint: ASSERTED_ENDPOINT, minimumRatio: THRESHOLD, met: null },
  };
}

/** Creates the throwaway database, or returns why PostgreSQL cannot be used. */
async function createPostgresDatabase(
  tag: string,
): Promise<{ url: string; drop: () => Promise<void> } | string> {
  const admin = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await withTimeout(admin.connect(), 6000, 'connecting to PostgreSQL');
  } catch (error) {
    await admin.end().catch(() => {});
    return `PostgreSQL unreachable at ${redact(POSTGRES_URL)} (${(error as Error).message})`;
  }
  const name = `souk_bench_${randomBytes(5).toString('hex')}`;
  // Registered before `create database`, so a Ctrl-C during it still drops what it made.
  const drop = onCleanup(`database ${name}`, async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
    try {
      await withTimeout(client.connect(), 6000, 'connecting to PostgreSQL');
      const { rowCount } = await withTimeout(
        client.query('select 1 from pg_database where datname = $1', [name]),
        5000,
        'looking up the database',
      );
      if (!rowCount) return;
      await withTimeout(client.query(`drop database "${name}" with (force)`), 12_000, 'drop database');
      log(tag, `dropped database ${name}`);
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
  log(tag, `created database ${name}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop };
}

async function runEngine(engine: Engine): Promise<EngineReport> {
  const tag = `[${engine}]`;
  const report = emptyReport(engine);
  const started: Array<() => Promise<void>> = [];
  try {
    const serverEnv: NodeJS.ProcessEnv = { ...env };
    for (const name of ['DATABASE_URL', 'DATA_DIR', 'PORT', 'HOST']) delete serverEnv[name];

    if (engine === 'postgres') {
      const database = await createPostgresDatabase(tag);
      if (typeof database === 'string') {
        log(tag, `${database}; skipping this engine`);
        report.skipped = database;
        return report;
      }
      started.push(database.drop);
      serverEnv.DATABASE_URL = database.url;
    } else {
      const dataDir = await mkdtemp(join(tmpdir(), 'souk-bench-pglite-'));
      started.push(onCleanup(`data dir ${dataDir}`, () => rm(dataDir, { recursive: true, force: true })));
      serverEnv.DATA_DIR = dataDir;
    }

    // Souk
    const soukPort = await freePort();
    log(
      tag,
      `starting server… (${SERVER_MODE === 'dist' ? 'built dist' : 'sources via tsx'}, port ${soukPort})`,
    );
    const souk = startChild('souk', soukArgs(), {
      cwd: ROOT,
      env: {
        ...serverEnv,
        HOST: '127.0.0.1',
        PORT: String(soukPort),
        LOG_LEVEL: 'warn',
        SEED_DEMO_DATA: 'always',
        NODE_ENV: 'production',
      },
      log: (line) => log(tag, line),
    });
    started.push(onCleanup('souk server', () => stopChild(souk)));
    report.server.readyAfterMs = await waitFor200(souk, soukPort, '/health/ready', START_TIMEOUT_MS);
    if (interrupted) throw new Error('interrupted');
    log(tag, `server ready after ${(report.server.readyAfterMs / 1000).toFixed(1)} s`);

    const payloads = new Map<string, Payload>();
    for (const endpoint of ENDPOINTS) {
      const response = await getRaw(soukPort, endpoint);
      if (response.status !== 200) {
        throw new Error(
          `GET ${endpoint} answered ${response.status}: ${response.body.toString().slice(0, 300)}`,
        );
      }
      const contentType = String(response.headers['content-type'] ?? 'application/octet-stream');
      payloads.set(endpoint, { contentType, body: response.body });
      report.payloads[endpoint] = { bytes: response.body.length, contentType };
      log(tag, `GET ${endpoint}: ${response.body.length} bytes, ${contentType}`);
    }

    // node:http baseline with the same bytes
    const payloadDir = await mkdtemp(join(tmpdir(), 'souk-bench-payloads-'));
    started.push(
      onCleanup(`payload dir ${payloadDir}`, () => rm(payloadDir, { recursive: true, force: true })),
    );
    const payloadFile = join(payloadDir, 'payloads.json');
    await writeFile(
      payloadFile,
      JSON.stringify(
        Object.fromEntries(
          [...payloads].map(([path, { contentType, body }]) => [
            path,
            { contentType, bodyBase64: body.toString('base64') },
          ]),
        ),
      ),
    );
    const baselinePort = await freePort();
    log(tag, `starting node:http baseline… (port ${baselinePort})`);
    const baseline = startChild('node:http', [join(ROOT, 'bench/baseline-server.mjs')], {
      cwd: ROOT,
      env: { PATH: env.PATH, BASELINE_PAYLOADS: payloadFile, PORT: String(baselinePort), HOST: '127.0.0.1' },
      log: (line) => log(tag, line),
    });
    started.push(onCleanup('node:http baseline', () => stopChild(baseline, 3000)));
    await baseline.waitForLine(/^listening \d+/, 10_000);
    for (const [endpoint, payload] of payloads) {
      const response = await getRaw(baselinePort, endpoint);
      if (response.status !== 200 || !response.body.equals(payload.body)) {
        throw new Error(`the baseline does not answer GET ${endpoint} with Souk's bytes`);
      }
    }

    // Measure, back to back per endpoint.
    for (const endpoint of ENDPOINTS) {
      const [souked, based] = await measureEndpoint(tag, endpoint, [
        { target: 'souk', server: souk, port: soukPort },
        { target: 'node:http', server: baseline, port: baselinePort },
      ]);
      if (!souked || !based) throw new Error('missing measurement');
      report.measurements.push(souked, based);
      report.cpuRatios[endpoint] =
        souked.serverCpuMicrosPerRequest && based.serverCpuMicrosPerRequest
          ? based.serverCpuMicrosPerRequest / souked.serverCpuMicrosPerRequest
          : null;
      report.ratios[endpoint] =
        based.requestsPerSecond > 0 ? souked.requestsPerSecond / based.requestsPerSecond : 0;
    }
    const asserted = report.ratios[ASSERTED_ENDPOINT];
    report.threshold.met = asserted === undefined ? null : asserted >= THRESHOLD;
    return report;
  } finally {
    // Undo in reverse: servers first, then their data.
    log(tag, 'stopping…');
    for (const stop of started.reverse()) await stop();
  }
}

async function assertAlive(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) {
    throw new Error(`${child.name} exited during the benchmark:\n${child.tail()}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Output

function log(tag: string, line: string): void {
  console.log(`${tag} ${line}`);
}

function percent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? '?' : `${(ratio * 100).toFixed(1)} %`;
}

function fmtInt(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function printTable(report: EngineReport): void {
  console.log('');
  if (report.skipped) {
    console.log(`== ${report.engine}: skipped (${report.skipped})`);
    return;
  }
  console.log(
    `== ${report.engine}: ${CONNECTIONS} connections, pipelining ${PIPELINING}, ${DURATION_SECONDS} s each ` +
      `${ROUNDS > 1 ? `in ${ROUNDS} alternating slices ` : ''}(after ${WARMUP_SECONDS} s warm-up); ` +
      `souk from ${report.server.mode}; ` +
      `${report.cpus.count} CPU, node ${report.node}`,
  );
  for (const [endpoint, payload] of Object.entries(report.payloads)) {
    console.log(`   payload ${endpoint}: ${payload.bytes} bytes (${payload.contentType})`);
  }
  const header = [
    'endpoint',
    'target',
    'req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'non-2xx',
    'srv CPU µs/req',
    'souk/node:http',
    'by CPU/req',
  ];
  const rows = report.measurements.map((m) => [
    m.endpoint,
    m.target,
    fmtInt(m.requestsPerSecond),
    String(m.latencyP50Ms),
    String(m.latencyP99Ms),
    String(m.errors),
    String(m.non2xx),
    m.serverCpuMicrosPerRequest === null ? '?' : String(m.serverCpuMicrosPerRequest),
    m.target === 'souk' ? `${((report.ratios[m.endpoint] ?? 0) * 100).toFixed(1)} %` : '',
    m.target === 'souk' ? percent(report.cpuRatios[m.endpoint]) : '',
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]?.length ?? 0)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0),
      )
      .join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
  const ratio = report.ratios[ASSERTED_ENDPOINT];
  if (ratio !== undefined) {
    console.log(
      `   ${ASSERTED_ENDPOINT}: souk at ${(ratio * 100).toFixed(1)} % of node:http ` +
        `(needs ≥ ${THRESHOLD * 100} %): ${report.threshold.met ? 'met' : 'NOT met'}; ` +
        `by server CPU per request: ${percent(report.cpuRatios[ASSERTED_ENDPOINT])}`,
    );
  }
}

async function writeReport(report: EngineReport): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `http-${report.engine}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  console.log(
    `HTTP benchmark: engines ${ENGINES.join(', ')}; ${DURATION_SECONDS} s per measurement; ` +
      `souk from ${SERVER_MODE === 'dist' ? 'apps/api/dist' : 'apps/api/src via tsx'}`,
  );
  const reports: EngineReport[] = [];
  let failed = false;
  for (const engine of ENGINES) {
    if (interrupted) return 130;
    try {
      const report = await runEngine(engine);
      reports.push(report);
      const file = await writeReport(report);
      log(`[${engine}]`, `results written to ${file}`);
    } catch (error) {
      if (interrupted) return 130;
      failed = true;
      console.error(`[${engine}] failed: ${(error as Error).message}`);
    }
  }
  for (const report of reports) printTable(report);

  const below = reports.filter((report) => report.threshold.met === false);
  if (below.length > 0) {
    console.log('');
    for (const report of below) {
      console.log(
        `${ASSERT ? 'FAIL' : 'note'}: [${report.engine}] ${ASSERTED_ENDPOINT} at ` +
          `${((report.ratios[ASSERTED_ENDPOINT] ?? 0) * 100).toFixed(1)} % of node:http, below ${THRESHOLD * 100} %`,
      );
    }
  }
  if (failed) return 1;
  return ASSERT && below.length > 0 ? 1 : 0;
}

main()
  .catch((error: unknown) => {
    console.error(`benchmark failed: ${(error as Error).stack ?? String(error)}`);
    return 1;
  })
  .then(async (code) => {
    await cleanupAll();
    process.exit(code);
  });
