/**
 * Messaging benchmark: latency of the messaging endpoints one request at a time, in process
 * (`app.inject`: routing, validation, the service and the database, no sockets), on embedded
 * PGlite and on PostgreSQL.
 *
 * It seeds one seller with 30 listings and 3 buyers who each start a conversation about 20 of
 * them (60 conversations), sends BENCH_MESSAGES messages round-robin over those conversations
 * (measured: the send), then measures the seller's inbox page, the unread total, a page of
 * messages, marking read and a full-text search.
 *
 *   npm run bench:messaging
 *   BENCH_ENGINES=pglite BENCH_MESSAGES=1000 npm run bench:messaging
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CategoryDetail, LocationNode } from '@souk/contracts';
import { type App, buildApp } from '../apps/api/src/app.js';
import { loadConfig } from '../apps/api/src/platform/config.js';
import { systemContext } from '../apps/api/src/platform/http/context.js';
import { createPlatform, type Platform } from '../apps/api/src/platform/index.js';
import { createLogger } from '../apps/api/src/platform/logger.js';
import { createPostgresDatabase, type Engine, parseEngines, positiveInt, table } from './harness.js';

const MESSAGES = positiveInt('BENCH_MESSAGES', 600, 100_000, 'messages');
const READS = positiveInt('BENCH_READS', 200, 100_000, 'reads');
const engines = parseEngines(process.env.BENCH_ENGINES ?? 'pglite,postgres');
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

type Stats = { name: string; count: number; p50: number; p99: number; max: number; cpu: number };
type Timed = { samples: number[]; cpuMs: number };

function stats(name: string, { samples, cpuMs }: Timed): Stats {
  const sorted = samples.toSorted((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    name,
    count: sorted.length,
    p50: at(0.5),
    p99: at(0.99),
    max: sorted.at(-1) ?? 0,
    cpu: cpuMs / Math.max(1, sorted.length),
  };
}

/**
 * Runs `run` `times` times, one at a time: each one's wall time, and this process's CPU time over
 * all of them. On PostgreSQL the database works in its own process, so the CPU column is the API's
 * own cost per request, which a busy machine barely changes (wall times it does).
 */
async function timed(times: number, run: (index: number) => Promise<void>): Promise<Timed> {
  const samples: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let index = 0; index < times; index++) {
    const start = performance.now();
    await run(index);
    samples.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuBefore);
  return { samples, cpuMs: (cpu.user + cpu.system) / 1000 };
}

async function signIn(app: App, name: string) {
  const email = `${name}-${Date.now()}@bench.test`;
  const auth = app.modules.auth.service;
  await auth.register(
    systemContext(),
    { email, password: 'bench horse battery staple', displayName: name },
    { ipAddress: null, userAgent: 'bench' },
  );
  const session = await auth.login(
    systemContext(),
    { email, password: 'bench horse battery staple' },
    { ipAddress: '127.0.0.1', userAgent: 'bench' },
  );
  if (session.status !== 'signed_in') throw new Error('unexpected second factor');
  // Publishing and a first message need a confirmed address.
  await auth.accounts.markEmailVerified(session.user.id);
  return { authorization: `Bearer ${session.accessToken}` };
}

async function call(
  app: App,
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string>,
  body?: object,
) {
  const response = await app.inject({
    method,
    url: `/api/v1${url}`,
    headers,
    ...(body ? { payload: body } : {}),
  });
  if (response.statusCode >= 300)
    throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

async function run(engine: Engine): Promise<Stats[] | string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'souk-bench-messaging-'));
  let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    // The bench sends far faster than a person; the per-member limit would stop it.
    MESSAGES_PER_MINUTE: '100000',
  };
  if (engine === 'postgres') {
    database = await createPostgresDatabase(adminUrl, (line) => console.log(line));
    if (typeof database === 'string') return database;
    env.DATABASE_URL = database.url;
  }
  let platform: Platform | undefined;
  let app: App | undefined;
  try {
    platform = await createPlatform(loadConfig(env), {
      logger: createLogger('silent'),
      pgliteDataDir: engine === 'pglite' ? 'memory://' : undefined,
    });
    app = await buildApp(platform, { webDistDir: null });
    // Jobs are enqueued (events, mail) but worked by no one: only the request path is measured.
    await platform.jobs.start({ work: false });
    await app.ready();
    await app.modules.catalog.seedDemoData();
    const cars = (
      await app.inject({ method: 'GET', url: '/api/v1/categories/cars' })
    ).json() as CategoryDetail;
    const lanka = (
      (await app.inject({ method: 'GET', url: '/api/v1/locations?country=LK' })).json()
        .items as LocationNode[]
    )[0] as LocationNode;
    const city = lanka.children.flatMap((p) => p.children).flatMap((d) => d.children)[0] as LocationNode;

    const seller = await signIn(app, 'seller');
    const buyers = [await signIn(app, 'buyer-a'), await signIn(app, 'buyer-b'), await signIn(app, 'buyer-c')];
    const listingIds: string[] = [];
    for (let index = 0; index < 30; index++) {
      const draft = await call(app, 'POST', '/listings', seller, {
        categoryId: cars.id,
        title: `Toyota Corolla ${2000 + index}`,
        description: 'Well kept, full service history.',
        price: { type: 'fixed', amount: 5_000_000_00, currency: 'LKR' },
        condition: 'used',
        locationId: city.id,
        attributes: {
          year: 2010,
          mileageKm: 90_000,
          fuel: 'petrol',
          condition: 'used',
          make: 'toyota',
          model: 'corolla',
          transmission: 'automatic',
        },
      });
      await call(app, 'POST', `/listings/${draft.id}/publish`, seller);
      listingIds.push(draft.id);
    }
    const conversations: { id: string; buyer: Record<string, string> }[] = [];
    for (const [b, buyer] of buyers.entries()) {
      for (let index = 0; index < 20; index++) {
        const listingId = listingIds[(b * 10 + index) % listingIds.length] as string;
        const sent = await call(app, 'POST', `/listings/${listingId}/messages`, buyer, {
          text: 'Is it still available?',
        });
        conversations.push({ id: sent.conversation.id, buyer });
      }
    }
    const words = ['price', 'mileage', 'service', 'tyres', 'colombo', 'weekend', 'documents', 'accident'];
    const send = await timed(MESSAGES, async (index) => {
      const target = conversations[index % conversations.length] as (typeof conversations)[number];
      const who = index % 2 === 0 ? target.buyer : seller;
      await call(app as App, 'POST', `/conversations/${target.id}/messages`, who, {
        text: `Message ${index} about the ${words[index % words.length]} and the ${words[(index * 3) % words.length]}`,
        clientMessageId: `bench-${index}`,
      });
    });
    const first = conversations[0] as (typeof conversations)[number];
    const inbox = await timed(READS, () => call(app as App, 'GET', '/conversations?limit=30', seller));
    const unread = await timed(READS, () => call(app as App, 'GET', '/conversations/unread', seller));
    const page = await timed(READS, () =>
      call(app as App, 'GET', `/conversations/${first.id}/messages?limit=30`, seller),
    );
    const read = await timed(READS, (index) => {
      const target = conversations[index % conversations.length] as (typeof conversations)[number];
      return call(app as App, 'POST', `/conversations/${target.id}/read`, seller, {});
    });
    const search = await timed(READS, (index) =>
      call(app as App, 'GET', `/messages/search?q=${words[index % words.length]}&limit=20`, seller),
    );
    return [
      stats(`send a message (${MESSAGES} over 60 conversations)`, send),
      stats('inbox, 30 of 60 conversations', inbox),
      stats('unread total', unread),
      stats('30 messages of a conversation', page),
      stats('mark a conversation read', read),
      stats(`search over ${MESSAGES + 60} messages`, search),
    ];
  } finally {
    await app?.close();
    await platform?.close();
    if (database && typeof database !== 'string') await database.drop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const fmt = (ms: number) => ms.toFixed(2);
for (const engine of engines) {
  const result = await run(engine);
  if (typeof result === 'string') {
    console.log(`${engine}: skipped (${result})`);
    continue;
  }
  console.log(`\n${engine} (in-process inject, one request at a time, ms)`);
  console.log(
    table(
      ['endpoint', 'n', 'p50', 'p99', 'max', 'API CPU/request'],
      result.map((row) => [
        row.name,
        String(row.count),
        fmt(row.p50),
        fmt(row.p99),
        fmt(row.max),
        fmt(row.cpu),
      ]),
      1,
    ),
  );
}
process.exit(0);
