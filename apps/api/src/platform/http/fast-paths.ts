import { randomFillSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';
import { v7 as uuidv7 } from 'uuid';

/**
 * Security headers computed once at start-up by running helmet against a recording response,
 * then copied onto each reply: same headers as the helmet middleware, without rebuilding them
 * on every request (which cost about 50 µs a request, measured in bench/).
 */
export function precomputedSecurityHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return headers;
}

/**
 * UUIDv7 request ids from a pool of random bytes: one getRandomValues call per 256 ids instead
 * of one per id (2.3 µs → 0.3 µs an id, measured in bench/).
 */
export function createRequestIdGenerator(): () => string {
  const pool = Buffer.alloc(4096);
  let offset = pool.length;
  return () => {
    if (offset + 16 > pool.length) {
      randomFillSync(pool);
      offset = 0;
    }
    const random = pool.subarray(offset, offset + 16);
    offset += 16;
    return uuidv7({ random });
  };
}

export const LIVE_BODY = JSON.stringify({ status: 'ok', checks: {} });

export type ServerOptions = {
  /** While true (SIGTERM), every answer says `Connection: close`, so keep-alive clients move on. */
  draining: () => boolean;
  /** Headers must arrive within this; a body too, unless it keeps `bodyMinBytesPerSecond`. */
  requestTimeoutMs: number;
  bodyMinBytesPerSecond: number;
};

/**
 * The HTTP server, with `GET /health/live` answered before Fastify routes the request. A
 * liveness probe asks one thing, whether the event loop turns, and orchestrators send it often;
 * answering it here keeps it as cheap as a bare node:http server (the 90% target in bench/).
 * The same route is also declared in Fastify, for the OpenAPI document and app.inject.
 *
 * Slow clients: Node closes a connection whose headers take longer than `requestTimeoutMs` (408).
 * Node's own `requestTimeout` counts the whole body against one fixed time, which would cut a
 * 200 MB import upload at a few MB/s as surely as a slow-loris body; instead a body still
 * arriving after `requestTimeoutMs` must have averaged `bodyMinBytesPerSecond` since it began
 * (Kestrel's MinRequestBodyDataRate idea), or its connection is closed.
 */
export function serverWithLiveProbe(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  options: ServerOptions,
): Server {
  const liveHeaders = {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(LIVE_BODY),
    'cache-control': 'no-store',
  };
  const bodies = watchBodyRate(options);
  const server = createServer(
    // Expired headers are looked for every second, not every 30 s (Node's default).
    { connectionsCheckingInterval: 1_000, headersTimeout: options.requestTimeoutMs, requestTimeout: 0 },
    (req, res) => {
      if (options.draining()) res.setHeader('connection', 'close');
      if (req.method === 'GET' && (req.url === '/health/live' || req.url === '/health/live/')) {
        res.writeHead(200, liveHeaders);
        res.end(LIVE_BODY);
        return;
      }
      bodies.watch(req, res);
      handler(req, res);
    },
  );
  // Longer than a load balancer's idle timeout (60 s on AWS ALB, nginx's upstream keepalive_timeout
  // 60 s), so the balancer, not Souk, closes an idle kept-alive connection: Fastify's default.
  server.keepAliveTimeout = 72_000;
  server.on('close', () => bodies.stop());
  return server;
}

/** Closes the connection of a request body that arrives slower than the minimum rate. */
function watchBodyRate(options: ServerOptions) {
  type Watched = { req: IncomingMessage; res: ServerResponse; startedAt: number; bytesAtStart: number };
  const watched = new Set<Watched>();
  let timer: NodeJS.Timeout | undefined;
  const check = () => {
    const now = Date.now();
    for (const entry of watched) {
      const { req, res } = entry;
      if (req.complete || req.socket.destroyed) {
        watched.delete(entry);
        continue;
      }
      const elapsedMs = now - entry.startedAt;
      if (elapsedMs <= options.requestTimeoutMs) continue;
      // Bytes off the socket since the body began (headers of this request were read already).
      const received = req.socket.bytesRead - entry.bytesAtStart;
      const allowedMs = options.requestTimeoutMs + (received / options.bodyMinBytesPerSecond) * 1000;
      if (elapsedMs <= allowedMs) continue;
      watched.delete(entry);
      if (!res.headersSent) {
        res.writeHead(408, {
          'content-type': 'application/problem+json; charset=utf-8',
          connection: 'close',
        });
        res.end(
          JSON.stringify({
            type: 'urn:souk:problem:request_timeout',
            title: 'The request took too long to arrive',
            status: 408,
            code: 'request_timeout',
          }),
        );
      }
      // The rest of the body would never be read: the connection cannot carry another request.
      setImmediate(() => req.socket.destroy());
    }
    if (watched.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
  return {
    watch(req: IncomingMessage, res: ServerResponse) {
      const hasBody =
        req.headers['transfer-encoding'] !== undefined ||
        (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
      if (!hasBody) return;
      watched.add({ req, res, startedAt: Date.now(), bytesAtStart: req.socket.bytesRead });
      if (!timer) {
        timer = setInterval(check, 1_000);
        timer.unref();
      }
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
      watched.clear();
    },
  };
}
