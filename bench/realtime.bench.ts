/**
 * Realtime benchmark: BENCH_SOCKETS (1,000) WebSockets on `/ws` and BENCH_RATE (100) chat messages
 * a second for BENCH_DURATION (30) seconds, sent as real messages through messaging's HTTP
 * endpoint (`POST /api/v1/conversations/:id/messages`). Measures, per delivered `message.created`
 * frame, the time from the start of the POST to the frame's arrival (send -> delivery), and counts
 * delivered frames against the expected number (every socket on the conversation, once).
 *
 *   npm run bench:realtime                          # one node, then two nodes + Redis
 *   BENCH_SCENARIOS=one npm run bench:realtime
 *   BENCH_ASSERT=1 npm run bench:realtime           # exit 1 if p99 > 50 ms or a frame is lost
 *
 * Scenarios: `one`: one Souk process on PostgreSQL, in-process fan-out. `two`: two Souk
 * processes on the same PostgreSQL and Redis, the sockets split evenly across them, every message
 * sent to node A (so half the deliveries cross Redis). See bench/README.md.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CategoryDetail, LocationNode, RealtimeServerFrame, SentMessage } from '@souk/contracts';
import { WebSocket } from 'ws';
import { buildApp } from '../apps/api/src/app.js';
import { loadConfig } from '../apps/api/src/platform/config.js';
import { systemContext } from '../apps/api/src/platform/http/context.js';
import { createPlatform, type Platform } from '../apps/api/src/platform/index.js';
import { createLogger } from '../apps/api/src/platform/logger.js';
import {
  apiArgs,
  createPostgresDatabase,
  finish,
  fmtInt,
  interrupted,
  isTruthy,
  onCleanup,
  RESULTS_DIR,
  ROOT,
  serverMode,
  table,
  withTimeout,
} from './harness.js';
import { type Child, cpuSeconds, freePort, startChild, stopChild, waitFor200 } from './processes.js';

const env = process.env;

function intSetting(name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (!raw) return fallback;
  const value = Number(raw.replaceAll('_', ''));
  if (!Number.isInteger(value) || value < 1 || value > max) {
    console.error(`${name} must be a whole number between 1 and ${max} (got ${JSON.stringify(raw)})`);
    process.exit(2);
  }
  return value;
}

const SOCKETS = intSetting('BENCH_SOCKETS', 1000, 20_000);
const RATE = intSetting('BENCH_RATE', 100, 2000);
const DURATION_SECONDS = intSetting('BENCH_DURATION', 30, 3600);
/** Conversations the messages spread over; each is followed by SOCKETS / CONVERSATIONS sockets. */
const CONVERSATIONS = intSetting('BENCH_CONVERSATIONS', 100, 2000);
const WARMUP_SECONDS = 2;
const ASSERT = isTruthy(env.BENCH_ASSERT);
const POSTGRES_URL = env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = env.BENCH_REDIS_URL || 'redis://127.0.0.1:6379/14';
const SCENARIOS = (env.BENCH_SCENARIOS || 'one,two').split(',').map((name) => name.trim());
/**
 * `http`: real messages through messaging's endpoint on node A. `hub`: `platform.realtime.publish`
 * of this process, a third node on the same database and Redis (every delivery crosses Redis):
 * the hub alone, without the send endpoint's transaction.
 */
const PUBLISH_MODES = (env.BENCH_PUBLISH || 'http,hub').split(',').map((name) => name.trim());
const SERVER_MODE = serverMode(env.BENCH_SERVER);
const PUBLIC_URL = 'http://localhost:3000';
const TARGET_P99_MS = 50;
/** After the last send, how long deliveries may still arrive before the rest count as lost. */
const DRAIN_MS = 5000;
const SEND_TIMEOUT_MS = 20_000;

for (const mode of PUBLISH_MODES) {
  if (mode !== 'http' && mode !== 'hub') {
    console.error(`BENCH_PUBLISH lists http and/or hub (got ${JSON.stringify(env.BENCH_PUBLISH)})`);
    process.exit(2);
  }
}
for (const name of SCENARIOS) {
  if (name !== 'one' && name !== 'two') {
    console.error(`BENCH_SCENARIOS lists one and/or two (got ${JSON.stringify(env.BENCH_SCENARIOS)})`);
    process.exit(2);
  }
}
if (SOCKETS % CONVERSATIONS !== 0 || SOCKETS / CONVERSATIONS < 2) {
  console.error('BENCH_SOCKETS must be a multiple of BENCH_CONVERSATIONS, at least twice as large');
  process.exit(2);
}
// messaging allows each user 60 sends a minute; each conversation has its own sender.
if ((RATE / CONVERSATIONS) * Math.min(60, WARMUP_SECONDS + DURATION_SECONDS) > 55) {
  console.error('too many sends per sender a minute (messaging allows 60): raise BENCH_CONVERSATIONS');
  process.exit(2);
}

const log = (tag: string, line: string) => console.log(`${tag} ${line}`);

// ---------------------------------------------------------------------------------------------
// Data: users, a listing and one conversation per buyer, made in this process on the same database

type Party = { userId: string; accessToken: string };
type Conversation = { id: string; buyer: Party; seller: Party };

type Prepared = { conversations: Conversation[]; platform: Platform; close: () => Promise<void> };

/** The data; with `keepOpen`, the platform stays open (on Redis) to publish through its hub. */
async function prepareData(
  databaseUrl: string,
  dataDir: string,
  tag: string,
  keepOpen: boolean,
): Promise<Prepared> {
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    PUBLIC_URL,
    SEED_DEMO_DATA: 'never',
    ...(keepOpen ? { REDIS_URL } : {}),
  });
  const platform = await createPlatform(config, { logger: createLogger('silent') });
  let handedOver = false;
  try {
    const app = await buildApp(platform, { webDistDir: null });
    await platform.jobs.start({ work: false });
    await app.ready();
    await app.modules.catalog.seedDemoData();
    const auth = app.modules.auth.service;
    const client = { ipAddress: '127.0.0.1', userAgent: 'bench' };
    const party = async (n: number): Promise<Party> => {
      const email = `bench-${n}-${Date.now()}@example.test`;
      const password = 'correct horse battery staple';
      await auth.register(systemContext(), { email, password, displayName: `Bench ${n}` }, client);
      const session = await auth.login(systemContext(), { email, password }, client);
      if (session.status !== 'signed_in') throw new Error('bench users have no second factor');
      // Publishing and a first message need a confirmed address.
      await auth.accounts.markEmailVerified(session.user.id);
      return { userId: session.user.id, accessToken: session.accessToken };
    };
    const seller = await party(0);
    const call = async (method: 'GET' | 'POST', url: string, who: Party | null, payload?: object) => {
      const response = await app.inject({
        method,
        url,
        headers: who ? { authorization: `Bearer ${who.accessToken}` } : {},
        ...(payload ? { payload } : {}),
      });
      if (response.statusCode >= 300)
        throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
      return response.json();
    };
    const cars = (await call('GET', '/api/v1/categories/cars', null)) as CategoryDetail;
    const lanka = ((await call('GET', '/api/v1/locations?country=LK', null)) as { items: LocationNode[] })
      .items[0] as LocationNode;
    const colombo = lanka.children
      .flatMap((province) => province.children)
      .flatMap((district) => district.children)
      .find((city) => city.name === 'Colombo') as LocationNode;
    const draft = await call('POST', '/api/v1/listings', seller, {
      categoryId: cars.id,
      title: 'Toyota Corolla 2018, one owner',
      description: 'Well kept, full service history.',
      price: { type: 'fixed', amount: 7_500_000_00, currency: 'LKR' },
      condition: 'used',
      locationId: colombo.id,
      attributes: {
        year: 2018,
        mileageKm: 45_000,
        fuel: 'hybrid',
        condition: 'used',
        make: 'toyota',
        model: 'corolla',
        transmission: 'automatic',
      },
    });
    await call('POST', `/api/v1/listings/${draft.id}/publish`, seller);
    const conversations: Conversation[] = [];
    for (let n = 1; n <= CONVERSATIONS; n += 1) {
      const buyer = await party(n);
      const sent = (await call('POST', `/api/v1/listings/${draft.id}/messages`, buyer, {
        text: 'Is it still available?',
      })) as SentMessage;
      conversations.push({ id: sent.conversation.id, buyer, seller });
    }
    log(tag, `data: ${CONVERSATIONS} buyers, 1 seller, 1 listing, ${CONVERSATIONS} conversations`);
    await app.close();
    handedOver = keepOpen;
    const close = keepOpen ? onCleanup(`${tag} publisher`, () => platform.close()) : async () => {};
    return { conversations, platform, close };
  } finally {
    if (!handedOver) await platform.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Sockets

type Socket = { ws: WebSocket; conversation: number; received: Map<number, number> };

type Tally = {
  latencies: number[];
  storedLatencies: number[];
  delivered: number;
  duplicates: number;
  sentAt: Map<number, number>;
  measuredFrom: number;
  /** Measured messages that reached at least one socket. */
  seen: Set<number>;
};

function openSockets(
  ports: number[],
  conversations: Conversation[],
  tally: Tally,
  tag: string,
): Promise<Socket[]> {
  const perConversation = SOCKETS / CONVERSATIONS;
  const plans: { port: number; conversation: number; who: Party }[] = [];
  for (let c = 0; c < CONVERSATIONS; c += 1) {
    const conversation = conversations[c] as Conversation;
    for (let k = 0; k < perConversation; k += 1) {
      plans.push({
        // Alternate nodes and parties, so each node holds half of every conversation's sockets.
        port: ports[k % ports.length] as number,
        conversation: c,
        who: k % 2 === 0 ? conversation.seller : conversation.buyer,
      });
    }
  }
  const open = (plan: (typeof plans)[number]) =>
    new Promise<Socket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${plan.port}/ws`, {
        headers: { authorization: `Bearer ${plan.who.accessToken}` },
      });
      const socket: Socket = { ws, conversation: plan.conversation, received: new Map() };
      const channel = `conversation:${(conversations[plan.conversation] as Conversation).id}`;
      const timer = setTimeout(() => reject(new Error('socket did not subscribe within 20 s')), 20_000);
      ws.on('error', reject);
      ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', channel })));
      ws.on('message', (data) => {
        const arrived = performance.now();
        const frame = JSON.parse(data.toString()) as RealtimeServerFrame;
        if (frame.type === 'subscribed') {
          clearTimeout(timer);
          resolve(socket);
          return;
        }
        if (frame.type === 'error') {
          reject(new Error(`subscribe refused: ${JSON.stringify(frame)}`));
          return;
        }
        if (frame.event !== 'message.created') return;
        const seq = Number(/^bench #(\d+)$/.exec((frame.data as { text?: string }).text ?? '')?.[1]);
        if (!Number.isInteger(seq)) return;
        const count = (socket.received.get(seq) ?? 0) + 1;
        socket.received.set(seq, count);
        if (seq < tally.measuredFrom) return;
        if (count > 1) {
          tally.duplicates += 1;
          return;
        }
        tally.delivered += 1;
        tally.seen.add(seq);
        const sentAt = tally.sentAt.get(seq);
        if (sentAt !== undefined) tally.latencies.push(arrived - sentAt);
        tally.storedLatencies.push(Date.now() - Date.parse(frame.at));
      });
    });
  return (async () => {
    const sockets: Socket[] = [];
    // In batches, as clients arrive over time rather than in one instant.
    for (let index = 0; index < plans.length; index += 50) {
      if (interrupted()) throw new Error('interrupted');
      sockets.push(...(await Promise.all(plans.slice(index, index + 50).map(open))));
    }
    log(tag, `${fmtInt(sockets.length)} sockets subscribed (${perConversation} per conversation)`);
    return sockets;
  })();
}

// ---------------------------------------------------------------------------------------------
// Load: an open loop at RATE messages a second, round-robin over the conversations' buyers

type SendStats = {
  sent: number;
  ok: number;
  failed: number;
  failures: Map<string, number>;
  /** How long each POST took to answer (ms). */
  responseMs: number[];
  /** Sequence numbers of the messages the server accepted. */
  accepted: Set<number>;
};

type Publish = (conversation: Conversation, text: string) => Promise<void>;

/** A real message through messaging's endpoint on `port`; rejects unless it answers 201. */
function httpPublisher(port: number): Publish {
  return async (conversation, text) => {
    const response = await fetch(
      `http://127.0.0.1:${port}/api/v1/conversations/${conversation.id}/messages`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${conversation.buyer.accessToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ text }),
        // An overloaded server must not hold the run forever: an unanswered send counts as failed.
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      },
    );
    await response.arrayBuffer();
    if (response.status !== 201) throw new Error(`HTTP ${response.status}`);
  };
}

/** The event messaging would publish, straight through the hub of this process. */
function hubPublisher(platform: Platform): Publish {
  return async (conversation, text) => {
    await platform.realtime.publish(`conversation:${conversation.id}`, 'message.created', {
      conversationId: conversation.id,
      senderId: conversation.buyer.userId,
      text,
    });
  };
}

async function sendLoad(
  publish: Publish,
  conversations: Conversation[],
  tally: Tally,
  firstSeq: number,
  seconds: number,
): Promise<SendStats & { lastSeq: number }> {
  const stats: SendStats = {
    sent: 0,
    ok: 0,
    failed: 0,
    failures: new Map(),
    responseMs: [],
    accepted: new Set(),
  };
  const total = RATE * seconds;
  const started = performance.now();
  const inFlight = new Set<Promise<void>>();
  let seq = firstSeq;
  for (let n = 0; n < total; n += 1) {
    if (interrupted()) throw new Error('interrupted');
    const due = started + (n * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const conversation = conversations[n % conversations.length] as Conversation;
    const mySeq = seq;
    seq += 1;
    tally.sentAt.set(mySeq, performance.now());
    stats.sent += 1;
    const request = publish(conversation, `bench #${mySeq}`).then(
      () => {
        stats.responseMs.push(performance.now() - (tally.sentAt.get(mySeq) as number));
        stats.ok += 1;
        stats.accepted.add(mySeq);
      },
      (error: Error) => {
        stats.failed += 1;
        stats.failures.set(error.message, (stats.failures.get(error.message) ?? 0) + 1);
      },
    );
    inFlight.add(request);
    void request.finally(() => inFlight.delete(request));
  }
  await withTimeout(Promise.all(inFlight), SEND_TIMEOUT_MS + 5000, 'the last sends');
  return { ...stats, lastSeq: seq - 1 };
}

// ---------------------------------------------------------------------------------------------
// One scenario

type Result = {
  scenario: string;
  nodes: number;
  sockets: number;
  messagesSent: number;
  messagesAccepted: number;
  sendFailures: Record<string, number>;
  expectedDeliveries: number;
  /** Messages stored whose POST was not answered in time (counted in expected). */
  storedButUnanswered: number;
  delivered: number;
  lost: number;
  duplicates: number;
  sendToDeliveryMs: { p50: number; p90: number; p99: number; max: number };
  storedToDeliveryMs: { p50: number; p99: number };
  /** How long the POST /messages took to answer, for reading send→delivery. */
  httpResponseMs: { p50: number; p99: number };
  serverCpuPercent: number[];
  metTarget: boolean;
};

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0
    ? Number.NaN
    : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number);

async function runScenario(scenario: 'one' | 'two', mode: 'http' | 'hub'): Promise<Result | string> {
  const label = `${scenario === 'one' ? 'one node' : 'two nodes + Redis'}, ${mode === 'http' ? 'HTTP messages' : 'hub publish'}`;
  const tag = `[${label}]`;
  const nodeCount = scenario === 'one' ? 1 : 2;
  const database = await createPostgresDatabase(POSTGRES_URL, (line) => log(tag, line));
  if (typeof database === 'string') return database;
  const dataDir = await mkdtemp(join(tmpdir(), 'souk-bench-realtime-'));
  onCleanup(`data dir ${dataDir}`, () => rm(dataDir, { recursive: true, force: true }));

  // Migrates, creates the signing keys in DATA_DIR (shared with the nodes) and the data.
  const { conversations, platform, close } = await prepareData(database.url, dataDir, tag, mode === 'hub');

  const nodes: { child: Child; port: number }[] = [];
  for (let n = 0; n < nodeCount; n += 1) {
    const port = await freePort();
    const name = `souk-${String.fromCharCode(97 + n)}`;
    const child = startChild(name, apiArgs(SERVER_MODE, 'main'), {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL,
        DATA_DIR: dataDir,
        DATABASE_URL: database.url,
        SEED_DEMO_DATA: 'never',
        // HTTP and sockets only: the notification jobs each message enqueues wait in the queue.
        ROLE: 'api',
        // One node alone needs no Redis, except to receive what this process publishes.
        ...(scenario === 'two' || mode === 'hub' ? { REDIS_URL } : { REDIS_URL: '' }),
      },
      log: (line) => log(tag, line),
    });
    onCleanup(name, () => stopChild(child));
    await waitFor200(child, port, '/health/ready', 90_000);
    nodes.push({ child, port });
  }
  log(tag, `${nodeCount} node(s) ready (${SERVER_MODE === 'dist' ? 'built server' : 'sources via tsx'})`);

  const tally: Tally = {
    latencies: [],
    storedLatencies: [],
    delivered: 0,
    duplicates: 0,
    sentAt: new Map(),
    measuredFrom: Number.POSITIVE_INFINITY,
    seen: new Set(),
  };
  const sockets = await openSockets(
    nodes.map((node) => node.port),
    conversations,
    tally,
    tag,
  );
  onCleanup(`${tag} sockets`, async () => {
    for (const socket of sockets) socket.ws.terminate();
  });
  const sender = nodes[0] as { child: Child; port: number };

  log(tag, `warm-up: ${WARMUP_SECONDS} s at ${RATE} messages/s`);
  const publish = mode === 'http' ? httpPublisher(sender.port) : hubPublisher(platform);
  const warm = await sendLoad(publish, conversations, tally, 1, WARMUP_SECONDS);
  await new Promise((resolve) => setTimeout(resolve, 1000));

  tally.measuredFrom = warm.lastSeq + 1;
  log(
    tag,
    `measuring: ${DURATION_SECONDS} s at ${RATE} messages/s ${mode === 'http' ? 'to node A' : 'from this process'}, ${fmtInt(SOCKETS)} sockets`,
  );
  const cpuBefore = nodes.map((node) => cpuSeconds(node.child.process.pid));
  const wallBefore = performance.now();
  const load = await sendLoad(publish, conversations, tally, tally.measuredFrom, DURATION_SECONDS);
  const perConversation = SOCKETS / CONVERSATIONS;
  // Every message that was stored must reach every socket on its conversation: the accepted ones,
  // and those whose answer timed out but which were stored (some socket got them).
  const storedSeqs = new Set([...load.accepted, ...tally.seen]);
  const expected = storedSeqs.size * perConversation;
  const drainUntil = Date.now() + DRAIN_MS;
  while (tally.delivered < expected && Date.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
  const wallSeconds = (performance.now() - wallBefore) / 1000;
  const cpuPercent = nodes.map((node, index) => {
    const before = cpuBefore[index];
    const after = cpuSeconds(node.child.process.pid);
    return before == null || after === null ? Number.NaN : ((after - before) / wallSeconds) * 100;
  });

  const sorted = [...tally.latencies].sort((a, b) => a - b);
  const stored = [...tally.storedLatencies].sort((a, b) => a - b);
  const responses = [...load.responseMs].sort((a, b) => a - b);
  const result: Result = {
    scenario: label,
    nodes: nodeCount,
    sockets: SOCKETS,
    messagesSent: load.sent,
    messagesAccepted: load.ok,
    sendFailures: Object.fromEntries(load.failures),
    expectedDeliveries: expected,
    storedButUnanswered: storedSeqs.size - load.ok,
    delivered: tally.delivered,
    lost: Math.max(0, expected - tally.delivered),
    duplicates: tally.duplicates,
    sendToDeliveryMs: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: sorted.at(-1) ?? Number.NaN,
    },
    storedToDeliveryMs: { p50: percentile(stored, 50), p99: percentile(stored, 99) },
    httpResponseMs: { p50: percentile(responses, 50), p99: percentile(responses, 99) },
    serverCpuPercent: cpuPercent,
    metTarget: false,
  };
  result.metTarget =
    result.lost === 0 &&
    result.duplicates === 0 &&
    load.failed === 0 &&
    result.sendToDeliveryMs.p99 <= TARGET_P99_MS;
  if (load.failed > 0) {
    log(
      tag,
      `send failures: ${JSON.stringify(result.sendFailures)}; ${result.storedButUnanswered} of them were stored anyway`,
    );
  }

  for (const socket of sockets) socket.ws.terminate();
  for (const node of nodes) await stopChild(node.child);
  await close();
  await database.drop();
  return result;
}

// ---------------------------------------------------------------------------------------------

function printResults(results: Result[]): void {
  const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '?');
  console.log('');
  console.log(
    table(
      [
        'scenario',
        'sockets',
        'msgs sent',
        'accepted',
        'expected',
        'delivered',
        'lost',
        'dup',
        'p50 ms',
        'p90 ms',
        'p99 ms',
        'max ms',
        'stored→socket p50/p99',
        'POST p50/p99',
        'server CPU %',
      ],
      results.map((r) => [
        r.scenario,
        fmtInt(r.sockets),
        fmtInt(r.messagesSent),
        fmtInt(r.messagesAccepted),
        fmtInt(r.expectedDeliveries),
        fmtInt(r.delivered),
        fmtInt(r.lost),
        fmtInt(r.duplicates),
        ms(r.sendToDeliveryMs.p50),
        ms(r.sendToDeliveryMs.p90),
        ms(r.sendToDeliveryMs.p99),
        ms(r.sendToDeliveryMs.max),
        `${ms(r.storedToDeliveryMs.p50)} / ${ms(r.storedToDeliveryMs.p99)}`,
        `${ms(r.httpResponseMs.p50)} / ${ms(r.httpResponseMs.p99)}`,
        r.serverCpuPercent.map((value) => value.toFixed(0)).join(' + '),
      ]),
      1,
    ),
  );
  for (const r of results) {
    console.log(
      `${r.scenario}: target p99 ≤ ${TARGET_P99_MS} ms send→delivery and nothing lost: ${r.metTarget ? 'met' : 'NOT met'}`,
    );
  }
}

async function main(): Promise<number> {
  console.log(
    `realtime bench: ${fmtInt(SOCKETS)} sockets, ${RATE} messages/s for ${DURATION_SECONDS} s over ` +
      `${CONVERSATIONS} conversations; node ${process.version}, ${cpus().length} CPUs`,
  );
  const results: Result[] = [];
  const skipped: string[] = [];
  for (const mode of PUBLISH_MODES as ('http' | 'hub')[])
    for (const scenario of SCENARIOS as ('one' | 'two')[]) {
      const outcome = await runScenario(scenario, mode);
      if (typeof outcome === 'string') {
        console.log(`[${scenario}, ${mode}] skipped: ${outcome}`);
        skipped.push(`${scenario}, ${mode}`);
      } else {
        results.push(outcome);
        printResults([outcome]);
      }
    }
  printResults(results);
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, 'realtime.json');
  await writeFile(
    file,
    `${JSON.stringify(
      {
        startedAt: new Date().toISOString(),
        node: process.version,
        cpus: cpus().length,
        settings: {
          sockets: SOCKETS,
          rate: RATE,
          durationSeconds: DURATION_SECONDS,
          conversations: CONVERSATIONS,
        },
        server: SERVER_MODE,
        results,
        skipped,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`results: ${file}`);
  return ASSERT && results.some((r) => !r.metTarget) ? 1 : 0;
}

finish(main());
