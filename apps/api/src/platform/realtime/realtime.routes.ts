import fastifyWebsocket from '@fastify/websocket';
import { REALTIME_CLOSE_UNAUTHENTICATED } from '@souk/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { platformError } from '../http/errors.js';
import type { RealtimeHub } from './realtime.hub.js';

/** Largest frame a client may send; subscribe frames are tiny. */
const MAX_CLIENT_FRAME_BYTES = 4096;

/**
 * Origins a browser may open `/ws` from: PUBLIC_URL, CORS_ORIGINS, and the host the request was
 * sent to (the app and its API share an origin). The cookie rides along on a cross-site
 * WebSocket too, so this check is what stops another site from reading a member's live events.
 */
export function originAllowed(
  origin: string,
  request: FastifyRequest,
  allowed: ReadonlySet<string>,
): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return allowed.has(url.origin) || url.host === request.host;
}

/**
 * `GET /ws`: the realtime socket. The app's own onRequest hook has already resolved the caller
 * from the Bearer token or the session cookie (a bad Bearer token is refused there with a 401).
 * A foreign Origin is refused before the upgrade; a request without Origin (not a browser) must
 * use a Bearer token. An upgrade without a signed-in user is closed with 4401.
 */
export function realtimeRoutes(
  hub: RealtimeHub,
  options: { publicUrl?: string | undefined; corsOrigins: string[] },
) {
  const allowed = new Set<string>();
  for (const origin of [options.publicUrl, ...options.corsOrigins]) {
    if (!origin) continue;
    try {
      allowed.add(new URL(origin).origin);
    } catch {
      // CORS_ORIGINS entries that are not URLs cannot match an Origin header anyway.
    }
  }
  return async function routes(app: FastifyInstance) {
    await app.register(fastifyWebsocket, { options: { maxPayload: MAX_CLIENT_FRAME_BYTES } });
    // An upgrade refused by an earlier hook (a bad Bearer token fails in the app's onRequest, before
    // the plugin marks the request as a WebSocket) gets its HTTP answer, but nothing would close the
    // socket afterwards: no HTTP parser is left on it. Close it, or each refusal leaks a socket.
    app.addHook('onResponse', (request, _reply, done) => {
      if (request.raw.headers.upgrade !== undefined) request.raw.socket.destroy();
      done();
    });
    app.get(
      '/ws',
      {
        websocket: true,
        schema: { hide: true },
        preValidation: async (request) => {
          const origin = request.headers.origin;
          if (origin === undefined) {
            if (!request.headers.authorization) {
              throw platformError('forbidden', 'A client without an Origin header must send a Bearer token.');
            }
            return;
          }
          if (!originAllowed(origin, request, allowed)) {
            throw platformError('forbidden', 'This origin may not open a realtime connection.');
          }
        },
      },
      (socket, request) => {
        const actor = request.ctx.actor;
        if (!actor) {
          socket.close(REALTIME_CLOSE_UNAUTHENTICATED, 'unauthenticated');
          return;
        }
        hub.accept(socket, actor, request.ctx.sessionId);
      },
    );
  };
}
