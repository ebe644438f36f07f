import { Agent, request } from 'node:http';
import type { Fixtures } from './fixtures.js';
import type { SoukProcess } from './souk.js';

/** One request of the load and what came back (or did not). Times are Date.now() values. */
export type Answer = {
  /** The message's clientMessageId: the same on a retry, so the server stores it once. */
  id: string;
  node: string;
  phase: 'load' | 'retry';
  startedAt: number;
  endedAt: number;
  /** null when no HTTP answer came (a socket error or the client's own timeout). */
  status: number | null;
  code?: string;
  contentType?: string;
  retryAfter?: string;
  connection?: string;
  /** Sent on a kept-alive connection that had carried a request before (not a new one). */
  reusedConnection?: boolean;
  error?: string;
};

export type Intent = { id: string; node: SoukProcess; token: string; listingId: string };

/** Gives up on a request after this long; anything over HANG_MS counts as a hang anyway. */
const ABORT_MS = 15_000;
/**
 * After a failed answer a client waits this long before its next request (a real one would
 * honour Retry-After; shorter here, so the outage is sampled often).
 */
const BACKOFF_MS = 500;

/**
 * Sends one message about a listing with its clientMessageId over a kept-alive connection of
 * `agent`, and records the answer. Never throws.
 */
export function sendMessage(
  intent: Intent,
  agent: Agent,
  phase: Answer['phase'],
  /** Sends the body in this many pieces, `pieceIntervalMs` apart: a slow client, or a slow upload. */
  slow?: { pieces: number; pieceIntervalMs: number },
): Promise<Answer> {
  const body = JSON.stringify({ text: `fault-load ${intent.id}`, clientMessageId: intent.id });
  const startedAt = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: Omit<Answer, 'id' | 'node' | 'phase' | 'startedAt' | 'endedAt'>) => {
      if (settled) return;
      settled = true;
      resolve({
        id: intent.id,
        node: intent.node.name,
        phase,
        startedAt,
        endedAt: Date.now(),
        reusedConnection: req.reusedSocket,
        ...answer,
      });
    };
    const req = request(
      `${intent.node.baseUrl}/api/v1/listings/${intent.listingId}/messages`,
      {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${intent.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        timeout: ABORT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => finish({ status: null, error: `response: ${error.message}` }));
        res.on('end', () => {
          let code: string | undefined;
          try {
            code = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { code?: string }).code;
          } catch {
            code = undefined;
          }
          finish({
            status: res.statusCode ?? null,
            ...(code ? { code } : {}),
            ...(res.headers['content-type'] ? { contentType: res.headers['content-type'] } : {}),
            ...(res.headers['retry-after'] ? { retryAfter: String(res.headers['retry-after']) } : {}),
            ...(res.headers.connection ? { connection: res.headers.connection } : {}),
          });
        });
      },
    );
    req.on('timeout', () => {
      finish({ status: null, error: `no answer within ${ABORT_MS} ms` });
      req.destroy();
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish({ status: null, error: error.code ?? error.message }),
    );
    if (!slow) {
      req.end(body);
      return;
    }
    const size = Math.ceil(body.length / slow.pieces);
    let offset = 0;
    const writePiece = () => {
      const piece = body.slice(offset, offset + size);
      offset += size;
      if (offset >= body.length) req.end(piece);
      else {
        req.write(piece);
        setTimeout(writePiece, slow.pieceIntervalMs);
      }
    };
    writePiece();
  });
}

export type WriteLoad = {
  readonly answers: Answer[];
  readonly intents: Map<string, Intent>;
  /** Answers so far (a view that grows). */
  acknowledgedSince(time: number, node?: string): number;
  /** Throws on an answer no fault explains (a 4xx: the load itself is wrong), to fail fast. */
  assertSane(): void;
  /** Stops sending and waits for the requests in flight. */
  stop(): Promise<void>;
};

/**
 * `concurrency` clients, each a buyer messaging the seller about one listing in a loop over its
 * own kept-alive connection to one of `nodes`, each message with a new clientMessageId.
 */
export function startWriteLoad(options: {
  label: string;
  nodes: SoukProcess[];
  fixtures: Fixtures;
  concurrency: number;
}): WriteLoad {
  const answers: Answer[] = [];
  const intents = new Map<string, Intent>();
  let stopping = false;
  const agents: Agent[] = [];
  const clients = Array.from({ length: options.concurrency }, async (_, client) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    const node = options.nodes[client % options.nodes.length] as SoukProcess;
    const buyer = options.fixtures.buyers[client % options.fixtures.buyers.length];
    const listingId = options.fixtures.listingIds[client % options.fixtures.listingIds.length];
    if (!buyer || !listingId) throw new Error('the fixtures have no buyers or listings');
    for (let sequence = 1; !stopping; sequence++) {
      const intent: Intent = {
        id: `${options.label}-c${client}-${sequence}`,
        node,
        token: buyer.token,
        listingId,
      };
      intents.set(intent.id, intent);
      const answer = await sendMessage(intent, agent, 'load');
      answers.push(answer);
      if (answer.status === null || answer.status >= 300) await new Promise((r) => setTimeout(r, BACKOFF_MS));
    }
  });
  return {
    answers,
    intents,
    acknowledgedSince(time, node) {
      return answers.filter(
        (answer) =>
          answer.startedAt >= time &&
          answer.status !== null &&
          answer.status < 300 &&
          (!node || answer.node === node),
      ).length;
    },
    assertSane() {
      const wrong = answers.find(
        (answer) => answer.status !== null && answer.status >= 400 && answer.status < 500,
      );
      if (wrong)
        throw new Error(
          `the load got ${wrong.status} ${wrong.code ?? ''} from ${wrong.node}: fix the fixtures`,
        );
    },
    async stop() {
      stopping = true;
      await Promise.all(clients);
      for (const agent of agents) agent.destroy();
    },
  };
}

/**
 * Sends every message that got no 2xx again, with the same clientMessageId, until it gets one
 * (as the review's client did): the server must store each of them once, whatever happened to
 * the first try.
 */
export async function retryUnacknowledged(
  load: WriteLoad,
  options: { maxAttempts?: number; via?: SoukProcess } = {},
): Promise<Answer[]> {
  const maxAttempts = options.maxAttempts ?? 20;
  const acknowledged = new Set(
    load.answers.filter((answer) => answer.status !== null && answer.status < 300).map((answer) => answer.id),
  );
  const pending = [...load.intents.values()].filter((intent) => !acknowledged.has(intent.id));
  const retries: Answer[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const retryOne = async (intent: Intent) => {
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const answer = await sendMessage(
        options.via ? { ...intent, node: options.via } : intent,
        agent,
        'retry',
      );
      retries.push(answer);
      if (answer.status !== null && answer.status < 300) return;
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  try {
    // Eight at a time, like the load itself.
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let intent = pending.shift(); intent; intent = pending.shift()) await retryOne(intent);
      }),
    );
  } finally {
    agent.destroy();
  }
  return retries;
}

export type ProbeAnswer = {
  node: string;
  path: string;
  startedAt: number;
  endedAt: number;
  status: number | null;
  error?: string;
};

/** Asks /health/live, /health/ready and /metrics of every node every `intervalMs`, on new connections. */
export function startProbes(nodes: SoukProcess[], intervalMs = 500) {
  const answers: ProbeAnswer[] = [];
  let stopping = false;
  const paths = ['/health/live', '/health/ready', '/metrics'];
  const loops = nodes.flatMap((node) =>
    paths.map(async (path) => {
      while (!stopping) {
        const startedAt = Date.now();
        try {
          const answer = await fetch(`${node.baseUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
          await answer.arrayBuffer();
          answers.push({ node: node.name, path, startedAt, endedAt: Date.now(), status: answer.status });
        } catch (error) {
          answers.push({
            node: node.name,
            path,
            startedAt,
            endedAt: Date.now(),
            status: null,
            error: (error as Error).message,
          });
        }
        const next = startedAt + intervalMs - Date.now();
        if (next > 0) await new Promise((r) => setTimeout(r, next));
      }
    }),
  );
  return {
    answers,
    async stop() {
      stopping = true;
      await Promise.all(loops);
    },
  };
}
