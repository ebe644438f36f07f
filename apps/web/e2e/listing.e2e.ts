import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Listing } from '@souk/contracts';
import type { Locator } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openPage, phone, resultsDir } from './support/browser';
import { confirmEmail } from './support/members';
import { repoRoot } from './support/server';
import { browserSuite } from './support/suite';

// A seller on a phone lists a car: category, attributes with make and model, two photos
// reordered, price and city, publish; then the listing is on the home page.

// sharp is the API's dependency; the test only uses it to make two real JPEG photos.
const sharp = createRequire(join(repoRoot, 'apps/api/package.json'))(
  'sharp',
) as typeof import('sharp').default;

const UI_TIMEOUT_MS = 20_000;
const TITLE = 'Toyota Corolla 2018, one careful owner';

let photosDir: string | undefined;
const suite = browserSuite('listing', {
  setUp: async () => {
    photosDir = await mkdtemp(join(tmpdir(), 'souk-e2e-photos-'));
    await photo(join(photosDir, 'front.jpg'), '#b91c1c', 'FRONT');
    await photo(join(photosDir, 'back.jpg'), '#1d4ed8', 'BACK');
  },
  tearDown: async () => {
    if (photosDir) await rm(photosDir, { recursive: true, force: true });
  },
});

async function photo(path: string, colour: string, label: string) {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
    <rect width="100%" height="100%" fill="${colour}"/>
    <text x="80" y="520" font-size="260" font-family="sans-serif" fill="white">${label}</text></svg>`;
  await sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toFile(path);
}

async function visible(locator: Locator) {
  await locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

describe('selling a car', () => {
  test('create a car listing with two photos, reorder them, publish, and find it on the home page', async () => {
    if (!photosDir) throw new Error('not started');
    const base = suite.server.url;
    const context = await suite.newContext({ ...phone, baseURL: base });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    const { page, pageErrors, consoleErrors } = await openPage(context);

    await page.goto('/sign-up');
    await page.getByLabel('Display name', { exact: true }).fill('Nimal Perera');
    await page.getByLabel('E-mail', { exact: true }).fill('nimal.perera@example.com');
    await page.getByLabel('Password', { exact: true }).fill('teak-veranda-monsoon-42');
    await page.getByRole('button', { name: 'Create account', exact: true }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Check your e-mail' }));
    // Publishing needs a confirmed address.
    await confirmEmail(base, 'nimal.perera@example.com', UI_TIMEOUT_MS);

    await page.goto('/');
    await page.getByRole('banner').getByRole('link', { name: 'Sell', exact: true }).click();
    await page.waitForURL('**/sell');
    await page.getByRole('button', { name: 'Vehicles', exact: true }).click();
    await page.getByRole('button', { name: 'Cars', exact: true }).click();
    await visible(page.getByRole('combobox', { name: 'Make', exact: true }));

    await page.getByLabel('Title', { exact: true }).fill(TITLE);
    await page
      .getByLabel('Description', { exact: true })
      .fill('Well kept, full service history.\nNew tyres.');
    await page.getByLabel('Make', { exact: true }).selectOption({ label: 'Toyota' });
    // The model list follows the make.
    const models = await page.getByLabel('Model', { exact: true }).locator('option').allTextContents();
    expect(models).toContain('Corolla');
    expect(models).not.toContain('Civic');
    await page.getByLabel('Model', { exact: true }).selectOption({ label: 'Corolla' });
    await page.getByRole('spinbutton', { name: 'Year of manufacture' }).fill('2018');
    await page.getByRole('spinbutton', { name: 'Mileage' }).fill('85000');
    await page.getByRole('combobox', { name: 'Fuel type' }).selectOption({ label: 'Petrol' });
    await page.getByRole('combobox', { name: 'Condition', exact: true }).selectOption({ label: 'Used' });
    await page.getByRole('combobox', { name: 'Transmission' }).selectOption({ label: 'Automatic' });
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.waitForURL('**/listings/*/edit?step=photos');
    const listingId = new URL(page.url()).pathname.split('/')[2] as string;

    await page
      .getByLabel('Add photos')
      .setInputFiles([join(photosDir, 'front.jpg'), join(photosDir, 'back.jpg')]);
    await visible(page.getByRole('button', { name: 'Move photo 2 left' }));
    const imageIds = async () =>
      ((await (await page.request.get(`/api/v1/listings/${listingId}`)).json()) as Listing).images.map(
        (image) => image.id,
      );
    const uploaded = await imageIds();
    expect(uploaded).toHaveLength(2);

    await page.getByRole('button', { name: 'Move photo 2 left' }).click();
    await expect.poll(imageIds, { timeout: UI_TIMEOUT_MS }).toEqual([uploaded[1], uploaded[0]]);

    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.waitForURL('**step=price');
    await page.getByLabel('Price', { exact: true }).fill('4,250,000');
    await page.getByLabel('Currency').selectOption('LKR');
    await page.getByLabel('Country').selectOption({ label: 'Sri Lanka' });
    const cities = await page.getByLabel('City').locator('option').allTextContents();
    await page
      .getByLabel('City')
      .selectOption({ label: cities.find((city) => city.startsWith('Colombo')) ?? (cities[1] as string) });
    await page.getByRole('button', { name: 'Next', exact: true }).click();
    await page.waitForURL('**step=preview');
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.waitForURL(`**/listings/${listingId}`);
    await visible(page.getByRole('heading', { level: 1, name: TITLE }));

    const published = (await (await page.request.get(`/api/v1/listings/${listingId}`)).json()) as Listing;
    expect(published.status).toBe('active');
    expect(published.price).toEqual({ type: 'fixed', amount: 425_000_000, currency: 'LKR' });
    expect(published.images.map((image) => image.id)).toEqual([uploaded[1], uploaded[0]]);
    expect(published.images[0]?.variants.map((variant) => variant.width)).toEqual([320, 800]);

    await page.goto('/');
    const card = page.getByRole('link', { name: TITLE });
    await visible(card);
    // The card shows the cover photo (the primary one; reordering does not change it).
    const image = page.locator('li').filter({ has: card }).locator('img[srcset]').first();
    const sources = `${await image.getAttribute('src')} ${await image.getAttribute('srcset')}`;
    const cover = published.images.find((candidate) => candidate.primary);
    expect(cover?.id).toBe(uploaded[0]);
    expect(sources).toContain(cover?.variants[0]?.url as string);
    await page.screenshot({ path: join(resultsDir, 'listing-on-home.png'), fullPage: true });

    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
