import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-support/test-app.js';

/*
 * deploy/grafana/souk.json queries Souk's metrics by name: a renamed metric would leave a panel
 * empty without an error anywhere. Every name the dashboard's queries use must be one this app's
 * /metrics declares (with a histogram's _bucket, _sum and _count).
 */

const dashboard = JSON.parse(
  readFileSync(new URL('../../../../deploy/grafana/souk.json', import.meta.url), 'utf8'),
) as { panels: { targets?: { expr: string }[]; panels?: { targets?: { expr: string }[] }[] }[] };

// PromQL words that are not metric names (functions, aggregations, keywords, label names).
const PROMQL_WORDS = new Set([
  'sum',
  'max',
  'min',
  'avg',
  'count',
  'by',
  'without',
  'rate',
  'irate',
  'increase',
  'time',
  'histogram_quantile',
  'clamp_min',
  'clamp_max',
  'le',
  'route',
  'status_code',
  'instance',
  'queue',
  'outcome',
  'client',
  'operation',
  'state',
  'kind',
  'reason',
  'job',
  'on',
  'ignoring',
  'and',
  'or',
  'unless',
]);

function queriedMetrics(): Set<string> {
  const exprs = dashboard.panels
    .flatMap((panel) => [panel, ...(panel.panels ?? [])])
    .flatMap((panel) => panel.targets ?? [])
    .map((target) => target.expr);
  const names = new Set<string>();
  for (const expr of exprs) {
    // Drop label matchers, strings and $variables, then keep identifiers not followed by "(".
    const bare = expr
      .replace(/\{[^}]*\}/g, '')
      .replace(/"[^"]*"/g, '')
      .replace(/\$\w+/g, '');
    for (const [, name] of bare.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)) {
      if (name && !PROMQL_WORDS.has(name) && !/^\d/.test(name)) names.add(name);
    }
  }
  return names;
}

describe('the Grafana dashboard', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    // Redis's metrics exist only with a Redis client: a real one when the run has Redis, else an
    // address nobody listens on (the cache then serves from its fallback; the metrics are there).
    testApp = await createTestApp({
      env: { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:1/0' },
    });
  });
  afterAll(async () => {
    await testApp?.close();
  });

  it('queries only metrics that /metrics declares', async () => {
    await testApp.app.inject({ method: 'GET', url: '/health/live' });
    const response = await testApp.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    const declared = new Set<string>();
    for (const [, name, type] of response.body.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      declared.add(name as string);
      if (type === 'histogram' || type === 'summary') {
        for (const suffix of ['_bucket', '_sum', '_count']) declared.add(`${name}${suffix}`);
      }
    }
    const queried = queriedMetrics();
    // The parse must find the dashboard's metrics, or this test would pass on nothing.
    expect(queried.size).toBeGreaterThanOrEqual(15);
    expect([...queried].filter((name) => !declared.has(name))).toEqual([]);
  });
});
