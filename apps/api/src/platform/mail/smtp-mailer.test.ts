import { type AddressInfo, createServer, type Socket } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import type { Mailer } from './mailer.js';
import { createSmtpMailer } from './smtp-mailer.js';

type Received = { from: string | undefined; to: string[]; raw: string };

const FROM = 'Souk <no-reply@souk.test>';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real SMTP server on 127.0.0.1 and a random port, without TLS or auth, keeping what it receives. */
async function startServer(overrides: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
    ...overrides,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `smtp://127.0.0.1:${port}`, received };
}

function mailerFor(url: string, timeoutMs = 5000): Mailer {
  const mailer = createSmtpMailer({ url, from: FROM, logger: createLogger('silent'), timeoutMs });
  cleanups.push(() => mailer.close());
  return mailer;
}

describe('SMTP mailer', () => {
  it('delivers a mail with text and HTML parts, from MAIL_FROM, to the recipient', async () => {
    const server = await startServer();
    const mailer = mailerFor(server.url);
    expect(mailer.kind).toBe('smtp');
    await mailer.send({
      to: 'amaya@example.com',
      subject: 'Confirm your email address',
      text: 'Plain words for Amaya',
      html: '<p>Rich words for Amaya</p>',
    });

    expect(server.received).toHaveLength(1);
    const [mail] = server.received;
    expect(mail?.to).toEqual(['amaya@example.com']);
    expect(mail?.from).toBe('no-reply@souk.test');
    const raw = mail?.raw ?? '';
    expect(raw).toMatch(/^From: Souk <no-reply@souk\.test>$/m);
    expect(raw).toMatch(/^To: amaya@example\.com$/m);
    expect(raw).toMatch(/^Subject: Confirm your email address$/m);
    expect(raw).toMatch(/^Content-Type: multipart\/alternative;/m);
    expect(raw).toMatch(/^Content-Type: text\/plain; charset=utf-8$/m);
    expect(raw).toMatch(/^Content-Type: text\/html; charset=utf-8$/m);
    expect(raw).toContain('Plain words for Amaya');
    expect(raw).toContain('<p>Rich words for Amaya</p>');
  });

  it('reuses the pooled connection for several mails', async () => {
    let connections = 0;
    const server = await startServer({
      onConnect(_session, callback) {
        connections += 1;
        callback();
      },
    });
    const mailer = mailerFor(server.url);
    for (const n of [1, 2, 3]) {
      await mailer.send({ to: `n${n}@example.com`, subject: `Mail ${n}`, text: 'x', html: '<p>x</p>' });
    }
    expect(server.received.map((mail) => mail.to[0])).toEqual([
      'n1@example.com',
      'n2@example.com',
      'n3@example.com',
    ]);
    expect(connections).toBe(1);
  });

  it('rejects when the server refuses the recipient, so the job retries', async () => {
    const server = await startServer({
      onRcptTo(address, _session, callback) {
        if (address.address === 'nobody@example.com') {
          const error = new Error('No such user here') as Error & { responseCode: number };
          error.responseCode = 550;
          callback(error);
          return;
        }
        callback();
      },
    });
    const mailer = mailerFor(server.url);
    await expect(
      mailer.send({ to: 'nobody@example.com', subject: 'Hi', text: 'x', html: '<p>x</p>' }),
    ).rejects.toThrow(/recipients were rejected|No such user/);
    expect(server.received).toHaveLength(0);
  });

  it('rejects, rather than hanging, when nothing listens on the port', async () => {
    const server = await startServer();
    const port = new URL(server.url).port;
    await cleanups.pop()?.();
    const mailer = mailerFor(`smtp://127.0.0.1:${port}`);
    await expect(mailer.send({ to: 'a@example.com', subject: 'Hi', text: 'x', html: 'x' })).rejects.toThrow();
  });

  it('rejects within the timeout when the server accepts the connection but never greets', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
    cleanups.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const { port } = silent.address() as AddressInfo;
    const mailer = mailerFor(`smtp://127.0.0.1:${port}`, 300);
    const started = Date.now();
    await expect(mailer.send({ to: 'a@example.com', subject: 'Hi', text: 'x', html: 'x' })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
