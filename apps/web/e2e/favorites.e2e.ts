import { join } from 'node:path';
import type { CategoryDetail, LocationNode } from '@souk/contracts';
import type { Locator } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openPage, phone, resultsDir } from './support/browser';
import { confirmEmail } from './support/members';
import { browserSuite } from './support/suite';

// A buyer saves two cars with the heart on the category page (one "which are my favorites" call
// for the whole page), finds them on the favorites page, compares them from the tray, shares the
// comparison, and the link opens signed out, in a fresh browser, with both cars' attribute rows.

const UI_TIMEOUT_MS = 20_000;
const suite = browserSuite('favorites', { env: { SMTP_URL: '' } });

async function visible(locator: Locator) {
  await locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

const { api } = suite;

async function publishCars() {
  const credentials = { email: 'sela.cars@example.com', password: 'teak-veranda-monsoon-42' };
  await api('/api/v1/auth/register', { method: 'POST', body: { ...credentials, displayName: 'Sela' } });
  await confirmEmail(suite.server.url, credentials.email, UI_TIMEOUT_MS);
  const token = (await api('/api/v1/auth/login', { method: 'POST', body: credentials }))
    .accessToken as string;
  const cars = (await api('/api/v1/categories/cars')) as CategoryDetail;
  const lanka = ((await api('/api/v1/locations?country=LK')).items as LocationNode[])[0] as LocationNode;
  const cities = lanka.children
    .flatMap((province) => province.children)
    .flatMap((district) => district.children);
  const cityId = (name: string) => (cities.find((city) => city.name === name) as LocationNode).id;
  const publish = async (title: string, amount: number, city: string, attributes: object) => {
    const draft = await api('/api/v1/listings', {
      method: 'POST',
      token,
      body: {
        categoryId: cars.id,
        title,
        description: 'Hybrid, full service history.',
        price: { type: 'fixed', amount, currency: 'LKR' },
        condition: 'used',
        locationId: cityId(city),
        attributes: { condition: 'used', fuel: 'hybrid', transmission: 'automatic', ...attributes },
      },
    });
    await api(`/api/v1/listings/${draft.id}/publish`, { method: 'POST', token });
  };
  await publish('Toyota Aqua 2016', 4_650_000_00, 'Colombo', {
    make: 'toyota',
    model: 'aqua',
    year: 2016,
    mileageKm: 82_000,
  });
  await publish('Honda Fit 2018', 5_200_000_00, 'Kandy', {
    make: 'honda',
    model: 'fit',
    year: 2018,
    mileageKm: 41_000,
  });
}

describe('favorites and comparison in the browser', () => {
  test('favorite two cars, compare them, share the comparison, open the link signed out', async () => {
    const { server } = suite;
    await publishCars();
    const context = await suite.newContext({ ...phone, baseURL: server.url });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    const { page, pageErrors } = await openPage(context);

    await page.goto('/sign-up');
    await page.getByLabel('Display name', { exact: true }).fill('Fay Favorite');
    await page.getByLabel('E-mail', { exact: true }).fill('fay.favorite@example.com');
    await page.getByLabel('Password', { exact: true }).fill('teak-veranda-monsoon-42');
    await page.getByRole('button', { name: 'Create account', exact: true }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Check your e-mail' }));

    // The hearts of a page of cards ask the server once, not once per card.
    const idCalls: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/v1/favorites/ids')) idCalls.push(request.url());
    });
    await page.goto('/c/cars');
    const aquaHeart = page.getByRole('button', { name: 'Save Toyota Aqua 2016 to favorites', exact: true });
    const fitHeart = page.getByRole('button', { name: 'Save Honda Fit 2018 to favorites', exact: true });
    await visible(aquaHeart);
    await visible(fitHeart);
    await page.waitForLoadState('networkidle');
    expect(idCalls).toHaveLength(1);

    await aquaHeart.click();
    await fitHeart.click();
    await visible(page.getByRole('button', { name: 'Remove Toyota Aqua 2016 from favorites', exact: true }));
    await visible(page.getByRole('button', { name: 'Remove Honda Fit 2018 from favorites', exact: true }));

    // The listing page shows the saved state and how many saved it.
    await page.getByRole('link', { name: 'Toyota Aqua 2016', exact: true }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Toyota Aqua 2016' }));
    await visible(page.getByTestId('favorite-count').getByText('Saved by 1 member'));
    expect(
      await page
        .getByRole('button', { name: 'Remove Toyota Aqua 2016 from favorites', exact: true })
        .getAttribute('aria-pressed'),
    ).toBe('true');

    // Both are on the favorites page, linked from the user menu.
    await page.getByRole('button', { name: /account menu/ }).click();
    await page.getByRole('link', { name: 'Favorites', exact: true }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Favorites' }));
    await visible(page.getByRole('link', { name: 'Toyota Aqua 2016', exact: true }));
    await visible(page.getByRole('link', { name: 'Honda Fit 2018', exact: true }));

    // A read-only link to the wishlist.
    await page.getByRole('button', { name: 'Create a link', exact: true }).click();
    const wishlistLink = page.getByLabel('Wishlist link', { exact: true });
    await visible(wishlistLink);
    const wishlistUrl = await wishlistLink.inputValue();
    expect(wishlistUrl).toMatch(/\/wishlists\/[A-Za-z0-9_-]+$/);

    await page.getByRole('button', { name: 'Compare Toyota Aqua 2016', exact: true }).click();
    await visible(page.getByRole('button', { name: 'Remove Toyota Aqua 2016 from comparison', exact: true }));
    await page.getByRole('button', { name: 'Compare Honda Fit 2018', exact: true }).click();
    const tray = page.getByRole('complementary', { name: 'Comparison' });
    await visible(tray.getByText('of 4 listings to compare'));
    await expect.poll(() => tray.textContent()).toContain('2 of 4');
    await page.screenshot({ path: join(resultsDir, 'favorites-tray.png') });
    await tray.getByRole('link', { name: 'Compare now', exact: true }).click();

    await visible(page.getByRole('heading', { level: 1, name: 'Compare vehicles' }));
    const makeRow = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: /^Make/ }) });
    await visible(makeRow);
    expect(await makeRow.getAttribute('data-differs')).toBe('true');
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const link = page.getByLabel('Comparison link', { exact: true });
    await visible(link);
    const url = await link.inputValue();
    expect(url).toMatch(/\/compare\/shared\/[A-Za-z0-9_-]+$/);
    await page.screenshot({ path: join(resultsDir, 'favorites-compare.png') });

    // A fresh browser context: nobody is signed in there.
    const guest = await suite.newContext({ baseURL: server.url });
    guest.setDefaultTimeout(UI_TIMEOUT_MS);
    const { page: guestPage, pageErrors: guestErrors } = await openPage(guest);
    await guestPage.goto(url);
    await visible(guestPage.getByRole('heading', { level: 1, name: /Shared comparison/ }));
    await visible(guestPage.getByRole('link', { name: 'Toyota Aqua 2016', exact: true }));
    await visible(guestPage.getByRole('link', { name: 'Honda Fit 2018', exact: true }));
    const row = (label: RegExp) =>
      guestPage.getByRole('row').filter({ has: guestPage.getByRole('rowheader', { name: label }) });
    expect(await row(/^Make/).getByRole('cell').allTextContents()).toEqual(['Toyota', 'Honda']);
    expect(
      await row(/^Model/)
        .getByRole('cell')
        .allTextContents(),
    ).toEqual(['Aqua', 'Fit']);
    expect(
      await row(/^Mileage/)
        .getByRole('cell')
        .allTextContents(),
    ).toEqual(['82,000', '41,000']);
    expect(
      await row(/^Location/)
        .getByRole('cell')
        .allTextContents(),
    ).toEqual(['Colombo', 'Kandy']);
    await visible(guestPage.getByRole('link', { name: 'Sign in' }).first());
    await guestPage.screenshot({ path: join(resultsDir, 'favorites-shared-compare.png') });

    // The shared wishlist shows the cars and the owner's display name, not their e-mail.
    await guestPage.goto(wishlistUrl);
    await visible(guestPage.getByRole('heading', { level: 1, name: "Fay Favorite's wishlist" }));
    await visible(guestPage.getByRole('link', { name: 'Honda Fit 2018', exact: true }));
    expect(await guestPage.content()).not.toContain('fay.favorite@example.com');

    // Signed out, a comparison lives in the browser, and the heart leads to sign-in and back.
    await guestPage.goto('/c/cars');
    await guestPage.getByRole('button', { name: 'Compare Toyota Aqua 2016', exact: true }).click();
    const guestTray = guestPage.getByRole('complementary', { name: 'Comparison' });
    await expect.poll(() => guestTray.textContent()).toContain('1 of 4');
    await guestPage.getByRole('button', { name: 'Save Honda Fit 2018 to favorites', exact: true }).click();
    await guestPage.waitForURL(/\/sign-in\?next=%2Fc%2Fcars$/);

    expect(pageErrors).toEqual([]);
    expect(guestErrors).toEqual([]);
  });
});
