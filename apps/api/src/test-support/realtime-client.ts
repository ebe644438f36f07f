import type { RealtimeClientFrame, RealtimeServerFrame } from '@souk/contracts';
import { WebSocket } from 'ws';

/** A real `ws` client on `/ws` that records every frame it receives, for tests. */
export type TestSocket = {
  readonly ws: WebSocket;
  /** Every frame received so far, in order. */
  readonly frames: RealtimeServerFrame[];
  send(frame: RealtimeClientFrame | Record<string, unknown> | string): void;
  /** The first frame (already received or to come) after the `from`-th that matches. */
  next<T extends RealtimeServerFrame>(
    match: (frame: RealtimeServerFrame) => frame is T,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<T>;
  next(
    match: (frame: RealtimeServerFrame) => boolean,
    options?: { from?: number; timeoutMs?: number },
  ): Promise<RealtimeServerFrame>;
  /** Subscribes and waits for `subscribed` (or rejects with the error frame). */
  subscribe(channel: string, lastEventId?: string): Promise<RealtimeServerFrame>;
  /** Event frames received on `channel`. */
  events(channel: string): Extract<RealtimeServerFrame, { type: 'event' }>[];
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
};

export class UpgradeRefused extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}

/** Opens a socket; rejects with UpgradeRefused when the server answers the upgrade with HTTP. */
export function openSocket(
  url: string,
  options: { headers?: Record<string, string>; autoPong?: boolean } = {},
): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: options.headers, autoPong: options.autoPong ?? true });
    const frames: RealtimeServerFrame[] = [];
    const waiters = new Set<() => void>();
    const closed = new Promise<{ code: number; reason: string }>((done) => {
      ws.once('close', (code, reason) => {
        for (const wake of waiters) wake();
        done({ code, reason: reason.toString() });
      });
    });
    ws.on('message', (data) => {
      frames.push(JSON.parse(data.toString()) as RealtimeServerFrame);
      for (const wake of waiters) wake();
    });
    ws.once('unexpected-response', (_request, response) => {
      reject(new UpgradeRefused(response.statusCode ?? 0));
      ws.terminate();
    });
    ws.once('error', reject);
    ws.once('open', () => {
      const socket: TestSocket = {
        ws,
        frames,
        send(frame) {
          ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
        },
        next(match: (frame: RealtimeServerFrame) => boolean, { from = 0, timeoutMs = 10_000 } = {}) {
          return new Promise<RealtimeServerFrame>((found, fail) => {
            const check = () => {
              const frame = frames.slice(from).find(match);
              if (frame) {
                finish();
                found(frame);
              } else if (ws.readyState === WebSocket.CLOSED) {
                finish();
                fail(new Error(`socket closed; frames so far: ${JSON.stringify(frames)}`));
              }
            };
            const timer = setTimeout(() => {
              finish();
              fail(new Error(`no matching frame within ${timeoutMs} ms; frames: ${JSON.stringify(frames)}`));
            }, timeoutMs);
            const finish = () => {
              clearTimeout(timer);
              waiters.delete(check);
            };
            waiters.add(check);
            check();
          });
        },
        async subscribe(channel, lastEventId) {
          const from = frames.length;
          ws.send(JSON.stringify({ type: 'subscribe', channel, ...(lastEventId ? { lastEventId } : {}) }));
          const answer = await socket.next(
            (frame) => (frame.type === 'subscribed' || frame.type === 'error') && frame.channel === channel,
            { from },
          );
          if (answer.type === 'error') throw new Error(`subscribe refused: ${JSON.stringify(answer)}`);
          return answer;
        },
        events(channel) {
          return frames.filter(
            (frame): frame is Extract<RealtimeServerFrame, { type: 'event' }> =>
              frame.type === 'event' && frame.channel === channel,
          );
        },
        closed,
        async close() {
          if (ws.readyState === WebSocket.CLOSED) return;
          ws.close();
          await closed;
        },
      };
      resolve(socket as TestSocket);
    });
  });
}
