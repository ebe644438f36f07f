import type { Comment, CommentThreadPage, Listing } from '@souk/contracts';
import { eq } from 'drizzle-orm';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ListingFixtures, listingFixtures } from '../../test-support/listing-fixtures.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { comments } from './comments.schema.js';

let t: TestApp;
let seller: TestUser;
let alice: TestUser;
let bob: TestUser;
let fx: ListingFixtures;

beforeAll(async () => {
  t = await createTestApp();
  fx = await listingFixtures(t);
  seller = await t.signUp({ displayName: 'Sam Seller' });
});

// Fresh commenters each test: writes are rate-limited per member (20 a minute).
beforeEach(async () => {
  [alice, bob] = await Promise.all([
    t.signUp({ displayName: 'Alice Asker' }),
    t.signUp({ displayName: 'Bob Replier' }),
  ]);
});

afterAll(async () => {
  await t?.close();
});

type Who = TestUser | null;

function carListing(publish = true): Promise<Listing> {
  const title = 'Toyota Aqua 2015, hybrid';
  return publish ? fx.publish(seller, { title }) : fx.draft(seller, { title });
}

async function comment(listingId: string, who: TestUser, text: string, parentId?: string): Promise<Comment> {
  const response = await t.call('POST', `/listings/${listingId}/comments`, who, {
    text,
    ...(parentId ? { parentId } : {}),
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function thread(listingId: string, query = '', who: Who = null): Promise<CommentThreadPage> {
  const response = await t.call('GET', `/listings/${listingId}/comments${query}`, who);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

async function notificationsOf(who: TestUser) {
  const response = await t.call('GET', '/notifications', who);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().items as { type: string; title: string; body: string; url: string }[];
}

describe('comments', () => {
  it('threads replies to any depth, in tree order, paged by top-level comment', async () => {
    const listing = await carListing();
    const first = await comment(listing.id, alice, 'Is the price negotiable?');
    const second = await comment(listing.id, bob, 'Has it been in an accident?');
    const reply = await comment(listing.id, seller, 'A little, yes.', first.id);
    const deeper = await comment(listing.id, alice, 'How little?', reply.id);
    const deepest = await comment(listing.id, bob, 'Asking too.', deeper.id);
    const sibling = await comment(listing.id, bob, 'Same question.', first.id);
    expect(reply).toMatchObject({ parentId: first.id, depth: 1, deleted: false, edited: false });
    expect(deepest.depth).toBe(3);
    expect(deepest.author).toEqual({ id: bob.userId, displayName: 'Bob Replier', avatarUrl: null });

    const all = await thread(listing.id);
    expect(all.items.map((item) => item.id)).toEqual([
      first.id,
      reply.id,
      deeper.id,
      deepest.id,
      sibling.id,
      second.id,
    ]);
    expect(all.total).toBe(6);
    expect(all.items[0]?.replyCount).toBe(2);
    expect(all.nextCursor).toBeNull();

    const page1 = await thread(listing.id, '?limit=1');
    expect(page1.items.map((item) => item.id)).toEqual([
      first.id,
      reply.id,
      deeper.id,
      deepest.id,
      sibling.id,
    ]);
    const page2 = await thread(listing.id, `?limit=1&cursor=${page1.nextCursor}`);
    expect(page2.items.map((item) => item.id)).toEqual([second.id]);
    expect(page2.nextCursor).toBeNull();
  });

  it('notifies the listing owner of a comment and the parent author of a reply', async () => {
    const listing = await carListing();
    const question = await comment(listing.id, alice, 'Can I see it on Saturday?');
    const ownerNews = (await notificationsOf(seller)).filter((item) => item.url.includes(question.id));
    expect(ownerNews).toEqual([
      expect.objectContaining({ type: 'listing_commented', body: 'Can I see it on Saturday?' }),
    ]);

    const answer = await comment(listing.id, bob, 'I am going too.', question.id);
    const aliceNews = (await notificationsOf(alice)).filter((item) => item.url.includes(answer.id));
    expect(aliceNews).toEqual([expect.objectContaining({ type: 'comment_replied' })]);
    expect((await notificationsOf(seller)).filter((item) => item.url.includes(answer.id))).toHaveLength(1);

    // The seller answering their own listing's question notifies the asker only, never themselves.
    const sellerAnswer = await comment(listing.id, seller, 'Yes, after 10.', question.id);
    expect((await notificationsOf(seller)).filter((item) => item.url.includes(sellerAnswer.id))).toHaveLength(
      0,
    );
    expect((await notificationsOf(alice)).filter((item) => item.url.includes(sellerAnswer.id))).toHaveLength(
      1,
    );
  });

  it('edits by the author only', async () => {
    const listing = await carListing();
    const mine = await comment(listing.id, alice, 'Original text');
    const foreign = await t.call('PATCH', `/comments/${mine.id}`, bob, { text: 'Vandalised' });
    expect(foreign.statusCode).toBe(403);
    expect((await t.call('PATCH', `/comments/${mine.id}`, seller, { text: 'Owner edit' })).statusCode).toBe(
      403,
    );
    expect((await t.call('PATCH', `/comments/${mine.id}`, null, { text: 'Anonymous' })).statusCode).toBe(401);
    expect((await thread(listing.id)).items[0]?.text).toBe('Original text');

    const edited = await t.call('PATCH', `/comments/${mine.id}`, alice, { text: 'Better text' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ text: 'Better text', edited: true });
    expect((await thread(listing.id)).items[0]).toMatchObject({ text: 'Better text', edited: true });
    expect((await t.call('DELETE', `/comments/${mine.id}`, bob)).statusCode).toBe(403);
    expect((await t.call('PATCH', `/comments/${uuidv7()}`, alice, { text: 'x' })).statusCode).toBe(404);
  });

  it('a deleted comment with replies stays as a placeholder; without replies it goes', async () => {
    const listing = await carListing();
    const parent = await comment(listing.id, alice, 'Parent');
    const child = await comment(listing.id, bob, 'Child', parent.id);
    const lonely = await comment(listing.id, bob, 'Lonely');

    expect((await t.call('DELETE', `/comments/${parent.id}`, alice)).statusCode).toBe(204);
    let items = (await thread(listing.id)).items;
    expect(items.map((item) => item.id)).toEqual([parent.id, child.id, lonely.id]);
    expect(items[0]).toMatchObject({ id: parent.id, deleted: true, author: null, text: null, replyCount: 1 });
    expect((await thread(listing.id)).total).toBe(2);
    // Gone for its author too: no edit, no second delete, no replies to it.
    expect((await t.call('PATCH', `/comments/${parent.id}`, alice, { text: 'Back' })).statusCode).toBe(404);
    expect((await t.call('DELETE', `/comments/${parent.id}`, alice)).statusCode).toBe(404);
    const toDeleted = await t.call('POST', `/listings/${listing.id}/comments`, bob, {
      text: 'Hello?',
      parentId: parent.id,
    });
    expect(toDeleted.statusCode).toBe(409);
    expect(toDeleted.json().code).toBe('parent_deleted');

    expect((await t.call('DELETE', `/comments/${lonely.id}`, bob)).statusCode).toBe(204);
    items = (await thread(listing.id)).items;
    expect(items.map((item) => item.id)).toEqual([parent.id, child.id]);

    // The last reply of a placeholder goes: the placeholder goes with it.
    expect((await t.call('DELETE', `/comments/${child.id}`, bob)).statusCode).toBe(204);
    expect((await thread(listing.id)).items).toEqual([]);
    const left = await t.platform.database.db
      .select()
      .from(comments)
      .where(eq(comments.listingId, listing.id));
    expect(left).toEqual([]);
  });

  it('refuses a reply to a comment of another listing, and other bad input, changing nothing', async () => {
    const listing = await carListing();
    const other = await carListing();
    const elsewhere = await comment(other.id, alice, 'On the other listing');
    const draft = await carListing(false);
    const before = await thread(listing.id);

    const cases: [Who, string, unknown, number, string?][] = [
      [bob, listing.id, { text: 'Reply across', parentId: elsewhere.id }, 400, 'parent_on_other_listing'],
      [bob, listing.id, { text: 'Reply to nothing', parentId: uuidv7() }, 400, 'parent_not_found'],
      [bob, listing.id, { text: 'Bad parent', parentId: 'nope' }, 400, 'validation_failed'],
      [bob, listing.id, { text: '' }, 400, 'validation_failed'],
      [bob, listing.id, { text: '   \n\t ' }, 400, 'validation_failed'],
      // A NUL is refused for every route before the comment rules run (platform/http/nul-guard.ts);
      // other control characters are cleaned away, and nothing left is an empty comment.
      [bob, listing.id, { text: '\u0000\u0007' }, 400, 'validation_failed'],
      [bob, listing.id, { text: '\u0007\u0008' }, 400, 'empty_comment'],
      [bob, listing.id, { text: 'x'.repeat(5001) }, 400, 'validation_failed'],
      [bob, listing.id, { text: 42 }, 400, 'validation_failed'],
      [bob, listing.id, {}, 400, 'validation_failed'],
      [bob, listing.id, { text: 'hi', authorId: seller.userId }, 400, 'validation_failed'],
      [null, listing.id, { text: 'Anonymous' }, 401],
      [bob, draft.id, { text: 'On a draft' }, 404, 'listing_not_found'],
      [bob, uuidv7(), { text: 'On nothing' }, 404, 'listing_not_found'],
    ];
    for (const [who, listingId, body, status, code] of cases) {
      const response = await t.call('POST', `/listings/${listingId}/comments`, who, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(status);
      if (code) expect(response.json().code).toBe(code);
    }
    expect(await thread(listing.id)).toEqual(before);
    expect((await thread(other.id)).items.map((item) => item.id)).toEqual([elsewhere.id]);
    expect((await t.call('GET', `/listings/${draft.id}/comments`, bob)).statusCode).toBe(404);
    expect((await t.call('GET', `/listings/${draft.id}/comments`, seller)).statusCode).toBe(200);
    expect((await t.call('GET', `/listings/${listing.id}/comments?cursor=zzz`, null)).statusCode).toBe(400);
    expect((await t.call('GET', `/listings/${listing.id}/comments?limit=51`, null)).statusCode).toBe(400);
    expect((await t.call('PATCH', `/comments/${elsewhere.id}`, alice, { text: '' })).statusCode).toBe(400);
  });

  it('keeps text plain: control characters go, links stay text for the client to render safely', async () => {
    const listing = await carListing();
    const made = await comment(
      listing.id,
      alice,
      'See\u0007 https://example.com/x?a=1 <b>bold</b>\r\n\r\n\r\n\r\nbye',
    );
    expect(made.text).toBe('See https://example.com/x?a=1 <b>bold</b>\n\nbye');
  });

  it('sold listings keep their discussion readable but take no new comments', async () => {
    const listing = await carListing();
    await comment(listing.id, alice, 'Still available?');
    expect((await t.call('POST', `/listings/${listing.id}/sold`, seller)).statusCode).toBe(200);
    expect((await thread(listing.id)).items).toHaveLength(1);
    const late = await t.call('POST', `/listings/${listing.id}/comments`, bob, { text: 'Too late?' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('listing_not_open');
  });

  it('replies of concurrent writers and a concurrent delete leave a consistent thread', async () => {
    const listing = await carListing();
    const parent = await comment(listing.id, alice, 'Busy thread');
    const results = await Promise.all([
      ...Array.from({ length: 10 }, (_, index) =>
        t.call('POST', `/listings/${listing.id}/comments`, bob, {
          text: `Reply ${index}`,
          parentId: parent.id,
        }),
      ),
      t.call('DELETE', `/comments/${parent.id}`, alice),
    ]);
    const created = results.slice(0, 10).filter((response) => response.statusCode === 201).length;
    // A reply that lost the race finds its parent deleted (a placeholder: 409) or gone (400).
    for (const response of results.slice(0, 10)) expect([201, 400, 409]).toContain(response.statusCode);
    expect(results[10]?.statusCode).toBe(204);
    const items = (await thread(listing.id)).items;
    if (created === 0) expect(items).toEqual([]);
    else {
      expect(items[0]).toMatchObject({ id: parent.id, deleted: true, replyCount: created });
      expect(items).toHaveLength(created + 1);
    }
  });
});
