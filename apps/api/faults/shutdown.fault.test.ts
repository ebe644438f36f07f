import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Answer,
  DATABASE,
  type FaultEnvironment,
  formatReport,
  retryUnacknowledged,
  type SoukProcess,
  sendMessage,
  startEnvironment,
  startProbes,
  startWriteLoad,
  verifyScenario,
  waitUntil,
} from './support/index.js';

/**
 * Issue 16, item 5: SIGTERM of an API node under kept-alive write load. Readiness turns 503
 * first (SHUTDOWN_DELAY_MS), requests that reach the node (kept-alive ones included) are served
 * with `Connection: close`, a slow request in flight finishes, nothing answers 500 or more, and the
 * process exits 0 within SHUTDOWN_TIMEOUT_MS + 1 s. Only new connections after the listener
 * closed are refused; the clients retry those on the other node.
 */
const SHUTDOWN_DELAY_MS = 2_000;
const SHUTDOWN_TIMEOUT_MS = 10_000;

let env: FaultEnvironment;
let leaving: SoukProcess;
let staying: SoukProcess;
let failed = false;

beforeAll(async () => {
  env = await startEnvironment({ buyers: 8, listings: 4 });
  [leaving, staying] = (await Promise.all([
    env.startNode('api-leaving', 'api', {
      SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    }),
    env.startNode('api-staying', 'api'),
  ])) as [SoukProcess, SoukProcess];
});

afterAll(async () => {
  await env?.close({ keepLogs: failed });
});

describe('graceful shutdown', () => {
  it('SIGTERM under kept-alive load: not ready first, every request that arrived is served, 0 answers >= 500, exit 0 in time', async () => {
    const load = startWriteLoad({
      label: 'sigterm',
      nodes: [leaving],
      fixtures: env.fixtures,
      concurrency: 8,
    });
    const probes = startProbes([leaving], 100);
    const startedAt = Date.now();
    const failures: string[] = [];
    try {
      await waitUntil(
        () => {
          load.assertSane();
          return load.acknowledgedSince(startedAt) >= 50;
        },
        { timeoutMs: 60_000, what: 'the load to be acknowledged' },
      );
      // A slow client whose body is still arriving when the listener closes (1.2 s after it does).
      const buyer = env.fixtures.buyers[0];
      const listingId = env.fixtures.listingIds[0];
      if (!buyer || !listingId) throw new Error('no fixtures');
      const slowAgent = new Agent({ keepAlive: true });
      const slowIntent = { id: 'sigterm-slow-1', node: leaving, token: buyer.token, listingId };
      load.intents.set(slowIntent.id, slowIntent);
      const slow = sendMessage(slowIntent, slowAgent, 'load', { pieces: 10, pieceIntervalMs: 350 });

      const signalledAt = Date.now();
      leaving.signal('SIGTERM');
      const exit = await Promise.race([
        leaving.exited,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('no exit within 20 s of SIGTERM')), 20_000),
        ),
      ]);
      const slowAnswer = await slow;
      slowAgent.destroy();
      load.answers.push(slowAnswer);
      await load.stop();
      await probes.stop();

      const exitMs = exit.at - signalledAt;
      if (exit.code !== 0) failures.push(`exit code ${exit.code} (signal ${exit.signal})`);
      if (exitMs > SHUTDOWN_TIMEOUT_MS + 1_000) failures.push(`exited ${exitMs} ms after SIGTERM`);
      if (slowAnswer.status !== 201) {
        failures.push(`the slow request in flight got ${slowAnswer.status ?? slowAnswer.error}`);
      }
      // A new connection the listener never took is refused, or reset when it was still in the
      // accept queue as the listener closed: both are refusals at connect, nothing was sent to Souk.
      const refusedAtConnect = (answer: Answer) =>
        answer.error === 'ECONNREFUSED' ||
        (answer.error === 'ECONNRESET' && answer.reusedConnection === false);
      // The listener closed when the first new connection was refused.
      const refusals = load.answers.filter(refusedAtConnect);
      const closedAt = Math.min(exit.at, ...refusals.map((answer) => answer.startedAt));
      const notReady = probes.answers.find(
        (probe) => probe.path === '/health/ready' && probe.startedAt >= signalledAt && probe.status === 503,
      );
      if (!notReady || notReady.endedAt > closedAt) {
        failures.push('/health/ready did not say 503 before the listener closed');
      }
      // Draining from the node's first 503 on readiness (it took the signal some ms after it was sent).
      const drainingAt = notReady?.startedAt ?? signalledAt;
      const duringDrain = load.answers.filter(
        (answer) => answer.startedAt >= drainingAt && answer.status !== null,
      );
      const served = duringDrain.filter((answer) => answer.status !== null && answer.status < 300);
      const keptAlive = duringDrain.filter((answer) => answer.connection !== 'close');
      if (served.length < duringDrain.length) {
        failures.push(`${duringDrain.length - served.length} answers during the drain were not 2xx`);
      }
      if (keptAlive.length > 0)
        failures.push(`${keptAlive.length} answers during the drain kept the connection`);
      const notRefusals = load.answers.filter(
        (answer) => answer.status === null && !refusedAtConnect(answer),
      );
      if (notRefusals.length > 0) {
        failures.push(
          `${notRefusals.length} requests lost their connection (${[...new Set(notRefusals.map((a) => a.error))].join(', ')})`,
        );
      }

      const retries = await retryUnacknowledged(load, { via: staying });
      const report = await verifyScenario({
        scenario: 'sigterm-api-keepalive',
        cluster: env.cluster,
        database: DATABASE,
        load,
        retries,
        probes: probes.answers,
        runDir: env.runDir,
        timeline: null,
        processes: [staying],
        refusalsAllowedFrom: refusedAtConnect,
      });
      report.failures.push(...failures);
      console.log(
        `${formatReport(report)} drainAnswers=${duringDrain.length} refusedAtConnect=${refusals.length} exit=${exit.code} after ${exitMs}ms`,
      );
      if (report.failures.length > 0) failed = true;
      expect(report.failures).toEqual([]);
    } finally {
      await load.stop();
      await probes.stop();
    }
  });
});
