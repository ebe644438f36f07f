import type { RealtimeServerFrame } from '@souk/contracts';
import WebSocket from 'ws';

/** One event frame as a member's client saw it. */
export type SeenEvent = { id: string; event: string; messageId?: string; at: number };

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;

/**
 * What the web app's socket does (apps/web/src/lib/realtime.ts), over `ws` with a Bearer token
 * instead of the session cookie: subscribes its channels on open with the last event id seen on
 * each, remembers the newest id from event frames and `subscribed`, reconnects after any close
 * with exponential backoff and full jitter, and resets the backoff only on a working subscription.
 * It also records what it saw, for the test.
 */
export class RealtimeClient {
  readonly seen = new Map<string, SeenEvent[]>();
  readonly lastEventId = new Map<string, string | undefined>();
  /** `subscribed` frames with `gap: true`: the replay could not be complete. */
  readonly gaps: string[] = [];
  readonly errors: string[] = [];
  /** Sockets opened so far (1 + reconnects). */
  opened = 0;
  /** When each socket opened and closed, and each `subscribed` frame's lastEventId, for a failure's story. */
  readonly timeline: string[] = [];
  subscribedFrames = 0;
  private socket: WebSocket | null = null;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    readonly name: string,
    private readonly url: string,
    private readonly token: string,
    channels: string[],
  ) {
    for (const channel of channels) {
      this.seen.set(channel, []);
      this.lastEventId.set(channel, undefined);
    }
    this.open();
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  private open() {
    const socket = new WebSocket(this.url, { headers: { authorization: `Bearer ${this.token}` } });
    this.socket = socket;
    socket.on('open', () => {
      this.opened += 1;
      this.timeline.push(
        `${Date.now()} open, resubscribing after ${[...this.lastEventId.values()].join(',')}`,
      );
      for (const [channel, lastEventId] of this.lastEventId) {
        socket.send(JSON.stringify({ type: 'subscribe', channel, ...(lastEventId ? { lastEventId } : {}) }));
      }
    });
    socket.on('message', (data) => this.receive(data.toString()));
    // An upgrade refused by nginx (no node answered) or a connection error ends in `close` too.
    socket.on('error', (error) => this.errors.push(error.message));
    socket.on('close', (code) => {
      this.timeline.push(`${Date.now()} closed ${code}`);
      if (this.socket !== socket) return;
      this.socket = null;
      if (!this.closed) this.scheduleReconnect();
    });
  }

  private scheduleReconnect() {
    if (this.retryTimer) return;
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closed) this.open();
    }, Math.random() * ceiling);
  }

  private receive(data: string) {
    const frame = JSON.parse(data) as RealtimeServerFrame;
    if (!frame.channel || !this.lastEventId.has(frame.channel)) return;
    const channel = frame.channel;
    if (frame.type === 'event') {
      if (frame.id === null) return;
      this.lastEventId.set(channel, newer(this.lastEventId.get(channel), frame.id));
      const messageId = (frame.data as { id?: string } | null)?.id;
      this.seen.get(channel)?.push({
        id: frame.id,
        event: frame.event,
        ...(messageId ? { messageId } : {}),
        at: Date.now(),
      });
    } else if (frame.type === 'subscribed') {
      this.attempt = 0;
      this.subscribedFrames += 1;
      this.timeline.push(
        `${Date.now()} subscribed lastEventId=${frame.lastEventId}${frame.gap ? ' gap' : ''}`,
      );
      if (frame.lastEventId)
        this.lastEventId.set(channel, newer(this.lastEventId.get(channel), frame.lastEventId));
      if (frame.gap) this.gaps.push(channel);
    } else if (frame.type === 'error') {
      this.errors.push(`${channel}: ${frame.code}`);
    }
  }

  close() {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.close(1000, 'done');
  }
}

function newer(current: string | undefined, candidate: string): string {
  if (!current) return candidate;
  return BigInt(candidate) > BigInt(current) ? candidate : current;
}
