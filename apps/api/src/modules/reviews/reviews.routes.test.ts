import type { CategoryDetail, Listing, Review, SellerRating } from '@souk/contracts';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListingFixtures, listingFixtures } from '../../test-support/listing-fixtures.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { reviewReports, reviews, sellerRatings } from './reviews.schema.js';

let t: TestApp;
let seller: TestUser;
let buyer: TestUser;
let other: TestUser;
let stranger: TestUser;
let _cars: CategoryDetail;
let listing: Listing;

let fx: ListingFixtures;

function createListing(who: TestUser): Promise<Listing> {
  return fx.publish(who, { title: 'Toyota Corolla 2018, one owner' });
}

async function talk(who: TestUser, about: Listing = listing) {
  const response = await t.call('POST', `/listings/${about.id}/messages`, who, {
    text: 'Is it still available?',
  });
  expect(response.statusCode, response.body).toBe(201);
}

async function review(who: TestUser, body: object, sellerId = seller.userId): Promise<Review> {
  const response = await t.call('POST', '/reviews', who, {
    sellerId,
    stars: 4,
    title: 'Good seller',
    text: 'Answered quickly, car as described.',
    ...body,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const rating = async (sellerId = seller.userId): Promise<SellerRating> =>
  (await t.call('GET', `/users/${sellerId}/rating`, null)).json();

/** The aggregate must equal what the reviews themselves add up to. */
async function expectExact(sellerId: string) {
  const recount = await t.app.modules.reviews.service.recount(sellerId);
  const shown = await rating(sellerId);
  expect(shown.count).toBe(recount.count);
  expect(shown.distribution.reduce((a, b) => a + b, 0)).toBe(recount.count);
  const total = shown.distribution.reduce((sum, n, index) => sum + n * (index + 1), 0);
  expect(total).toBe(recount.total);
  if (recount.count > 0)
    expect(shown.average).toBeCloseTo(Math.round((recount.total / recount.count) * 100) / 100, 5);
  else expect(shown.average).toBeNull();
  return shown;
}

async function reviewCount() {
  const [row] = await t.platform.database.db.select({ n: sql<number>`count(*)::int` }).from(reviews);
  return Number(row?.n);
}

beforeAll(async () => {
  t = await createTestApp();
  fx = await listingFixtures(t);
  [seller, buyer, other, stranger] = await Promise.all([
    t.signUp({ displayName: 'Sunil Seller' }),
    t.signUp({ displayName: 'Bimal Buyer' }),
    t.signUp({ displayName: 'Olu Other' }),
    t.signUp({ displayName: 'Sam Stranger' }),
  ]);
  _cars = await fx.category('cars');
  listing = await createListing(seller);
  await talk(buyer);
  await talk(other);
});

afterAll(async () => {
  await t.close();
});

describe('writing a review', () => {
  it('is refused without a prior conversation with the seller, and nothing is stored', async () => {
    const before = await reviewCount();
    const response = await t.call('POST', '/reviews', stranger, {
      sellerId: seller.userId,
      stars: 1,
      title: 'Never met',
      text: 'Drive-by review',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().code).toBe('no_conversation');
    expect(await reviewCount()).toBe(before);
    const eligibility = (await t.call('GET', `/users/${seller.userId}/review-eligibility`, stranger)).json();
    expect(eligibility).toEqual({ eligible: false, reason: 'no_conversation' });
  });

  it('is refused for yourself', async () => {
    const response = await t.call('POST', '/reviews', seller, {
      sellerId: seller.userId,
      stars: 5,
      title: 'Great me',
      text: 'I am the best',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('cannot_review_self');
    expect((await t.call('GET', `/users/${seller.userId}/review-eligibility`, seller)).json().reason).toBe(
      'self',
    );
  });

  it('stores a review after a conversation, updates the rating and notifies the seller once', async () => {
    expect((await t.call('GET', `/users/${seller.userId}/review-eligibility`, buyer)).json()).toEqual({
      eligible: true,
      reason: null,
    });
    const created = await review(buyer, { listingId: listing.id, stars: 5, title: '  Honest seller ' });
    expect(created).toMatchObject({
      stars: 5,
      title: 'Honest seller',
      text: 'Answered quickly, car as described.',
      seller: { id: seller.userId, displayName: 'Sunil Seller' },
      reviewer: { id: buyer.userId, displayName: 'Bimal Buyer' },
      listing: { id: listing.id, title: listing.title },
      verifiedBuyer: false,
      helpfulCount: 0,
      votedHelpful: false,
      editable: true,
      response: null,
    });
    const shown = await expectExact(seller.userId);
    expect(shown).toMatchObject({ count: 1, average: 5, distribution: [0, 0, 0, 0, 1] });

    const profile = (await t.call('GET', `/users/${seller.userId}`, null)).json();
    expect(profile.sellerRating).toEqual({ average: 5, count: 1 });
    expect((await t.call('GET', `/users/${seller.userId}/stats`, null)).json().reviews).toBe(1);

    const bell = (await t.call('GET', '/notifications', seller)).json();
    const mine = bell.items.filter((item: { type: string }) => item.type === 'review_received');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ title: 'Bimal Buyer gave you 5 stars', data: { reviewId: created.id } });
  });

  it('refuses a second review of the same seller and listing (409), but allows one without a listing', async () => {
    const again = await t.call('POST', '/reviews', buyer, {
      sellerId: seller.userId,
      listingId: listing.id,
      stars: 1,
      title: 'Changed my mind',
      text: 'Trying to review twice',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('already_reviewed');
    expect(
      (
        await t.call('GET', `/users/${seller.userId}/review-eligibility?listingId=${listing.id}`, buyer)
      ).json(),
    ).toEqual({ eligible: false, reason: 'already_reviewed' });
    const general = await review(buyer, { stars: 3 });
    expect(general.listing).toBeNull();
    const twice = await t.call('POST', '/reviews', buyer, {
      sellerId: seller.userId,
      stars: 2,
      title: 'Third',
      text: 'Still trying',
    });
    expect(twice.statusCode).toBe(409);
    expect((await expectExact(seller.userId)).count).toBe(2);
    await t.call('DELETE', `/reviews/${general.id}`, buyer);
  });

  it('refuses bad input with a 4xx and stores nothing', async () => {
    const before = await reviewCount();
    const ratingBefore = await rating();
    const cases: [object, number][] = [
      [{ sellerId: seller.userId, stars: 0, title: 'x', text: 'y' }, 400],
      [{ sellerId: seller.userId, stars: 6, title: 'x', text: 'y' }, 400],
      [{ sellerId: seller.userId, stars: 4.5, title: 'x', text: 'y' }, 400],
      [{ sellerId: seller.userId, stars: '5', title: 'x', text: 'y' }, 400],
      [{ sellerId: seller.userId, stars: 5, title: '   ', text: 'y' }, 400],
      [{ sellerId: seller.userId, stars: 5, title: 'x'.repeat(121), text: 'y' }, 400],
      [{ sellerId: seller.userId, stars: 5, title: 'x', text: 'y'.repeat(4001) }, 400],
      [{ sellerId: seller.userId, stars: 5, title: 'x' }, 400],
      [{ sellerId: 'not-a-uuid', stars: 5, title: 'x', text: 'y' }, 400],
      [{ sellerId: seller.userId, stars: 5, title: 'x', text: 'y', verifiedBuyer: true }, 400],
      [{ sellerId: seller.userId, stars: 5, title: 'x', text: 'y', helpfulCount: 99 }, 400],
      [{ sellerId: '0190a000-0000-7000-8000-000000000000', stars: 5, title: 'x', text: 'y' }, 404],
      [{ sellerId: other.userId, listingId: listing.id, stars: 5, title: 'x', text: 'y' }, 400],
      [
        {
          sellerId: seller.userId,
          listingId: '0190a000-0000-7000-8000-000000000000',
          stars: 5,
          title: 'x',
          text: 'y',
        },
        404,
      ],
    ];
    for (const [body, status] of cases) {
      const response = await t.call('POST', '/reviews', other, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(status);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect(
      (await t.call('POST', '/reviews', null, { sellerId: seller.userId, stars: 5, title: 'x', text: 'y' }))
        .statusCode,
    ).toBe(401);
    expect(await reviewCount()).toBe(before);
    expect(await rating()).toEqual(ratingBefore);
  });
});

describe('editing and deleting', () => {
  it('lets the author edit (the aggregate follows) and refuses anyone else', async () => {
    const mine = await review(other, { stars: 2, listingId: listing.id });
    const foreign = await t.call('PATCH', `/reviews/${mine.id}`, buyer, { stars: 5 });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('not_review_author');
    const bySeller = await t.call('PATCH', `/reviews/${mine.id}`, seller, { text: 'Seller rewrites it' });
    expect(bySeller.statusCode).toBe(403);
    expect((await t.call('GET', `/reviews/${mine.id}`, null)).json()).toMatchObject({ stars: 2 });

    const empty = await t.call('PATCH', `/reviews/${mine.id}`, other, {});
    expect(empty.statusCode).toBe(400);
    const bad = await t.call('PATCH', `/reviews/${mine.id}`, other, { stars: 9 });
    expect(bad.statusCode).toBe(400);

    const edited = await t.call('PATCH', `/reviews/${mine.id}`, other, {
      stars: 4,
      text: 'Better than I thought',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ stars: 4, text: 'Better than I thought' });
    const shown = await expectExact(seller.userId);
    expect(shown.distribution).toEqual([0, 0, 0, 1, 1]);
    expect(shown.average).toBe(4.5);
  });

  it('closes edits after 30 days (409) but still allows deleting', async () => {
    const [row] = await t.platform.database.db
      .select()
      .from(reviews)
      .where(eq(reviews.reviewerId, other.userId));
    const id = row?.id as string;
    await t.platform.database.db
      .update(reviews)
      .set({ createdAt: new Date(Date.now() - 31 * 86_400_000) })
      .where(eq(reviews.id, id));
    const late = await t.call('PATCH', `/reviews/${id}`, other, { stars: 1 });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('edit_window_closed');
    expect((await t.call('GET', `/reviews/${id}`, other)).json().editable).toBe(false);

    expect((await t.call('DELETE', `/reviews/${id}`, buyer)).statusCode).toBe(403);
    expect((await t.call('DELETE', `/reviews/${id}`, other)).statusCode).toBe(204);
    expect((await t.call('GET', `/reviews/${id}`, null)).statusCode).toBe(404);
    expect((await t.call('DELETE', `/reviews/${id}`, other)).statusCode).toBe(404);
    const shown = await expectExact(seller.userId);
    expect(shown).toMatchObject({ count: 1, distribution: [0, 0, 0, 0, 1] });
  });
});

describe('seller responses, helpful votes and reports', () => {
  let target: Review;
  beforeAll(async () => {
    const page = (await t.call('GET', `/users/${seller.userId}/reviews`, null)).json();
    target = page.items.find((item: Review) => item.reviewer.id === buyer.userId);
  });

  it('lets only the seller respond, once, and edit it; the reviewer is notified once', async () => {
    for (const who of [buyer, other, stranger]) {
      const response = await t.call('PUT', `/reviews/${target.id}/response`, who, {
        text: 'Not mine to answer',
      });
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe('not_review_seller');
    }
    expect((await t.call('PUT', `/reviews/${target.id}/response`, seller, { text: '' })).statusCode).toBe(
      400,
    );
    const first = await t.call('PUT', `/reviews/${target.id}/response`, seller, {
      text: 'Thank you, Bimal!',
    });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().response).toMatchObject({ text: 'Thank you, Bimal!' });
    const edited = await t.call('PUT', `/reviews/${target.id}/response`, seller, {
      text: 'Thank you, drive safe!',
    });
    expect(edited.json().response.text).toBe('Thank you, drive safe!');
    expect(edited.json().response.createdAt).toBe(first.json().response.createdAt);
    const bell = (await t.call('GET', '/notifications', buyer)).json();
    expect(bell.items.filter((item: { type: string }) => item.type === 'review_response')).toHaveLength(1);
  });

  it('counts helpful votes once per member, not the author’s own, and toggles off', async () => {
    const own = await t.call('PUT', `/reviews/${target.id}/helpful`, buyer);
    expect(own.statusCode).toBe(400);
    expect(own.json().code).toBe('cannot_vote_own_review');
    expect((await t.call('PUT', `/reviews/${target.id}/helpful`, null)).statusCode).toBe(401);

    expect((await t.call('PUT', `/reviews/${target.id}/helpful`, other)).json()).toEqual({
      helpfulCount: 1,
      votedHelpful: true,
    });
    // A replay changes nothing.
    expect((await t.call('PUT', `/reviews/${target.id}/helpful`, other)).json().helpfulCount).toBe(1);
    await t.call('PUT', `/reviews/${target.id}/helpful`, stranger);
    expect((await t.call('GET', `/reviews/${target.id}`, other)).json()).toMatchObject({
      helpfulCount: 2,
      votedHelpful: true,
    });
    expect((await t.call('DELETE', `/reviews/${target.id}/helpful`, stranger)).json()).toEqual({
      helpfulCount: 1,
      votedHelpful: false,
    });
    expect((await t.call('DELETE', `/reviews/${target.id}/helpful`, stranger)).json().helpfulCount).toBe(1);
  });

  it('records a report with a snapshot for the moderation queue, once per reporter', async () => {
    expect(
      (await t.call('POST', `/reviews/${target.id}/reports`, stranger, { reason: 'nonsense' })).statusCode,
    ).toBe(400);
    const report = await t.call('POST', `/reviews/${target.id}/reports`, stranger, {
      reason: 'fake',
      text: 'Looks made up',
    });
    expect(report.statusCode, report.body).toBe(201);
    expect(report.json()).toMatchObject({ reviewId: target.id, reason: 'fake', status: 'open' });
    const again = await t.call('POST', `/reviews/${target.id}/reports`, stranger, { reason: 'spam' });
    expect(again.statusCode).toBe(409);
    const [stored] = await t.platform.database.db
      .select()
      .from(reviewReports)
      .where(eq(reviewReports.reviewId, target.id));
    expect(stored?.snapshot).toMatchObject({
      stars: target.stars,
      title: target.title,
      reviewerId: buyer.userId,
    });
    expect((await t.call('POST', `/reviews/${target.id}/reports`, null, { reason: 'spam' })).statusCode).toBe(
      401,
    );
  });
});

describe('lists and ratings', () => {
  it('lists a seller’s reviews by newest and by most helpful, with cursor paging', async () => {
    const sellerB = await t.signUp({ displayName: 'Bandula Busy' });
    const items = await createListing(sellerB);
    const writers = await Promise.all(
      Array.from({ length: 5 }, (_, i) => t.signUp({ displayName: `Writer ${i}` })),
    );
    const written: Review[] = [];
    for (const writer of writers) {
      await talk(writer, items);
      written.push(await review(writer, { stars: 3 }, sellerB.userId));
    }
    // Votes: written[1] gets 2, written[3] gets 1.
    await t.call('PUT', `/reviews/${written[1]?.id}/helpful`, writers[0] as TestUser);
    await t.call('PUT', `/reviews/${written[1]?.id}/helpful`, writers[2] as TestUser);
    await t.call('PUT', `/reviews/${written[3]?.id}/helpful`, writers[0] as TestUser);

    const collect = async (sort: string) => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = `?sort=${sort}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await t.call('GET', `/users/${sellerB.userId}/reviews${query}`, null);
        expect(page.statusCode, page.body).toBe(200);
        ids.push(...page.json().items.map((item: Review) => item.id));
        cursor = page.json().nextCursor;
      } while (cursor);
      return ids;
    };
    expect(await collect('newest')).toEqual(written.map((item) => item.id).reverse());
    const helpful = await collect('helpful');
    expect(helpful.slice(0, 2)).toEqual([written[1]?.id, written[3]?.id]);
    expect(helpful).toHaveLength(5);
    expect(new Set(helpful).size).toBe(5);

    expect((await t.call('GET', `/users/${sellerB.userId}/reviews?sort=best`, null)).statusCode).toBe(400);
    expect((await t.call('GET', `/users/${sellerB.userId}/reviews?cursor=garbage`, null)).statusCode).toBe(
      400,
    );
    expect((await t.call('GET', `/users/${sellerB.userId}/reviews?limit=1000`, null)).statusCode).toBe(400);
    // A cursor of one sort is refused by the other: their keys differ.
    const reviewsOfB = `/users/${sellerB.userId}/reviews`;
    const helpfulCursor = (await t.call('GET', `${reviewsOfB}?sort=helpful&limit=2`, null)).json().nextCursor;
    const newestCursor = (await t.call('GET', `${reviewsOfB}?sort=newest&limit=2`, null)).json().nextCursor;
    for (const [sort, cursor] of [
      ['newest', helpfulCursor],
      ['helpful', newestCursor],
    ]) {
      const crossed = await t.call('GET', `${reviewsOfB}?sort=${sort}&cursor=${cursor}`, null);
      expect(crossed.statusCode).toBe(400);
      expect(crossed.json().code).toBe('invalid_cursor');
    }
  });

  it('lists a listing’s reviews', async () => {
    const page = (await t.call('GET', `/listings/${listing.id}/reviews`, null)).json();
    expect(page.items.map((item: Review) => item.reviewer.id)).toEqual([buyer.userId]);
    expect(
      (await t.call('GET', '/listings/0190a000-0000-7000-8000-000000000000/reviews', null)).statusCode,
    ).toBe(404);
  });

  it('answers ratings behind a page of listing cards in one call', async () => {
    const response = await t.call(
      'GET',
      `/ratings?listingIds=${listing.id},0190a000-0000-7000-8000-000000000000`,
      null,
    );
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().items).toEqual([{ listingId: listing.id, rating: await rating() }]);
    expect((await t.call('GET', '/ratings?listingIds=nope', null)).statusCode).toBe(400);
    const tooMany = Array.from({ length: 101 }, () => listing.id).join(',');
    expect((await t.call('GET', `/ratings?listingIds=${tooMany}`, null)).statusCode).toBe(400);
    expect((await t.call('GET', '/users/0190a000-0000-7000-8000-000000000000/rating', null)).statusCode).toBe(
      404,
    );
  });

  it('does not change what GET /listings/:id returns', async () => {
    const response = await t.call('GET', `/listings/${listing.id}`, null);
    expect(Object.keys(response.json())).not.toContain('rating');
  });
});

describe('concurrency', () => {
  it('keeps the aggregate exact with 50 members reviewing at once, then editing and deleting at once', async () => {
    const sellerC = await t.signUp({ displayName: 'Chamari Crowded' });
    const car = await createListing(sellerC);
    const members = await Promise.all(
      Array.from({ length: 50 }, (_, i) => t.signUp({ displayName: `Member ${i}` })),
    );
    for (const member of members) await talk(member, car);

    const created = await Promise.all(
      members.map((member, i) =>
        t.call('POST', '/reviews', member, {
          sellerId: sellerC.userId,
          listingId: car.id,
          stars: (i % 5) + 1,
          title: `Review ${i}`,
          text: 'Concurrent review',
        }),
      ),
    );
    expect(created.map((response) => response.statusCode)).toEqual(members.map(() => 201));
    let shown = await expectExact(sellerC.userId);
    expect(shown).toMatchObject({ count: 50, average: 3, distribution: [10, 10, 10, 10, 10] });

    // Everyone edits to 5 stars while the first ten delete, all at once; plus replays of a review.
    const ids = created.map((response) => response.json().id as string);
    const results = await Promise.all([
      ...members
        .slice(10)
        .map((member, i) => t.call('PATCH', `/reviews/${ids[i + 10]}`, member, { stars: 5 })),
      ...members.slice(0, 10).map((member, i) => t.call('DELETE', `/reviews/${ids[i]}`, member)),
      ...members.slice(0, 5).map((member) =>
        t.call('POST', '/reviews', member, {
          sellerId: sellerC.userId,
          listingId: car.id,
          stars: 1,
          title: 'Again',
          text: 'Replay',
        }),
      ),
    ]);
    expect(results.slice(0, 40).every((response) => response.statusCode === 200)).toBe(true);
    expect(results.slice(40, 50).every((response) => response.statusCode === 204)).toBe(true);
    // The replays land before or after their author's delete: 409 or 201, never both counted wrong.
    const replays = results.slice(50).filter((response) => response.statusCode === 201).length;
    shown = await expectExact(sellerC.userId);
    expect(shown.count).toBe(40 + replays);
    expect(shown.distribution[4]).toBe(40);

    const [row] = await t.platform.database.db
      .select()
      .from(sellerRatings)
      .where(eq(sellerRatings.sellerId, sellerC.userId));
    expect(row?.starsTotal).toBe(200 + replays);
  }, 120_000);
});
