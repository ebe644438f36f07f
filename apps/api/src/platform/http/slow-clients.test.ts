import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';

// Issue 16, item 6: a slow client must not hold a connection. The limits are lowered here so the
// test takes seconds; the defaults are 30 s and 4 KiB/s (README, decision 025).
const REQUEST_TIMEOUT_MS = 1_000;
const MIN_RATE = 4096;

let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await createTestApp({
    env: {
      REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      REQUEST_BODY_MIN_BYTES_PER_SECOND: String(MIN_RATE),
      BODY_LIMIT_BYTES: String(8 * 1024 * 1024),
    },
  });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as { port: number }).port;
});
afterAll(() => t.close());

type Outcome = { closedAfterMs: number; received: string };

/** Opens a raw connection, lets `drip` write to it, and resolves when the server closes it. */
function trickle(drip: (socket: Socket, stop: () => boolean) => void, giveUpMs = 20_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const openedAt = Date.now();
    let received = '';
    let closed = false;
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      closed = true;
      clearTimeout(timer);
      resolve({ closedAfterMs: Date.now() - openedAt, received });
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept a slow connection open for ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('connect', () => drip(socket, () => closed));
  });
}

/** Writes `pieces` one by one, `intervalMs` apart, until they run out or the connection closes. */
function writeSlowly(socket: Socket, stop: () => boolean, pieces: (string | Buffer)[], intervalMs: number) {
  const next = () => {
    const piece = pieces.shift();
    if (piece === undefined || stop()) return;
    socket.write(piece);
    setTimeout(next, intervalMs);
  };
  next();
}

describe('slow clients', () => {
  it('closes a connection whose headers arrive a byte at a time (408)', async () => {
    const headers = `GET /api/v1/categories HTTP/1.1\r\nHost: souk.test\r\nX-Slow: ${'a'.repeat(200)}`;
    const outcome = await trickle((socket, stop) => writeSlowly(socket, stop, headers.split(''), 200));
    expect(outcome.received).toMatch(/^HTTP\/1\.1 408/);
    // The timeout, plus up to one check interval (1 s), plus scheduling on a loaded machine.
    expect(outcome.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 4_000);
  });

  it('closes a connection whose body arrives slower than the minimum rate (408)', async () => {
    const body = JSON.stringify({ email: 'someone@example.test', password: 'x'.repeat(500) });
    const head = `POST /api/v1/auth/login HTTP/1.1\r\nHost: souk.test\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const outcome = await trickle((socket, stop) => {
      socket.write(head);
      writeSlowly(socket, stop, body.split(''), 200);
    });
    expect(outcome.received).toMatch(/^HTTP\/1\.1 408/);
    expect(outcome.received).toContain('request_timeout');
    expect(outcome.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 4_000);
  });

  it('lets a large body at a normal speed take longer than the timeout (an upload is not cut)', async () => {
    // 6 MB at about 1.5 MB/s: four times REQUEST_TIMEOUT_MS, far above the minimum rate.
    const size = 6 * 1024 * 1024;
    const body = Buffer.from(JSON.stringify({ email: 'a@example.test', password: 'p'.repeat(size) }));
    const head = `POST /api/v1/auth/register HTTP/1.1\r\nHost: souk.test\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
    const pieces: Buffer[] = [];
    for (let offset = 0; offset < body.length; offset += 64 * 1024)
      pieces.push(body.subarray(offset, offset + 64 * 1024));
    const startedAt = Date.now();
    const outcome = await trickle((socket, stop) => {
      socket.write(head);
      writeSlowly(socket, stop, pieces, 40);
    }, 60_000);
    expect(Date.now() - startedAt).toBeGreaterThan(REQUEST_TIMEOUT_MS * 2);
    // Read to the end and judged by the route: a 400 for the oversized password, not a 408.
    expect(outcome.received).toMatch(/^HTTP\/1\.1 400/);
    expect(outcome.received).toContain('validation_failed');
  });
});
