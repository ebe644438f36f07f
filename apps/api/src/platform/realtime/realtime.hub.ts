import { randomUUID } from 'node:crypto';
import {
  RealtimeClientFrame as ClientFrameSchema,
  REALTIME_CLOSE_UNAUTHENTICATED,
  type RealtimeClientFrame,
  type RealtimeErrorFrame,
} from '@souk/contracts';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { WebSocket } from 'ws';
import type { Database } from '../db/database.js';
import type { Actor } from '../http/context.js';
import type { Logger } from '../logger.js';
import type { Fanout } from './realtime.fanout.js';
import { presenceMember } from './realtime.fanout.js';
import type { RealtimeRepository } from './realtime.repository.js';

export type RealtimeEvent = { id: string; channel: string; type: string; data: unknown; at: string };
export type ChannelAuthorizer = (actor: Actor, id: string) => Promise<boolean>;
/** Whether the session a socket signed in with is still valid (not signed out, revoked or expired). */
export type SessionCheck = (sessionId: string, userId: string) => Promise<boolean>;
export type Realtime = {
  /** Stores the event (for resume) and delivers it to every socket subscribed to `channel` on
   *  every node. Call AFTER the write that caused it has committed. `id` grows monotonically. */
  publish(channel: string, type: string, data: unknown): Promise<RealtimeEvent>;
  /** Live only: not stored, not resumable (typing indicators). */
  signal(channel: string, type: string, data: unknown): Promise<void>;
  /** Who may subscribe to channels named `${prefix}:${id}`. `user:<ownId>` is built in. */
  authorize(prefix: string, check: ChannelAuthorizer): void;
  /** Whether that user has a socket subscribed to `channel` right now, on any node. */
  isSubscribed(userId: string, channel: string): Promise<boolean>;
};

/** The hub as the platform holds it: the Realtime port plus what the `/ws` route and `close` need. */
export type RealtimeHub = Realtime & {
  readonly fanout: Fanout['kind'];
  /** Takes over an upgraded socket of a signed-in actor, opened with session `sessionId`. */
  accept(socket: WebSocket, actor: Actor, sessionId: string | null): void;
  /**
   * Who says whether a session still holds (the auth module). Each heartbeat closes the sockets
   * of sessions that ended since (4401), on every node: a socket's rights last no longer than
   * its session, however the session ended.
   */
  checkSessionsWith(check: SessionCheck): void;
  /** Sockets connected to this node. */
  readonly connections: number;
  close(): Promise<void>;
};

/** Most stored events one resume replays; more missed than that and the client reloads instead. */
export const REPLAY_LIMIT = 1000;
/** Channels one socket may follow at once. */
export const SUBSCRIPTION_LIMIT = 100;
/** Frames a client may send per window (each may cost database reads); a reconnect that resubscribes
 *  SUBSCRIPTION_LIMIT channels at once stays well within it. */
export const FRAME_LIMIT = { frames: 250, windowMs: 10_000 };
/** Close code for a client that sends faster than FRAME_LIMIT (1008: policy violation). */
export const CLOSE_TOO_MANY_FRAMES = 1008;
/** A socket whose unsent output grows past this is too slow to keep up and is dropped. */
const SLOW_CONSUMER_BYTES = 4 * 1024 * 1024;

/** Live events that arrive while a resume replays from the database wait here, then follow it. */
type Subscription = { pending: { id: string | null; frame: string }[] | null };

type Connection = {
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

export function createRealtimeHub(deps: {
  database: Pick<Database, 'db'>;
  repository: RealtimeRepository;
  fanout: Fanout;
  logger: Logger;
  registry: Registry;
  heartbeatSeconds: number;
}): RealtimeHub {
  const { database, repository, fanout, logger } = deps;
  const authorizers = new Map<string, ChannelAuthorizer>();
  const connections = new Set<Connection>();
  const byChannel = new Map<string, Set<Connection>>();
  /** "<user> <channel>" -> sockets of this node subscribed: presence without a query. */
  const local = new Map<string, number>();

  new Gauge({
    name: 'realtime_connected_sockets',
    help: 'WebSockets connected to this node',
    registers: [deps.registry],
    collect() {
      this.set(connections.size);
    },
  });
  const delivered = new Counter({
    name: 'realtime_events_delivered_total',
    help: 'Event frames sent to sockets by this node (live, replayed and signals)',
    labelNames: ['kind'],
    registers: [deps.registry],
  });
  const published = new Counter({
    name: 'realtime_events_published_total',
    help: 'Events published by this node (stored events and signals)',
    labelNames: ['kind'],
    registers: [deps.registry],
  });

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

  /** Sends a frame to this node's sockets on `channel` (or queues it behind a running replay). */
  function deliverLocally(channel: string, id: string | null, frame: string) {
    const subscribers = byChannel.get(channel);
    if (!subscribers) return;
    let count = 0;
    for (const connection of subscribers) {
      const subscription = connection.subscriptions.get(channel);
      if (subscription?.pending) subscription.pending.push({ id, frame });
      else if (send(connection, frame)) count += 1;
    }
    if (count > 0) delivered.inc({ kind: id === null ? 'signal' : 'live' }, count);
  }
  fanout.onRemote(deliverLocally);
  fanout.membersFrom(() => local.keys());

  function eventFrame(id: string | null, channel: string, type: string, data: unknown, at: string) {
    return JSON.stringify({ type: 'event', id, channel, event: type, data, at });
  }

  function addPresence(connection: Connection, channel: string) {
    const key = presenceMember(connection.actor.userId, channel);
    const count = local.get(key) ?? 0;
    local.set(key, count + 1);
    if (count === 0) fanout.present(connection.actor.userId, channel, true);
  }

  function removePresence(connection: Connection, channel: string) {
    const key = presenceMember(connection.actor.userId, channel);
    const count = (local.get(key) ?? 1) - 1;
    if (count > 0) {
      local.set(key, count);
      return;
    }
    local.delete(key);
    fanout.present(connection.actor.userId, channel, false);
  }

  function unsubscribe(connection: Connection, channel: string) {
    if (!connection.subscriptions.delete(channel)) return;
    const subscribers = byChannel.get(channel);
    subscribers?.delete(connection);
    if (subscribers?.size === 0) byChannel.delete(channel);
    removePresence(connection, channel);
  }

  async function mayFollow(actor: Actor, channel: string): Promise<'yes' | 'no' | 'unknown'> {
    const colon = channel.indexOf(':');
    const prefix = channel.slice(0, colon);
    const id = channel.slice(colon + 1);
    if (prefix === 'user') return id === actor.userId ? 'yes' : 'no';
    const check = authorizers.get(prefix);
    if (!check) return 'unknown';
    return (await check(actor, id)) ? 'yes' : 'no';
  }

  async function subscribe(connection: Connection, channel: string, lastEventId: string | undefined) {
    if (connection.subscriptions.has(channel)) {
      // Already live on this socket: nothing was missed on it, so there is nothing to replay.
      send(connection, JSON.stringify({ type: 'subscribed', channel }));
      return;
    }
    if (connection.subscriptions.size >= SUBSCRIPTION_LIMIT) {
      sendError(connection, {
        channel,
        code: 'too_many_subscriptions',
        status: 429,
        detail: `A socket follows at most ${SUBSCRIPTION_LIMIT} channels.`,
      });
      return;
    }
    let verdict: Awaited<ReturnType<typeof mayFollow>>;
    try {
      verdict = await mayFollow(connection.actor, channel);
    } catch (error) {
      logger.error({ err: error, channel }, 'realtime: channel authorizer failed');
      sendError(connection, { channel, code: 'unavailable', status: 503 });
      return;
    }
    if (verdict === 'unknown') {
      sendError(connection, { channel, code: 'unknown_channel', status: 404 });
      return;
    }
    if (verdict === 'no') {
      sendError(connection, { channel, code: 'forbidden', status: 403 });
      return;
    }
    if (connection.socket.readyState !== connection.socket.OPEN) return;

    // Registered before reading the database, with live events held in `pending` meanwhile: an
    // event committed after the read arrives live and waits; one committed before it is in the
    // read. Ids seen in the replay are skipped from `pending`, so the seam between replay and live
    // has neither a gap nor a duplicate.
    const subscription: Subscription = { pending: [] };
    connection.subscriptions.set(channel, subscription);
    let subscribers = byChannel.get(channel);
    if (!subscribers) {
      subscribers = new Set();
      byChannel.set(channel, subscribers);
    }
    subscribers.add(connection);
    addPresence(connection, channel);

    let answer: { type: 'subscribed'; channel: string; gap?: true; lastEventId?: string };
    let replay: { id: number; frame: string }[] = [];
    try {
      if (lastEventId) {
        const after = Number(lastEventId);
        const [known, rows] = await Promise.all([
          repository.exists(database.db, channel, after),
          repository.after(database.db, channel, after, REPLAY_LIMIT + 1),
        ]);
        if (known && rows.length <= REPLAY_LIMIT) {
          answer = { type: 'subscribed', channel };
          replay = rows.map((row) => ({
            id: row.id,
            frame: eventFrame(String(row.id), channel, row.type, row.data, row.createdAt.toISOString()),
          }));
        } else {
          answer = { type: 'subscribed', channel, gap: true, ...(await head(channel)) };
        }
      } else {
        answer = { type: 'subscribed', channel, ...(await head(channel)) };
      }
    } catch (error) {
      logger.error({ err: error, channel }, 'realtime: subscribe failed');
      unsubscribe(connection, channel);
      sendError(connection, { channel, code: 'unavailable', status: 503 });
      return;
    }
    // Unsubscribed, or the socket closed, while the database answered.
    if (connection.subscriptions.get(channel) !== subscription) return;
    send(connection, JSON.stringify(answer));
    const replayed = new Set<string>();
    for (const event of replay) {
      send(connection, event.frame);
      replayed.add(String(event.id));
    }
    if (replay.length > 0) delivered.inc({ kind: 'replay' }, replay.length);
    const waiting = subscription.pending ?? [];
    subscription.pending = null;
    let live = 0;
    for (const event of waiting) {
      if (event.id !== null && replayed.has(event.id)) continue;
      if (send(connection, event.frame)) live += 1;
    }
    if (live > 0) delivered.inc({ kind: 'live' }, live);
  }

  /** The resume point of a client that has seen nothing on `channel` yet. */
  async function head(channel: string): Promise<{ lastEventId?: string }> {
    const latest = await repository.latest(database.db, channel);
    return latest === null ? {} : { lastEventId: String(latest) };
  }

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
    if (frame.type === 'subscribe') await subscribe(connection, frame.channel, frame.lastEventId);
    else unsubscribe(connection, frame.channel);
  }

  let sessionCheck: SessionCheck | null = null;

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
    fanout
      .refresh(() => local.keys())
      .catch((error) => logger.warn({ err: error }, 'realtime: presence refresh failed'));
  }, deps.heartbeatSeconds * 1000);
  heartbeat.unref();

  async function emit(channel: string, type: string, data: unknown, stored: boolean) {
    if (stored) {
      const row = await repository.insert(database.db, { channel, type, data });
      const event: RealtimeEvent = {
        id: String(row.id),
        channel,
        type,
        data,
        at: row.createdAt.toISOString(),
      };
      const frame = eventFrame(event.id, channel, type, data, event.at);
      deliverLocally(channel, event.id, frame);
      fanout.broadcast(channel, event.id, frame);
      published.inc({ kind: 'event' });
      return event;
    }
    const frame = eventFrame(null, channel, type, data, new Date().toISOString());
    deliverLocally(channel, null, frame);
    fanout.broadcast(channel, null, frame);
    published.inc({ kind: 'signal' });
    return null;
  }

  return {
    fanout: fanout.kind,
    get connections() {
      return connections.size;
    },
    async publish(channel, type, data) {
      return (await emit(channel, type, data, true)) as RealtimeEvent;
    },
    async signal(channel, type, data) {
      await emit(channel, type, data, false);
    },
    authorize(prefix, check) {
      if (prefix === 'user') throw new Error('realtime: the user channel is built in');
      if (authorizers.has(prefix))
        throw new Error(`realtime: channel prefix "${prefix}" is authorized twice`);
      authorizers.set(prefix, check);
    },
    async isSubscribed(userId, channel) {
      if ((local.get(presenceMember(userId, channel)) ?? 0) > 0) return true;
      try {
        return await fanout.presentElsewhere(userId, channel);
      } catch (error) {
        // Unknown counts as absent: the caller then notifies, which beats a silently lost message.
        logger.warn({ err: error }, 'realtime: presence lookup failed');
        return false;
      }
    },
    checkSessionsWith(check) {
      sessionCheck = check;
    },
    accept(socket, actor, sessionId) {
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
        for (const channel of [...connection.subscriptions.keys()]) unsubscribe(connection, channel);
      });
    },
    async close() {
      clearInterval(heartbeat);
      for (const connection of connections) connection.socket.close(1001, 'server shutting down');
      await fanout.close();
    },
  };
}

/** An id for this process among the nodes sharing Redis. */
export function newNodeId(): string {
  return randomUUID();
}
