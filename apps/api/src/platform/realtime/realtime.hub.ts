import { randomUUID } from 'node:crypto';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { WebSocket } from 'ws';
import type { Database } from '../db/database.js';
import type { Actor } from '../http/context.js';
import type { Logger } from '../logger.js';
import { type ChannelAuthorizer, createChannels } from './realtime.channels.js';
import { createConnections, type SessionCheck } from './realtime.connections.js';
import type { Fanout } from './realtime.fanout.js';
import type { RealtimeRepository } from './realtime.repository.js';
import { createSocketWriter, eventFrame } from './realtime.socket.js';
import { createTail, TAIL_INTERVAL_MS } from './realtime.tail.js';

export { REPLAY_LIMIT, SUBSCRIPTION_LIMIT } from './realtime.channels.js';
export { CLOSE_TOO_MANY_FRAMES, FRAME_LIMIT } from './realtime.connections.js';
export type { ChannelAuthorizer, SessionCheck };

export type RealtimeEvent = { id: string; channel: string; type: string; data: unknown; at: string };
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

/**
 * The realtime hub of this node, composed of its parts: the channels its sockets follow and the
 * order of delivery on each (realtime.channels.ts, realtime.delivery.ts), the sockets themselves
 * (realtime.connections.ts), the fan-out to the other nodes (realtime.fanout.ts) and the tail of
 * stored events behind it (realtime.tail.ts).
 */
export function createRealtimeHub(deps: {
  database: Pick<Database, 'db'>;
  repository: RealtimeRepository;
  fanout: Fanout;
  logger: Logger;
  registry: Registry;
  heartbeatSeconds: number;
  /** How often the tail looks for stored events that did not arrive live (decision 038). */
  tailIntervalMs?: number;
}): RealtimeHub {
  const { database, repository, fanout, logger } = deps;
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
  const catchUps = new Counter({
    name: 'realtime_catch_ups_total',
    help: 'Subscriptions that read missed events from the database while live (gap: a seq was skipped; tail: an event did not arrive live in time)',
    labelNames: ['reason'],
    registers: [deps.registry],
  });
  const writer = createSocketWriter(logger);
  const channels = createChannels({ database, repository, fanout, logger, writer, delivered, catchUps });
  const tail = createTail({
    database,
    repository,
    channels,
    logger,
    intervalMs: deps.tailIntervalMs ?? TAIL_INTERVAL_MS,
  });
  fanout.onRemote(channels.deliverLocally);
  fanout.membersFrom(channels.presence);
  const connections = createConnections({
    channels,
    writer,
    logger,
    heartbeatSeconds: deps.heartbeatSeconds,
    onHeartbeat() {
      fanout
        .refresh(channels.presence)
        .catch((error) => logger.warn({ err: error }, 'realtime: presence refresh failed'));
    },
  });
  new Gauge({
    name: 'realtime_connected_sockets',
    help: 'WebSockets connected to this node',
    registers: [deps.registry],
    collect() {
      this.set(connections.size);
    },
  });

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
      const live = { id: row.id, seq: row.seq, frame: eventFrame(event.id, channel, type, data, event.at) };
      channels.deliverLocally(channel, live);
      fanout.broadcast(channel, live);
      published.inc({ kind: 'event' });
      return event;
    }
    const live = {
      id: null,
      seq: null,
      frame: eventFrame(null, channel, type, data, new Date().toISOString()),
    };
    channels.deliverLocally(channel, live);
    fanout.broadcast(channel, live);
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
    authorize: channels.authorize,
    async isSubscribed(userId, channel) {
      if (channels.presentHere(userId, channel)) return true;
      try {
        return await fanout.presentElsewhere(userId, channel);
      } catch (error) {
        // Unknown counts as absent: the caller then notifies, which beats a silently lost message.
        logger.warn({ err: error }, 'realtime: presence lookup failed');
        return false;
      }
    },
    checkSessionsWith: connections.checkSessionsWith,
    accept: connections.accept,
    async close() {
      connections.closeAll();
      await tail.stop();
      await fanout.close();
    },
  };
}

/** An id for this process among the nodes sharing Redis. */
export function newNodeId(): string {
  return randomUUID();
}
