import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DevMailbox } from '../../platform/mail/index.js';
import { type ListingFixtures, listingFixtures } from '../../test-support/listing-fixtures.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { waitFor } from '../../test-support/wait.js';
import { multipart } from '../media/media.test-support.js';

let t: TestApp;
let fx: ListingFixtures;
let seller: TestUser;

beforeAll(async () => {
  t = await createTestApp({ work: true });
  fx = await listingFixtures(t);
  seller = await t.signUp({ displayName: 'Verified Seller' });
});
afterAll(() => t.close());

async function draftOf(who: TestUser): Promise<string> {
  return (await fx.draft(who, { title: 'Toyota Corolla 2018, one owner' })).id;
}

function expectUnverified(response: Awaited<ReturnType<TestApp['call']>>) {
  expect(response.statusCode, response.body).toBe(403);
  expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(response.json()).toMatchObject({ code: 'email_unverified', status: 403 });
  expect(response.json().detail).toMatch(/verify-email\/resend/);
}

describe('an account that has not confirmed its e-mail address', () => {
  it('keeps drafts, but cannot publish until it confirms the mailed link', async () => {
    const member = await t.signUp({ verified: false });
    const id = await draftOf(member);
    expectUnverified(await t.call('POST', `/listings/${id}/publish`, member));
    expect((await t.call('GET', `/listings/${id}`, member)).json().status).toBe('draft');
    expect((await t.call('GET', `/listings/${id}`, null)).statusCode).toBe(404);

    // The link from the sign-up mail unlocks publishing.
    const mailbox = t.platform.mailer as DevMailbox;
    const token = await waitFor(async () => {
      const { items } = await mailbox.list({ limit: 100 });
      for (const item of items.filter((mail) => mail.to === member.email)) {
        const match = (await mailbox.get(item.id))?.text.match(/verify-email\?token=([\w%-]+)/);
        if (match?.[1]) return decodeURIComponent(match[1]);
      }
      return undefined;
    });
    expect((await t.call('POST', '/auth/verify-email', null, { token })).statusCode).toBe(204);
    const published = await t.call('POST', `/listings/${id}/publish`, member);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json().status).toBe('active');
  });

  it('cannot write first to a seller, but can answer in a conversation it is part of', async () => {
    const listingId = await draftOf(seller);
    expect((await t.call('POST', `/listings/${listingId}/publish`, seller)).statusCode).toBe(200);
    const stranger = await t.signUp({ verified: false });
    expectUnverified(
      await t.call('POST', `/listings/${listingId}/messages`, stranger, { text: 'Still there?' }),
    );
    expect((await t.call('GET', '/conversations', stranger)).json().items).toEqual([]);

    // An unverified seller answers a verified buyer: only first contact needs the check.
    const newSeller = await t.signUp({ verified: false });
    const ownDraft = await draftOf(newSeller);
    await t.app.modules.auth.service.accounts.markEmailVerified(newSeller.userId);
    expect((await t.call('POST', `/listings/${ownDraft}/publish`, newSeller)).statusCode).toBe(200);
    await t.platform.database.db.execute(
      sql`update users set email_verified_at = null where id = ${newSeller.userId}`,
    );
    const buyer = await t.signUp();
    const first = await t.call('POST', `/listings/${ownDraft}/messages`, buyer, { text: 'Is it available?' });
    expect(first.statusCode, first.body).toBe(201);
    const conversationId = first.json().conversation.id as string;
    expect(
      (await t.call('POST', `/conversations/${conversationId}/messages`, newSeller, { text: 'Yes' }))
        .statusCode,
    ).toBe(201);
  });

  it('cannot review a seller', async () => {
    const listingId = await draftOf(seller);
    expect((await t.call('POST', `/listings/${listingId}/publish`, seller)).statusCode).toBe(200);
    const review = { sellerId: seller.userId, stars: 4, title: 'Good seller', text: 'Quick answers.' };
    // A review needs a conversation, which an unverified member cannot start: the member talks
    // while verified, then its address is unconfirmed again (nothing in Souk does that; an
    // account from before this rule is in that state).
    const reviewer = await t.signUp();
    expect(
      (await t.call('POST', `/listings/${listingId}/messages`, reviewer, { text: 'Hello' })).statusCode,
    ).toBe(201);
    await t.platform.database.db.execute(
      sql`update users set email_verified_at = null where id = ${reviewer.userId}`,
    );
    expectUnverified(await t.call('POST', '/reviews', reviewer, review));
    expect((await t.call('GET', `/users/${seller.userId}/rating`, null)).json().count).toBe(0);
    await t.app.modules.auth.service.accounts.markEmailVerified(reviewer.userId);
    expect((await t.call('POST', '/reviews', reviewer, review)).statusCode).toBe(201);
  });

  it('cannot import listings; a dry run (which writes nothing) is allowed', async () => {
    const member = await t.signUp({ verified: false });
    const csv =
      'external_id,category,title,description,price,currency,price_type,condition\n' +
      'A1,cars,Toyota Corolla stock A1,Well kept,7500000,LKR,fixed,used\n';
    const upload = (query: string) => {
      const body = multipart([
        { data: Buffer.from(csv), filename: 'stock.csv', type: 'text/csv', field: 'file' },
      ]);
      return t.call('POST', `/imports${query}`, member, body.payload, { 'content-type': body.contentType });
    };
    expectUnverified(await upload(''));
    expect((await upload('?dryRun=true')).statusCode).toBe(202);
  });
});
