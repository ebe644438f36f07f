import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { createJobs, type Jobs } from '../jobs.js';
import { createLogger } from '../logger.js';
import { createDevMailbox, type DevMailbox } from './dev-mailbox.js';
import { defineMailJob, MAIL_QUEUE, sendMail } from './mail.jobs.js';

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// A job system of its own on the test app's database, working only the mail queue, so the test
// holds whether or not the platform defines `mail.send` itself.
let t: TestApp;
let jobs: Jobs;
let mailbox: DevMailbox;
beforeAll(async () => {
  t = await createTestApp();
  const { database } = t.platform;
  mailbox = createDevMailbox({ database, from: 'Souk <no-reply@souk.test>' });
  jobs = createJobs({
    executor: database.executor,
    executorFor: database.executorFor,
    logger: createLogger('silent'),
    pollingIntervalSeconds: 0.5,
  });
  defineMailJob(jobs, mailbox);
  await jobs.start({ work: true });
});
afterAll(async () => {
  await jobs.stop(2000);
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
});
