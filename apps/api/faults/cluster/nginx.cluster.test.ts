import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { hasRedisServer, type RedisServer, startRedisServer } from '../../src/test-support/redis-server.js';
import {
  type FaultEnvironment,
  type SoukProcess,
  startEnvironment,
  startSouk,
  waitUntil,
} from '../support/index.js';
import { hasBrotli, hasNginx, type Nginx, startNginx } from './nginx.js';
import { RealtimeClient } from './realtime-client.js';

/**
 * Issue 23, must-show 1: nginx (deploy/nginx/souk.conf, as shipped) in front of two ROLE=api
 * nodes and a worker on their own PostgreSQL and Redis. A mixed load goes through nginx; one API
 * node is SIGKILLed in the middle, then both are restarted one at a time (SIGTERM, exit, start,
 * ready). Counts are printed on one `[cluster]` line.
 */

const WEB_DIST = fileURLToPath(new URL('../../../web/dist', import.meta.url));
/** Souk's default SHUTDOWN_DELAY_MS: deploy/nginx/souk.conf's upstream keepalive_timeout is below it. */
const DRAIN_MS = 5_000;

type Kind = 'read' | 'idempotent-write' | 'write' | 'chat';
type Phase = 'warm' | 'kill' | 'recover' | 'rolling';
type Answer = {
  kind: Kind;
  method: string;
  testId: string;
  phase: Phase;
  startedAt: number;
  endedAt: number;
  status: number | null;
  code?: string;
  error?: string;
};

/** One request through nginx on a kept-alive connection of `agent`. Never throws. */
function send(
  baseUrl: string,
  agent: Agent,
  spec: { method: string; path: string; token?: string; body?: unknown; testId: string },
): Promise<Omit<Answer, 'kind' | 'phase'>> {
  const body = spec.body === undefined ? undefined : JSON.stringify(spec.body);
  const startedAt = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (rest: { status: number | null; code?: string; error?: string }) => {
      if (settled) return;
      settled = true;
      resolve({ method: spec.method, testId: spec.testId, startedAt, endedAt: Date.now(), ...rest });
    };
    const req = request(
      `${baseUrl}${spec.path}`,
      {
        method: spec.method,
        agent,
        timeout: 20_000,
        headers: {
          'x-test-id': spec.testId,
          accept: 'application/json',
          ...(spec.token ? { authorization: `Bearer ${spec.token}` } : {}),
          ...(body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => finish({ status: null, error: error.message }));
        res.on('end', () => {
          let code: string | undefined;
          let payload: unknown;
          try {
            payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            code = (payload as { code?: string }).code;
          } catch {
            code = undefined;
          }
          finish({ status: res.statusCode ?? null, ...(code ? { code } : {}) });
        });
      },
    );
    req.on('timeout', () => {
      finish({ status: null, error: 'timeout' });
      req.destroy();
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish({ status: null, error: error.code ?? error.message }),
    );
    req.end(body);
  });
}

/**
 * The load's connections to nginx: one per request. A reload closes the old workers' idle
 * client connections; a browser resends a request that met such a close on a reused connection
 * (RFC 9112, 9.3.1), Node's http client does not, and the test would count nginx's reload
 * against Souk. nginx keeps its own connections to the nodes alive either way.
 */
const clientAgent = () => new Agent({ keepAlive: false, maxSockets: 1 });

const ok = (answer: { status: number | null }) => answer.status !== null && answer.status < 300;

async function json<T>(baseUrl: string, path: string, token: string, body?: unknown): Promise<T> {
  const answer = await fetch(`${baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!answer.ok) throw new Error(`${path}: ${answer.status} ${await answer.text()}`);
  return (await answer.json()) as T;
}

async function connectedSockets(node: SoukProcess): Promise<number> {
  const text = await (await fetch(`${node.baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('realtime_connected_sockets'));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe.skipIf(!hasNginx || !hasRedisServer)('nginx in front of two API nodes and a worker', () => {
  let env: FaultEnvironment | undefined;
  let redis: RedisServer | undefined;
  let nginx: Nginx | undefined;
  const apiNodes: SoukProcess[] = [];
  let failed = true;

  afterAll(async () => {
    await Promise.all(apiNodes.map((node) => node.stop(10_000)));
    await nginx?.stop();
    await redis?.stop();
    await env?.close({ keepLogs: failed });
  });

  it('loses no idempotent request to a SIGKILL, and no request at all to a rolling restart', async () => {
    env = await startEnvironment({ buyers: 6, listings: 4 });
    redis = await startRedisServer();
    const environment = env;
    const nodeEnv = {
      REDIS_URL: redis.url,
      TRUST_PROXY: '1',
      // As in production: readiness fails and answers close their connections for this long
      // before the listener closes (decision 025).
      SHUTDOWN_DELAY_MS: String(DRAIN_MS),
    };
    const startApi = (name: string, port?: number) =>
      startSouk({
        name,
        role: 'api',
        databaseUrl: environment.databaseUrl,
        dataDir: environment.dataDir,
        runDir: environment.runDir,
        env: nodeEnv,
        ...(port ? { port } : {}),
      });
    // Started and ready, started again if it exits while starting, as a supervisor would: on a
    // machine at load 25-30 a start gave up on PostgreSQL ("The database does not answer").
    const supervised = async (name: string, start: () => Promise<SoukProcess>) => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await start();
        } catch (error) {
          if (!/exited while starting/.test((error as Error).message) || attempt >= 3) throw error;
          console.log(`[cluster] ${name} exited while starting (attempt ${attempt}); starting it again`);
        }
      }
    };
    const startApiReady = (name: string, port?: number) =>
      supervised(name, async () => {
        const node = await startApi(name, port);
        try {
          await node.waitReady();
        } catch (error) {
          await node.stop(5_000);
          throw error;
        }
        return node;
      });
    const booted = await Promise.all([startApiReady('api1'), startApiReady('api2')]);
    apiNodes.push(...booted);
    await supervised('worker', () => environment.startNode('worker', 'worker', nodeEnv));

    // The built web app when there is one (CI builds before this step); otherwise a stand-in.
    let webRoot = WEB_DIST;
    if (!existsSync(join(WEB_DIST, 'index.html'))) {
      webRoot = join(env.runDir, 'web');
      mkdirSync(join(webRoot, 'assets'), { recursive: true });
      // nginx started by root serves files as `nobody`, which cannot enter a 0700 temp directory
      // (every page was then a 404 without a web build).
      chmodSync(env.runDir, 0o755);
      writeFileSync(
        join(webRoot, 'index.html'),
        `<!doctype html><title>Souk</title>${'<p>shell</p>'.repeat(200)}`,
      );
      writeFileSync(
        join(webRoot, 'assets', 'index-abc123.js'),
        `console.log(${JSON.stringify('x'.repeat(4000))});`,
      );
    }
    nginx = await startNginx({
      runDir: env.runDir,
      upstreams: apiNodes.map((node) => node.port),
      webRoot,
      extras: hasBrotli ? ['brotli'] : [],
      workers: 1,
    });
    const edge = nginx;
    const base = edge.baseUrl;
    const { fixtures } = env;

    // --- The edge as configured: caching, compression, body limits ----------------------------
    const shell = await fetch(`${base}/`, { headers: { 'accept-encoding': 'gzip' } });
    expect(shell.status).toBe(200);
    expect(shell.headers.get('cache-control')).toBe('no-cache');
    const html = await shell.text();
    const asset = /\/assets\/[\w.-]+\.js/.exec(html)?.[0] ?? '/assets/index-abc123.js';
    const assetAnswer = await fetch(`${base}${asset}`, { headers: { 'accept-encoding': 'br, gzip' } });
    await assetAnswer.arrayBuffer();
    expect(assetAnswer.status).toBe(200);
    expect(assetAnswer.headers.get('cache-control')).toContain('immutable');
    const apiGzip = await fetch(`${base}/openapi.json`, { headers: { 'accept-encoding': 'gzip' } });
    await apiGzip.arrayBuffer();
    expect(apiGzip.status).toBe(200);
    expect(apiGzip.headers.get('content-encoding')).toBe('gzip');
    if (hasBrotli) {
      const apiBrotli = await fetch(`${base}/openapi.json`, { headers: { 'accept-encoding': 'br' } });
      await apiBrotli.arrayBuffer();
      expect(apiBrotli.headers.get('content-encoding')).toBe('br');
    }
    const tooBig = await fetch(`${base}/api/v1/listings/${fixtures.listingIds[0]}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${fixtures.buyers[0]?.token}` },
      body: JSON.stringify({ text: 'x'.repeat(1024 * 1024 + 10) }),
    });
    await tooBig.arrayBuffer();
    expect(tooBig.status).toBe(413);

    // --- A chat with two members whose sockets go through nginx ------------------------------
    const buyer = fixtures.buyers[0];
    const listingId = fixtures.listingIds[0];
    if (!buyer || !listingId) throw new Error('no fixtures');
    const started = await json<{ conversation: { id: string } }>(
      base,
      `/api/v1/listings/${listingId}/messages`,
      buyer.token,
      {
        text: 'Is it still available?',
        clientMessageId: 'chat-start',
      },
    );
    const channel = `conversation:${started.conversation.id}`;
    const wsUrl = `ws://127.0.0.1:${edge.port}/ws`;
    const members = [
      new RealtimeClient('buyer', wsUrl, buyer.token, [channel]),
      new RealtimeClient('seller', wsUrl, fixtures.seller.token, [channel]),
    ];
    await waitUntil(() => members.every((member) => member.subscribedFrames > 0), {
      timeoutMs: 20_000,
      what: 'both members to subscribe through nginx',
    });
    const subscribedAfter = new Map(members.map((member) => [member.name, member.lastEventId.get(channel)]));

    // --- The mixed load -----------------------------------------------------------------------
    const answers: Answer[] = [];
    const chatSent: string[] = [];
    let phase: Phase = 'warm';
    let stopping = false;
    const agents: Agent[] = [];
    const loop =
      (kind: Kind, next: (sequence: number, client: number) => Parameters<typeof send>[2]) =>
      async (client: number) => {
        const agent = clientAgent();
        agents.push(agent);
        for (let sequence = 1; !stopping; sequence++) {
          const spec = next(sequence, client);
          const answerPhase = phase;
          const answer = await send(base, agent, spec);
          answers.push({ kind, phase: answerPhase, ...answer });
        }
      };
    const searches = ['car', 'toyota', 'blue', 'test'];
    const reader = loop('read', (sequence, client) =>
      sequence % 2
        ? {
            method: 'GET',
            path: `/api/v1/listings/${fixtures.listingIds[sequence % fixtures.listingIds.length]}`,
            testId: `read-${client}-${sequence}`,
          }
        : {
            method: 'GET',
            path: `/api/v1/search?q=${searches[sequence % searches.length]}`,
            testId: `read-${client}-${sequence}`,
          },
    );
    const themes = ['light', 'dark', 'system'] as const;
    const preferrer = loop('idempotent-write', (sequence, client) => {
      const member = fixtures.buyers[1 + (client % 2)] ?? buyer;
      return {
        method: 'PUT',
        path: `/api/v1/users/${member.userId}/preferences`,
        token: member.token,
        body: { theme: themes[sequence % themes.length] },
        testId: `put-${client}-${sequence}`,
      };
    });
    const writer = loop('write', (sequence, client) => {
      const member = fixtures.buyers[3 + (client % 3)] ?? buyer;
      const id = `write-${client}-${sequence}`;
      return {
        method: 'POST',
        path: `/api/v1/listings/${fixtures.listingIds[1 + (client % 3)]}/messages`,
        token: member.token,
        body: { text: `load ${id}`, clientMessageId: id },
        testId: id,
      };
    });
    // The chat: buyer and seller take turns; each message is sent again with its
    // clientMessageId until it is acknowledged, as an app would.
    const chat = (async () => {
      const agent = clientAgent();
      agents.push(agent);
      for (let sequence = 1; !stopping; sequence++) {
        const fromBuyer = sequence % 2 === 1;
        const id = `chat-${sequence}`;
        for (let attempt = 1; ; attempt++) {
          const answerPhase = phase;
          const answer = await send(base, agent, {
            method: 'POST',
            path: fromBuyer
              ? `/api/v1/listings/${listingId}/messages`
              : `/api/v1/conversations/${started.conversation.id}/messages`,
            token: fromBuyer ? buyer.token : fixtures.seller.token,
            body: { text: `chat ${sequence}`, clientMessageId: id },
            testId: `${id}-a${attempt}`,
          });
          answers.push({ kind: 'chat', phase: answerPhase, ...answer });
          if (ok(answer)) {
            chatSent.push(id);
            break;
          }
          // Counted as failed below; the loop ends with the load.
          if (attempt >= 20 || stopping) break;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    })();
    const clients = [
      ...[0, 1].map((client) => reader(client)),
      ...[0, 1].map((client) => preferrer(client)),
      ...[0, 1].map((client) => writer(client)),
      chat,
    ];
    const okSince = (time: number) =>
      answers.filter((answer) => answer.startedAt >= time && ok(answer)).length;
    const throughNode = (port: number, since: number) =>
      edge
        .accessLog()
        .filter((line) => line.at >= since && line.upstream.endsWith(`:${port}`) && line.status < 300).length;
    const eventsSince = (time: number) =>
      Math.min(
        ...members.map(
          (member) => (member.seen.get(channel) ?? []).filter((event) => event.at >= time).length,
        ),
      );

    const loadStart = Date.now();
    await waitUntil(() => okSince(loadStart) >= 150 && eventsSince(loadStart) >= 5, {
      timeoutMs: 60_000,
      what: 'the load to run through both nodes',
    });
    expect(throughNode(apiNodes[0]?.port ?? 0, loadStart)).toBeGreaterThan(0);
    expect(throughNode(apiNodes[1]?.port ?? 0, loadStart)).toBeGreaterThan(0);

    // --- SIGKILL the node that holds a socket ----------------------------------------------------
    const sockets = await Promise.all(apiNodes.map(connectedSockets));
    const victimIndex = (sockets[0] ?? 0) > 0 ? 0 : 1;
    const victim = apiNodes[victimIndex] as SoukProcess;
    const survivor = apiNodes[1 - victimIndex] as SoukProcess;
    const openedBefore = new Map(members.map((member) => [member.name, member.opened]));
    phase = 'kill';
    const killAt = Date.now();
    victim.signal('SIGKILL');
    // What a node killed between storing an event and its Redis fan-out leaves behind: the row,
    // and no message. The kill above may or may not land in that window; this makes sure the
    // case is in every run (decision 038: the survivor's tail or the next seq recovers it).
    const [unfanned] = await environment.cluster.query<{ id: string }>(
      `insert into realtime_events (channel, type, data)
       values ($1, 'message.created', '{"id": "stored-by-the-killed-node"}'::jsonb) returning id::text`,
      [channel],
      'souk',
    );
    const death = await victim.exited;
    await waitUntil(
      () =>
        okSince(killAt) >= 150 &&
        eventsSince(killAt) >= 5 &&
        members.every((member) => member.connected) &&
        members.some((member) => member.opened > (openedBefore.get(member.name) ?? 0)),
      { timeoutMs: 60_000, what: 'the load and both sockets to carry on through the survivor' },
    );
    const reconnected = members.filter(
      (member) => member.opened > (openedBefore.get(member.name) ?? 0),
    ).length;

    // Back on the same address, as a supervisor would bring it.
    const survivorStayed = survivor.alive();
    phase = 'recover';
    const revived = await startApiReady(victim.name, victim.port);
    apiNodes[victimIndex] = revived;
    const revivedAt = Date.now();
    // nginx skipped the dead node for fail_timeout (5 s); it gets traffic again after that.
    await waitUntil(() => throughNode(revived.port, revivedAt) >= 20, {
      timeoutMs: 60_000,
      what: `nginx to send traffic to the restarted ${revived.name} again`,
    });

    // --- Rolling restart: out of nginx, SIGTERM, exit, start, ready, back in; then the other ----
    // With static upstreams nginx keeps opening connections to a node until it refuses them, and
    // a connection the kernel accepted just before the listener closed is reset under its request
    // (a POST is then lost, not retried). So the node leaves nginx first (a reload: in-flight
    // requests finish on the old workers), as an Ingress controller does when readiness fails.
    phase = 'rolling';
    const rollingAt = Date.now();
    for (const index of [0, 1]) {
      const node = apiNodes[index] as SoukProcess;
      await edge.setUpstreams(apiNodes.filter((other) => other !== node).map((other) => other.port));
      await node.stop(30_000);
      const restarted = await startApiReady(node.name, node.port);
      apiNodes[index] = restarted;
      const readyAt = Date.now();
      await edge.setUpstreams(apiNodes.map((other) => other.port));
      await waitUntil(() => throughNode(restarted.port, readyAt) >= 20, {
        timeoutMs: 60_000,
        what: `nginx to send traffic to the restarted ${restarted.name}`,
      });
    }
    await waitUntil(() => eventsSince(rollingAt) >= 5, {
      timeoutMs: 30_000,
      what: 'chat events through the rolling restart',
    });

    stopping = true;
    await Promise.all(clients);
    for (const agent of agents) agent.destroy();

    // --- Every stored event of the chat, once and in order, on both members' screens -----------
    const stored = (
      await env.cluster.query<{ id: string; message_id: string | null; created_at: string }>(
        `select id::text, data->>'id' as message_id,
           (extract(epoch from created_at) * 1000)::bigint::text as created_at
         from realtime_events where channel = $1 order by realtime_events.id`,
        [channel],
        'souk',
      )
    ).map((row) => row);
    const lastStored = stored[stored.length - 1]?.id;
    // Reported below as missed events when it does not happen.
    // (lastEventId may be past it: `subscribed` carries the hub's position, not the channel's.)
    await waitUntil(
      () =>
        members.every((member) =>
          [lastStored, unfanned?.id].every((id) =>
            member.seen.get(channel)?.some((event) => event.id === id),
          ),
        ),
      {
        timeoutMs: 20_000,
        what: 'both members to see the last chat event and the one never fanned out',
      },
    ).catch((error: Error) =>
      console.log(
        `[cluster] ${error.message}: last stored ${lastStored}, ${members
          .map(
            (member) =>
              `${member.name} at ${member.lastEventId.get(channel)} connected=${member.connected} opened=${member.opened} errors=${member.errors.join('; ')}`,
          )
          .join(', ')}`,
      ),
    );
    const chatMessages = await env.cluster.query<{ id: string; client_message_id: string }>(
      `select m.id::text, m.client_message_id from messages m where m.conversation_id = $1`,
      [started.conversation.id],
      'souk',
    );
    const report: Record<string, string | number> = {};
    const verdicts: {
      member: string;
      missed: number;
      duplicated: number;
      outOfOrder: number;
      gaps: string[];
    }[] = [];
    for (const member of members) {
      const after = BigInt(subscribedAfter.get(member.name) ?? '0');
      const expected = stored.filter((row) => BigInt(row.id) > after).map((row) => row.id);
      const seen = (member.seen.get(channel) ?? []).map((event) => event.id);
      const missedIds = expected.filter((id) => !seen.includes(id));
      const missed = missedIds.length;
      if (missed > 0) {
        console.log(
          `[cluster] ${member.name} missed ${missedIds.join(', ')}; saw ${seen.join(',')}; killed at ${killAt}; ` +
            `stored at ${stored
              .filter((row) => missedIds.includes(row.id))
              .map((row) => row.created_at)
              .join(', ')}; timeline: ${member.timeline.join(' | ')}`,
        );
      }
      const duplicated = seen.length - new Set(seen).size;
      const outOfOrder = seen.filter((id, i) => i > 0 && BigInt(id) <= BigInt(seen[i - 1] ?? '0')).length;
      report[`${member.name}Events`] = seen.length;
      report[`${member.name}Missed`] = missed;
      report[`${member.name}Duplicated`] = duplicated;
      report[`${member.name}SawUnfanned`] = seen.includes(unfanned?.id ?? '') ? 1 : 0;
      verdicts.push({ member: member.name, missed, duplicated, outOfOrder, gaps: member.gaps });
      member.close();
    }
    // A message stored without its event would be missed by everyone: each has one.
    const withEvent = new Set(stored.map((row) => row.message_id));
    expect(unfanned?.id).toBeDefined();
    const messagesWithoutEvent = chatMessages.filter((message) => !withEvent.has(message.id)).length;
    const chatIds = chatMessages.map((message) => message.client_message_id);

    // --- The requests ---------------------------------------------------------------------------
    const log = new Map(edge.accessLog().map((line) => [line.testId, line]));
    const failedOf = (filter: (answer: Answer) => boolean) =>
      answers.filter((answer) => filter(answer) && !ok(answer));
    const idempotentFailed = failedOf(
      (answer) => answer.kind === 'read' || answer.kind === 'idempotent-write',
    );
    const nonIdempotentFailed = failedOf((answer) => answer.kind === 'write' || answer.kind === 'chat');
    // In flight on the killed node: sent before it was gone, and nginx's log names only that node.
    const inFlightOnVictim = (answer: Answer) =>
      answer.startedAt <= death.at + 1_000 && log.get(answer.testId)?.upstream === `127.0.0.1:${victim.port}`;
    const killedInFlight = nonIdempotentFailed.filter(inFlightOnVictim);
    const otherFailures = nonIdempotentFailed.filter((answer) => !inFlightOnVictim(answer));
    const rollingFailed = answers.filter((answer) => answer.phase === 'rolling' && !ok(answer));
    const count = (kind: Kind) => answers.filter((answer) => answer.kind === kind).length;

    const line =
      `[cluster] requests=${answers.length} (reads=${count('read')} idempotentWrites=${count('idempotent-write')} ` +
      `writes=${count('write')} chat=${count('chat')}) killed=${victim.name} ` +
      `failedIdempotent=${idempotentFailed.length} failedNonIdempotent=${nonIdempotentFailed.length} ` +
      `(inFlightOnKilledNode=${killedInFlight.length} other=${otherFailures.length}) ` +
      `rollingRestartRequests=${answers.filter((answer) => answer.phase === 'rolling').length} rollingRestartFailed=${rollingFailed.length} ` +
      `chatMessages=${chatMessages.length} chatEvents=${stored.length} messagesWithoutEvent=${messagesWithoutEvent} ` +
      `socketsReconnected=${reconnected} ${Object.entries(report)
        .map(([key, value]) => `${key}=${value}`)
        .join(' ')} brotli=${hasBrotli}`;
    console.log(line);
    if (idempotentFailed.length + otherFailures.length + rollingFailed.length > 0) {
      console.log(
        [...idempotentFailed, ...otherFailures, ...rollingFailed]
          .slice(0, 20)
          .map((answer) => `${JSON.stringify(answer)} edge=${JSON.stringify(log.get(answer.testId) ?? null)}`)
          .join('\n'),
      );
    }

    for (const verdict of verdicts) {
      expect(verdict).toEqual({ member: verdict.member, missed: 0, duplicated: 0, outOfOrder: 0, gaps: [] });
    }
    expect(idempotentFailed).toEqual([]);
    expect(otherFailures).toEqual([]);
    expect(rollingFailed).toEqual([]);
    for (const answer of killedInFlight) expect([502, 503, null]).toContain(answer.status);
    expect(reconnected).toBeGreaterThan(0);
    expect(messagesWithoutEvent).toBe(0);
    // Every chat message acknowledged once, stored once.
    expect(new Set(chatIds).size).toBe(chatIds.length);
    for (const id of chatSent) expect(chatIds).toContain(id);
    // The node that took over when the other was killed was still that process until its restart.
    expect(survivorStayed).toBe(true);
    for (const node of apiNodes) expect(node.alive()).toBe(true);
    failed = false;
  });
});
