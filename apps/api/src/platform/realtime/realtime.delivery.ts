import type { Counter } from 'prom-client';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { RealtimeEventRow, RealtimeRepository } from './realtime.repository.js';
import {
  type Connection,
  eventFrame,
  type LiveEvent,
  type SocketWriter,
  type Subscription,
} from './realtime.socket.js';

/** Most stored events one resume replays; more missed than that and the client reloads instead. */
export const REPLAY_LIMIT = 1000;
/** How often a catch-up whose database read failed tries again, and how many times. */
const CATCH_UP_RETRY_MS = 1000;
const CATCH_UP_ATTEMPTS = 5;

export type CatchUpReason = 'gap' | 'tail' | 'unnumbered';
type Read = { rows: RealtimeEventRow[]; startedAt: number };

/**
 * Gives each subscription its channel's events in seq order, each once (decision 038). A stored
 * event whose seq is the next one goes out at once; an older one was already sent (by the replay,
 * Redis or the tail) and is dropped; a newer one means this node missed one (its publisher died
 * before the Redis fan-out, or Redis dropped it) and the subscription catches up from the
 * database, holding live events meanwhile, as a resume does.
 */
export function createDelivery(deps: {
  database: Pick<Database, 'db'>;
  repository: RealtimeRepository;
  logger: Logger;
  writer: SocketWriter;
  delivered: Counter<'kind'>;
  catchUps: Counter<'reason'>;
}) {
  const { database, repository, logger, delivered } = deps;
  const { send } = deps.writer;
  /** Counts events put on hold: tells which held events arrived before a read began. */
  let arrivals = 0;
  /** Reads in flight per channel and starting point: the sockets of a channel share one read. */
  const reads = new Map<string, Promise<Read>>();

  /** The events of `channel` after `afterId` (up to REPLAY_LIMIT + 1), and when the read began. */
  function readAfter(channel: string, afterId: number): Promise<Read> {
    const key = `${channel}\n${afterId}`;
    let read = reads.get(key);
    if (!read) {
      const startedAt = arrivals;
      read = repository
        .after(database.db, channel, afterId, REPLAY_LIMIT + 1)
        .then((rows) => ({ rows, startedAt }))
        .finally(() => reads.delete(key));
      reads.set(key, read);
    }
    return read;
  }

  const active = (connection: Connection, channel: string, subscription: Subscription) =>
    connection.subscriptions.get(channel) === subscription;

  function hold(
    connection: Connection,
    channel: string,
    subscription: Subscription,
    event: LiveEvent,
    reason: 'gap' | 'unnumbered',
  ) {
    subscription.pending = [{ ...event, arrival: ++arrivals }];
    void catchUp(connection, channel, subscription, reason);
  }

  /** Offers one live event to a subscription; true when it was sent now. */
  function offer(connection: Connection, channel: string, subscription: Subscription, event: LiveEvent) {
    if (subscription.pending) {
      subscription.pending.push({ ...event, arrival: ++arrivals });
      return false;
    }
    if (event.id === null) return send(connection, event.frame);
    if (event.seq === null) {
      // From a node of the previous release: ids grow with seq within a channel.
      if (event.id <= subscription.lastId) return false;
      hold(connection, channel, subscription, event, 'unnumbered');
      return false;
    }
    if (event.seq <= subscription.lastSeq) return false;
    if (event.seq > subscription.lastSeq + 1) {
      hold(connection, channel, subscription, event, 'gap');
      return false;
    }
    subscription.lastSeq = event.seq;
    subscription.lastId = event.id;
    return send(connection, event.frame);
  }

  /** Sends stored rows the subscription has not had yet, in order; returns how many. */
  function sendRows(
    connection: Connection,
    channel: string,
    subscription: Subscription,
    rows: RealtimeEventRow[],
  ) {
    let sent = 0;
    for (const row of rows) {
      if (row.seq <= subscription.lastSeq) continue;
      subscription.lastSeq = row.seq;
      subscription.lastId = row.id;
      const frame = eventFrame(String(row.id), channel, row.type, row.data, row.createdAt.toISOString());
      if (send(connection, frame)) sent += 1;
    }
    return sent;
  }

  /**
   * Ends a subscription's wait: the live events held meanwhile follow, minus what was already
   * sent. Those that arrived before the read began had committed, so every seq below theirs was
   * in the read: one the read did not have was pruned, and the subscription moves past it rather
   * than reading again.
   */
  function release(
    connection: Connection,
    channel: string,
    subscription: Subscription,
    readStartedAt: number,
  ) {
    const waiting = subscription.pending ?? [];
    subscription.pending = null;
    let live = 0;
    for (const event of waiting) {
      if (!subscription.pending && event.arrival <= readStartedAt && event.id !== null) {
        if (event.seq === null) {
          if (event.id <= subscription.lastId) continue;
          subscription.lastId = event.id;
          if (send(connection, event.frame)) live += 1;
          continue;
        }
        if (event.seq > subscription.lastSeq + 1) subscription.lastSeq = event.seq - 1;
      }
      if (offer(connection, channel, subscription, event) && event.id !== null) live += 1;
    }
    if (live > 0) delivered.inc({ kind: 'live' }, live);
  }

  /**
   * Reads what the subscription missed after its last event and sends it, then the events that
   * waited. More than REPLAY_LIMIT missed, or the database down for CATCH_UP_ATTEMPTS seconds:
   * the client is told `gap` (it reloads over HTTP), as on a resume that cannot be complete.
   */
  async function catchUp(
    connection: Connection,
    channel: string,
    subscription: Subscription,
    reason: CatchUpReason,
  ): Promise<void> {
    deps.catchUps.inc({ reason });
    for (let attempt = 1; ; attempt += 1) {
      if (!active(connection, channel, subscription)) return;
      let read: Read | null = null;
      try {
        read = await readAfter(channel, subscription.lastId);
      } catch (error) {
        if (attempt < CATCH_UP_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, CATCH_UP_RETRY_MS).unref());
          continue;
        }
        logger.warn({ err: error, channel }, 'realtime: catching up from the database failed');
      }
      if (!active(connection, channel, subscription)) return;
      if (read === null || read.rows.length > REPLAY_LIMIT) {
        resync(connection, channel, subscription, read?.rows ?? []);
        return;
      }
      const sent = sendRows(connection, channel, subscription, read.rows);
      if (sent > 0) delivered.inc({ kind: 'recovered' }, sent);
      release(connection, channel, subscription, read.startedAt);
      return;
    }
  }

  /** Tells the client its view of the channel has a hole to reload over HTTP, and goes on live
   *  from the newest event known here. */
  function resync(
    connection: Connection,
    channel: string,
    subscription: Subscription,
    rows: RealtimeEventRow[],
  ) {
    const newest = rows[rows.length - 1];
    if (newest) {
      subscription.lastId = newest.id;
      subscription.lastSeq = newest.seq;
    }
    for (const event of subscription.pending ?? []) {
      if (event.id === null || event.id <= subscription.lastId) continue;
      subscription.lastId = event.id;
      if (event.seq !== null) subscription.lastSeq = event.seq;
    }
    subscription.pending = null;
    send(
      connection,
      JSON.stringify({ type: 'subscribed', channel, gap: true, lastEventId: String(subscription.lastId) }),
    );
  }

  return {
    offer,
    sendRows,
    release,
    catchUp,
    /** The arrival count now: a read that begins now has seen every event held up to it. */
    now: () => arrivals,
  };
}

export type Delivery = ReturnType<typeof createDelivery>;
