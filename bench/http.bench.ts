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
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import {
  apiArgs,
  createPostgresDatabase,
  type Engine,
  finish,
  fmtInt,
  interrupted,
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

type Target = 'souk' | 'node:http';
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

function soukArgs(): string[] {
  return apiArgs(SERVER_MODE, 'main');
}

// ---------------------------------------------------------------------------------------------
// Measuring

let stopCurrentCannon: (() => void) | undefined;
setInterruptHandler(() => stopCurrentCannon?.());

type Measurement = { endpoint: string; target: Target } & LoadStats;

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

/**
 * Souk, then node:http, each after its own warm-up; with BENCH_ROUNDS > 1 the measured time is
 * cut into that many slices per target, alternating, so background load hits both alike.
 */
async function measureEndpoint(
  tag: string,
  endpoint: string,
  targets: LoadTarget<Target>[],
): Promise<Measurement[]> {
  const rows = await measureTargets({
    label: `GET ${endpoint}`,
    targets,
    durationSeconds: DURATION_SECONDS,
    warmupSeconds: WARMUP_SECONDS,
    rounds: ROUNDS,
    load: (port, seconds) => cannon(`http://127.0.0.1:${port}${endpoint}`, seconds),
    log: (line) => log(tag, line),
  });
  return rows.map(({ target, stats }) => ({ endpoint, target, ...stats }));
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

async function runEngine(engine: Engine): Promise<EngineReport> {
  const tag = `[${engine}]`;
  const report = emptyReport(engine);
  const started: Array<() => Promise<void>> = [];
  try {
    const serverEnv: NodeJS.ProcessEnv = { ...env };
    for (const name of ['DATABASE_URL', 'DATA_DIR', 'PORT', 'HOST']) delete serverEnv[name];

    if (engine === 'postgres') {
      const database = await createPostgresDatabase(POSTGRES_URL, (line) => log(tag, line));
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
    if (interrupted()) throw new Error('interrupted');
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

// ---------------------------------------------------------------------------------------------
// Output

function log(tag: string, line: string): void {
  console.log(`${tag} ${line}`);
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
  console.log(table(header, rows));
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
    if (interrupted()) return 130;
    try {
      const report = await runEngine(engine);
      reports.push(report);
      const file = await writeReport(report);
      log(`[${engine}]`, `results written to ${file}`);
    } catch (error) {
      if (interrupted()) return 130;
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

finish(main());
