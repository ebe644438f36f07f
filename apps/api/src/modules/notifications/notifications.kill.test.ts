import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type App, buildApp } from '../../app.js';
import { loadConfig } from '../../platform/config.js';
import { systemContext } from '../../platform/http/context.js';
import { createPlatform, type Platform } from '../../platform/index.js';
import { createLogger } from '../../platform/logger.js';
import { copyDatabase, dropDatabase, urlFor } from '../../test-support/postgres.js';
import { waitFor } from '../../test-support/wait.js';

/**
 * A real worker process (`src/main.ts`, ROLE=worker) is killed with SIGKILL while it is sending a
 * notification mail: the SMTP server has the message's data but has not answered "250 accepted".
 * Then a new process on the same database recovers the delivery, and the mail arrives once.
 * On the embedded database the processes take turns on the same data directory; on PostgreSQL
 * (TEST_DATABASE_URL) they share a fresh copy of the template database.
 */
const apiRoot = fileURLToPath(new URL('../../..', import.meta.url));
/** The notification's title: in the mail's text (the subject is fixed per type). */
const SUBJECT = 'Killed mid-send';
const received: string[] = [];
let hold = true;
let dataArrived: () => void = () => {};
const dataHeld = new Promise<void>((resolve) => {
  dataArrived = resolve;
});
let smtp: SMTPServer;
let smtpUrl: string;
let dataDir: string;
let databaseName: string | null = null;
let databaseUrl: string | undefined;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  smtp = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const subject = raw.includes(SUBJECT) ? SUBJECT : (/^Subject: (.*)$/m.exec(raw)?.[1] ?? '');
        if (subject === SUBJECT && hold) {
          // The data is here; "250" never comes: the worker dies waiting for it.
          dataArrived();
          return;
        }
        received.push(subject);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  dataDir = mkdtempSync(join(tmpdir(), 'souk-kill-'));
  const baseUrl = process.env.TEST_DATABASE_URL;
  const template = inject('templateDatabase');
  if (baseUrl && template) {
    databaseName = await copyDatabase(baseUrl, template);
    databaseUrl = urlFor(baseUrl, databaseName);
  }
});

afterAll(async () => {
  worker?.kill('SIGKILL');
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
  const baseUrl = process.env.TEST_DATABASE_URL;
  if (baseUrl && databaseName) await dropDatabase(baseUrl, databaseName);
  rmSync(dataDir, { recursive: true, force: true });
});

const env = () => ({
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  DATA_DIR: dataDir,
  SMTP_URL: smtpUrl,
  PUBLIC_URL: 'https://souk.example',
  SEED_DEMO_DATA: 'never',
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
});

/** Souk in this process on the shared database; `work` also works the job queues. */
async function open(work: boolean): Promise<{ app: App; platform: Platform; close(): Promise<void> }> {
  const platform = await createPlatform(loadConfig(env()), {
    logger: createLogger('silent'),
    jobPollingIntervalSeconds: 0.5,
  });
  const app = await buildApp(platform, {
    webDistDir: null,
    // A claim older than a second belongs to a dead attempt (production: 5 minutes).
    notifications: { staleClaimSeconds: 1, deliveryRetryDelaySeconds: 1 },
  });
  await platform.jobs.start({ work });
  await app.ready();
  return {
    app,
    platform,
    async close() {
      await app.close();
      await platform.close();
    },
  };
}

async function delivery(platform: Platform, notificationId: string) {
  const { rows } = await platform.database.executor.executeSql(
    `select id, status, attempts from notification_deliveries where notification_id = $1 and channel = 'email'`,
    [notificationId],
  );
  return rows[0] as { id: string; status: string; attempts: number };
}

describe('a worker process killed mid-send', () => {
  it('leaves the delivery claimed; the next process takes it over and the mail arrives once', async () => {
    // 1. A verified member and a notification for them, enqueued; nothing works jobs yet.
    const setup = await open(false);
    const auth = setup.app.modules.auth.service;
    const email = `killed-${process.pid}@example.test`;
    await auth.register(
      systemContext(),
      { email, password: 'correct horse battery staple', displayName: 'Amaya' },
      { ipAddress: null, userAgent: 'test' },
    );
    const session = await auth.login(
      systemContext(),
      { email, password: 'correct horse battery staple' },
      { ipAddress: '127.0.0.1', userAgent: 'test' },
    );
    if (session.status !== 'signed_in') throw new Error('no session');
    const userId = session.user.id;
    await setup.platform.database.executor.executeSql(
      'update users set email_verified_at = now() where id = $1',
      [userId],
    );
    const notification = await setup.platform.database.transaction((tx) =>
      setup.app.modules.notifications.service.notify(tx, {
        userId,
        type: 'listing_expiring',
        title: SUBJECT,
        body: 'Renew it to keep it online.',
        url: '/account/listings',
        dedupeKey: 'kill-test',
        onlyChannels: ['email'],
      }),
    );
    if (!notification) throw new Error('not created');
    await setup.close();

    // 2. A real worker process picks the job up and is killed while the SMTP server holds the data.
    worker = spawn(process.execPath, ['--conditions=@souk/source', '--import', 'tsx', 'src/main.ts'], {
      cwd: apiRoot,
      env: { PATH: process.env.PATH ?? '', ...env(), ROLE: 'worker', PORT: '0', HOST: '127.0.0.1' },
      stdio: 'ignore',
    });
    const exited = new Promise<void>((resolve) => worker?.once('exit', () => resolve()));
    await Promise.race([
      dataHeld,
      exited.then(() => {
        throw new Error('the worker exited before sending');
      }),
    ]);
    worker.kill('SIGKILL');
    await exited;
    hold = false;
    expect(received).not.toContain(SUBJECT);

    // 3. The next process: the delivery is still claimed by the dead attempt, and nothing was sent.
    const next = await open(true);
    try {
      const left = await delivery(next.platform, notification.id);
      expect(left).toMatchObject({ status: 'sending', attempts: 1 });
      // The sweep cron (every 5 minutes) requeues deliveries whose claim has gone stale.
      await waitFor(async () => (await next.app.modules.notifications.service.requeueStale()) > 0);
      await waitFor(async () => (await delivery(next.platform, notification.id)).status === 'sent');
      expect(received.filter((subject) => subject === SUBJECT)).toHaveLength(1);
      expect(await delivery(next.platform, notification.id)).toMatchObject({ status: 'sent', attempts: 2 });
      // Sweeping again, or the dead worker's job retried by pg-boss later, sends nothing more.
      expect(await next.app.modules.notifications.service.requeueStale()).toBe(0);
      await next.app.modules.notifications.service.deliver(left.id, { retryCount: 1 });
      expect(received.filter((subject) => subject === SUBJECT)).toHaveLength(1);
    } finally {
      await next.close();
    }
  }, 120_000);
});
