/**
 * Cluster benchmark (issue 23, must-show 4): the throughput of one API node against two behind
 * nginx (deploy/nginx/souk.conf, as shipped), on the listing-page mix and the search mix, over
 * BENCH_LISTINGS generated listings on PostgreSQL and a Redis of its own.
 *
 *   npm run bench:cluster
 *   BENCH_LISTINGS=100000 BENCH_CLIENTS=64 BENCH_DURATION=20 npm run bench:cluster
 *
 * Three targets per mix: one node asked directly, the same node behind nginx (what the edge
 * costs), and two nodes behind nginx. Every request asks for gzip, as browsers do. Prints req/s
 * and p50/p95/p99 per target and mix; writes bench/results/cluster-<time>.json.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { hasNginx, startNginx } from '../apps/api/faults/cluster/nginx.js';
import { startRedisServer } from '../apps/api/src/test-support/redis-server.js';
import {
  apiArgs,
  createPostgresDatabase,
  finish,
  fmtInt,
  interrupted,
  onCleanup,
  positiveInt,
  RESULTS_DIR,
  ROOT,
  serverMode,
  table,
} from './harness.js';
import { getStatus as get, percentile } from './http-client.js';
import { type Child, cpuSeconds, freePort, startChild, stopChild, waitFor200 } from './processes.js';
import { runSeedScript } from './seeding.js';

const env = process.env;
const DURATION_SECONDS = positiveInt('BENCH_DURATION', 10);
const WARMUP_SECONDS = positiveInt('BENCH_WARMUP', 5);
const LISTINGS = positiveInt('BENCH_LISTINGS', 20_000, 10_000_000, 'listings');
const CLIENTS = positiveInt('BENCH_CLIENTS', 32, 500, 'clients');
const POSTGRES_URL = env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const SERVER_MODE = serverMode(env.BENCH_SERVER);

const log = (line: string) => console.log(`[cluster] ${line}`);
const pick = <T>(items: readonly T[], n: number): T => items[n % items.length] as T;

type Mix = { name: string; path: (n: number, ids: string[]) => string };

/**
 * The listing page: the listing itself most of the time, then what the page also loads (the
 * seller's other listings through search, similar listings in its category).
 */
const LISTING_PAGE: Mix = {
  name: 'listing page',
  path: (n, ids) => {
    const id = pick(ids, n * 7);
    switch (n % 4) {
      case 3:
        return `/api/v1/search?category=${pick(['cars', 'electronics', 'property', 'mobile-phones'], n)}&limit=8`;
      default:
        return `/api/v1/listings/${id}`;
    }
  },
};

/** bench/search.bench.ts's shapes, in turn: text, text + filters, filters, browse, suggestions. */
const SEARCH: Mix = {
  name: 'search',
  path: (n) => {
    switch (n % 5) {
      case 0:
        return `/api/v1/search?q=${encodeURIComponent(pick(['toyota', 'corolla', 'laptop', 'apartment', 'iphone', 'sofa'], n))}`;
      case 1:
        return `/api/v1/search?q=${pick(['toyota', 'hybrid', 'honda'], n)}&category=cars&attr.year=2015..2020`;
      case 2:
        return `/api/v1/search?category=electronics&priceMin=10000&priceMax=50000000&sort=${pick(['newest', 'price_asc'], n)}`;
      case 3:
        return `/api/v1/search?category=${pick(['vehicles', 'cars', 'electronics', 'property'], n)}`;
      default:
        return `/api/v1/search/suggestions?q=${pick(['to', 'toy', 'hond', 'lapt', 'iph', 'sams'], n)}`;
    }
  },
};

type Row = {
  mix: string;
  target: string;
  requestsPerSecond: number;
  requests: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  /** CPU seconds per second of each Souk node and of nginx: where the 2 cores went. */
  cpu: Record<string, number>;
};

async function measure(
  mix: Mix,
  target: string,
  port: number,
  ids: string[],
  watched: Record<string, number | undefined>,
): Promise<Row> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  let counter = 0;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | null = null;
  const run = async (seconds: number, record: boolean) => {
    const until = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < until && !interrupted()) {
          const path = mix.path(counter++, ids);
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
  log(`${mix.name} → ${target}: warm-up ${WARMUP_SECONDS} s, then ${DURATION_SECONDS} s`);
  await run(WARMUP_SECONDS, false);
  const cpuBefore = Object.fromEntries(Object.entries(watched).map(([name, pid]) => [name, cpuSeconds(pid)]));
  const started = performance.now();
  await run(DURATION_SECONDS, true);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  if (firstError) log(`  first error: ${firstError}`);
  latencies.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  const cpu: Record<string, number> = {};
  for (const [name, pid] of Object.entries(watched)) {
    const before = cpuBefore[name];
    const after = cpuSeconds(pid);
    if (before != null && after != null) cpu[name] = Math.round(((after - before) / seconds) * 100) / 100;
  }
  const row: Row = {
    mix: mix.name,
    target,
    requestsPerSecond: Math.round(latencies.length / seconds),
    requests: latencies.length,
    errors,
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
    cpu,
  };
  log(
    `  ${fmtInt(row.requestsPerSecond)} req/s, p50 ${row.p50} ms, p95 ${row.p95} ms, p99 ${row.p99} ms, errors ${errors}`,
  );
  return row;
}

async function main(): Promise<number> {
  if (!hasNginx) {
    log('nginx is not installed (apt-get install nginx); nothing to measure');
    return 1;
  }
  const cleanups: (() => Promise<void>)[] = [];
  try {
    const database = await createPostgresDatabase(POSTGRES_URL, log);
    if (typeof database === 'string') {
      log(database);
      return 1;
    }
    cleanups.push(database.drop);
    const redis = await startRedisServer();
    cleanups.push(onCleanup('redis-server', () => redis.stop()));
    const runDir = await mkdtemp(join(tmpdir(), 'souk-bench-cluster-'));
    cleanups.push(onCleanup(`run dir ${runDir}`, () => rm(runDir, { recursive: true, force: true })));
    const serverEnv: NodeJS.ProcessEnv = {
      PATH: env.PATH,
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      DATA_DIR: join(runDir, 'data'),
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      SEED_DEMO_DATA: 'never',
      TRUST_PROXY: '1',
    };
    log(`seeding ${fmtInt(LISTINGS)} listings (npm run seed -- --listings ${LISTINGS})…`);
    log(
      `seed: ${await runSeedScript({ listings: LISTINGS, mode: SERVER_MODE, env: serverEnv, log, exitTimeoutMs: 120_000 })}`,
    );
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query('vacuum analyze listings');
    const ids = (
      await client.query<{ id: string }>(
        `select id from listings where status = 'active' and deleted_at is null order by random() limit 2000`,
      )
    ).rows.map((row) => row.id);
    await client.end();

    const nodes: { child: Child; port: number }[] = [];
    for (const name of ['api1', 'api2']) {
      const port = await freePort();
      const child = startChild(name, apiArgs(SERVER_MODE, 'main'), {
        cwd: ROOT,
        env: { ...serverEnv, ROLE: 'api', HOST: '127.0.0.1', PORT: String(port) },
        log,
      });
      cleanups.push(onCleanup(name, () => stopChild(child)));
      nodes.push({ child, port });
    }
    await Promise.all(nodes.map((node) => waitFor200(node.child, node.port, '/health/ready', 120_000)));
    const [one, two] = nodes as [{ child: Child; port: number }, { child: Child; port: number }];
    const webRoot = join(runDir, 'web');
    await mkdir(webRoot, { recursive: true });
    await writeFile(join(webRoot, 'index.html'), '<!doctype html><title>Souk</title>');
    // One nginx worker: it shares the 2 cores with both nodes, PostgreSQL and this client.
    const nginx = await startNginx({ runDir, upstreams: [one.port], webRoot, workers: 1 });
    cleanups.push(onCleanup('nginx', () => nginx.stop()));
    const nginxPid = Number(readFileSync(join(nginx.prefix, 'nginx.pid'), 'utf8'));
    // The worker is the master's child (it changes on each reload); its CPU is what nginx costs.
    const workerPid = () => {
      try {
        const children = readFileSync(`/proc/${nginxPid}/task/${nginxPid}/children`, 'utf8')
          .trim()
          .split(/\s+/);
        return children[0] ? Number(children[0]) : undefined;
      } catch {
        return undefined;
      }
    };

    const rows: Row[] = [];
    for (const mix of [LISTING_PAGE, SEARCH]) {
      await nginx.setUpstreams([one.port]);
      const watchedOne = { api1: one.child.process.pid, api2: two.child.process.pid, nginx: workerPid() };
      rows.push(await measure(mix, 'one node, direct', one.port, ids, watchedOne));
      rows.push(
        await measure(mix, 'one node behind nginx', nginx.port, ids, { ...watchedOne, nginx: workerPid() }),
      );
      await nginx.setUpstreams([one.port, two.port]);
      rows.push(
        await measure(mix, 'two nodes behind nginx', nginx.port, ids, { ...watchedOne, nginx: workerPid() }),
      );
      if (interrupted()) return 130;
    }

    console.log(
      `\nCluster bench: ${fmtInt(LISTINGS)} listings on PostgreSQL, ${CLIENTS} clients, ${DURATION_SECONDS} s per row, ` +
        `${cpus().length} cores, ${SERVER_MODE}\n`,
    );
    console.log(
      table(
        ['mix', 'target', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'CPU api1/api2/nginx'],
        rows.map((row) => [
          row.mix,
          row.target,
          fmtInt(row.requestsPerSecond),
          String(row.p50),
          String(row.p95),
          String(row.p99),
          String(row.errors),
          ['api1', 'api2', 'nginx'].map((name) => row.cpu[name]?.toFixed(2) ?? '?').join(' / '),
        ]),
      ),
    );
    await mkdir(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `cluster-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    await writeFile(
      file,
      JSON.stringify(
        {
          listings: LISTINGS,
          clients: CLIENTS,
          durationSeconds: DURATION_SECONDS,
          cores: cpus().length,
          rows,
        },
        null,
        2,
      ),
    );
    log(`results in ${file}`);
    return rows.some((row) => row.errors > 0) ? 1 : 0;
  } finally {
    for (const cleanup of cleanups.reverse())
      await cleanup().catch((error) => log(`clean-up: ${(error as Error).message}`));
  }
}

finish(main());
