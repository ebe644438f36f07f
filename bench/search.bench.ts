/**
 * Search benchmark: a query mix against `GET /api/v1/search` and `/search/suggestions` over
 * BENCH_LISTINGS generated listings (`npm run seed -- --listings N`), BENCH_CLIENTS (10)
 * concurrent clients per shape, p50/p95/p99 per shape.
 *
 *   npm run bench:search                                   # PostgreSQL 100k, then PGlite 100k
 *   BENCH_LISTINGS=1000000 BENCH_ENGINES=postgres npm run bench:search
 *   BENCH_SEARCH_DATABASE_URL=postgres://…/already_seeded npm run bench:search   # skip seeding
 *   BENCH_SHAPES=text,facets npm run bench:search          # only the shapes named so
 *
 * Targets (issue 6, PostgreSQL at 1M): p95 of each search shape (with facets) ≤ 50 ms,
 * suggestions ≤ 20 ms. The figures are printed; BENCH_ASSERT=1 exits 1 when one is missed.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  positiveInt,
  RESULTS_DIR,
  ROOT,
  serverMode,
  table,
} from './harness.js';
import { getStatus as get, percentile } from './http-client.js';
import { cpuSeconds, cpuSecondsByName, freePort, startChild, stopChild, waitFor200 } from './processes.js';
import { runSeedScript } from './seeding.js';

const env = process.env;
const DURATION_SECONDS = positiveInt('BENCH_DURATION', 10);
const LISTINGS = positiveInt('BENCH_LISTINGS', 100_000, 10_000_000, 'listings');
const CLIENTS = positiveInt('BENCH_CLIENTS', 10, 200, 'clients');
const ASSERT = isTruthy(env.BENCH_ASSERT);
const POSTGRES_URL = env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const SEEDED_URL = env.BENCH_SEARCH_DATABASE_URL || null;
const ENGINES = SEEDED_URL
  ? (['postgres'] as Engine[])
  : parseEngines(env.BENCH_ENGINES || 'postgres,pglite');
const SERVER_MODE = serverMode(env.BENCH_SERVER);
// A freshly started server's request path is still being optimized by V8 for some seconds.
const WARMUP_SECONDS = positiveInt('BENCH_WARMUP', 5);
const TARGETS = { searchP95Ms: 50, suggestionsP95Ms: 20 };
/** BENCH_SHAPES=text,facets runs only these shapes (a name, or its first words before "("). */
const ONLY_SHAPES = (env.BENCH_SHAPES ?? '')
  .split(',')
  .map((name) => name.trim())
  .filter(Boolean);

const log = (tag: string, line: string) => console.log(`${tag} ${line}`);
const pick = <T>(items: readonly T[], i: number): T => items[i % items.length] as T;

/** Colombo, Kandy, Galle, Jaffna, Dubai, Riyadh: points the demo cities sit around. */
const POINTS = [
  [6.9271, 79.8612],
  [7.2906, 80.6337],
  [6.0535, 80.221],
  [9.6615, 80.0255],
  [25.2048, 55.2708],
  [24.7136, 46.6753],
] as const;
const TEXTS = [
  'toyota',
  'corolla',
  'laptop',
  'apartment',
  'honda civic',
  'iphone',
  'sofa',
  '"land cruiser"',
  'car -toyota',
  'samsung or apple',
];
const FILTERS = [
  'category=cars&attr.make=toyota&attr.year=2015..2020',
  'category=cars&attr.mileageKm=..50000&priceMax=1000000000',
  'category=vehicles&condition=used',
  'category=electronics&priceMin=10000&priceMax=50000000',
  'category=property&postedWithinDays=30',
  'category=motorcycles&attr.make=honda,yamaha',
];

/** The query mix: each shape makes its n-th path. */
const SHAPES: { name: string; kind: 'search' | 'suggestions'; path: (n: number) => string }[] = [
  { name: 'text', kind: 'search', path: (n) => `/api/v1/search?q=${encodeURIComponent(pick(TEXTS, n))}` },
  {
    name: 'text + filters',
    kind: 'search',
    path: (n) =>
      `/api/v1/search?q=${encodeURIComponent(pick(['toyota', 'hybrid', 'automatic', 'honda', 'white'], n))}&${pick(FILTERS.slice(0, 3), n)}`,
  },
  {
    name: 'filters only',
    kind: 'search',
    path: (n) => `/api/v1/search?${pick(FILTERS, n)}&sort=${pick(['newest', 'price_asc', 'price_desc'], n)}`,
  },
  {
    name: 'facets (browse a category)',
    kind: 'search',
    path: (n) =>
      `/api/v1/search?category=${pick(['vehicles', 'cars', 'electronics', 'property', 'mobile-phones'], n)}`,
  },
  {
    name: 'distance',
    kind: 'search',
    path: (n) => {
      const [lat, lon] = pick(POINTS, n);
      return `/api/v1/search?lat=${lat}&lon=${lon}&radiusKm=${pick([5, 10, 25, 50], n)}&sort=distance`;
    },
  },
  {
    name: 'suggestions',
    kind: 'suggestions',
    path: (n) =>
      `/api/v1/search/suggestions?q=${encodeURIComponent(pick(['to', 'toy', 'toyo', 'hond', 'lapt', 'apar', 'iph', 'sams', 'toyta', 'hnda', 'cor', 'mot'], n))}`,
  },
];

type ShapeResult = {
  shape: string;
  kind: string;
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /**
   * CPU time per request (ms) of the Souk process, of PostgreSQL's processes (a local server)
   * and of this client: steadier than latency on a shared machine, and what the 2 cores split.
   */
  cpuMsPerRequest: { souk: number | null; postgres: number | null; client: number };
};

async function runShape(
  port: number,
  shape: (typeof SHAPES)[number],
  serverPid: number | undefined,
  localPostgres: boolean,
): Promise<ShapeResult> {
  let counter = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const run = async (seconds: number, record: boolean) => {
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < until && !interrupted()) {
          const path = shape.path(counter++);
          const started = performance.now();
          try {
            const status = await get(agent, port, path);
            if (status !== 200) throw new Error(`${status} on ${path}`);
            if (record) latencies.push(performance.now() - started);
          } catch (error) {
            if (record) errors += 1;
            firstError ??= (error as Error).message;
          }
        }
      }),
    );
  };
  await run(WARMUP_SECONDS, false);
  const before = {
    souk: cpuSeconds(serverPid),
    postgres: localPostgres ? cpuSecondsByName('postgres') : null,
    client: process.cpuUsage(),
  };
  await run(DURATION_SECONDS, true);
  agent.destroy();
  const perRequest = (start: number | null, end: number | null) =>
    start === null || end === null || latencies.length === 0
      ? null
      : Math.round(((end - start) * 1000 * 100) / (latencies.length + errors)) / 100;
  const clientCpu = process.cpuUsage(before.client);
  const cpuMsPerRequest = {
    souk: perRequest(before.souk, cpuSeconds(serverPid)),
    postgres: perRequest(before.postgres, localPostgres ? cpuSecondsByName('postgres') : null),
    client: perRequest(0, (clientCpu.user + clientCpu.system) / 1e6) ?? 0,
  };
  if (firstError) console.log(`  ${shape.name}: first error: ${firstError}`);
  latencies.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return {
    shape: shape.name,
    kind: shape.kind,
    requests: latencies.length,
    errors,
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
    max: round(latencies.at(-1) ?? 0),
    cpuMsPerRequest,
  };
}

/** PostgreSQL's processes can be read from /proc only when it runs on this machine. */
function isLocal(databaseUrl: string | undefined): boolean {
  if (!databaseUrl) return false;
  const host = new URL(databaseUrl).hostname;
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '';
}

async function seed(tag: string, serverEnv: NodeJS.ProcessEnv): Promise<string> {
  log(tag, `seeding ${fmtInt(LISTINGS)} listings (npm run seed -- --listings ${LISTINGS})…`);
  return runSeedScript({
    listings: LISTINGS,
    mode: SERVER_MODE,
    env: serverEnv,
    log: (line) => log(tag, line),
    exitTimeoutMs: 120_000,
  });
}

type EngineReport = {
  engine: Engine;
  listings: number;
  seeding: string | null;
  clients: number;
  durationSeconds: number;
  shapes: ShapeResult[];
};

async function runEngine(engine: Engine): Promise<EngineReport | null> {
  const tag = `[${engine}]`;
  const serverEnv: NodeJS.ProcessEnv = { ...env };
  for (const name of ['DATABASE_URL', 'DATA_DIR', 'PORT', 'HOST', 'SEED_DEMO_DATA']) delete serverEnv[name];
  const cleanups: (() => Promise<void>)[] = [];
  try {
    let seeding: string | null = null;
    let activeCount = LISTINGS;
    if (engine === 'postgres') {
      if (SEEDED_URL) {
        serverEnv.DATABASE_URL = SEEDED_URL;
      } else {
        const database = await createPostgresDatabase(POSTGRES_URL, (line) => log(tag, line));
        if (typeof database === 'string') {
          log(tag, `${database}; skipping`);
          return null;
        }
        cleanups.push(database.drop);
        serverEnv.DATABASE_URL = database.url;
      }
    } else {
      const dataDir = await mkdtemp(join(tmpdir(), 'souk-bench-search-'));
      cleanups.push(onCleanup(`data dir ${dataDir}`, () => rm(dataDir, { recursive: true, force: true })));
      serverEnv.DATA_DIR = dataDir;
    }
    if (!SEEDED_URL || engine === 'pglite') {
      seeding = await seed(tag, serverEnv);
      log(tag, `seed: ${seeding}`);
    }
    if (serverEnv.DATABASE_URL) {
      const client = new pg.Client({ connectionString: serverEnv.DATABASE_URL });
      await client.connect();
      // Hint bits and the visibility map of freshly loaded rows, as a database in service has them.
      await client.query('vacuum analyze listings');
      activeCount = Number(
        (
          await client.query(
            `select count(*) as n from listings where status = 'active' and deleted_at is null`,
          )
        ).rows[0].n,
      );
      // Every search shape reads listings' pages at random: PostgreSQL's own cache should hold
      // the table and its indexes (its default 128 MB holds an eighth of them at 1M).
      const memory = (
        await client.query(`select current_setting('shared_buffers') as buffers,
          pg_size_bytes(current_setting('shared_buffers')) as buffer_bytes,
          pg_total_relation_size('listings') as listing_bytes`)
      ).rows[0];
      const listingMb = Math.round(Number(memory.listing_bytes) / 2 ** 20);
      log(
        tag,
        `shared_buffers ${memory.buffers}; listings with indexes ${fmtInt(listingMb)} MB${Number(memory.buffer_bytes) < Number(memory.listing_bytes) ? ' (more than the buffers hold: see bench/README.md, "PostgreSQL memory")' : ''}`,
      );
      await client.end();
    }
    const port = await freePort();
    const server = startChild('souk', apiArgs(SERVER_MODE, 'main'), {
      cwd: ROOT,
      env: {
        ...serverEnv,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        SEED_DEMO_DATA: 'never',
        NODE_ENV: 'production',
      },
      log: (line) => log(tag, line),
    });
    cleanups.push(onCleanup('souk server', () => stopChild(server)));
    await waitFor200(server, port, '/health/ready', 120_000);
    await browseFacetsReady(tag, port, serverEnv.DATABASE_URL);
    log(
      tag,
      `Souk ready; ${fmtInt(activeCount)} active listings; ${CLIENTS} clients, ${DURATION_SECONDS} s a shape`,
    );
    const shapes: ShapeResult[] = [];
    for (const shape of SHAPES) {
      if (interrupted()) break;
      if (
        ONLY_SHAPES.length > 0 &&
        !ONLY_SHAPES.some((name) => shape.name === name || shape.name.startsWith(`${name} (`))
      )
        continue;
      const result = await runShape(port, shape, server.process.pid, isLocal(serverEnv.DATABASE_URL));
      const cpu = result.cpuMsPerRequest;
      log(
        tag,
        `${shape.name}: p50 ${result.p50} ms, p95 ${result.p95} ms, p99 ${result.p99} ms (${fmtInt(result.requests)} requests, ${result.errors} errors); CPU ms/request: souk ${cpu.souk ?? '?'}, postgres ${cpu.postgres ?? '?'}, client ${cpu.client}`,
      );
      shapes.push(result);
    }
    return {
      engine,
      listings: LISTINGS,
      seeding,
      clients: CLIENTS,
      durationSeconds: DURATION_SECONDS,
      shapes,
    };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/**
 * Browsing reads the facets a job stores every 10 minutes (docs/decisions/018); a service that
 * has been up has them. A fresh or reused database may have none or stale ones: the first browse
 * asks for a refresh, and the bench waits for it instead of measuring the refresh.
 */
async function browseFacetsReady(tag: string, port: number, databaseUrl: string | undefined): Promise<void> {
  const started = Date.now();
  const browse = () => fetch(`http://127.0.0.1:${port}/api/v1/search?category=vehicles`);
  const waitUntil = async (done: () => Promise<boolean>) => {
    while (!(await done())) {
      if (Date.now() - started > 15 * 60_000)
        throw new Error('browse facets were not refreshed within 15 minutes');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    log(tag, `browse facets refreshed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  if (!databaseUrl) {
    // PGlite: a freshly seeded directory has none; the first browse asks for them.
    const completed = async () => {
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const line = metrics
        .split('\n')
        .find(
          (row) =>
            row.startsWith('jobs_processed_total{') &&
            row.includes('queue="search.browse-facets"') &&
            row.includes('outcome="completed"'),
        );
      return (line ? Number(line.split(' ').at(-1)) : 0) >= 1;
    };
    await browse();
    return waitUntil(completed);
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const freshSince = async (minutes: number) => {
      const { rows } = await client.query(
        `select (select count(*) from categories)::int as categories,
          (select count(distinct category_id) from search_browse_facets
            where refreshed_at > now() - make_interval(mins => $1))::int as fresh`,
        [minutes],
      );
      return rows[0].fresh === rows[0].categories;
    };
    // Fresh enough to stay in use (30 minutes) for the whole run: measure as they are.
    if (await freshSince(20)) return;
    // Otherwise have the job count them now, as a browse of stale ones asks it to.
    await client.query(`update search_browse_facets set refreshed_at = now() - interval '1 day'`);
    await browse();
    await waitUntil(() => freshSince(5));
  } finally {
    await client.end();
  }
}

async function main(): Promise<number> {
  console.log(
    `search benchmark: engines ${ENGINES.join(', ')}; ${fmtInt(LISTINGS)} listings; ${CLIENTS} clients; ${DURATION_SECONDS} s per shape`,
  );
  const reports: EngineReport[] = [];
  for (const engine of ENGINES) {
    if (interrupted()) return 130;
    const report = await runEngine(engine);
    if (!report) continue;
    reports.push(report);
    await mkdir(RESULTS_DIR, { recursive: true });
    await writeFile(join(RESULTS_DIR, `search-${engine}.json`), `${JSON.stringify(report, null, 2)}\n`);
  }
  let missed = 0;
  for (const report of reports) {
    console.log(
      `\n${report.engine}: ${fmtInt(report.listings)} listings, ${report.clients} concurrent clients`,
    );
    console.log(
      table(
        [
          'shape',
          'kind',
          'requests',
          'errors',
          'p50 ms',
          'p95 ms',
          'p99 ms',
          'max ms',
          'target p95',
          'CPU ms/req souk',
          'postgres',
          'client',
        ],
        report.shapes.map((shape) => {
          const target = shape.kind === 'suggestions' ? TARGETS.suggestionsP95Ms : TARGETS.searchP95Ms;
          if (report.engine === 'postgres' && shape.p95 > target) missed += 1;
          return [
            shape.shape,
            shape.kind,
            fmtInt(shape.requests),
            String(shape.errors),
            String(shape.p50),
            String(shape.p95),
            String(shape.p99),
            String(shape.max),
            `≤ ${target}`,
            String(shape.cpuMsPerRequest.souk ?? ''),
            String(shape.cpuMsPerRequest.postgres ?? ''),
            String(shape.cpuMsPerRequest.client),
          ];
        }),
      ),
    );
  }
  return ASSERT && missed > 0 ? 1 : 0;
}

finish(main());
