import type { Conversation, Listing, Message, SentMessage } from '@souk/contracts';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../../platform/events.js';
import { twoTonePhoto } from '../../platform/images/test-images.js';
import { type ListingFixtures, listingFixtures } from '../../test-support/listing-fixtures.js';
import { openSocket, type TestSocket } from '../../test-support/realtime-client.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { multipart } from '../media/media.test-support.js';
import type { MessagingEvents } from './messaging.events.js';
import { conversationReports, messages } from './messaging.schema.js';

type Sent = EventEnvelope<string, MessagingEvents['messaging.message_sent']>;

let t: TestApp;
let url: string;
let seller: TestUser;
let buyer: TestUser;
let outsider: TestUser;
let fx: ListingFixtures;
const sockets: TestSocket[] = [];
const domainEvents: Sent['payload'][] = [];

beforeAll(async () => {
  t = await createTestApp({
    work: true,
    subscribe: (events) =>
      events.subscribe('messaging.message_sent', 'messaging-test', async (payload) => {
        domainEvents.push(payload);
      }),
  });
  const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
  url = `${address.replace('http', 'ws')}/ws`;
  fx = await listingFixtures(t);
  [seller, buyer, outsider] = await Promise.all([
    t.signUp({ displayName: 'Sunil Seller' }),
    t.signUp({ displayName: 'Bimal Buyer' }),
    t.signUp({ displayName: 'Olu Outsider' }),
  ]);
});

afterAll(async () => {
  await Promise.all(sockets.map((socket) => socket.close()));
  await t.close();
});

/** A used Toyota Corolla in Colombo, published unless `publish` is false. */
function createListing(who: TestUser = seller, publish = true): Promise<Listing> {
  const car = {
    title: 'Toyota Corolla 2018, one owner',
    amount: 7_500_000_00,
    attributes: { year: 2018, mileageKm: 45_000, fuel: 'hybrid', make: 'toyota', model: 'corolla' },
  };
  return publish ? fx.publish(who, car) : fx.draft(who, car);
}

async function start(listingId: string, who: TestUser, body: object): Promise<SentMessage> {
  const response = await t.call('POST', `/listings/${listingId}/messages`, who, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function send(conversationId: string, who: TestUser, body: object): Promise<Message> {
  const response = await t.call('POST', `/conversations/${conversationId}/messages`, who, body);
  expect(response.statusCode, response.body).toBe(201);
  return (response.json() as SentMessage).message;
}

async function messagesOf(conversationId: string, who: TestUser, query = ''): Promise<Message[]> {
  const response = await t.call('GET', `/conversations/${conversationId}/messages${query}`, who);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items;
}

const unread = async (who: TestUser) =>
  (await t.call('GET', '/conversations/unread', who)).json().total as number;

async function connect(who: TestUser) {
  const socket = await openSocket(url, { headers: who.headers });
  sockets.push(socket);
  return socket;
}

describe('starting and continuing a conversation', () => {
  it('starts with the buyer’s first message; both inboxes show it with the listing and the other party', async () => {
    const listing = await createListing();
    const sent = await start(listing.id, buyer, { text: '  Is it still available?  ' });
    expect(sent.message).toMatchObject({
      text: 'Is it still available?',
      senderId: buyer.userId,
      safetyWarning: null,
      read: false,
      images: [],
    });
    expect(sent.conversation).toMatchObject({
      role: 'buyer',
      otherParty: { id: seller.userId, displayName: 'Sunil Seller' },
      listing: { id: listing.id, title: listing.title, status: 'active', price: listing.price },
      unreadCount: 0,
    });

    const inbox = (await t.call('GET', '/conversations', seller)).json();
    const mine = inbox.items.find((item: Conversation) => item.id === sent.conversation.id);
    expect(mine).toMatchObject({
      role: 'seller',
      otherParty: { id: buyer.userId, displayName: 'Bimal Buyer' },
      unreadCount: 1,
      lastMessage: { id: sent.message.id, text: 'Is it still available?' },
    });
    expect(await unread(seller)).toBe(1);
    expect(await unread(buyer)).toBe(0);

    // Writing again about the same listing continues the same conversation.
    const again = await start(listing.id, buyer, { text: 'I can come on Saturday.' });
    expect(again.conversation.id).toBe(sent.conversation.id);
    const reply = await send(sent.conversation.id, seller, { text: 'Yes, come and see it.' });
    expect(reply.senderId).toBe(seller.userId);
    expect((await messagesOf(sent.conversation.id, buyer)).map((message) => message.text)).toEqual([
      'Yes, come and see it.',
      'I can come on Saturday.',
      'Is it still available?',
    ]);
  });

  it('answers a send with the sender’s conversation exactly as reading it back shows it', async () => {
    const listing = await createListing();
    const first = await start(listing.id, buyer, { text: 'Does it have a service book?' });
    // Unread on the seller's side before answering: the answer must show it read, as a re-read does.
    const replied = (
      await t.call('POST', `/conversations/${first.conversation.id}/messages`, seller, { text: 'It does.' })
    ).json() as SentMessage;
    const sellerView = (await t.call('GET', `/conversations/${first.conversation.id}`, seller)).json();
    expect(replied.conversation).toEqual(sellerView);
    const again = (
      await t.call('POST', `/conversations/${first.conversation.id}/messages`, buyer, { text: 'Great.' })
    ).json() as SentMessage;
    expect(again.conversation).toEqual(
      (await t.call('GET', `/conversations/${first.conversation.id}`, buyer)).json(),
    );
    expect(first.conversation).toMatchObject({ createdAt: again.conversation.createdAt, role: 'buyer' });
  });

  it('also starts through POST /conversations with a listingId', async () => {
    const listing = await createListing();
    const response = await t.call('POST', '/conversations', buyer, { listingId: listing.id, text: 'Hello' });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().conversation.listing.id).toBe(listing.id);
  });

  it('refuses a seller messaging themselves about their own listing, storing nothing', async () => {
    const listing = await createListing();
    const response = await t.call('POST', `/listings/${listing.id}/messages`, seller, { text: 'Hi me' });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('cannot_message_self');
    expect(
      (await t.call('GET', '/conversations', seller)).json().items.map((c: Conversation) => c.listing.id),
    ).not.toContain(listing.id);
  });

  it('needs a published listing to start, and a signed-in caller', async () => {
    const draft = await createListing(seller, false);
    expect((await t.call('POST', `/listings/${draft.id}/messages`, buyer, { text: 'Hi' })).json().code).toBe(
      'listing_not_found',
    );
    const sold = await createListing();
    await t.call('POST', `/listings/${sold.id}/sold`, seller);
    const refused = await t.call('POST', `/listings/${sold.id}/messages`, buyer, { text: 'Hi' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('listing_not_available');
    expect((await t.call('POST', `/listings/${sold.id}/messages`, null, { text: 'Hi' })).statusCode).toBe(
      401,
    );
    expect((await t.call('GET', '/conversations', null)).statusCode).toBe(401);
  });

  it('turns concurrent first messages of one buyer into one conversation', async () => {
    const listing = await createListing();
    const responses = await Promise.all(
      ['one', 'two', 'three', 'four'].map((text) =>
        t.call('POST', `/listings/${listing.id}/messages`, buyer, { text }),
      ),
    );
    expect(responses.map((response) => response.statusCode)).toEqual([201, 201, 201, 201]);
    const ids = new Set(responses.map((response) => (response.json() as SentMessage).conversation.id));
    expect(ids.size).toBe(1);
    const [id] = [...ids] as [string];
    expect((await messagesOf(id, seller)).map((message) => message.text).sort()).toEqual([
      'four',
      'one',
      'three',
      'two',
    ]);
  });
});

describe('bad input', () => {
  let conversationId: string;
  beforeAll(async () => {
    const listing = await createListing();
    conversationId = (await start(listing.id, buyer, { text: 'Hello' })).conversation.id;
  });

  it('refuses wrong types, huge text, empty messages and malformed ids with 400, storing nothing', async () => {
    const before = (await messagesOf(conversationId, buyer)).length;
    const cases: [unknown, string][] = [
      [{ text: 42 }, 'validation_failed'],
      [{ text: 'x'.repeat(4001) }, 'validation_failed'],
      [{ text: 'ok', imageIds: ['not-a-uuid'] }, 'validation_failed'],
      [{ text: 'ok', clientMessageId: 'has spaces and ✓' }, 'validation_failed'],
      [{ text: '   \n\t ' }, 'empty_message'],
      [{}, 'empty_message'],
      [['text'], 'validation_failed'],
    ];
    for (const [body, code] of cases) {
      const response = await t.call('POST', `/conversations/${conversationId}/messages`, buyer, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().code).toBe(code);
    }
    expect((await t.call('GET', '/conversations/not-a-uuid', buyer)).statusCode).toBe(400);
    expect(
      (await t.call('GET', `/conversations/${conversationId}/messages?limit=1000`, buyer)).statusCode,
    ).toBe(400);
    expect(
      (await t.call('GET', `/conversations/${conversationId}/messages?cursor=bogus`, buyer)).json().code,
    ).toBe('invalid_cursor');
    expect((await messagesOf(conversationId, buyer)).length).toBe(before);
  });

  it('takes the longest text allowed, whole, as plain text', async () => {
    const long = `${'<b>ab</b> '.repeat(399)}end`;
    expect(long.length).toBeLessThanOrEqual(4000);
    const message = await send(conversationId, buyer, { text: long });
    expect(message.text).toBe(long);
  });

  it('answers 404 for a conversation that does not exist', async () => {
    const response = await t.call('GET', '/conversations/0190a5c8-0000-7000-8000-000000000000', buyer);
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('conversation_not_found');
  });
});

describe('outsiders', () => {
  let conversationId: string;
  let firstId: string;
  beforeAll(async () => {
    const listing = await createListing();
    const sent = await start(listing.id, buyer, { text: 'Private question' });
    conversationId = sent.conversation.id;
    firstId = sent.message.id;
  });

  it('cannot read, write, mark, delete, type in or report someone else’s conversation (403)', async () => {
    const attempts = [
      t.call('GET', `/conversations/${conversationId}`, outsider),
      t.call('GET', `/conversations/${conversationId}/messages`, outsider),
      t.call('POST', `/conversations/${conversationId}/messages`, outsider, { text: 'let me in' }),
      t.call('POST', `/conversations/${conversationId}/read`, outsider, {}),
      t.call('POST', `/conversations/${conversationId}/typing`, outsider),
      t.call('DELETE', `/conversations/${conversationId}`, outsider),
      t.call('POST', `/conversations/${conversationId}/report`, outsider, { reason: 'spam' }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json().code).toBe('forbidden');
    }
    expect((await messagesOf(conversationId, buyer)).map((message) => message.text)).toEqual([
      'Private question',
    ]);
  });

  it('cannot subscribe to it over the socket (403); a participant can', async () => {
    const socket = await connect(outsider);
    socket.send({ type: 'subscribe', channel: `conversation:${conversationId}` });
    const refusal = await socket.next((frame) => frame.type === 'error');
    expect(refusal).toMatchObject({
      code: 'forbidden',
      status: 403,
      channel: `conversation:${conversationId}`,
    });
    const participant = await connect(seller);
    await participant.subscribe(`conversation:${conversationId}`);
  });

  it('cannot find its messages by search, nor mark up to a message of another conversation', async () => {
    expect((await t.call('GET', '/messages/search?q=private', outsider)).json().items).toEqual([]);
    const mine = await start((await createListing()).id, outsider, { text: 'Mine' });
    const response = await t.call('POST', `/conversations/${mine.conversation.id}/read`, outsider, {
      upToMessageId: firstId,
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('message_not_found');
  });
});

describe('live delivery', () => {
  it('delivers new messages, read receipts, typing and unread totals to the right sockets', async () => {
    const listing = await createListing();
    const opened = await start(listing.id, buyer, { text: 'First' });
    const channel = `conversation:${opened.conversation.id}`;
    const sellerSocket = await connect(seller);
    const buyerSocket = await connect(buyer);
    await sellerSocket.subscribe(channel);
    await sellerSocket.subscribe(`user:${seller.userId}`);
    await buyerSocket.subscribe(channel);

    const message = await send(opened.conversation.id, buyer, { text: 'Are you there?' });
    const created = await sellerSocket.next(
      (frame) => frame.type === 'event' && frame.event === 'message.created' && frame.channel === channel,
    );
    expect(created).toMatchObject({
      data: { id: message.id, text: 'Are you there?', senderId: buyer.userId },
    });
    const total = await sellerSocket.next(
      (frame) =>
        frame.type === 'event' &&
        frame.event === 'unread.changed' &&
        (frame.data as { total: number }).total >= 2,
    );
    expect(total).toMatchObject({ channel: `user:${seller.userId}` });
    const sellerTotal = await unread(seller);
    expect((total.type === 'event' && (total.data as { total: number }).total) || 0).toBe(sellerTotal);

    const typing = await t.call('POST', `/conversations/${opened.conversation.id}/typing`, seller);
    expect(typing.statusCode).toBe(204);
    const signal = await buyerSocket.next((frame) => frame.type === 'event' && frame.event === 'typing');
    expect(signal).toMatchObject({ id: null, data: { userId: seller.userId } });

    const before = sellerSocket.frames.length;
    const read = await t.call('POST', `/conversations/${opened.conversation.id}/read`, seller, {});
    expect(read.statusCode).toBe(200);
    expect(read.json().total).toBe(sellerTotal - 2);
    const receipt = await buyerSocket.next(
      (frame) => frame.type === 'event' && frame.event === 'message.read',
    );
    expect(receipt).toMatchObject({ data: { readerId: seller.userId, upToMessageId: message.id } });
    await sellerSocket.next(
      (frame) =>
        frame.type === 'event' &&
        frame.event === 'unread.changed' &&
        frame.channel === `user:${seller.userId}`,
      { from: before },
    );
    // The buyer's own view now shows both messages as read.
    expect((await messagesOf(opened.conversation.id, buyer)).map((m) => m.read)).toEqual([true, true]);
  });

  it('publishes messaging.message_sent with the payload notifications use', async () => {
    const listing = await createListing();
    const sent = await start(listing.id, buyer, { text: 'Event please' });
    await expect
      .poll(() => domainEvents.find((event) => event.messageId === sent.message.id), { timeout: 10_000 })
      .toEqual({
        messageId: sent.message.id,
        conversationId: sent.conversation.id,
        listingId: listing.id,
        senderId: buyer.userId,
        recipientId: seller.userId,
        preview: 'Event please',
      });
  });
});

describe('idempotent sends', () => {
  it('stores one message for the same client message id sent twice, also at the same time', async () => {
    const listing = await createListing();
    const first = await start(listing.id, buyer, { text: 'Once', clientMessageId: 'c-1' });
    const replay = await start(listing.id, buyer, { text: 'Once', clientMessageId: 'c-1' });
    expect(replay.message.id).toBe(first.message.id);

    const together = await Promise.all(
      [1, 2, 3].map(() =>
        t.call('POST', `/conversations/${first.conversation.id}/messages`, buyer, {
          text: 'Twice',
          clientMessageId: 'c-2',
        }),
      ),
    );
    const ids = new Set(together.map((response) => (response.json() as SentMessage).message.id));
    expect(ids.size).toBe(1);

    // The same first message sent twice at once: one conversation, one message.
    const other = await createListing();
    const firsts = await Promise.all(
      [1, 2].map(() =>
        t.call('POST', `/listings/${other.id}/messages`, buyer, {
          text: 'Hi there',
          clientMessageId: 'first-1',
        }),
      ),
    );
    expect(firsts.map((response) => response.statusCode)).toEqual([201, 201]);
    const [a, b] = firsts.map((response) => response.json() as SentMessage) as [SentMessage, SentMessage];
    expect(b.conversation.id).toBe(a.conversation.id);
    expect(b.message.id).toBe(a.message.id);
    expect(await messagesOf(a.conversation.id, seller)).toHaveLength(1);
    expect((await messagesOf(first.conversation.id, seller)).map((message) => message.text)).toEqual([
      'Twice',
      'Once',
    ]);
    expect(await unread(seller)).toBeGreaterThanOrEqual(2);
    const inbox = (await t.call('GET', '/conversations?limit=100', seller)).json();
    expect(inbox.items.find((item: Conversation) => item.id === first.conversation.id).unreadCount).toBe(2);
  });
});

describe('paging', () => {
  it('pages messages newest first, stable while new messages arrive', async () => {
    const listing = await createListing();
    const opened = await start(listing.id, buyer, { text: 'm1' });
    for (const text of ['m2', 'm3', 'm4', 'm5']) await send(opened.conversation.id, buyer, { text });
    const first = (
      await t.call('GET', `/conversations/${opened.conversation.id}/messages?limit=2`, seller)
    ).json();
    expect(first.items.map((message: Message) => message.text)).toEqual(['m5', 'm4']);
    await send(opened.conversation.id, seller, { text: 'new one' });
    const second = (
      await t.call(
        'GET',
        `/conversations/${opened.conversation.id}/messages?limit=2&cursor=${first.nextCursor}`,
        seller,
      )
    ).json();
    expect(second.items.map((message: Message) => message.text)).toEqual(['m3', 'm2']);
    const third = (
      await t.call(
        'GET',
        `/conversations/${opened.conversation.id}/messages?limit=2&cursor=${second.nextCursor}`,
        seller,
      )
    ).json();
    expect(third.items.map((message: Message) => message.text)).toEqual(['m1']);
    expect(third.nextCursor).toBeNull();
  });

  it('pages the inbox by latest activity', async () => {
    const fresh = await t.signUp();
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) {
      ids.push((await start((await createListing()).id, fresh, { text: `about ${index}` })).conversation.id);
    }
    await send(ids[0] as string, fresh, { text: 'bump' });
    const page1 = (await t.call('GET', '/conversations?limit=2', fresh)).json();
    const page2 = (await t.call('GET', `/conversations?limit=2&cursor=${page1.nextCursor}`, fresh)).json();
    expect([...page1.items, ...page2.items].map((item: Conversation) => item.id)).toEqual([
      ids[0],
      ids[2],
      ids[1],
    ]);
    expect(page2.nextCursor).toBeNull();
    // An inbox position is no position in a conversation's messages.
    const crossed = await t.call(
      'GET',
      `/conversations/${ids[0]}/messages?cursor=${page1.nextCursor}`,
      fresh,
    );
    expect(crossed.statusCode).toBe(400);
    expect(crossed.json().code).toBe('invalid_cursor');
  });
});

describe('delete for me', () => {
  it('hides the conversation for me until a new message arrives, showing only what came after', async () => {
    const listing = await createListing();
    const opened = await start(listing.id, buyer, { text: 'old message' });
    const gone = await t.call('DELETE', `/conversations/${opened.conversation.id}`, seller);
    expect(gone.statusCode).toBe(204);
    const inbox = async (who: TestUser) =>
      (await t.call('GET', '/conversations?limit=100', who))
        .json()
        .items.map((item: Conversation) => item.id);
    expect(await inbox(seller)).not.toContain(opened.conversation.id);
    expect(await inbox(buyer)).toContain(opened.conversation.id);
    expect(await messagesOf(opened.conversation.id, seller)).toEqual([]);

    await send(opened.conversation.id, buyer, { text: 'new message' });
    expect(await inbox(seller)).toContain(opened.conversation.id);
    expect((await messagesOf(opened.conversation.id, seller)).map((message) => message.text)).toEqual([
      'new message',
    ]);
    expect((await messagesOf(opened.conversation.id, buyer)).map((message) => message.text)).toEqual([
      'new message',
      'old message',
    ]);
  });
});

describe('blocking', () => {
  it('stops a blocked user from continuing or starting conversations with the blocker, until unblocked', async () => {
    const blocker = await t.signUp({ displayName: 'Blocking Seller' });
    const pest = await t.signUp({ displayName: 'Pest' });
    const listing = await createListing(blocker);
    const opened = await start(listing.id, pest, { text: 'hello' });

    expect((await t.call('POST', `/users/${pest.userId}/block`, blocker)).statusCode).toBe(204);
    expect((await t.call('POST', `/users/${pest.userId}/block`, blocker)).statusCode).toBe(204);
    const continued = await t.call('POST', `/conversations/${opened.conversation.id}/messages`, pest, {
      text: 'hey?',
    });
    expect(continued.statusCode).toBe(403);
    expect(continued.json().code).toBe('blocked');
    const other = await createListing(blocker);
    const started = await t.call('POST', `/listings/${other.id}/messages`, pest, { text: 'again' });
    expect(started.statusCode).toBe(403);
    expect(started.json().code).toBe('blocked');
    const own = await t.call('POST', `/conversations/${opened.conversation.id}/messages`, blocker, {
      text: 'x',
    });
    expect(own.statusCode).toBe(409);
    expect(own.json().code).toBe('you_blocked_user');
    expect((await messagesOf(opened.conversation.id, blocker)).map((message) => message.text)).toEqual([
      'hello',
    ]);
    expect((await t.call('GET', `/conversations/${opened.conversation.id}`, pest)).json()).toMatchObject({
      blockedMe: true,
      blockedByMe: false,
    });

    const list = (await t.call('GET', '/users/me/blocks', blocker)).json();
    expect(list.items).toEqual([
      { user: { id: pest.userId, displayName: 'Pest', avatarUrl: null }, blockedAt: expect.any(String) },
    ]);
    expect((await t.call('POST', `/users/${blocker.userId}/block`, blocker)).json().code).toBe(
      'cannot_block_self',
    );
    expect(
      (await t.call('POST', '/users/0190a5c8-0000-7000-8000-000000000000/block', blocker)).json().code,
    ).toBe('user_not_found');

    expect((await t.call('DELETE', `/users/${pest.userId}/block`, blocker)).statusCode).toBe(204);
    await send(opened.conversation.id, pest, { text: 'sorry' });
    expect((await t.call('GET', '/users/me/blocks', blocker)).json().items).toEqual([]);
  });
});

describe('safety warning', () => {
  it('flags contact details and payment links before a sale, and leaves ordinary messages alone', async () => {
    const listing = await createListing();
    const opened = await start(listing.id, buyer, { text: 'Call me on 077 123 4567' });
    expect(opened.message.safetyWarning).toBe('contact_details');
    await send(opened.conversation.id, seller, { text: 'Pay the deposit to paypal.me/sunil' });
    await send(opened.conversation.id, seller, { text: 'Would Rs. 7,400,000 work?' });
    const seen = await messagesOf(opened.conversation.id, buyer);
    expect(seen.map((message) => message.safetyWarning)).toEqual([null, 'payment_link', 'contact_details']);
  });
});

describe('photos', () => {
  it('sends photos uploaded first, as WebP variants; a photo is sent once and only by its uploader', async () => {
    const listing = await createListing();
    const opened = await start(listing.id, buyer, { text: 'Here is the scratch' });
    const body = multipart([{ data: await twoTonePhoto(1200, 900).jpeg().toBuffer() }]);
    const uploaded = await t.app.inject({
      method: 'POST',
      url: '/api/v1/messages/images',
      headers: { ...seller.headers, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const [image] = uploaded.json().items;
    expect(image.variants.map((variant: { width: number }) => variant.width)).toEqual([320, 800]);

    const stolen = await t.call('POST', `/conversations/${opened.conversation.id}/messages`, buyer, {
      imageIds: [image.id],
    });
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json().code).toBe('image_not_found');

    const message = await send(opened.conversation.id, seller, { imageIds: [image.id] });
    expect(message.images.map((sent) => sent.id)).toEqual([image.id]);
    expect(message.text).toBe('');
    const file = await t.app.inject({ method: 'GET', url: message.images[0]?.variants[0]?.url as string });
    expect(file.headers['content-type']).toBe('image/webp');
    const twice = await t.call('POST', `/conversations/${opened.conversation.id}/messages`, seller, {
      imageIds: [image.id],
    });
    expect(twice.json().code).toBe('image_not_found');
    expect((await messagesOf(opened.conversation.id, buyer))[0]?.images[0]?.id).toBe(image.id);

    // The orphan job removes photos uploaded but never sent, and keeps sent ones.
    const spare = multipart([{ data: await twoTonePhoto(600, 400).png().toBuffer(), type: 'image/png' }]);
    const unsent = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/messages/images',
        headers: { ...seller.headers, 'content-type': spare.contentType },
        payload: spare.payload,
      })
    ).json().items[0];
    expect(await t.app.modules.media.service.removeOrphans({ olderThanMs: 0 })).toBe(1);
    const kept = await t.app.inject({ method: 'GET', url: message.images[0]?.variants[0]?.url as string });
    expect(kept.statusCode).toBe(200);
    const removed = await t.app.inject({ method: 'GET', url: unsent.variants[0].url });
    expect(removed.statusCode).toBe(404);
    expect((await messagesOf(opened.conversation.id, seller))[0]?.images).toHaveLength(1);

    const bogus = multipart([{ data: Buffer.from('not an image at all') }]);
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/messages/images',
      headers: { ...seller.headers, 'content-type': bogus.contentType },
      payload: bogus.payload,
    });
    expect(refused.statusCode).toBe(415);
  });
});

describe('search', () => {
  it('finds my messages by words and word starts, newest first, and nobody else’s', async () => {
    const listing = await createListing();
    const opened = await start(listing.id, buyer, { text: 'Does the Corolla have a reverse camera?' });
    await send(opened.conversation.id, seller, { text: 'Yes, the camera works fine.' });
    const hits = (await t.call('GET', '/messages/search?q=camera', buyer)).json();
    expect(hits.items.map((hit: { message: Message }) => hit.message.text).slice(0, 2)).toEqual([
      'Yes, the camera works fine.',
      'Does the Corolla have a reverse camera?',
    ]);
    expect(hits.items[0]).toMatchObject({
      conversationId: opened.conversation.id,
      listingTitle: listing.title,
    });
    const prefix = (await t.call('GET', '/messages/search?q=revers cam', seller)).json();
    expect(prefix.items.map((hit: { message: Message }) => hit.message.text)).toContain(
      'Does the Corolla have a reverse camera?',
    );
    expect((await t.call('GET', '/messages/search?q=camera', outsider)).json().items).toEqual([]);
    expect((await t.call('GET', '/messages/search?q=x', buyer)).statusCode).toBe(400);
    expect((await t.call('GET', '/messages/search?q=%26%7C!', buyer)).json().items).toEqual([]);
  });
});

describe('reports', () => {
  it('stores a report with the messages as evidence, once per reporter while open', async () => {
    const listing = await createListing();
    const opened = await start(listing.id, buyer, { text: 'Send the money by Western Union first' });
    const response = await t.call('POST', `/conversations/${opened.conversation.id}/report`, seller, {
      reason: 'scam',
      text: 'Asks for Western Union',
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ reason: 'scam', status: 'open' });
    const again = await t.call('POST', `/conversations/${opened.conversation.id}/report`, seller, {
      reason: 'spam',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already_reported');
    expect(
      (await t.call('POST', `/conversations/${opened.conversation.id}/report`, seller, { reason: 'nope' }))
        .statusCode,
    ).toBe(400);

    // Evidence survives the reporter deleting the conversation for themselves.
    await t.call('DELETE', `/conversations/${opened.conversation.id}`, seller);
    const [row] = await t.platform.database.db
      .select()
      .from(conversationReports)
      .where(eq(conversationReports.id, response.json().id));
    expect(row).toMatchObject({
      reportedUserId: buyer.userId,
      reporterId: seller.userId,
      text: 'Asks for Western Union',
    });
    expect(row?.evidence.map((message) => message.text)).toEqual(['Send the money by Western Union first']);
  });
});

describe('quick replies', () => {
  it('keeps a seller’s templates (capped), and sends one with one tap', async () => {
    const keeper = await t.signUp();
    const created = await t.call('POST', '/quick-replies', keeper, { text: 'Yes, it is still available.' });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const changed = await t.call('PATCH', `/quick-replies/${id}`, keeper, { text: 'Yes, still available!' });
    expect(changed.json().text).toBe('Yes, still available!');
    expect((await t.call('PATCH', `/quick-replies/${id}`, outsider, { text: 'mine now' })).statusCode).toBe(
      404,
    );
    expect((await t.call('DELETE', `/quick-replies/${id}`, outsider)).statusCode).toBe(404);
    expect((await t.call('POST', '/quick-replies', keeper, { text: '' })).statusCode).toBe(400);
    expect((await t.call('POST', '/quick-replies', keeper, { text: 'x'.repeat(501) })).statusCode).toBe(400);

    const listing = await createListing(keeper);
    const opened = await start(listing.id, buyer, { text: 'Available?' });
    const message = await send(opened.conversation.id, keeper, { quickReplyId: id });
    expect(message.text).toBe('Yes, still available!');
    const foreign = await t.call('POST', `/conversations/${opened.conversation.id}/messages`, buyer, {
      quickReplyId: id,
    });
    expect(foreign.json().code).toBe('quick_reply_not_found');

    await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        t.call('POST', '/quick-replies', keeper, { text: `Reply ${index}` }),
      ),
    );
    const list = (await t.call('GET', '/quick-replies', keeper)).json();
    expect(list.items).toHaveLength(20);
    const over = await t.call('POST', '/quick-replies', keeper, { text: 'one more' });
    expect(over.statusCode).toBe(409);
    expect(over.json().code).toBe('too_many_quick_replies');
    expect((await t.call('DELETE', `/quick-replies/${id}`, keeper)).statusCode).toBe(204);
    expect((await t.call('GET', '/quick-replies', keeper)).json().items).toHaveLength(19);
  });
});

describe('the message rows', () => {
  it('keep the before-sale flag derived at send time', async () => {
    const rows = await t.platform.database.db
      .select({ beforeSale: messages.beforeSale })
      .from(messages)
      .limit(5);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((row) => row.beforeSale)).toBe(true);
  });
});

describe('limits and documentation', () => {
  it('drops typing signals past the rate limit with 429, per user', async () => {
    const talker = await t.signUp();
    const opened = await start((await createListing()).id, talker, { text: 'hi' });
    const statuses: number[] = [];
    for (let index = 0; index < 14; index++) {
      statuses.push(
        (await t.call('POST', `/conversations/${opened.conversation.id}/typing`, talker)).statusCode,
      );
    }
    expect(statuses.slice(0, 12).every((status) => status === 204)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    // Another member is not held back by it.
    expect((await t.call('POST', `/conversations/${opened.conversation.id}/typing`, seller)).statusCode).toBe(
      204,
    );
  });

  it('describes every messaging endpoint in the OpenAPI document', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/listings/{id}/messages',
        '/api/v1/conversations',
        '/api/v1/conversations/unread',
        '/api/v1/conversations/{id}',
        '/api/v1/conversations/{id}/messages',
        '/api/v1/conversations/{id}/read',
        '/api/v1/conversations/{id}/typing',
        '/api/v1/conversations/{id}/report',
        '/api/v1/messages/search',
        '/api/v1/messages/images',
        '/api/v1/users/{id}/block',
        '/api/v1/users/me/blocks',
        '/api/v1/quick-replies',
        '/api/v1/quick-replies/{id}',
      ]),
    );
    expect(document.paths['/api/v1/conversations/{id}/messages'].post.responses['201']).toBeDefined();
  });
});
