import type { Notification, SentMessage } from '@souk/contracts';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevMailbox } from '../../platform/mail/index.js';
import { listingFixtures } from '../../test-support/listing-fixtures.js';
import { openSocket, type TestSocket } from '../../test-support/realtime-client.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { waitFor } from '../../test-support/wait.js';

/** messaging.message_sent → "new message", only while the recipient is not in the conversation. */
let t: TestApp;
let wsUrl: string;
let mailbox: DevMailbox;
let seller: TestUser;
let buyer: TestUser;
let listingId: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  t = await createTestApp({ work: true });
  if (t.platform.mailer.kind !== 'dev-mailbox') throw new Error('these tests read the dev mailbox');
  mailbox = t.platform.mailer;
  wsUrl = `${(await t.app.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws')}/ws`;
  const fx = await listingFixtures(t);
  seller = await t.signUp({ displayName: 'Sunil Seller' });
  buyer = await t.signUp({ displayName: 'Bimal Buyer' });
  await t.platform.database.db.execute(
    sql`update users set email_verified_at = now() where id = ${seller.userId}`,
  );
  listingId = (await fx.publish(seller, { title: 'Toyota Corolla 2018, one owner' })).id;
});
afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.close()));
  await t?.close();
});

const messageNotifications = async (who: TestUser) =>
  ((await t.call('GET', '/notifications', who)).json().items as Notification[]).filter(
    (item) => item.type === 'message_received',
  );

/** The notifications subscriber's job for this message has finished (whatever it decided). */
async function handled(messageId: string) {
  await waitFor(async () => {
    const { rows } = await t.platform.database.executor.executeSql(
      `select state from pgboss.job where name = 'event.messaging.message_sent.notifications' and data->'payload'->>'messageId' = $1`,
      [messageId],
    );
    return rows[0]?.state === 'completed';
  });
}

describe('new message notifications', () => {
  let conversationId: string;

  it('notify a recipient who is away: in the bell and by mail, linking to the conversation', async () => {
    const response = await t.call('POST', `/listings/${listingId}/messages`, buyer, {
      text: 'Is it still available?',
    });
    expect(response.statusCode, response.body).toBe(201);
    const sent = response.json() as SentMessage;
    conversationId = sent.message.conversationId;
    const [notification] = await waitFor(async () => {
      const items = await messageNotifications(seller);
      return items.length > 0 && items;
    });
    expect(notification).toMatchObject({
      title: 'New message from Bimal Buyer',
      body: 'Is it still available?',
      url: `/messages/${conversationId}`,
    });
    const mail = await waitFor(async () =>
      (await mailbox.list({ limit: 100 })).items.find(
        (m) => m.to === seller.email && m.subject === 'You have a new message on Souk',
      ),
    );
    expect((await mailbox.get(mail.id))?.text).toContain(`/messages/${conversationId}`);
  });

  it('skip a recipient who has the conversation open, on every channel', async () => {
    const socket = await openSocket(wsUrl, { headers: seller.headers });
    sockets.push(socket);
    await socket.subscribe(`conversation:${conversationId}`);
    const response = await t.call('POST', `/conversations/${conversationId}/messages`, buyer, {
      text: 'Hello?',
    });
    expect(response.statusCode, response.body).toBe(201);
    await handled((response.json() as SentMessage).message.id);
    expect((await messageNotifications(seller)).map((item) => item.body)).toEqual(['Is it still available?']);
    expect(
      (await mailbox.list({ limit: 100 })).items.filter(
        (m) => m.to === seller.email && m.subject === 'You have a new message on Souk',
      ),
    ).toHaveLength(1);

    // Gone from the conversation again: the next message notifies.
    await socket.close();
    await waitFor(
      async () => !(await t.platform.realtime.isSubscribed(seller.userId, `conversation:${conversationId}`)),
    );
    const later = await t.call('POST', `/conversations/${conversationId}/messages`, buyer, {
      text: 'Still there?',
    });
    await handled((later.json() as SentMessage).message.id);
    expect((await messageNotifications(seller)).map((item) => item.body)).toEqual([
      'Still there?',
      'Is it still available?',
    ]);
    // The first one is still unread: this one reaches the bell and the devices, but mails nothing more.
    const { rows } = await t.platform.database.executor.executeSql(
      `select d.channel from notification_deliveries d join notifications n on n.id = d.notification_id
        where n.dedupe_key = $1 order by d.channel`,
      [`message:${(later.json() as SentMessage).message.id}`],
    );
    expect(rows.map((row) => row.channel)).toEqual(['in_app', 'push']);
  });
});
