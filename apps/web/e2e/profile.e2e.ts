import type { Listing } from '@souk/contracts';
import { describe, expect, test } from 'vitest';
import { openPage, phone } from './support/browser';
import { csrfHeaders, publishCar, signUpMember } from './support/members';
import { browserSuite } from './support/suite';

// Issue 16 #18: a seller's public profile said 0 listings and 0 sales and listed none of their
// listings. A visitor now sees the active ones, and the stats count them and the sales.

const UI_TIMEOUT_MS = 20_000;
const suite = browserSuite('profile');

const car = (title: string, model: string) => ({
  title,
  description: 'One owner, full service history.',
  amount: 450_000_000,
  attributes: {
    year: 2016,
    mileageKm: 60_000,
    fuel: 'petrol',
    condition: 'used',
    make: 'toyota',
    model,
    transmission: 'automatic',
  },
});

describe('a seller’s public profile', () => {
  test('lists the active listings, and the stats count them and the sales', async () => {
    const { server } = suite;
    const seller = await signUpMember(
      { newContext: suite.newContext, baseURL: server.url, timeoutMs: UI_TIMEOUT_MS },
      'Priya Profile',
      'priya.profile@example.com',
    );
    const forSale: Listing = await publishCar(seller.page, car('Toyota Aqua 2016 on the profile', 'aqua'));
    const sold: Listing = await publishCar(seller.page, car('Toyota Vitz 2016 already sold', 'vitz'));
    const marked = await seller.page.request.post(`/api/v1/listings/${sold.id}/sold`, {
      headers: await csrfHeaders(seller.page),
    });
    expect(marked.status(), await marked.text()).toBe(200);

    // An anonymous visitor on a phone.
    const context = await suite.newContext({ ...phone, baseURL: server.url });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    const visitor = await openPage(context);
    const { page } = visitor;
    await page.goto(`/u/${forSale.seller.id}`);
    await page.getByRole('heading', { level: 1, name: 'Priya Profile' }).waitFor();

    const listings = page.getByRole('region', { name: 'Listings' });
    await listings.getByRole('link', { name: /Toyota Aqua 2016 on the profile/ }).waitFor();
    expect(await listings.getByText('Toyota Vitz 2016 already sold').count()).toBe(0);

    const stat = (label: string) =>
      page
        .locator('dl div')
        .filter({ has: page.locator('dt', { hasText: label }) })
        .locator('dd');
    await expect.poll(() => stat('Listings').textContent(), { timeout: UI_TIMEOUT_MS }).toBe('1');
    expect(await stat('Sales').textContent()).toBe('1');

    await listings.getByRole('link', { name: /Toyota Aqua 2016 on the profile/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Toyota Aqua 2016 on the profile' }).waitFor();
    expect(visitor.pageErrors).toEqual([]);
  });
});
