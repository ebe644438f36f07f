import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { waitFor } from '../../test-support/wait.js';
import type { DeliveryRow } from './notifications.schema.js';

/**
 * A delivery job that dies mid-send is retried by pg-boss, and the mail arrives exactly once:
 * a real SMTP server on 127.0.0.1 counts what it accepted; the platform sends through SMTP.
 */
type Received = { to: string[]; raw: string };
const received: Received[] = [];
/** Titles whose first mail the server drops the connection on (a send that dies before it is accepted). */
const dropFirstData = new Set<string>();
/** Deliveries whose job crashes once, right after the send was recorded (the worker dies there). */
const crashAfterSend = new Set<string>();
let smtp: SMTPServer;
let t: TestApp;
let user: TestUser;

beforeAll(async () => {
  smtp = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const dropped = [...dropFirstData].find((title) => raw.includes(title));
        if (dropped !== undefined) {
          dropFirstData.delete(dropped);
          // The connection dies after the data and before the server's "250 accepted".
          (session as unknown as { socket?: { destroy(): void } }).socket?.destroy();
          return;
        }
        received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  const { port } = smtp.server.address() as AddressInfo;
  t = await createTestApp({
    work: true,
    env: { SMTP_URL: `smtp://127.0.0.1:${port}`, PUBLIC_URL: 'https://souk.example' },
    notifications: {
      deliveryRetryDelaySeconds: 1,
      hooks: {
        async afterRecorded(delivery: DeliveryRow) {
          if (crashAfterSend.delete(delivery.id))
            throw new Error('worker died after the provider accepted the mail');
        },
      },
    },
  });
  user = await t.signUp({ displayName: 'Amaya' });
  await t.platform.database.db.execute(
    sql`update users set email_verified_at = now() where id = ${user.userId}`,
  );
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => smtp?.close(() => resolve()));
});

/** Mails about the notification with this title (its subject is fixed per type; the title is in the text). */
const withSubject = (title: string) => received.filter((mail) => mail.raw.includes(title));

async function notifyByMail(title: string, before?: (deliveryId: string) => Promise<void> | void) {
  return t.platform.database.transaction(async (tx) => {
    const created = await t.app.modules.notifications.service.notify(tx, {
      userId: user.userId,
      type: 'listing_expiring',
      title,
      body: 'Renew it to keep it online.',
      url: '/account/listings',
      dedupeKey: `mail:${title}`,
      onlyChannels: ['email'],
    });
    if (!created) throw new Error('not created');
    const [row] = (
      await t.platform.database
        .executorFor(tx)
        .executeSql(
          `select id from notification_deliveries where notification_id = $1 and channel = 'email'`,
          [created.id],
        )
    ).rows as { id: string }[];
    if (!row) throw new Error('no e-mail delivery');
    await before?.(row.id);
    return row.id;
  });
}

async function delivery(id: string) {
  const { rows } = await t.platform.database.executor.executeSql(
    'select status, attempts from notification_deliveries where id = $1',
    [id],
  );
  return rows[0] as { status: string; attempts: number };
}

async function jobOf(deliveryId: string) {
  const { rows } = await t.platform.database.executor.executeSql(
    `select state, retry_count from pgboss.job where name = 'notifications.deliver' and data->>'deliveryId' = $1`,
    [deliveryId],
  );
  return rows[0] as { state: string; retry_count: number } | undefined;
}

describe('a delivery job killed mid-send', () => {
  it('after the provider accepted the mail: the retry finds it recorded and sends nothing → one mail', async () => {
    const id = await notifyByMail('Crash after accept', (deliveryId) => {
      crashAfterSend.add(deliveryId);
    });
    // The first run crashes, pg-boss retries it, and the retry completes.
    const job = await waitFor(async () => {
      const state = await jobOf(id);
      return state?.state === 'completed' && state;
    });
    expect(job.retry_count).toBe(1);
    expect(crashAfterSend.has(id)).toBe(false);
    expect(withSubject('Crash after accept')).toHaveLength(1);
    expect(await delivery(id)).toEqual({ status: 'sent', attempts: 1 });
    // Headers unfolded (a long one continues on the next line after whitespace).
    const raw = (withSubject('Crash after accept')[0]?.raw ?? '').replace(/\r?\n[ \t]+/g, ' ');
    const oneClick =
      /^List-Unsubscribe: <https:\/\/souk\.example(\/api\/v1\/notifications\/unsubscribe\?token=[^>]+)>$/m.exec(
        raw,
      );
    expect(oneClick).not.toBeNull();
    expect(raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    // The subject is fixed per type: a title may carry other people's words.
    expect(raw).toMatch(/^Subject: Your listing expires soon$/m);
    expect(raw).toMatch(new RegExp(`^Message-ID: <${id}@souk\\.example>$`, 'm'));
    // What a mail client does with the header (RFC 8058): POST the form to the URL.
    const response = await t.app.inject({
      method: 'POST',
      url: oneClick?.[1] ?? '',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(response.json()).toMatchObject({ type: 'listing_expiring', channel: 'email' });
    const restore = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/notifications/preferences',
      headers: user.headers,
      payload: { matrix: { listing_expiring: { email: true } } },
    });
    expect(restore.json().matrix.listing_expiring.email).toBe(true);
  });

  it('before the provider accepted it (the connection died mid-DATA): the retry sends it → one mail', async () => {
    dropFirstData.add('Crash before accept');
    const id = await notifyByMail('Crash before accept');
    const job = await waitFor(async () => {
      const state = await jobOf(id);
      return state?.state === 'completed' && state;
    });
    expect(job.retry_count).toBeGreaterThanOrEqual(1);
    expect(withSubject('Crash before accept')).toHaveLength(1);
    expect(await delivery(id)).toMatchObject({ status: 'sent' });
    expect((await delivery(id)).attempts).toBe(job.retry_count + 1);
  });

  it('whose worker died holding the claim: the stale claim is taken over and sent once → one mail', async () => {
    // The row is left as a dead attempt leaves it: `sending`, claimed long ago, never sent.
    const stale = await t.platform.database.transaction(async (tx) => {
      const created = await t.app.modules.notifications.service.notify(tx, {
        userId: user.userId,
        type: 'listing_expiring',
        title: 'Stale claim',
        body: 'Renew it.',
        dedupeKey: 'mail:stale',
        onlyChannels: ['email'],
      });
      await tx.execute(
        sql`update notification_deliveries set status = 'sending', attempts = 1, claimed_at = now() - interval '1 hour' where notification_id = ${created?.id ?? ''}`,
      );
      const [row] = (
        await t.platform.database
          .executorFor(tx)
          .executeSql('select id from notification_deliveries where notification_id = $1', [created?.id])
      ).rows as { id: string }[];
      return row?.id ?? '';
    });
    await waitFor(async () => (await jobOf(stale))?.state === 'completed');
    expect(withSubject('Stale claim')).toHaveLength(1);
    expect(await delivery(stale)).toEqual({ status: 'sent', attempts: 2 });
  });

  it('a job run again for a sent delivery sends nothing', async () => {
    const id = await notifyByMail('Sent once');
    await waitFor(async () => (await delivery(id)).status === 'sent');
    await t.app.modules.notifications.service.deliver(id, { retryCount: 0 });
    await t.app.modules.notifications.service.deliver(id, { retryCount: 1 });
    expect(withSubject('Sent once')).toHaveLength(1);
  });
});
