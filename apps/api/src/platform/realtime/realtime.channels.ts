import type { Counter } from 'prom-client';
import type { Database } from '../db/database.js';
import type { Actor } from '../http/context.js';
import type { Logger } from '../logger.js';
import { createDelivery, REPLAY_LIMIT } from './realtime.delivery.js';
import type { Fanout } from './realtime.fanout.js';
import { presenceMember } from './realtime.fanout.js';
import type { RealtimeEventRow, RealtimeRepository } from './realtime.repository.js';
import type { Connection, LiveEvent, SocketWriter, Subscription } from './realtime.socket.js';

export { REPLAY_LIMIT };
/** Channels one socket may follow at once. */
export const SUBSCRIPTION_LIMIT = 100;

export type ChannelAuthorizer = (actor: Actor, id: string) => Promise<boolean>;

/**
 * This node's side of the channels: which of its sockets follow which channel, their presence,
 * subscribing (with the replay of what a resuming client missed) and delivering to them.
 */
export function createChannels(deps: {
  database: Pick<Database, 'db'>;
  repository: RealtimeRepository;
  fanout: Fanout;
  logger: Logger;
  writer: SocketWriter;
  delivered: Counter<'kind'>;
  catchUps: Counter<'reason'>;
}) {
  const { database, repository, fanout, logger, delivered } = deps;
  const { send, sendError } = deps.writer;
  const delivery = createDelivery(deps);
  const authorizers = new Map<string, ChannelAuthorizer>();
  const byChannel = new Map<string, Set<Connection>>();
  /** "<user> <channel>" -> sockets of this node subscribed: presence without a query. */
  const local = new Map<string, number>();

  /** Offers an event to this node's sockets on `channel`, each in its channel's order. */
  function deliverLocally(channel: string, event: LiveEvent) {
    const subscribers = byChannel.get(channel);
    if (!subscribers) return;
    let count = 0;
    for (const connection of subscribers) {
      const subscription = connection.subscriptions.get(channel);
      if (subscription && delivery.offer(connection, channel, subscription, event)) count += 1;
    }
    if (count > 0) delivered.inc({ kind: event.id === null ? 'signal' : 'live' }, count);
  }

  /**
   * The tail saw `seq` stored on `channel` a while ago: a subscription still short of it missed an
   * event whose publisher died before its fan-out (or Redis was down), and catches up.
   */
  function catchUpTo(channel: string, seq: number) {
    for (const connection of byChannel.get(channel) ?? []) {
      const subscription = connection.subscriptions.get(channel);
      if (!subscription || subscription.pending || subscription.lastSeq >= seq) continue;
      subscription.pending = [];
      void delivery.catchUp(connection, channel, subscription, 'tail');
    }
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

  /** Whether the socket may follow `channel` now; answers the refusal itself when not. */
  async function admit(connection: Connection, channel: string): Promise<boolean> {
    if (connection.subscriptions.size >= SUBSCRIPTION_LIMIT) {
      sendError(connection, {
        channel,
        code: 'too_many_subscriptions',
        status: 429,
        detail: `A socket follows at most ${SUBSCRIPTION_LIMIT} channels.`,
      });
      return false;
    }
    let verdict: Awaited<ReturnType<typeof mayFollow>>;
    try {
      verdict = await mayFollow(connection.actor, channel);
    } catch (error) {
      logger.error({ err: error, channel }, 'realtime: channel authorizer failed');
      sendError(connection, { channel, code: 'unavailable', status: 503 });
      return false;
    }
    if (verdict === 'unknown') {
      sendError(connection, { channel, code: 'unknown_channel', status: 404 });
      return false;
    }
    if (verdict === 'no') {
      sendError(connection, { channel, code: 'forbidden', status: 403 });
      return false;
    }
    return connection.socket.readyState === connection.socket.OPEN;
  }

  async function subscribe(connection: Connection, channel: string, lastEventId: string | undefined) {
    if (connection.subscriptions.has(channel)) {
      // Already live on this socket: nothing was missed on it, so there is nothing to replay.
      send(connection, JSON.stringify({ type: 'subscribed', channel }));
      return;
    }
    if (!(await admit(connection, channel))) return;

    // Registered before reading the database, with live events held in `pending` meanwhile: an
    // event committed after the read arrives live and waits; one committed before it is in the
    // read. The replay and the held events go out in seq order, each once (realtime.delivery.ts),
    // so the seam between replay and live has neither a gap nor a duplicate.
    const subscription: Subscription = { pending: [], lastId: 0, lastSeq: 0 };
    connection.subscriptions.set(channel, subscription);
    let subscribers = byChannel.get(channel);
    if (!subscribers) {
      subscribers = new Set();
      byChannel.set(channel, subscribers);
    }
    subscribers.add(connection);
    addPresence(connection, channel);

    const readStartedAt = delivery.now();
    let answer: { type: 'subscribed'; channel: string; gap?: true; lastEventId?: string };
    let replay: RealtimeEventRow[] = [];
    try {
      if (lastEventId) {
        const after = Number(lastEventId);
        const [seq, rows] = await Promise.all([
          repository.seqOf(database.db, channel, after),
          repository.after(database.db, channel, after, REPLAY_LIMIT + 1),
        ]);
        if (seq !== null && rows.length <= REPLAY_LIMIT) {
          answer = { type: 'subscribed', channel };
          subscription.lastId = after;
          subscription.lastSeq = seq;
          replay = rows;
        } else {
          answer = { type: 'subscribed', channel, gap: true, ...(await head(channel, subscription)) };
        }
      } else {
        answer = { type: 'subscribed', channel, ...(await head(channel, subscription)) };
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
    const replayed = delivery.sendRows(connection, channel, subscription, replay);
    if (replayed > 0) delivered.inc({ kind: 'replay' }, replayed);
    delivery.release(connection, channel, subscription, readStartedAt);
  }

  /** The resume point of a client that has seen nothing on `channel` yet (its newest event). */
  async function head(channel: string, subscription: Subscription): Promise<{ lastEventId?: string }> {
    const latest = await repository.latest(database.db, channel);
    if (latest === null) return {};
    subscription.lastId = latest.id;
    subscription.lastSeq = latest.seq;
    return { lastEventId: String(latest.id) };
  }

  return {
    deliverLocally,
    catchUpTo,
    /** Whether a socket on this node follows `channel`. */
    followed: (channel: string) => byChannel.has(channel),
    subscribe,
    unsubscribe,
    authorize(prefix: string, check: ChannelAuthorizer) {
      if (prefix === 'user') throw new Error('realtime: the user channel is built in');
      if (authorizers.has(prefix))
        throw new Error(`realtime: channel prefix "${prefix}" is authorized twice`);
      authorizers.set(prefix, check);
    },
    /** Whether a socket of `userId` on this node follows `channel`. */
    presentHere(userId: string, channel: string) {
      return (local.get(presenceMember(userId, channel)) ?? 0) > 0;
    },
    /** This node's presence members, for the fan-out's presence set. */
    presence: () => local.keys(),
  };
}

export type Channels = ReturnType<typeof createChannels>;
