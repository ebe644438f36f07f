import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type App, buildApp } from '../src/app.js';
import { loadConfig } from '../src/platform/config.js';
import { systemContext } from '../src/platform/http/context.js';
import { createPlatform, type Platform } from '../src/platform/index.js';
import { createLogger } from '../src/platform/logger.js';
import { type ListingFixtures, listingFixtures } from '../src/test-support/listing-fixtures.js';
import type { TestUser } from '../src/test-support/test-app.js';
import { type Cluster, startCluster } from './support/cluster.js';
import { type Replica, startReplica } from './support/replica.js';
import { baseEnv } from './support/souk.js';
import { waitUntil } from './support/wait.js';

/**
 * Issue 23, must-show 2: a streaming replica started here (`pg_basebackup -R`) takes the searches;
 * a member reads their own new listing at once; a replica that lags past the bound is skipped;
 * the replica stopped in the middle of a load costs no request.
 *
 * Two apps over the same primary and replica: `patient` tolerates 10 minutes of lag (so a paused
 * replica keeps taking its searches, which proves where they go), `strict` 1.5 s.
 */
const DATABASE = 'souk';
let primary: Cluster;
let replica: Replica;
let dataDir: string;
type Node = { platform: Platform; app: App };
let patient: Node;
let strict: Node;
let fixtures: ListingFixtures;
let seller: TestUser;
let other: TestUser;

async function startNode(maxLagMs: number): Promise<Node> {
  const config = loadConfig({
    ...baseEnv,
    LOG_LEVEL: 'silent',
    DATABASE_URL: primary.url(DATABASE),
    DATABASE_REPLICA_URLS: replica.url(DATABASE),
    DATABASE_REPLICA_MAX_LAG_MS: String(maxLagMs),
    DATA_DIR: dataDir,
  });
  const platform = await createPlatform(config, { logger: createLogger('silent') });
  const app = await buildApp(platform, { webDistDir: null });
  await platform.jobs.start({ work: false });
  await app.ready();
  return { platform, app };
}

async function member(app: App, n: number): Promise<TestUser> {
  const auth = app.modules.auth.service;
  const email = `replica-${n}@example.test`;
  const password = 'correct horse battery staple';
  await auth.ensureAdmin({ email, password, displayName: `Member ${n}` });
  const session = await auth.login(
    systemContext(),
    { email, password },
    { ipAddress: '127.0.0.1', userAgent: 'replica test' },
  );
  if (session.status !== 'signed_in') throw new Error('test members have no second factor');
  return {
    userId: session.user.id,
    email,
    password,
    accessToken: session.accessToken,
    refreshToken: session.refreshToken,
    headers: { authorization: `Bearer ${session.accessToken}` },
  };
}

async function search(node: Node, text: string, who: TestUser | null = null): Promise<string[]> {
  const response = await node.app.inject({
    method: 'GET',
    url: `/api/v1/search?q=${encodeURIComponent(text)}`,
    headers: who ? who.headers : {},
  });
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { items: { title: string }[] }).items.map((item) => item.title);
}

const replicaUsable = (node: Node) => node.platform.database.replicaStats()[0]?.usable === true;

beforeAll(async () => {
  primary = await startCluster();
  await primary.query(`create database ${DATABASE}`);
  replica = await startReplica(primary);
  dataDir = mkdtempSync(join(tmpdir(), 'souk-replica-test-'));
  patient = await startNode(600_000);
  strict = await startNode(1_500);
  fixtures = await listingFixtures({ app: patient.app });
  seller = await member(patient.app, 1);
  other = await member(patient.app, 2);
  await fixtures.publish(seller, { title: 'Warm up sedan' });
  await waitUntil(() => replicaUsable(patient) && replicaUsable(strict), {
    timeoutMs: 60_000,
    what: 'the replica to be measured and usable',
  });
}, 300_000);

afterAll(async () => {
  for (const node of [patient, strict]) {
    await node?.app.close();
    await node?.platform.close();
  }
  await replica?.destroy();
  await primary?.destroy();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('read replicas', () => {
  it('searches read the replica; the member who wrote reads the primary; a lagging replica is skipped', async () => {
    await waitUntil(async () => (await search(patient, 'Warm up sedan')).length === 1, {
      timeoutMs: 30_000,
      what: 'the replica to replay the warm-up listing',
    });
    // Replay paused: what is written now exists on the primary only.
    await replica.query('select pg_wal_replay_pause()', DATABASE);
    // A pause is only requested until replay next looks at it: feed it WAL (a transaction id is
    // a commit record) until it says paused, so the listing below cannot slip through first.
    await waitUntil(
      async () => {
        await primary.query('select txid_current()', [], DATABASE);
        const [state] = await replica.query<{ state: string }>(
          'select pg_get_wal_replay_pause_state() as state',
          DATABASE,
        );
        return state?.state === 'paused';
      },
      { timeoutMs: 30_000, what: 'replay to be paused' },
    );
    try {
      const zanzibar = await fixtures.publish(seller, { title: 'Zanzibar spice cart' });
      // Anyone else searching (anonymous, or a member who wrote nothing) reads the replica.
      expect(await search(patient, 'Zanzibar')).toEqual([]);
      expect(await search(patient, 'Zanzibar', other)).toEqual([]);
      // The seller reads their own write back at once (the primary, for their window).
      expect(await search(patient, 'Zanzibar', seller)).toEqual(['Zanzibar spice cart']);
      // The listing's page as well: not there yet for others, there for its seller.
      const page = (who: TestUser | null) =>
        patient.app.inject({
          method: 'GET',
          url: `/api/v1/listings/${zanzibar.id}`,
          headers: who ? who.headers : {},
        });
      expect((await page(other)).statusCode).toBe(404);
      expect((await page(seller)).statusCode).toBe(200);

      // Past 1.5 s of lag the strict node stops using the replica: everyone reads the primary.
      await waitUntil(() => !replicaUsable(strict), {
        timeoutMs: 30_000,
        what: 'the strict node to skip the replica',
      });
      const lag = strict.platform.database.replicaStats()[0];
      console.log(`replica lag at the skip: ${Math.round(lag?.lagMs ?? 0)} ms (bound 1500 ms)`);
      expect(await search(strict, 'Zanzibar')).toEqual(['Zanzibar spice cart']);
      expect(await search(patient, 'Zanzibar')).toEqual([]);
    } finally {
      await replica.query('select pg_wal_replay_resume()', DATABASE);
    }
    await waitUntil(async () => (await search(patient, 'Zanzibar')).length === 1, {
      timeoutMs: 30_000,
      what: 'the resumed replica to replay the listing',
    });
    await waitUntil(() => replicaUsable(strict), {
      timeoutMs: 30_000,
      what: 'the strict node to use the replica again',
    });
    // Operators see it too: /metrics names the replica, its lag and whether reads go there.
    const metrics = (await strict.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain(`db_replica_in_use{replica="127.0.0.1:${replica.port}/${DATABASE}"} 1`);
    expect(metrics).toMatch(/db_replica_lag_seconds\{replica="[^"]+"\} \d/);
  });

  it('a replica stopped in the middle of a load costs no request', async () => {
    const [first] = (await patient.app.inject({ method: 'GET', url: '/api/v1/listings?limit=1' })).json()
      .items;
    let stopped = false;
    let running = true;
    const answers = { before: 0, after: 0, failed: [] as string[] };
    let written = 0;
    const loop = async (turn: number) => {
      let n = 0;
      while (running) {
        n += 1;
        const write = turn === 0 && n % 5 === 0;
        if (write) {
          // A member's write in the mix: its window sends their next reads to the primary.
          try {
            await fixtures.draft(seller, { title: `Draft ${turn}-${n}` });
            written += 1;
            if (stopped) answers.after += 1;
            else answers.before += 1;
          } catch (error) {
            answers.failed.push(`write: ${(error as Error).message.slice(0, 200)}`);
          }
          continue;
        }
        const response = await patient.app.inject({
          method: 'GET',
          url: n % 2 === 0 ? '/api/v1/search?q=sedan' : `/api/v1/listings/${first.id}`,
          headers: turn % 2 === 0 ? {} : other.headers,
        });
        if (response.statusCode >= 400)
          answers.failed.push(`${response.statusCode} ${response.body.slice(0, 200)}`);
        else if (stopped) answers.after += 1;
        else answers.before += 1;
      }
    };
    const loops = Array.from({ length: 6 }, (_, turn) => loop(turn));
    await waitUntil(() => answers.before >= 200, {
      timeoutMs: 60_000,
      what: '200 answers with the replica up',
    });
    await replica.stop();
    stopped = true;
    await waitUntil(() => !patient.platform.database.replicaStats()[0]?.available, {
      timeoutMs: 30_000,
      what: 'the watchdog to see the replica gone',
    });
    await waitUntil(() => answers.after >= 200, {
      timeoutMs: 60_000,
      what: '200 answers with the replica down',
    });
    running = false;
    await Promise.all(loops);
    console.log(
      `replica stopped mid-load: ${answers.before} answers before, ${answers.after} after, ${written} writes, ${answers.failed.length} failed`,
    );
    expect(answers.failed).toEqual([]);

    // Back, it takes reads again.
    await replica.start();
    await waitUntil(() => replicaUsable(patient), {
      timeoutMs: 60_000,
      what: 'the restarted replica to be used again',
    });
    expect(await search(patient, 'Zanzibar')).toEqual(['Zanzibar spice cart']);
  });
});
