import type { RealtimeErrorFrame } from '@souk/contracts';
import type { WebSocket } from 'ws';
import type { Actor } from '../http/context.js';
import type { Logger } from '../logger.js';

/** A socket whose unsent output grows past this is too slow to keep up and is dropped. */
const SLOW_CONSUMER_BYTES = 4 * 1024 * 1024;

/**
 * An event as a node delivers it: a stored event's id and its channel seq (decision 038), or a
 * signal's `id: null`. `seq` is null for a stored event whose seq is unknown (sent by a node of
 * the previous release during a rolling deploy): it is then read back from the database.
 */
export type LiveEvent = { id: number | null; seq: number | null; frame: string };

/** A socket's subscription to one channel: how far it has got, in the channel's seq. */
export type Subscription = {
  /** Set while the subscription reads from the database (a resume, or a catch-up after a gap):
   *  live events wait here, then follow what was read. */
  pending: (LiveEvent & { arrival: number })[] | null;
  /** The last event this socket was given (or its resume point): id and seq. */
  lastId: number;
  lastSeq: number;
};

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
