import { join } from 'node:path';
import type { CategoryDetail, LocationNode } from '@souk/contracts';
import type { Locator } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openPage, phone, resultsDir } from './support/browser';
import { confirmEmail } from './support/members';
import { browserSuite } from './support/suite';

// A buyer confirms their address, types a misspelt make, picks the suggestion with the
// keyboard, narrows by year and price, saves the search with an instant alert; another member
// publishes a matching car, and the alert mail (sent at once for an instant alert, with its
// one-click unsubscribe link) is in the dev mailbox.

const UI_TIMEOUT_MS = 20_000;
const suite = browserSuite('search', { env: { SMTP_URL: '' } });

async function visible(locator: Locator) {
  await locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

const { api } = suite;

describe('search in the browser', () => {
  test('misspelt make, suggestion, year and price, save with an alert, a matching listing alerts', async () => {
    const { server } = suite;
    const context = await suite.newContext({ ...phone, baseURL: server.url });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    const { page } = await openPage(context);

    await page.goto('/sign-up');
    await page.getByLabel('Display name', { exact: true }).fill('Sam Search');
    await page.getByLabel('E-mail', { exact: true }).fill('sam.search@example.com');
    await page.getByLabel('Password', { exact: true }).fill('teak-veranda-monsoon-42');
    await page.getByRole('button', { name: 'Create account', exact: true }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Check your e-mail' }));

    // Alert mails go only to a confirmed address: confirm it from the dev mailbox.
    await page.getByRole('link', { name: 'Open the dev mailbox', exact: true }).click();
    await page.waitForURL('**/dev/mailbox');
    const confirm = page
      .getByRole('link', { name: /Confirm your email address for Souk/ })
      .filter({ hasText: 'sam.search@example.com' });
    await visible(confirm);
    await confirm.click();
    const verifyLink = page
      .getByRole('region', { name: 'Links in this mail', exact: true })
      .getByRole('link', { name: /\/verify-email\?token=/ });
    await visible(verifyLink);
    await verifyLink.click();
    await visible(page.getByRole('heading', { level: 1, name: 'Your e-mail is confirmed', exact: true }));
    await page.goto('/');

    const box = page.getByRole('banner').getByRole('combobox', { name: 'Search', exact: true });
    await box.fill('toyta');
    await visible(page.getByRole('option', { name: /Toyota \(Cars\)/ }));
    await box.press('ArrowDown');
    await box.press('Enter');
    await page.waitForURL(/category=cars/);
    expect(new URL(page.url()).searchParams.get('attr.make')).toBe('toyota');

    await page.getByLabel('Year of manufacture from', { exact: true }).fill('2015');
    await page.getByLabel('Year of manufacture to', { exact: true }).fill('2022');
    await page.getByRole('button', { name: 'Apply attr.year', exact: true }).click();
    await page.waitForURL(/attr\.year=2015\.\.2022/);
    await page.getByLabel('Price to', { exact: true }).fill('9000000');
    await page.getByRole('button', { name: 'Apply price', exact: true }).click();
    await page.waitForURL(/priceMax=900000000/);
    await visible(page.getByTestId('search-total'));

    await page.getByRole('button', { name: 'Save search / alert me', exact: true }).click();
    await page.getByLabel('Name', { exact: true }).fill('Toyota 2015-2022');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await visible(page.getByText('Saved.'));
    await page.screenshot({ path: join(resultsDir, 'search-saved.png') });

    // Another member publishes a matching car through the API.
    await api('/api/v1/auth/register', {
      method: 'POST',
      body: { email: 'sela.seller@example.com', password: 'teak-veranda-monsoon-42', displayName: 'Sela' },
    });
    await confirmEmail(server.url, 'sela.seller@example.com', UI_TIMEOUT_MS);
    const login = await api('/api/v1/auth/login', {
      method: 'POST',
      body: { email: 'sela.seller@example.com', password: 'teak-veranda-monsoon-42' },
    });
    const token = login.accessToken as string;
    const cars = (await api('/api/v1/categories/cars')) as CategoryDetail;
    const lanka = ((await api('/api/v1/locations?country=LK')).items as LocationNode[])[0] as LocationNode;
    const colombo = lanka.children
      .flatMap((province) => province.children)
      .flatMap((district) => district.children)
      .find((city) => city.name === 'Colombo') as LocationNode;
    const draft = await api('/api/v1/listings', {
      method: 'POST',
      token,
      body: {
        categoryId: cars.id,
        title: 'Toyota Aqua 2018, one owner',
        description: 'Hybrid, full service history.',
        price: { type: 'fixed', amount: 5_500_000_00, currency: 'LKR' },
        condition: 'used',
        locationId: colombo.id,
        attributes: {
          year: 2018,
          mileageKm: 60_000,
          condition: 'used',
          fuel: 'hybrid',
          make: 'toyota',
          model: 'aqua',
          transmission: 'automatic',
        },
      },
    });
    await api(`/api/v1/listings/${draft.id}/publish`, { method: 'POST', token });

    // The instant alert's own mail reaches the dev mailbox (the page refreshes its list itself).
    await page.goto('/dev/mailbox');
    await visible(page.getByRole('heading', { level: 1, name: 'Dev mailbox', exact: true }));
    const alertMail = page
      .getByRole('link', { name: /New matches for your saved search/ })
      .filter({ hasText: 'sam.search@example.com' });
    await visible(alertMail);
    await alertMail.click();
    await page.waitForURL(/\/dev\/mailbox\?mail=/);
    await visible(page.getByRole('heading', { level: 2, name: 'New matches for your saved search' }));
    await visible(page.getByText('Toyota Aqua 2018, one owner').first());
    const links = page.getByRole('region', { name: 'Links in this mail', exact: true });
    await visible(links.getByRole('link', { name: new RegExp(`/listings/${draft.id}$`) }));
    // The signed one-click unsubscribe link of the notifications module.
    await visible(links.getByRole('link', { name: /\/unsubscribe\?token=/ }));
    await page.screenshot({ path: join(resultsDir, 'search-alert-mail.png') });
  });
});
