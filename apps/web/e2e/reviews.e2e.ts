import { join } from 'node:path';
import type { Listing } from '@souk/contracts';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { resultsDir, type WatchedPage } from './support/browser';
import { csrfHeaders, publishCar, signUpMember } from './support/members';
import { browserSuite } from './support/suite';

// A buyer who talked to a seller reviews them on the listing page and follows them; the seller
// answers the review on their profile; the buyer's following feed shows the seller's listing.

const UI_TIMEOUT_MS = 20_000;
const TITLE = 'Toyota Aqua 2017, hybrid';

const suite = browserSuite('reviews');

async function visible(locator: Locator) {
  await locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

function person(name: string, email: string): Promise<WatchedPage> {
  const { server } = suite;
  return signUpMember(
    { newContext: suite.newContext, baseURL: server.url, timeoutMs: UI_TIMEOUT_MS },
    name,
    email,
  );
}

/** The seller's listing, made through the API with the page's own session cookie. */
function publishListing(page: Page): Promise<Listing> {
  return publishCar(page, {
    title: TITLE,
    description: 'One owner, full service history.',
    amount: 620_000_000,
    attributes: {
      year: 2017,
      mileageKm: 52_000,
      fuel: 'hybrid',
      condition: 'used',
      make: 'toyota',
      model: 'aqua',
      transmission: 'automatic',
    },
  });
}

describe('reviews and follows in two browsers', () => {
  test('review after a conversation, seller responds, follow shows the listing in the feed', async () => {
    const seller = await person('Sunil Seller', 'sunil.reviews@example.com');
    const buyer = await person('Bimal Buyer', 'bimal.reviews@example.com');
    const listing = await publishListing(seller.page);

    // Before any conversation the form is not offered, and the page says why.
    await buyer.page.goto(`/listings/${listing.id}`);
    await visible(buyer.page.getByRole('heading', { level: 1, name: TITLE }));
    await visible(buyer.page.getByText('You can review Sunil Seller after you have messaged them'));

    const sent = await buyer.page.request.post(`/api/v1/listings/${listing.id}/messages`, {
      headers: await csrfHeaders(buyer.page),
      data: { text: 'Is it still available?' },
    });
    expect(sent.status(), await sent.text()).toBe(201);

    await buyer.page.reload();
    const form = buyer.page.getByRole('form', { name: 'Write a review' });
    await visible(form);
    // Publishing without stars explains what is missing and sends nothing.
    await form.getByRole('button', { name: 'Publish review' }).click();
    await visible(form.getByText('Choose from 1 to 5 stars.'));
    await form.getByRole('radio', { name: '4 stars' }).check({ force: true });
    await form.getByLabel('Title').fill('Friendly and honest');
    await form.getByLabel('Your review').fill('Answered every question, the car was as described.');
    await form.getByRole('button', { name: 'Publish review' }).click();

    const review = buyer.page.getByTestId('review').filter({ hasText: 'Friendly and honest' });
    await visible(review);
    await visible(buyer.page.getByTestId('rating-summary').getByText('Rated 4.0 out of 5 from 1 review'));
    await buyer.page.screenshot({ path: join(resultsDir, 'reviews-buyer-listing.png') });

    // The seller answers on their profile.
    await seller.page.goto(`/u/${listing.seller.id}`);
    const onProfile = seller.page.getByTestId('review').filter({ hasText: 'Friendly and honest' });
    await visible(onProfile);
    await onProfile.getByRole('button', { name: 'Respond' }).click();
    await seller.page.getByLabel('Your response').fill('Thank you, drive safely!');
    await seller.page.getByRole('button', { name: 'Publish response' }).click();
    await visible(onProfile.getByTestId('review-response').getByText('Thank you, drive safely!'));

    // The buyer follows the seller and finds the listing in the following feed.
    await buyer.page.goto(`/u/${listing.seller.id}`);
    await visible(buyer.page.getByTestId('review-response'));
    await buyer.page.getByRole('button', { name: 'Follow Sunil Seller' }).click();
    await visible(buyer.page.getByRole('button', { name: 'Following Sunil Seller' }));
    await buyer.page.goto('/following');
    await visible(buyer.page.getByRole('heading', { level: 1, name: 'Following' }));
    await visible(buyer.page.getByRole('link', { name: TITLE }));
    // The card shows the seller's stars.
    await visible(buyer.page.getByTestId('rating-line').first());
    await buyer.page.screenshot({ path: join(resultsDir, 'reviews-following-feed.png') });

    for (const watched of [seller, buyer]) {
      expect(watched.pageErrors).toEqual([]);
      expect(watched.consoleErrors).toEqual([]);
    }
  }, 120_000);
});
