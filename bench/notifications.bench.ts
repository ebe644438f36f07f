/**
 * Notifications benchmark: BENCH_COUNT (300) notifications at BENCH_RATE (10) a second for one member, each `notify()` in its
 * own transaction, while the member's socket listens on `user:<id>`. Measures the cost of
 * `notify()` (the caller's transaction: preferences read, notification and delivery rows, jobs
 * enqueued) and the time from its commit to the `notification.created` frame on the socket
 * (the in-app delivery job picked up by a worker, its claim, the realtime publish), and checks that
 * every notification arrived exactly once. In-app only (no mail), on PGlite and on PostgreSQL
 * (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres; skipped if unreachable).
 *
 *   npm run bench:notifications -w @souk/api
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RealtimeServerFrame } from '@souk/contracts';
import { WebSocket } from 'ws';
import { buildApp } from '../apps/api/src/app.js';
import { loadConfig } from '../apps/api/src/platform/config.js';
import { systemContext } from '../apps/api/src/platform/http/context.js';
import { createPlatform } from '../apps/api/src/platform/index.js';
import { createLogger } from '../apps/api/src/platform/logger.js';
import { createPostgresDatabase, finish, table } from './harness.js';

const COUNT = Number(process.env.BENCH_COUNT ?? 300);
/** notify() calls a second; 0: as fast as they go (then the delivery queue backs up: throughput). */
const RATE = Number(process.env.BENCH_RATE ?? 10);
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

async function run(label: string, env: Record<string, string>) {
  const dataDir = await mkdtemp(join(tmpdir(), 'souk-bench-notifications-'));
  const platform = await createPlatform(
    loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: dataDir, SEED_DEMO_DATA: 'never', ...env }),
    { logger: createLogger('silent'), jobPollingIntervalSeconds: 0.5, pgliteDataDir: 'memory://' },
  );
  const app = await buildApp(platform, { webDistDir: null });
  await platform.jobs.start({ work: true });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const auth = app.modules.auth.service;
    const email = `bench-${Date.now()}@example.test`;
    const password = 'correct horse battery staple';
    await auth.register(
      systemContext(),
      { email, password, displayName: 'Bench' },
      { ipAddress: null, userAgent: 'bench' },
    );
    const session = await auth.login(
      systemContext(),
      { email, password },
      { ipAddress: '127.0.0.1', userAgent: 'bench' },
    );
    if (session.status !== 'signed_in') throw new Error('no session');
    const userId = session.user.id;
    // Publishing and a first message need a confirmed address.
    await auth.accounts.markEmailVerified(userId);

    const arrived = new Map<string, number>();
    let duplicates = 0;
    const ws = new WebSocket(`${address.replace('http', 'ws')}/ws`, {
      headers: { authorization: `Bearer ${session.accessToken}` },
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.on('message', (raw) => {
        const frame = JSON.parse(raw.toString()) as RealtimeServerFrame;
        if (frame.type === 'subscribed') resolve();
        if (frame.type === 'event' && frame.event === 'notification.created') {
          const id = (frame.data as { notification: { id: string } }).notification.id;
          if (arrived.has(id)) duplicates += 1;
          else arrived.set(id, performance.now());
        }
      });
      ws.once('open', () => ws.send(JSON.stringify({ type: 'subscribe', channel: `user:${userId}` })));
    });

    const notifyMs: number[] = [];
    const committedAt = new Map<string, number>();
    const started = performance.now();
    for (let n = 0; n < COUNT; n += 1) {
      if (RATE > 0) {
        const due = started + (n * 1000) / RATE;
        if (performance.now() < due) await new Promise((r) => setTimeout(r, due - performance.now()));
      }
      const before = performance.now();
      const created = await platform.database.transaction((tx) =>
        app.modules.notifications.service.notify(tx, {
          userId,
          type: 'listing_expired',
          title: `Bench ${n}`,
          body: 'Measured.',
          dedupeKey: `bench:${n}`,
          onlyChannels: ['in_app'],
        }),
      );
      const after = performance.now();
      notifyMs.push(after - before);
      if (created) committedAt.set(created.id, after);
    }
    const deadline = Date.now() + 120_000;
    const deliveredCount = () => [...committedAt.keys()].filter((id) => arrived.has(id)).length;
    while (deliveredCount() < committedAt.size && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const elapsed = (performance.now() - started) / 1000;
    ws.close();
    const delivery = [...committedAt].flatMap(([id, at]) => {
      const seen = arrived.get(id);
      return seen === undefined ? [] : [seen - at];
    });
    notifyMs.sort((a, b) => a - b);
    delivery.sort((a, b) => a - b);
    return {
      label,
      notifyP50: percentile(notifyMs, 50),
      notifyP99: percentile(notifyMs, 99),
      deliveryP50: percentile(delivery, 50),
      deliveryP99: percentile(delivery, 99),
      delivered: deliveredCount(),
      expected: committedAt.size,
      duplicates,
      perSecond: committedAt.size / elapsed,
    };
  } finally {
    await app.close();
    await platform.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const rows = [await run('PGlite (embedded)', {})];
  const database = await createPostgresDatabase(ADMIN_URL, (line) => console.log(line));
  if (typeof database === 'string') console.log(`PostgreSQL skipped: ${database}`);
  else {
    try {
      rows.push(await run('PostgreSQL', { DATABASE_URL: database.url }));
    } finally {
      await database.drop();
    }
  }
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  console.log(
    `\n${COUNT} in-app notifications, notify() ${RATE > 0 ? `at ${RATE}/s` : 'as fast as it goes'}, one socket on user:<id>\n`,
  );
  console.log(
    table(
      [
        'database',
        'notify() p50',
        'notify() p99',
        'commit→frame p50',
        'commit→frame p99',
        'delivered',
        'dupes',
        'notify()/s',
      ],
      rows.map((row) => [
        row.label,
        ms(row.notifyP50),
        ms(row.notifyP99),
        ms(row.deliveryP50),
        ms(row.deliveryP99),
        `${row.delivered}/${row.expected}`,
        String(row.duplicates),
        row.perSecond.toFixed(0),
      ]),
    ),
  );
  return rows.every((row) => row.delivered === row.expected && row.duplicates === 0) ? 0 : 1;
}

finish(main());
