import {
  REALTIME_CLOSE_UNAUTHENTICATED,
  type RealtimeClientFrame,
  type RealtimeErrorFrame,
  type RealtimeEventFrame,
  type RealtimeServerFrame,
} from '@souk/contracts';
import { useEffect, useRef } from 'react';
import { ApiError, apiRequest } from '../api/client';

export type { RealtimeEventFrame } from '@souk/contracts';

export type ChannelOptions = {
  /**
   * Events may have been missed and cannot be replayed (the socket was away longer than the
   * server keeps events, or the channel's first subscription raced a write): reload the state.
   */
  onResync?: () => void;
  /** The server refused the channel (403 forbidden, 404 unknown channel...). */
  onError?: (error: RealtimeErrorFrame) => void;
};

type Listener = { onEvent: (event: RealtimeEventFrame) => void } & ChannelOptions;
type Channel = { listeners: Set<Listener>; lastEventId: string | undefined };

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 30_000;
/** A socket with no channel left is closed after this, so page changes do not reconnect. */
const IDLE_CLOSE_MS = 5_000;

/**
 * One socket to `/ws` for the whole tab, shared by every `useRealtimeChannel`. It authenticates
 * with the session cookie (a browser cannot send an Authorization header on a WebSocket), opens
 * when the first channel is wanted, reconnects with exponential backoff and full jitter, and on
 * reconnect subscribes again with the last event id seen on each channel, so the server replays
 * exactly what was missed before going live again.
 */
class RealtimeConnection {
  private socket: WebSocket | null = null;
  private readonly channels = new Map<string, Channel>();
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | null = null;
  /** After a refused session the socket waits for a page focus or a new channel. */
  private parked = false;
  private watching = false;

  listen(channel: string, listener: Listener): () => void {
    let entry = this.channels.get(channel);
    if (!entry) {
      entry = { listeners: new Set(), lastEventId: undefined };
      this.channels.set(channel, entry);
      this.sendSubscribe(channel, entry);
    }
    entry.listeners.add(listener);
    this.parked = false;
    this.ensureOpen();
    return () => {
      const current = this.channels.get(channel);
      if (!current) return;
      current.listeners.delete(listener);
      if (current.listeners.size > 0) return;
      // Resuming is for reconnects: a component that comes back refetches its state anyway.
      this.channels.delete(channel);
      this.send({ type: 'unsubscribe', channel });
      if (this.channels.size === 0) this.closeWhenIdle();
    };
  }

  private ensureOpen() {
    this.watchPage();
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
    if (this.socket || this.retryTimer || this.channels.size === 0 || this.parked) return;
    this.open();
  }

  private open() {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      for (const [channel, entry] of this.channels) this.sendSubscribe(channel, entry);
    };
    socket.onmessage = (message) => this.receive(message.data);
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.channels.size === 0) return;
      if (event.code === REALTIME_CLOSE_UNAUTHENTICATED) {
        // The access cookie expired: a protected call refreshes the session, then retry. Signed
        // out for good, the socket waits until the tab comes back or a channel is wanted again.
        void this.refreshSession().then((outcome) => {
          if (outcome === 'signed_out') this.parked = true;
          else this.scheduleReconnect();
        });
        return;
      }
      this.scheduleReconnect();
    };
  }

  private async refreshSession(): Promise<'signed_in' | 'signed_out' | 'unreachable'> {
    try {
      await apiRequest('/api/v1/auth/session');
      return 'signed_in';
    } catch (error) {
      return error instanceof ApiError && error.status === 401 ? 'signed_out' : 'unreachable';
    }
  }

  private scheduleReconnect() {
    if (this.retryTimer || this.channels.size === 0) return;
    const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** this.attempt);
    this.attempt += 1;
    // Full jitter: after a server restart, clients come back spread out instead of all at once.
    const delay = Math.random() * ceiling;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.ensureOpen();
    }, delay);
  }

  /** Comes back at once when the tab returns or the network does, instead of waiting out the backoff. */
  private watchPage() {
    if (this.watching || typeof window === 'undefined') return;
    this.watching = true;
    const wake = () => {
      if (document.visibilityState !== 'visible' || this.socket || this.channels.size === 0) return;
      if (this.retryTimer) {
        clearTimeout(this.retryTimer);
        this.retryTimer = null;
      }
      this.parked = false;
      this.attempt = 0;
      this.ensureOpen();
    };
    window.addEventListener('online', wake);
    document.addEventListener('visibilitychange', wake);
  }

  private closeWhenIdle() {
    if (this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.channels.size > 0) return;
      const socket = this.socket;
      this.socket = null;
      socket?.close(1000, 'idle');
    }, IDLE_CLOSE_MS);
  }

  private sendSubscribe(channel: string, entry: Channel) {
    this.send({
      type: 'subscribe',
      channel,
      ...(entry.lastEventId ? { lastEventId: entry.lastEventId } : {}),
    });
  }

  private send(frame: RealtimeClientFrame) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private receive(data: unknown) {
    if (typeof data !== 'string') return;
    let frame: RealtimeServerFrame;
    try {
      frame = JSON.parse(data) as RealtimeServerFrame;
    } catch {
      return;
    }
    const entry = frame.channel ? this.channels.get(frame.channel) : undefined;
    if (!entry) return;
    if (frame.type === 'event') {
      if (frame.id !== null) entry.lastEventId = newer(entry.lastEventId, frame.id);
      for (const listener of [...entry.listeners]) listener.onEvent(frame);
    } else if (frame.type === 'subscribed') {
      // Only a working subscription resets the backoff: a socket that opens and is closed at once
      // (an expired session) keeps backing off.
      this.attempt = 0;
      if (frame.lastEventId) entry.lastEventId = newer(entry.lastEventId, frame.lastEventId);
      if (frame.gap) for (const listener of [...entry.listeners]) listener.onResync?.();
    } else if (frame.type === 'error') {
      for (const listener of [...entry.listeners]) listener.onError?.(frame);
    }
  }
}

/** Event ids are integers sent as strings; the larger one is the later event. */
function newer(current: string | undefined, candidate: string): string {
  if (!current) return candidate;
  return BigInt(candidate) > BigInt(current) ? candidate : current;
}

let shared: RealtimeConnection | null = null;

/** Subscribes to `channel` on the tab's shared socket; returns the unsubscribe. */
export function listenToChannel(
  channel: string,
  onEvent: (event: RealtimeEventFrame) => void,
  options: ChannelOptions = {},
): () => void {
  shared ??= new RealtimeConnection();
  return shared.listen(channel, { onEvent, ...options });
}

/**
 * Calls `onEvent` for every event on `channel` while the component is mounted (null: none).
 * The latest `onEvent` and options are used without resubscribing on every render.
 */
export function useRealtimeChannel(
  channel: string | null,
  onEvent: (event: RealtimeEventFrame) => void,
  options: ChannelOptions = {},
): void {
  const latest = useRef({ onEvent, options });
  useEffect(() => {
    latest.current = { onEvent, options };
  });
  useEffect(() => {
    if (!channel) return;
    return listenToChannel(channel, (event) => latest.current.onEvent(event), {
      onResync: () => latest.current.options.onResync?.(),
      onError: (error) => latest.current.options.onError?.(error),
    });
  }, [channel]);
}
