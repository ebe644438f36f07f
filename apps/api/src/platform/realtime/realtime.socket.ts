import type { RealtimeErrorFrame } from '@souk/contracts';
import type { WebSocket } from 'ws';
import type { Actor } from '../http/context.js';
import type { Logger } from '../logger.js';

/** A socket whose unsent output grows past this is too slow to keep up and is dropped. */
const SLOW_CONSUMER_BYTES = 4 * 1024 * 1024;

/** Live events that arrive while a resume replays from the database wait here, then follow it. */
export type Subscription = { pending: { id: string | null; frame: string }[] | null };

/** One socket connected to this node, with what it follows. */
export type Connection = {
  readonly socket: WebSocket;
  readonly actor: Actor;
  readonly sessionId: string | null;
  alive: boolean;
  readonly subscriptions: Map<string, Subscription>;
  /** Frames are handled one after another, so a subscribe finishes before a later unsubscribe. */
  queue: Promise<void>;
  /** Frames received in the current FRAME_LIMIT window, and when it started. */
  frames: number;
  windowStartedAt: number;
};

/** Writes frames to sockets, dropping the ones that do not keep up. */
export function createSocketWriter(logger: Logger) {
  function send(connection: Connection, frame: string): boolean {
    const { socket } = connection;
    if (socket.readyState !== socket.OPEN) return false;
    if (socket.bufferedAmount > SLOW_CONSUMER_BYTES) {
      logger.warn({ userId: connection.actor.userId }, 'realtime: dropping a socket that does not keep up');
      socket.terminate();
      return false;
    }
    socket.send(frame);
    return true;
  }

  function sendError(connection: Connection, error: Omit<RealtimeErrorFrame, 'type'>) {
    send(connection, JSON.stringify({ type: 'error', ...error }));
  }

  return { send, sendError };
}

export type SocketWriter = ReturnType<typeof createSocketWriter>;

export function eventFrame(id: string | null, channel: string, type: string, data: unknown, at: string) {
  return JSON.stringify({ type: 'event', id, channel, event: type, data, at });
}
