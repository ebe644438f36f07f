import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/**
 * How an event published on one node reaches sockets on the others, and how a node learns
 * whether a user is subscribed somewhere else. In-process (one node) it is a no-op; with Redis
 * it is one pub/sub channel and a presence set per node.
 */
export type Fanout = {
  readonly kind: 'memory' | 'redis';
  /** Sends a serialized frame to every other node (this node delivers its own sockets itself). */
  broadcast(channel: string, id: string | null, frame: string): void;
  /** Called for every frame another node broadcast. */
  onRemote(handler: (channel: string, id: string | null, frame: string) => void): void;
  /** This node now has (or no longer has) a socket of `userId` subscribed to `channel`. */
  present(userId: string, channel: string, subscribed: boolean): void;
  /** Whether any OTHER node has a socket of `userId` subscribed to `channel`. */
  presentElsewhere(userId: string, channel: string): Promise<boolean>;
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
 * connection in subscribe mode can do nothing else). A message is `<node>\n<channel>\n<id>\n<frame>`
 * so a node skips its own and forwards the frame bytes without parsing them again.
 *
 * Presence: each node keeps a set `souk:realtime:node:<node>` of "<user> <channel>" members and
 * its expiry in the sorted set `souk:realtime:nodes`; both are refreshed by the heartbeat and
 * expire after `ttlSeconds` when the node dies, so a crashed node stops counting as presence.
 */
export async function createRedisFanout(options: {
  url: string;
  nodeId: string;
  ttlSeconds: number;
  logger: Logger;
}): Promise<Fanout> {
  const { nodeId, ttlSeconds, logger } = options;
  const commands = new Redis(options.url, { maxRetriesPerRequest: 2 });
  const subscriber = new Redis(options.url, { maxRetriesPerRequest: null });
  for (const connection of [commands, subscriber]) {
    connection.on('error', (error) => logger.warn({ err: error }, 'realtime: redis connection error'));
  }
  let remote: (channel: string, id: string | null, frame: string) => void = () => {};
  subscriber.on('message', (_channel: string, message: string) => {
    const first = message.indexOf('\n');
    const second = message.indexOf('\n', first + 1);
    const third = message.indexOf('\n', second + 1);
    if (first < 0 || second < 0 || third < 0) return;
    if (message.slice(0, first) === nodeId) return;
    const id = message.slice(second + 1, third);
    remote(message.slice(first + 1, second), id === '' ? null : id, message.slice(third + 1));
  });
  // Resolves once subscribed, so an event published after start-up is never missed by this node;
  // an unreachable Redis fails the start-up with a clear message instead of hanging it.
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      subscriber.subscribe(PUBSUB_CHANNEL),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('realtime: Redis did not answer within 10 s')), 10_000);
      }),
    ]);
  } catch (error) {
    subscriber.disconnect();
    commands.disconnect();
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const logFailure = (what: string) => (error: unknown) =>
    logger.warn({ err: error }, `realtime: redis ${what} failed`);
  const alive = () => commands.zadd(NODES_KEY, Date.now() + ttlSeconds * 1000, nodeId);
  await alive();

  return {
    kind: 'redis',
    broadcast(channel, id, frame) {
      commands
        .publish(PUBSUB_CHANNEL, `${nodeId}\n${channel}\n${id ?? ''}\n${frame}`)
        .catch(logFailure('publish'));
    },
    onRemote(handler) {
      remote = handler;
    },
    present(userId, channel, subscribed) {
      const member = presenceMember(userId, channel);
      const key = nodeKey(nodeId);
      if (subscribed) {
        commands.multi().sadd(key, member).expire(key, ttlSeconds).exec().catch(logFailure('presence'));
      } else {
        commands.srem(key, member).catch(logFailure('presence'));
      }
    },
    async presentElsewhere(userId, channel) {
      const now = Date.now();
      const nodes = (await commands.zrangebyscore(NODES_KEY, now, '+inf')).filter((node) => node !== nodeId);
      if (nodes.length === 0) return false;
      const member = presenceMember(userId, channel);
      const pipeline = commands.pipeline();
      for (const node of nodes) pipeline.sismember(nodeKey(node), member);
      const answers = (await pipeline.exec()) ?? [];
      return answers.some(([error, found]) => !error && found === 1);
    },
    async refresh(everything) {
      const key = nodeKey(nodeId);
      const [[, renewed]] = (await commands
        .multi()
        .expire(key, ttlSeconds)
        .zadd(NODES_KEY, Date.now() + ttlSeconds * 1000, nodeId)
        .zremrangebyscore(NODES_KEY, '-inf', Date.now())
        .exec()) as [[Error | null, number], ...unknown[]];
      if (renewed === 1) return;
      // The set is gone (Redis restarted, or this node was stalled past the TTL): rebuild it.
      const members = [...everything()];
      if (members.length > 0)
        await commands
          .multi()
          .sadd(key, ...members)
          .expire(key, ttlSeconds)
          .exec();
    },
    async close() {
      await commands
        .multi()
        .del(nodeKey(nodeId))
        .zrem(NODES_KEY, nodeId)
        .exec()
        .catch(() => {});
      await Promise.allSettled([subscriber.quit(), commands.quit()]);
    },
  };
}
