import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Cluster } from './cluster.js';
import type { Answer, ProbeAnswer, WriteLoad } from './load.js';
import type { SoukProcess } from './souk.js';

/** A request without an answer for this long is a hang, whatever it ends with. */
export const HANG_MS = 5_000;
/** Every node serves 2xx again within this of the database returning. */
export const RECOVERY_MS = 5_000;
/** /health/live and /metrics answer within this, database or not. */
export const PROBE_MS = 1_000;

export type Timeline = {
  /** When the fault began (the stop command, the SIGSTOP) and when the database was back. */
  faultAt: number;
  backAt: number;
};

export type Report = {
  scenario: string;
  acknowledged: number;
  lost: number;
  duplicated: number;
  requests: number;
  status500: number;
  status503: number;
  otherErrors: number;
  hangs: number;
  maxLatencyMs: number;
  recoveryMs: Record<string, number | null>;
  failures: string[];
};

const ok = (answer: { status: number | null }) => answer.status !== null && answer.status < 300;

/** Each acknowledged message is in the database once; a message nobody saw acknowledged at most once. */
export async function countStored(cluster: Cluster, database: string, ids: string[]) {
  const rows = await cluster.query<{ id: string; copies: number }>(
    'select client_message_id as id, count(*)::int as copies from messages where client_message_id = any($1) group by 1',
    [ids],
    database,
  );
  return new Map(rows.map((row) => [row.id, row.copies]));
}

/**
 * Checks a fault scenario's record against the database and the rules of issue 16: nothing
 * acknowledged lost, nothing stored twice, only 503 problems with Retry-After (no 500, no hang)
 * while the database is gone, 2xx again within 5 s of it returning, every process still the one
 * that was started, /health/ready not ready during the outage, /health/live and /metrics fast.
 */
export async function verifyScenario(input: {
  scenario: string;
  cluster: Cluster;
  database: string;
  load: WriteLoad;
  retries: Answer[];
  probes: ProbeAnswer[];
  timeline: Timeline | null;
  processes: SoukProcess[];
  /** Answers a node gives while it shuts down may be refusals to connect; counted apart. */
  refusalsAllowedFrom?: (answer: Answer) => boolean;
  /** Writes every answer and probe there as `<scenario>.answers.jsonl`, for a failure's post-mortem. */
  runDir?: string;
}): Promise<Report> {
  const failures: string[] = [];
  const all = [...input.load.answers, ...input.retries];
  if (input.runDir) {
    writeFileSync(
      join(input.runDir, `${input.scenario}.answers.jsonl`),
      [...all, ...input.probes].map((entry) => JSON.stringify(entry)).join('\n'),
    );
  }
  const acknowledgedIds = [...new Set(all.filter(ok).map((answer) => answer.id))];
  const stored = await countStored(input.cluster, input.database, [...input.load.intents.keys()]);
  const lost = acknowledgedIds.filter((id) => !stored.has(id));
  const duplicated = [...stored.entries()].filter(([, copies]) => copies > 1);
  if (lost.length > 0)
    failures.push(`${lost.length} acknowledged messages lost, e.g. ${lost.slice(0, 3).join(', ')}`);
  if (duplicated.length > 0) failures.push(`${duplicated.length} messages stored more than once`);
  const unacknowledged = [...input.load.intents.keys()].filter((id) => !acknowledgedIds.includes(id));
  if (unacknowledged.length > 0)
    failures.push(`${unacknowledged.length} messages never acknowledged, even on retry`);

  const status500 = all.filter(
    (answer) => answer.status !== null && answer.status >= 500 && answer.status !== 503,
  );
  const status503 = all.filter((answer) => answer.status === 503);
  const refused = (answer: Answer) => input.refusalsAllowedFrom?.(answer) ?? false;
  const otherErrors = all.filter(
    (answer) =>
      (answer.status === null && !refused(answer)) ||
      (answer.status !== null && answer.status >= 300 && answer.status < 500),
  );
  const hangs = all.filter((answer) => answer.endedAt - answer.startedAt > HANG_MS);
  const maxLatencyMs = Math.max(0, ...all.map((answer) => answer.endedAt - answer.startedAt));
  if (status500.length > 0) {
    const codes = [...new Set(status500.map((answer) => `${answer.status} ${answer.code ?? ''}`))];
    failures.push(`${status500.length} answers of 500 or more other than 503 (${codes.join(', ')})`);
  }
  const badUnavailable = status503.filter(
    (answer) =>
      answer.code !== 'service_unavailable' ||
      !answer.retryAfter ||
      !answer.contentType?.startsWith('application/problem+json'),
  );
  if (badUnavailable.length > 0) {
    failures.push(`${badUnavailable.length} 503s without a service_unavailable problem and Retry-After`);
  }
  if (otherErrors.length > 0) {
    const kinds = [
      ...new Set(otherErrors.map((answer) => answer.error ?? `${answer.status} ${answer.code ?? ''}`)),
    ];
    failures.push(`${otherErrors.length} unexpected answers (${kinds.slice(0, 5).join(', ')})`);
  }
  if (hangs.length > 0)
    failures.push(`${hangs.length} requests took over ${HANG_MS} ms (max ${maxLatencyMs} ms)`);

  const recoveryMs: Record<string, number | null> = {};
  if (input.timeline) {
    const { faultAt, backAt } = input.timeline;
    for (const node of new Set(input.load.answers.map((answer) => answer.node))) {
      const mine = input.load.answers
        .filter((answer) => answer.node === node)
        .sort((a, b) => a.startedAt - b.startedAt);
      const lastFailure = Math.max(
        0,
        ...mine.filter((answer) => !ok(answer)).map((answer) => answer.endedAt),
      );
      const recovered = mine.find(
        (answer) => ok(answer) && answer.startedAt >= backAt && answer.endedAt >= lastFailure,
      );
      recoveryMs[node] = recovered ? Math.max(0, recovered.endedAt - backAt) : null;
      const value = recoveryMs[node];
      if (value === null || value === undefined)
        failures.push(`${node} never answered 2xx after the database returned`);
      else if (value > RECOVERY_MS)
        failures.push(`${node} took ${value} ms to answer 2xx after the database returned`);
    }
    for (const node of input.processes) {
      const ready = input.probes.filter(
        (probe) => probe.node === node.name && probe.path === '/health/ready',
      );
      const notReady = ready.find(
        (probe) => probe.startedAt >= faultAt && probe.startedAt <= backAt && probe.status === 503,
      );
      if (!notReady || notReady.endedAt - faultAt > 5_000 + 1_000) {
        failures.push(`${node.name}: /health/ready did not say 503 within 5 s of the fault`);
      }
      const readyAgain = ready.find((probe) => probe.startedAt >= backAt && probe.status === 200);
      if (!readyAgain || readyAgain.endedAt - backAt > RECOVERY_MS + 1_000) {
        failures.push(`${node.name}: /health/ready was not 200 within 5 s of the database returning`);
      }
    }
  }
  for (const path of ['/health/live', '/metrics']) {
    const slow = input.probes.filter(
      (probe) => probe.path === path && (probe.status !== 200 || probe.endedAt - probe.startedAt > PROBE_MS),
    );
    // A probe sent while a node is stopping on purpose is not a failure.
    const counted = slow.filter((probe) =>
      input.processes.some((node) => node.name === probe.node && node.alive()),
    );
    if (counted.length > 0) {
      const worst = Math.max(...counted.map((probe) => probe.endedAt - probe.startedAt));
      failures.push(
        `${counted.length} ${path} probes failed or took over ${PROBE_MS} ms (worst ${worst} ms)`,
      );
    }
  }
  for (const node of input.processes) {
    if (!node.alive()) failures.push(`${node.name} (pid ${node.pid}) exited`);
    const fatal = node.fatalLines();
    if (fatal.length > 0)
      failures.push(
        `${node.name} logged ${fatal.length} fatal or non-JSON lines: ${fatal[0]?.slice(0, 300)}`,
      );
  }

  return {
    scenario: input.scenario,
    acknowledged: acknowledgedIds.length,
    lost: lost.length,
    duplicated: duplicated.length,
    requests: all.length,
    status500: status500.length,
    status503: status503.length,
    otherErrors: otherErrors.length,
    hangs: hangs.length,
    maxLatencyMs,
    recoveryMs,
    failures,
  };
}

/** The one line a scenario prints. */
export function formatReport(report: Report): string {
  const recovery = Object.entries(report.recoveryMs)
    .map(([node, ms]) => `${node}=${ms === null ? 'never' : `${(ms / 1000).toFixed(1)}s`}`)
    .join(',');
  return [
    `[faults] ${report.scenario}:`,
    `acknowledged=${report.acknowledged}`,
    `lost=${report.lost}`,
    `duplicated=${report.duplicated}`,
    `requests=${report.requests}`,
    `5xx=${report.status500 + report.status503} (500s=${report.status500}, 503s=${report.status503})`,
    `other=${report.otherErrors}`,
    `hangs=${report.hangs}`,
    `maxLatency=${report.maxLatencyMs}ms`,
    `recovery=${recovery || 'n/a'}`,
    report.failures.length === 0 ? 'PASS' : `FAIL: ${report.failures.join('; ')}`,
  ].join(' ');
}
