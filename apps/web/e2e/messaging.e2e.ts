import { join } from 'node:path';
import type { Listing } from '@souk/contracts';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { resultsDir, type WatchedPage } from './support/browser';
import { publishCar, signUpMember } from './support/members';
import { browserSuite } from './support/suite';

// Two people on two phones: a buyer writes to a seller about a car; the seller's unread badge
// appears live, the seller opens the conversation and replies; the buyer sees the reply live, and
// the badges clear once each has read.

const UI_TIMEOUT_MS = 20_000;
const TITLE = 'Honda Fit 2016, low mileage';

const suite = browserSuite('messaging');

async function visible(locator: Locator) {
  await locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}
async function hidden(locator: Locator) {
  await locator.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
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
    description: 'One owner, full service history, new tyres.',
    amount: 520_000_000,
    attributes: {
      year: 2016,
      mileageKm: 38_000,
      fuel: 'petrol',
      condition: 'used',
      make: 'honda',
      model: 'fit',
      transmission: 'automatic',
    },
  });
}

const unreadBadge = (page: Page) => page.getByRole('banner').getByTestId('messages-unread');

describe('messaging in two browsers', () => {
  test('a buyer writes, the seller sees the badge live and replies, the buyer sees the reply live', async () => {
    const seller = await person('Sunil Seller', 'sunil.seller@example.com');
    const buyer = await person('Bimal Buyer', 'bimal.buyer@example.com');
    const listing = await publishListing(seller.page);

    // The seller waits on the home page, signed in, with no unread messages.
    await seller.page.goto('/');
    await visible(seller.page.getByRole('banner').getByTestId('messages-link'));
    expect(await unreadBadge(seller.page).count()).toBe(0);

    // The buyer opens the listing and messages the seller.
    await buyer.page.goto(`/listings/${listing.id}`);
    await visible(buyer.page.getByRole('heading', { level: 1, name: TITLE }));
    await buyer.page.getByRole('button', { name: 'Message seller', exact: true }).click();
    await buyer.page.getByLabel('Your message to Sunil Seller').fill('Hello! Is the Fit still available?');
    await buyer.page.getByRole('button', { name: 'Send message', exact: true }).click();
    await buyer.page.waitForURL('**/messages/*');
    const conversationPath = new URL(buyer.page.url()).pathname;
    await visible(buyer.page.getByText('Hello! Is the Fit still available?'));

    // Without reloading, the seller's header shows one unread message.
    await visible(unreadBadge(seller.page));
    expect(await unreadBadge(seller.page).textContent()).toBe('1');
    await seller.page.screenshot({ path: join(resultsDir, 'messaging-seller-badge.png') });

    // The seller opens the inbox, then the conversation, and replies.
    await seller.page.getByRole('banner').getByTestId('messages-link').click();
    await seller.page.waitForURL('**/messages');
    const row = seller.page.getByTestId('conversation-row').filter({ hasText: 'Bimal Buyer' });
    await visible(row);
    expect(await row.getByTestId('conversation-unread').textContent()).toContain('1');
    await row.click();
    await seller.page.waitForURL(`**${conversationPath}`);
    await visible(seller.page.getByText('Hello! Is the Fit still available?'));
    // Reading clears the seller's badge.
    await hidden(unreadBadge(seller.page));

    // The buyer's page shows the seller typing, then the reply, live.
    const composer = seller.page.getByLabel('Message', { exact: true });
    await composer.fill('Yes, it is. Come and see it on Saturday?');
    await visible(buyer.page.getByTestId('typing'));
    await seller.page.getByRole('button', { name: 'Send', exact: true }).click();
    await visible(buyer.page.getByText('Yes, it is. Come and see it on Saturday?'));

    // The buyer read it where it arrived: no badge, and the seller gets the read receipt live.
    await hidden(unreadBadge(buyer.page));
    await visible(seller.page.getByTestId('seen'));
    await buyer.page.screenshot({ path: join(resultsDir, 'messaging-buyer-thread.png') });
    await seller.page.screenshot({ path: join(resultsDir, 'messaging-seller-thread.png') });

    // A phone number before a sale: the seller sees it with a warning, live; the buyer sees none.
    await buyer.page.getByLabel('Message', { exact: true }).fill('Great! Call me on 077 123 4567');
    await buyer.page.getByRole('button', { name: 'Send', exact: true }).click();
    const warned = seller.page.getByTestId('message').filter({ hasText: 'Call me on 077 123 4567' });
    await visible(warned);
    await visible(warned.getByTestId('safety-warning'));
    expect(await buyer.page.getByTestId('safety-warning').count()).toBe(0);
    // Read where it arrived: the seller's badge goes again.
    await hidden(unreadBadge(seller.page));
    await seller.page.screenshot({ path: join(resultsDir, 'messaging-safety-warning.png') });

    const unread = async (page: Page) =>
      ((await (await page.request.get('/api/v1/conversations/unread')).json()) as { total: number }).total;
    expect(await unread(seller.page)).toBe(0);
    expect(await unread(buyer.page)).toBe(0);

    for (const watched of [seller, buyer]) {
      expect(watched.pageErrors).toEqual([]);
      expect(watched.consoleErrors).toEqual([]);
    }
  });
});
