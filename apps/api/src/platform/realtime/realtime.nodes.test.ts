import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { CategoryDetail, LocationNode, SentMessage } from '@souk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSocket, type TestSocket } from '../../test-support/realtime-client.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { waitFor } from '../../test-support/wait.js';

/**
 * Two API processes (real `node` servers) on one PostgreSQL database and one Redis: a message sent
 * over HTTP to node A reaches a socket on node B, presence is seen across nodes, and a socket
 * that moves from B to A resumes with exactly what it missed. Needs TEST_DATABASE_URL and
 * TEST_REDIS_URL (PGlite cannot be shared by processes).
 */
const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const apiRoot = fileURLToPath(new URL('../../../', import.meta.url));

type Node = { name: string; port: number; child: ChildProcess; output: string[] };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

async function startNode(name: string, env: Record<string, string>): Promise<Node> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--conditions=@souk/source', '--import', 'tsx', 'src/main.ts'], {
    cwd: apiRoot,
    env: { ...process.env, ...env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      output.push(chunk);
      if (output.length > 50) output.shift();
    });
  }
  const node = { name, port, child, output };
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited:\n${output.join('')}`);
      return fetch(`http://127.0.0.1:${port}/health/ready`).then(
        (response) => response.status === 200,
        () => false,
      );
    }, 90_000);
  } catch (error) {
    throw new Error(`${name} did not become ready (${(error as Error).message}):\n${output.join('')}`);
  }
  return node;
}

async function stopNode(node: Node | undefined) {
  if (!node || node.child.exitCode !== null) return;
  const exited = new Promise((resolve) => node.child.once('exit', resolve));
  node.child.kill('SIGTERM');
  const timer = setTimeout(() => node.child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

describe.skipIf(!databaseUrl || !redisUrl)('realtime across two API nodes (PostgreSQL + Redis)', () => {
  let t: TestApp;
  let nodeA: Node | undefined;
  let nodeB: Node | undefined;
  let seller: TestUser;
  let buyer: TestUser;
  let listingId: string;
  const sockets: TestSocket[] = [];

  const post = async (node: Node, path: string, who: TestUser, body: object) => {
    const response = await fetch(`http://127.0.0.1:${node.port}/api/v1${path}`, {
      method: 'POST',
      headers: { ...who.headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, await response.clone().text()).toBe(201);
    return (await response.json()) as SentMessage;
  };
  const connect = async (node: Node, who: TestUser) => {
    const socket = await openSocket(`ws://127.0.0.1:${node.port}/ws`, { headers: who.headers });
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    // This process is a third node on the same database and Redis: it sets up users and a listing.
    // One PUBLIC_URL for all three: it is the issuer of access tokens.
    const publicUrl = 'http://localhost:3000';
    t = await createTestApp({ env: { REDIS_URL: redisUrl as string, PUBLIC_URL: publicUrl } });
    const env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      ROLE: 'api',
      SEED_DEMO_DATA: 'never',
      DATABASE_URL: t.platform.config.DATABASE_URL as string,
      REDIS_URL: redisUrl as string,
      PUBLIC_URL: publicUrl,
      // The same signing keys: a token issued by one node is valid on every node.
      DATA_DIR: t.platform.config.DATA_DIR,
    };
    [nodeA, nodeB] = await Promise.all([startNode('node A', env), startNode('node B', env)]);

    await t.app.modules.catalog.seedDemoData();
    [seller, buyer] = await Promise.all([t.signUp(), t.signUp()]);
    const cars: CategoryDetail = (
      await t.app.inject({ method: 'GET', url: '/api/v1/categories/cars' })
    ).json();
    const lanka = (await t.app.inject({ method: 'GET', url: '/api/v1/locations?country=LK' })).json()
      .items[0] as LocationNode;
    const colombo = lanka.children
      .flatMap((province) => province.children)
      .flatMap((district) => district.children)
      .find((city) => city.name === 'Colombo') as LocationNode;
    const draft = await t.app.inject({
      method: 'POST',
      url: '/api/v1/listings',
      headers: seller.headers,
      payload: {
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
      },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    listingId = draft.json().id;
    const published = await t.app.inject({
      method: 'POST',
      url: `/api/v1/listings/${listingId}/publish`,
      headers: seller.headers,
    });
    expect(published.statusCode, published.body).toBe(200);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(sockets.map((socket) => socket.close()));
    await Promise.all([stopNode(nodeA), stopNode(nodeB)]);
    await t?.close();
  });

  it('delivers a message sent over HTTP on node A to the seller’s socket on node B, and resumes on A', async () => {
    const a = nodeA as Node;
    const b = nodeB as Node;
    const sellerOnB = await connect(b, seller);
    await sellerOnB.subscribe(`user:${seller.userId}`);

    // The first message starts the conversation (on node A); node B pushes the unread count.
    const first = await post(a, `/listings/${listingId}/messages`, buyer, { text: 'Is it still available?' });
    const conversation = `conversation:${first.conversation.id}`;
    await sellerOnB.next(
      (frame) =>
        frame.type === 'event' &&
        frame.channel === `user:${seller.userId}` &&
        frame.event === 'unread.changed',
    );

    await sellerOnB.subscribe(conversation);
    // Presence of a socket on node B, seen from this third process through Redis.
    expect(await t.platform.realtime.isSubscribed(seller.userId, conversation)).toBe(true);
    expect(await t.platform.realtime.isSubscribed(buyer.userId, conversation)).toBe(false);

    const second = await post(a, `/conversations/${first.conversation.id}/messages`, buyer, {
      text: 'I can come on Saturday.',
    });
    const delivered = await sellerOnB.next(
      (frame) =>
        frame.type === 'event' && frame.channel === conversation && frame.event === 'message.created',
    );
    expect(delivered).toMatchObject({ data: { id: second.message.id, text: 'I can come on Saturday.' } });
    const lastSeen = delivered.type === 'event' ? delivered.id : null;

    // The seller's socket drops; two messages are sent meanwhile; it comes back on node A.
    await sellerOnB.close();
    await expect.poll(() => t.platform.realtime.isSubscribed(seller.userId, conversation)).toBe(false);
    const missed = [
      await post(a, `/conversations/${first.conversation.id}/messages`, buyer, { text: 'Hello?' }),
      await post(b, `/conversations/${first.conversation.id}/messages`, buyer, { text: 'Still there?' }),
    ];
    const sellerOnA = await connect(a, seller);
    await sellerOnA.subscribe(conversation, lastSeen ?? undefined);
    const sentinel = await post(b, `/conversations/${first.conversation.id}/messages`, buyer, {
      text: 'Bye',
    });
    await sellerOnA.next(
      (frame) => frame.type === 'event' && (frame.data as { id?: string } | null)?.id === sentinel.message.id,
    );
    const received = sellerOnA
      .events(conversation)
      .filter((event) => event.event === 'message.created')
      .map((event) => (event.data as { id: string }).id);
    expect(received).toEqual([...missed, sentinel].map((sent) => sent.message.id));
  });
});
