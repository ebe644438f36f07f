import type { Registry } from 'prom-client';
import type { Logger } from '../logger.js';
import { createRedisLink } from '../redis.js';
import type { LiveEvent } from './realtime.socket.js';

/**
 * How an event published on one node reaches sockets on the others, and how a node learns
 * whether a user is subscribed somewhere else. In-process (one node) it is a no-op; with Redis
 * it is one pub/sub channel and a presence set per node.
 */
export type Fanout = {
  readonly kind: 'memory' | 'redis';
  /** Sends an event (its serialized frame) to every other node (this node delivers its own
   *  sockets itself). At most once: what is lost here the tail recovers (decision 038). */
  broadcast(channel: string, event: LiveEvent): void;
  /** Called for every event another node broadcast. */
  onRemote(handler: (channel: string, event: LiveEvent) => void): void;
  /** This node now has (or no longer has) a socket of `userId` subscribed to `channel`. */
  present(userId: string, channel: string, subscribed: boolean): void;
  /** Whether any OTHER node has a socket of `userId` subscribed to `channel`. */
  presentElsewhere(userId: string, channel: string): Promise<boolean>;
  /** Where this node's presence members come from, to rebuild its set after a Redis outage. */
  membersFrom(everything: () => Iterable<string>): void;
  /** Heartbeat: keeps this node's presence alive (its keys expire when the node dies). */
  refresh(everything: () => Iterable<string>): Promise<void>;
  close(): Promise<void>;
};

export function createMemoryFanout(): Fanout {
  return {
    kind: 'memory',
    broadcast() {},
    onRemote() {},
    present() {},
    membersFrom() {},
    async presentElsewhere() {
      return false;
    },
    async refresh() {},
    async close() {},
  };
}

const PUBSUB_CHANNEL = 'souk:realtime';
const NODES_KEY = 'souk:realtime:nodes';
const nodeKey = (nodeId: string) => `souk:realtime:node:${nodeId}`;
/** A presence member: user and channel (channels never contain a space). */
export const presenceMember = (userId: string, channel: string) => `${userId} ${channel}`;

/**
 * Redis fan-out. One publisher connection (commands) and one dedicated subscriber connection (a
 * connection in subscribe mode can do nothing else). A message is
 * `<node>\n<channel>\n<id>:<seq>\n<frame>` (`<id>` alone from the previous release, empty for a
 * signal) so a node skips its own, orders it by seq and forwards the frame bytes without parsing
 * them again.
 *
 * Presence: each node keeps a set `souk:realtime:node:<node>` of "<user> <channel>" members and
 * its expiry in the sorted set `souk:realtime:nodes`; both are refreshed by the heartbeat and
 * expire after `ttlSeconds` when the node dies, so a crashed node stops counting as presence.
 *
 * Without Redis (platform/redis.ts) the fan-out degrades to this node: its own sockets still get
 * every event, other nodes' get them from their tail of `realtime_events` (decision 038), and
 * nobody counts as present elsewhere (callers then notify). When Redis returns the subscriber
 * re-subscribes by itself and this node's presence set is rebuilt from its sockets, since
 * joins and leaves during the outage were not recorded.
 */
export async function createRedisFanout(options: {
  url: string;
  nodeId: string;
  ttlSeconds: number;
  logger: Logger;
  registry?: Registry;
  /** How long start-up waits for the subscription before it goes on degraded. */
  subscribeWaitMs?: number;
}): Promise<Fanout> {
  const { nodeId, ttlSeconds, logger } = options;
  let members: () => Iterable<string> = () => [];
  const rebuildPresence = async () => {
    const key = nodeKey(nodeId);
    const all = [...members()];
    const batch = commands.redis.multi().del(key);
    if (all.length > 0) batch.sadd(key, ...all).expire(key, ttlSeconds);
    await batch.zadd(NODES_KEY, Date.now() + ttlSeconds * 1000, nodeId).exec();
  };
  const commands = createRedisLink({
    url: options.url,
    client: 'realtime',
    logger,
    registry: options.registry,
    onRecovered: rebuildPresence,
  });
  const subscriber = createRedisLink({
    url: options.url,
    client: 'realtime-subscriber',
    logger,
    registry: options.registry,
    subscriber: true,
  });
  let remote: (channel: string, event: LiveEvent) => void = () => {};
  subscriber.redis.on('message', (_channel: string, message: string) => {
    const first = message.indexOf('\n');
    const second = message.indexOf('\n', first + 1);
    const third = message.indexOf('\n', second + 1);
    if (first < 0 || second < 0 || third < 0) return;
    if (message.slice(0, first) === nodeId) return;
    remote(message.slice(first + 1, second), {
      ...parsePosition(message.slice(second + 1, third)),
      frame: message.slice(third + 1),
    });
  });
  // Waits (briefly) for the subscription and the command connection, so an event published right
  // after start-up reaches this node and the others; a Redis that does not answer leaves the node
  // up, local only, until Redis comes (the SUBSCRIBE is queued and sent then).
  const subscribed = subscriber.redis.subscribe(PUBSUB_CHANNEL).then(
    () => true,
    () => false,
  );
  const waitMs = options.subscribeWaitMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  const [inTime, connected] = await Promise.all([
    Promise.race([
      subscribed,
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), waitMs);
      }),
    ]),
    commands.whenAvailable(waitMs),
  ]);
  clearTimeout(timer);
  if (!inTime || !connected)
    logger.warn('realtime: Redis not reachable yet; delivering to this node only until it answers');

  /** Runs a command while Redis is up; otherwise (or on its failure) does nothing and counts it. */
  const attempt = async <T>(operation: string, command: () => Promise<T>, otherwise: T): Promise<T> => {
    if (commands.available()) {
      try {
        return await command();
      } catch (error) {
        commands.failed(error);
      }
    }
    commands.fellBack(operation);
    return otherwise;
  };

  return {
    kind: 'redis',
    broadcast(channel, event) {
      const position = event.id === null ? '' : `${event.id}:${event.seq ?? ''}`;
      void attempt(
        'publish',
        () => commands.redis.publish(PUBSUB_CHANNEL, `${nodeId}\n${channel}\n${position}\n${event.frame}`),
        0,
      );
    },
    onRemote(handler) {
      remote = handler;
    },
    present(userId, channel, subscribed) {
      const member = presenceMember(userId, channel);
      const key = nodeKey(nodeId);
      // Missed during an outage: the presence set is rebuilt when Redis returns.
      void attempt(
        'presence',
        async () => {
          if (subscribed) await commands.redis.multi().sadd(key, member).expire(key, ttlSeconds).exec();
          else await commands.redis.srem(key, member);
        },
        undefined,
      );
    },
    presentElsewhere(userId, channel) {
      // Unknown counts as absent: the caller then notifies, which beats a silently lost message.
      return attempt(
        'presence lookup',
        async () => {
          const now = Date.now();
          const nodes = (await commands.redis.zrangebyscore(NODES_KEY, now, '+inf')).filter(
            (node) => node !== nodeId,
          );
          if (nodes.length === 0) return false;
          const member = presenceMember(userId, channel);
          const pipeline = commands.redis.pipeline();
          for (const node of nodes) pipeline.sismember(nodeKey(node), member);
          const answers = (await pipeline.exec()) ?? [];
          return answers.some(([error, found]) => !error && found === 1);
        },
        false,
      );
    },
    membersFrom(everything) {
      members = everything;
    },
    async refresh(everything) {
      members = everything;
      await attempt(
        'presence refresh',
        async () => {
          const key = nodeKey(nodeId);
          const [[, renewed]] = (await commands.redis
            .multi()
            .expire(key, ttlSeconds)
            .zadd(NODES_KEY, Date.now() + ttlSeconds * 1000, nodeId)
            .zremrangebyscore(NODES_KEY, '-inf', Date.now())
            .exec()) as [[Error | null, number], ...unknown[]];
          // The set is gone (Redis restarted, or this node was stalled past the TTL): rebuild it.
          if (renewed !== 1) await rebuildPresence();
        },
        undefined,
      );
    },
    async close() {
      if (commands.available())
        await commands.redis
          .multi()
          .del(nodeKey(nodeId))
          .zrem(NODES_KEY, nodeId)
          .exec()
          .catch(() => {});
      await Promise.allSettled([subscriber.close(), commands.close()]);
    },
  };
}

/** `<id>:<seq>`, `<id>` (a node of the previous release: seq unknown) or empty (a signal). */
function parsePosition(position: string): { id: number | null; seq: number | null } {
  if (position === '') return { id: null, seq: null };
  const colon = position.indexOf(':');
  if (colon < 0) return { id: Number(position), seq: null };
  const seq = position.slice(colon + 1);
  return { id: Number(position.slice(0, colon)), seq: seq === '' ? null : Number(seq) };
}
