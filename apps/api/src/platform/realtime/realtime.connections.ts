import {
  RealtimeClientFrame as ClientFrameSchema,
  REALTIME_CLOSE_UNAUTHENTICATED,
  type RealtimeClientFrame,
} from '@souk/contracts';
import type { WebSocket } from 'ws';
import type { Actor } from '../http/context.js';
import type { Logger } from '../logger.js';
import type { Channels } from './realtime.channels.js';
import type { Connection, SocketWriter } from './realtime.socket.js';

/** Frames a client may send per window (each may cost database reads); a reconnect that resubscribes
 *  SUBSCRIPTION_LIMIT channels at once stays well within it. */
export const FRAME_LIMIT = { frames: 250, windowMs: 10_000 };
/** Close code for a client that sends faster than FRAME_LIMIT (1008: policy violation). */
export const CLOSE_TOO_MANY_FRAMES = 1008;

/** Whether the session a socket signed in with is still valid (not signed out, revoked or expired). */
export type SessionCheck = (sessionId: string, userId: string) => Promise<boolean>;

/**
 * The sockets connected to this node: taking one over, reading its frames in order and within
 * FRAME_LIMIT, and the heartbeat that drops dead peers and sockets whose session ended.
 */
export function createConnections(deps: {
  channels: Channels;
  writer: SocketWriter;
  logger: Logger;
  heartbeatSeconds: number;
  /** Also run at each heartbeat (the fan-out's presence refresh). */
  onHeartbeat: () => void;
}) {
  const { channels, logger } = deps;
  const { sendError } = deps.writer;
  const connections = new Set<Connection>();
  let sessionCheck: SessionCheck | null = null;

  async function handle(connection: Connection, raw: string) {
    let frame: RealtimeClientFrame;
    try {
      const parsed = ClientFrameSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) {
        sendError(connection, {
          code: 'invalid_message',
          status: 400,
          detail: parsed.error.issues
            .map((issue) => `${issue.path.join('.') || 'frame'}: ${issue.message}`)
            .join('; ')
            .slice(0, 300),
        });
        return;
      }
      frame = parsed.data;
    } catch {
      sendError(connection, { code: 'invalid_message', status: 400, detail: 'A frame is one JSON object.' });
      return;
    }
    if (frame.type === 'subscribe') await channels.subscribe(connection, frame.channel, frame.lastEventId);
    else channels.unsubscribe(connection, frame.channel);
  }

  /** Closes the sockets whose session has ended: one check per session, however many sockets. */
  async function closeEndedSessions() {
    if (!sessionCheck) return;
    const bySession = new Map<string, Connection[]>();
    for (const connection of connections) {
      if (connection.sessionId === null) continue;
      const list = bySession.get(connection.sessionId);
      if (list) list.push(connection);
      else bySession.set(connection.sessionId, [connection]);
    }
    for (const [sessionId, sockets] of bySession) {
      const userId = (sockets[0] as Connection).actor.userId;
      if (await sessionCheck(sessionId, userId)) continue;
      for (const connection of sockets)
        connection.socket.close(REALTIME_CLOSE_UNAUTHENTICATED, 'session ended');
    }
  }

  const heartbeat = setInterval(() => {
    closeEndedSessions().catch((error) => logger.warn({ err: error }, 'realtime: session check failed'));
    for (const connection of connections) {
      // No pong since the last ping: the peer is gone (or unreachable); free its resources.
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
    deps.onHeartbeat();
  }, deps.heartbeatSeconds * 1000);
  heartbeat.unref();

  function accept(socket: WebSocket, actor: Actor, sessionId: string | null) {
    const connection: Connection = {
      socket,
      actor,
      sessionId,
      alive: true,
      subscriptions: new Map(),
      queue: Promise.resolve(),
      frames: 0,
      windowStartedAt: Date.now(),
    };
    connections.add(connection);
    socket.on('pong', () => {
      connection.alive = true;
    });
    socket.on('message', (data, isBinary) => {
      const now = Date.now();
      if (now - connection.windowStartedAt >= FRAME_LIMIT.windowMs) {
        connection.windowStartedAt = now;
        connection.frames = 0;
      }
      connection.frames += 1;
      if (connection.frames > FRAME_LIMIT.frames) {
        socket.close(CLOSE_TOO_MANY_FRAMES, 'too many frames');
        return;
      }
      if (isBinary) {
        sendError(connection, { code: 'invalid_message', status: 400, detail: 'Frames are JSON text.' });
        return;
      }
      const raw = data.toString();
      connection.queue = connection.queue
        .then(() => handle(connection, raw))
        .catch((error) => logger.error({ err: error }, 'realtime: frame handling failed'));
    });
    socket.on('close', () => {
      connections.delete(connection);
      for (const channel of [...connection.subscriptions.keys()]) channels.unsubscribe(connection, channel);
    });
  }

  return {
    accept,
    get size() {
      return connections.size;
    },
    checkSessionsWith(check: SessionCheck) {
      sessionCheck = check;
    },
    /** Stops the heartbeat and closes every socket (1001: going away). */
    closeAll() {
      clearInterval(heartbeat);
      for (const connection of connections) connection.socket.close(1001, 'server shutting down');
    },
  };
}
