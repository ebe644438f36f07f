import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { waitFor } from '../../test-support/wait.js';
import { createJobs, type Jobs } from '../jobs.js';
import { createLogger } from '../logger.js';
import { createDevMailbox, type DevMailbox } from './dev-mailbox.js';
import { defineMailJob, MAIL_QUEUE, messageIdOf, sendMail } from './mail.jobs.js';
import type { Mailer } from './mailer.js';
import { createSmtpMailer } from './smtp-mailer.js';

// A job system of its own on the test app's database, working only the mail queue, so the test
// holds whether or not the platform defines `mail.send` itself.
let t: TestApp;
let jobs: Jobs;
let mailbox: DevMailbox;
// A real SMTP server for mail to @smtp.test: it refuses the first message it is given with a
// temporary error, so the job is retried, and keeps every Message-ID it is offered.
const offered: string[] = [];
let smtp: SMTPServer;
let smtpMailer: Mailer;
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
        offered.push(/^Message-ID: (.*)$/im.exec(Buffer.concat(chunks).toString())?.[1]?.trim() ?? '');
        if (offered.length === 1)
          callback(Object.assign(new Error('try again later'), { responseCode: 451 }));
        else callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()));
  smtpMailer = createSmtpMailer({
    url: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`,
    from: 'Souk <no-reply@souk.test>',
    logger: createLogger('silent'),
  });
  t = await createTestApp();
  const { database } = t.platform;
  mailbox = createDevMailbox({ database, from: 'Souk <no-reply@souk.test>' });
  jobs = createJobs({
    executor: database.executor,
    executorFor: database.executorFor,
    logger: createLogger('silent'),
    pollingIntervalSeconds: 0.5,
  });
  const routed: Pick<Mailer, 'send' | 'domain'> = {
    domain: mailbox.domain,
    send: (mail) => (mail.to.endsWith('@smtp.test') ? smtpMailer.send(mail) : mailbox.send(mail)),
  };
  defineMailJob(jobs, routed);
  await jobs.start({ work: true });
});
afterAll(async () => {
  await jobs.stop(2000);
  await smtpMailer.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await t.close();
});

const subjects = async () => (await mailbox.list({ limit: 100 })).items.map((item) => item.subject);
const message = (subject: string) => ({
  to: 'amaya@example.com',
  subject,
  text: 'Hello',
  html: '<p>Hello</p>',
});

describe('mail job', () => {
  it('delivers a mail enqueued in a transaction that commits', async () => {
    await t.platform.database.transaction(async (tx) => {
      await sendMail(jobs, message('Committed'), { tx });
    });
    await waitFor(async () => (await subjects()).includes('Committed'));
    expect(await subjects()).toEqual(['Committed']);
  });

  it('delivers nothing for a transaction that rolls back', async () => {
    await expect(
      t.platform.database.transaction(async (tx) => {
        await sendMail(jobs, message('Rolled back'), { tx });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await jobs.queueDepths())[MAIL_QUEUE]).toBe(0);
    // A mail sent afterwards arrives, and the rolled-back one still has not.
    await sendMail(jobs, message('After'));
    await waitFor(async () => (await subjects()).includes('After'));
    expect(await subjects()).not.toContain('Rolled back');
  });

  it('refuses, in the caller, a mail no server could take', async () => {
    await expect(sendMail(jobs, { ...message('x'), to: 'not an address' })).rejects.toThrow(/to/);
    await expect(sendMail(jobs, { ...message('two\nlines'), to: 'a@example.com' })).rejects.toThrow(
      /subject/,
    );
  });

  it('gives a mail the Message-ID of its job, the same on every attempt', async () => {
    await sendMail(jobs, { ...message('Reset your password'), to: 'amaya@smtp.test' });
    // The first attempt is refused; the retry waits out the queue's back-off unless told to go.
    await waitFor(async () => {
      await t.platform.database.executor.executeSql(
        "update pgboss.job set start_after = now() where name = $1 and state = 'retry'",
        [MAIL_QUEUE],
      );
      return offered.length === 2;
    });
    const { rows } = await t.platform.database.executor.executeSql(
      "select id from pgboss.job where name = $1 and data->>'to' = 'amaya@smtp.test'",
      [MAIL_QUEUE],
    );
    expect(rows).toHaveLength(1);
    expect(offered).toEqual([
      messageIdOf(rows[0]?.id as string, 'souk.test'),
      messageIdOf(rows[0]?.id as string, 'souk.test'),
    ]);
  });

  it('keeps a Message-ID the sender chose', async () => {
    await sendMail(jobs, { ...message('Chosen'), to: 'amaya@smtp.test', messageId: '<chosen-1@souk.test>' });
    await waitFor(async () => offered.includes('<chosen-1@souk.test>'));
  });
});
