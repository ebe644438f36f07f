import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DATABASE,
  type FaultEnvironment,
  formatReport,
  hold,
  type ProbeAnswer,
  retryUnacknowledged,
  type SoukProcess,
  startEnvironment,
  startProbes,
  startWriteLoad,
  verifyScenario,
  waitUntil,
} from './support/index.js';

/**
 * Issue 16, item 1: PostgreSQL restarted (`pg_ctl stop -m fast`, an operator's restart),
 * crashed (`-m immediate`) and frozen for 40 s (SIGSTOP) under write load, with one node of
 * each role (all, api, worker) running through all three, one after the other.
 */
let env: FaultEnvironment;
let nodes: { all: SoukProcess; api: SoukProcess; worker: SoukProcess };
let failed = false;

beforeAll(async () => {
  env = await startEnvironment({ buyers: 8, listings: 4 });
  const [all, api, worker] = await Promise.all([
    env.startNode('all', 'all'),
    env.startNode('api', 'api'),
    env.startNode('worker', 'worker'),
  ]);
  nodes = { all, api, worker } as typeof nodes;
});

afterAll(async () => {
  await env?.close({ keepLogs: failed });
});

/** How long the database stays stopped: every node has to notice and answer 503 meanwhile. */
const STOPPED_MS = 10_000;
const FROZEN_MS = 40_000;

const readyWas = (probes: ProbeAnswer[], node: SoukProcess, status: number, since: number) =>
  probes.some(
    (probe) =>
      probe.node === node.name &&
      probe.path === '/health/ready' &&
      probe.startedAt >= since &&
      probe.status === status,
  );

const phase = (scenario: string, what: string) =>
  console.log(`[faults] ${new Date().toISOString()} ${scenario}: ${what}`);

async function underLoad(
  scenario: string,
  fault: { begin(): Promise<void>; end(): Promise<void>; lastsMs: number },
) {
  const serving = [nodes.all, nodes.api];
  const everyNode = [nodes.all, nodes.api, nodes.worker];
  const load = startWriteLoad({ label: scenario, nodes: serving, fixtures: env.fixtures, concurrency: 8 });
  const probes = startProbes(everyNode);
  const startedAt = Date.now();
  try {
    await waitUntil(
      () => {
        load.assertSane();
        return serving.every((node) => load.acknowledgedSince(startedAt, node.name) >= 30);
      },
      {
        timeoutMs: 60_000,
        what: 'the load to be acknowledged on every node',
      },
    );
    const faultAt = Date.now();
    phase(scenario, 'fault begins');
    await fault.begin();
    phase(scenario, 'fault in place');
    // The fault lasts its time (that is the scenario), and long enough for every node to say so.
    await hold(fault.lastsMs - (Date.now() - faultAt));
    await waitUntil(() => everyNode.every((node) => readyWas(probes.answers, node, 503, faultAt)), {
      timeoutMs: 30_000,
      what: 'every node to report not ready',
    });
    phase(scenario, 'every node reported not ready; ending the fault');
    await fault.end();
    const backAt = Date.now();
    phase(scenario, 'the database is back');
    await waitUntil(
      () =>
        serving.every((node) => load.acknowledgedSince(backAt, node.name) >= 30) &&
        everyNode.every((node) => readyWas(probes.answers, node, 200, backAt)),
      { timeoutMs: 60_000, what: 'every node to serve again' },
    );
    phase(scenario, 'every node serves again');
    await load.stop();
    await probes.stop();
    const retries = await retryUnacknowledged(load);
    phase(scenario, `retried ${retries.length} times`);
    const report = await verifyScenario({
      scenario,
      cluster: env.cluster,
      database: DATABASE,
      load,
      retries,
      probes: probes.answers,
      runDir: env.runDir,
      timeline: { faultAt, backAt },
      processes: everyNode,
    });
    console.log(formatReport(report));
    if (report.failures.length > 0) failed = true;
    expect(report.failures).toEqual([]);
  } finally {
    await load.stop();
    await probes.stop();
  }
}

describe.sequential('PostgreSQL goes away under write load (ROLE=all, api and worker)', () => {
  it.each(['fast', 'immediate'] as const)(
    'pg_ctl stop -m %s: every process stays up, answers 503 with Retry-After, and serves within 5 s of the restart',
    async (mode) => {
      await underLoad(`pg-stop-${mode}`, {
        begin: () => env.cluster.stop(mode),
        end: () => env.cluster.start(),
        lastsMs: STOPPED_MS,
      });
    },
  );

  it('a 40 s freeze (SIGSTOP of every PostgreSQL process): 503 within 5 s instead of hangs, 2xx within 5 s of SIGCONT', async () => {
    await underLoad('pg-freeze-40s', {
      begin: () => env.cluster.freeze(),
      end: () => env.cluster.thaw(),
      lastsMs: FROZEN_MS,
    });
  });
});
