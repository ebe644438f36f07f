import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test-support/test-app.js';
import { createDevMailbox, type DevMailbox } from './dev-mailbox.js';

const FROM = 'Souk <no-reply@souk.test>';
let t: TestApp;
let mailbox: DevMailbox;
beforeAll(async () => {
  t = await createTestApp();
  mailbox = createDevMailbox({ database: t.platform.database, from: FROM });
});
afterAll(() => t.close());
beforeEach(() => mailbox.clear());

const mail = (n: number) => ({
  to: `user${n}@example.com`,
  subject: `Mail ${n}`,
  text: `Text ${n}`,
  html: `<p>HTML ${n}</p>`,
});

describe('dev mailbox', () => {
  it('keeps a sent mail with its sender, and lists it without the bodies', async () => {
    expect(mailbox.kind).toBe('dev-mailbox');
    await mailbox.send(mail(1));
    const page = await mailbox.list({ limit: 10 });
    expect(page.nextCursor).toBeNull();
    expect(page.items).toEqual([
      {
        id: expect.any(String),
        to: 'user1@example.com',
        from: FROM,
        subject: 'Mail 1',
        createdAt: expect.any(String),
      },
    ]);
    const id = page.items[0]?.id ?? '';
    expect(await mailbox.get(id)).toEqual({ ...page.items[0], text: 'Text 1', html: '<p>HTML 1</p>' });
  });

  it('lists newest first and pages by cursor without gaps or repeats', async () => {
    for (let n = 1; n <= 7; n++) await mailbox.send(mail(n));
    const first = await mailbox.list({ limit: 3 });
    expect(first.items.map((item) => item.subject)).toEqual(['Mail 7', 'Mail 6', 'Mail 5']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await mailbox.list({ limit: 3, cursor: first.nextCursor ?? '' });
    expect(second.items.map((item) => item.subject)).toEqual(['Mail 4', 'Mail 3', 'Mail 2']);
    const third = await mailbox.list({ limit: 3, cursor: second.nextCursor ?? '' });
    expect(third.items.map((item) => item.subject)).toEqual(['Mail 1']);
    expect(third.nextCursor).toBeNull();
  });

  it('ends without a next cursor when the last page is exactly full', async () => {
    for (let n = 1; n <= 4; n++) await mailbox.send(mail(n));
    const first = await mailbox.list({ limit: 2 });
    const second = await mailbox.list({ limit: 2, cursor: first.nextCursor ?? '' });
    expect(second.items.map((item) => item.subject)).toEqual(['Mail 2', 'Mail 1']);
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a cursor it did not hand out', async () => {
    for (const cursor of ['nope', Buffer.from('123:not-a-uuid').toString('base64url'), '']) {
      await expect(mailbox.list({ limit: 5, cursor })).rejects.toMatchObject({
        code: 'invalid_cursor',
        status: 400,
      });
    }
  });

  it('answers null for an unknown or malformed id', async () => {
    expect(await mailbox.get('01900000-0000-7000-8000-0000000000ff')).toBeNull();
    expect(await mailbox.get('not-a-uuid')).toBeNull();
  });

  it('clears every mail', async () => {
    await mailbox.send(mail(1));
    await mailbox.send(mail(2));
    await mailbox.clear();
    expect(await mailbox.list({ limit: 10 })).toEqual({ items: [], nextCursor: null });
  });

  it('keeps only the newest mails beyond its cap', async () => {
    const small = createDevMailbox({ database: t.platform.database, from: FROM, keep: 3 });
    for (let n = 1; n <= 5; n++) await small.send(mail(n));
    const page = await small.list({ limit: 10 });
    expect(page.items.map((item) => item.subject)).toEqual(['Mail 5', 'Mail 4', 'Mail 3']);
  });
});
