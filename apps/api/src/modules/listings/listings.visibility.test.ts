import type { Listing } from '@souk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListingFixtures, listingFixtures } from '../../test-support/listing-fixtures.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';

/*
 * Issue 16 #11: every read that takes a listing id applies GET /listings/:id's rule. A draft and
 * a deleted listing are 404 to anyone but their seller (and admins); sold ones stay public.
 */

let t: TestApp;
let f: ListingFixtures;
let seller: TestUser;
let stranger: TestUser;
let admin: TestUser;
let draft: Listing;
let deleted: Listing;
let sold: Listing;
let spec: { paths: Record<string, Record<string, unknown>> };

beforeAll(async () => {
  t = await createTestApp();
  f = await listingFixtures(t);
  [seller, stranger, admin] = await Promise.all([t.signUp(), t.signUp(), t.signUp({ role: 'admin' })]);
  // Listings alike in title and category, so each has similar listings to show.
  await f.publish(seller, { title: 'Toyota Corolla 2018 hybrid' });
  draft = await f.draft(seller, { title: 'Toyota Corolla 2017 petrol' });
  deleted = await f.publish(seller, { title: 'Toyota Corolla 2016 diesel' });
  expect((await t.call('DELETE', `/listings/${deleted.id}`, seller)).statusCode).toBe(204);
  sold = await f.publish(seller, { title: 'Toyota Corolla 2015 automatic' });
  expect((await t.call('POST', `/listings/${sold.id}/sold`, seller)).statusCode).toBe(200);
  spec = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
});
afterAll(() => t?.close());

/** Every GET of the API that reads one listing by id: `/listings/{id}` and all under it. */
function listingReads(): string[] {
  return Object.entries(spec.paths)
    .filter(([path, operations]) => path.startsWith('/api/v1/listings/{id}') && 'get' in operations)
    .map(([path]) => path.replace('/api/v1', ''));
}

/** The other operations that take a listing id from a stranger, each as the client sends it. */
const otherUses = (id: string): [string, 'POST' | 'PUT', string, unknown?][] => [
  ['favorite it', 'POST', `/favorites/${id}`],
  ['compare it', 'POST', `/compare/${id}`],
  ['message its seller', 'POST', `/listings/${id}/messages`, { text: 'Is it still available?' }],
  ['start a conversation', 'POST', '/conversations', { listingId: id, text: 'Is it still available?' }],
  ['comment on it', 'POST', `/listings/${id}/comments`, { text: 'Nice car' }],
  ['upvote it', 'PUT', `/listings/${id}/upvote`],
  ['record a view', 'POST', '/search/recently-viewed', { listingId: id }],
];

describe('reads of a listing by id', () => {
  it('the OpenAPI document lists the reads this test covers', () => {
    const reads = listingReads();
    for (const path of [
      '/listings/{id}',
      '/listings/{id}/similar',
      '/listings/{id}/reviews',
      '/listings/{id}/comments',
      '/listings/{id}/showcase',
      '/listings/{id}/favorites/count',
    ]) {
      expect(reads).toContain(path);
    }
  });

  it('a draft or a deleted listing is 404 on every read, to anyone but its seller', async () => {
    const leaks: string[] = [];
    for (const listing of [draft, deleted]) {
      for (const path of listingReads()) {
        const url = path.replace('{id}', listing.id);
        for (const [who, user] of [
          ['anonymous', null],
          ['another member', stranger],
        ] as const) {
          const response = await t.call('GET', url, user);
          if (response.statusCode !== 404)
            leaks.push(`GET ${url} (${listing.status}, ${who}): ${response.statusCode}`);
        }
      }
      for (const [name, method, url, body] of otherUses(listing.id)) {
        const response = await t.call(method, url, stranger, body);
        if (response.statusCode !== 404) leaks.push(`${name} (${listing.status}): ${response.statusCode}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('similar listings follow the rule: the seller and admins see a draft, everyone sees a sold one', async () => {
    const similar = (listing: Listing, who: TestUser | null) =>
      t.call('GET', `/listings/${listing.id}/similar`, who);
    for (const listing of [draft, deleted]) {
      expect((await similar(listing, null)).statusCode).toBe(404);
      expect((await similar(listing, stranger)).statusCode).toBe(404);
      expect((await t.call('GET', `/listings/${listing.id}`, stranger)).statusCode).toBe(404);
    }
    const own = await similar(draft, seller);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().items.length).toBeGreaterThan(0);
    expect((await similar(draft, admin)).statusCode).toBe(200);
    // A deleted listing: admins only, as GET /listings/:id.
    expect((await similar(deleted, seller)).statusCode).toBe(404);
    expect((await similar(deleted, admin)).statusCode).toBe(200);
    for (const who of [null, stranger]) {
      const response = await similar(sold, who);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().items.map((item: Listing) => item.status)).toEqual(
        response.json().items.map(() => 'active'),
      );
    }
  });

  it('ratings by listing name no seller for a draft or a deleted listing', async () => {
    const response = await t.call(
      'GET',
      `/ratings?listingIds=${draft.id},${deleted.id},${sold.id}`,
      stranger,
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().items.map((item: { listingId: string }) => item.listingId)).toEqual([sold.id]);
  });
});
