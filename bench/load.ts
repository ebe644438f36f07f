import type autocannon from 'autocannon';
import { fmtInt, interrupted, median } from './harness.js';
import { type Child, cpuSeconds } from './processes.js';

/** One autocannon run against one server, with the CPU both sides spent on it. */
export type Slice = {
  result: autocannon.Result;
  serverCpuSeconds: number | null;
  ownCpuMicros: number;
  wallMs: number;
};

/** The figures both benches report for one target, folded over its slices. */
export type LoadStats = {
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
  /** CPU time the server process spent per request served (not the database's; null without /proc). */
  serverCpuMicrosPerRequest: number | null;
  /** CPU this process (autocannon) used, in % of one core: near 100 means the client was the limit. */
  loadGeneratorCpuPercent: number;
};

export type LoadTarget<T extends string> = { target: T; server: Child; port: number };

/** Runs `load` against `server`, measuring the server's CPU and autocannon's own. */
export async function timedSlice(server: Child, load: () => Promise<autocannon.Result>): Promise<Slice> {
  const serverCpuBefore = cpuSeconds(server.process.pid);
  const ownCpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  const result = await load();
  const wallMs = performance.now() - wallBefore;
  const ownCpu = process.cpuUsage(ownCpuBefore);
  const serverCpuAfter = cpuSeconds(server.process.pid);
  if (interrupted()) throw new Error('interrupted');
  return {
    result,
    serverCpuSeconds:
      serverCpuBefore !== null && serverCpuAfter !== null ? serverCpuAfter - serverCpuBefore : null,
    ownCpuMicros: ownCpu.user + ownCpu.system,
    wallMs,
  };
}

/** Folds the slices of one target into one row: mean req/s, median percentiles, summed counts. */
export function foldSlices(slices: Slice[]): LoadStats {
  const sum = (pick: (s: Slice) => number) => slices.reduce((total, s) => total + pick(s), 0);
  const served = sum((s) => s.result.requests.total);
  const cpuKnown = slices.every((s) => s.serverCpuSeconds !== null);
  return {
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

export function describeLoad(m: LoadStats): string {
  return (
    `${fmtInt(m.requestsPerSecond)} req/s, p50 ${m.latencyP50Ms} ms, p99 ${m.latencyP99Ms} ms, ` +
    `errors ${m.errors}, non-2xx ${m.non2xx}, server ${m.serverCpuMicrosPerRequest ?? '?'} µs CPU/req, ` +
    `autocannon ${m.loadGeneratorCpuPercent} % CPU`
  );
}

/**
 * Each target after its own warm-up; with `rounds` > 1 the measured time is cut into that many
 * slices per target, alternating, so background load hits all targets alike.
 */
export async function measureTargets<T extends string>(options: {
  label: string;
  targets: LoadTarget<T>[];
  durationSeconds: number;
  warmupSeconds: number;
  rounds: number;
  load: (port: number, seconds: number) => Promise<autocannon.Result>;
  log: (line: string) => void;
}): Promise<{ target: T; stats: LoadStats }[]> {
  const { label, targets, rounds, load, log } = options;
  const sliceSeconds = options.durationSeconds / rounds;
  const slices = new Map<T, Slice[]>(targets.map(({ target }) => [target, []]));
  for (let round = 1; round <= rounds; round++) {
    for (const { target, server, port } of targets) {
      if (round === 1) {
        log(`${label} ${target}… (warm-up ${options.warmupSeconds} s, then ${options.durationSeconds} s)`);
        await load(port, options.warmupSeconds);
        if (interrupted()) throw new Error('interrupted');
      } else if (target === targets[0]?.target) {
        log(`${label} round ${round}/${rounds}…`);
      }
      const done = await timedSlice(server, () => load(port, sliceSeconds));
      slices.get(target)?.push(done);
      if (rounds === 1) log(`  ${target}: ${describeLoad(foldSlices([done]))}`);
      if (server.process.exitCode !== null || server.process.signalCode !== null) {
        throw new Error(`${server.name} exited during the benchmark:\n${server.tail()}`);
      }
    }
  }
  const rows = targets.map(({ target }) => ({ target, stats: foldSlices(slices.get(target) ?? []) }));
  if (rounds > 1) for (const row of rows) log(`  ${row.target}: ${describeLoad(row.stats)}`);
  return rows;
}
