import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openPage, resultsDir } from './support/browser';
import { confirmEmail } from './support/members';
import { browserSuite } from './support/suite';

// A dealer uploads a small CSV, sees the dry-run preview with a row error, starts the import,
// watches it finish and reads the report; the good row is in My listings.

const UI_TIMEOUT_MS = 30_000;
const CSV = [
  'external_id,category,title,description,price,currency,city,status,attr.make,attr.model,attr.year,attr.mileageKm,attr.fuel,attr.transmission,attr.condition',
  'DLR-1,cars,Toyota Aqua 2016 from the yard,Clean car with service records.,4850000,LKR,colombo,active,toyota,aqua,2016,80000,hybrid,automatic,used',
  'DLR-2,spaceships,Rocket with one owner,Barely flown.,99,LKR,colombo,active,,,,,,,',
].join('\n');

const suite = browserSuite('import');

async function visible(locator: Locator) {
  await locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

describe('importing listings', () => {
  test('check a CSV, see the row error, import it and read the report', async () => {
    const { server } = suite;
    const context = await suite.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    const { page, pageErrors, consoleErrors } = await openPage(context);

    await page.goto('/sign-up');
    await page.getByLabel('Display name', { exact: true }).fill('Kasun Motors');
    await page.getByLabel('E-mail', { exact: true }).fill('kasun.motors@example.com');
    await page.getByLabel('Password', { exact: true }).fill('teak-veranda-monsoon-42');
    await page.getByRole('button', { name: 'Create account', exact: true }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Check your e-mail' }));
    // Imports publish listings: the seller's address must be confirmed.
    await confirmEmail(server.url, 'kasun.motors@example.com', UI_TIMEOUT_MS);

    await page.goto('/account/listings');
    await page.getByRole('link', { name: 'Import', exact: true }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Import listings' }));
    await page.getByLabel('Listings file (CSV or JSON Lines)').setInputFiles({
      name: 'stock.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV),
    });

    await page.getByRole('button', { name: 'Check file', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Check finished: nothing was written yet' }));
    const preview = page.getByRole('table');
    await visible(preview.getByText('"spaceships" is not a category'));
    await visible(preview.getByRole('row', { name: /DLR-1/ }).getByText('New', { exact: true }));
    await page.screenshot({ path: join(resultsDir, 'import-dry-run.png'), fullPage: true });

    await page.getByRole('button', { name: 'Start import', exact: true }).click();
    await visible(page.getByRole('heading', { name: 'Import finished' }));
    await visible(page.getByRole('link', { name: 'Download the report (CSV)' }));
    await visible(page.getByText(/Row 3 \(DLR-2\): category: "spaceships" is not a category/));
    const counts = page.getByLabel('Import counts');
    await visible(counts.getByText('created', { exact: true }));
    await page.screenshot({ path: join(resultsDir, 'import-finished.png'), fullPage: true });

    await page.getByRole('link', { name: '← My listings' }).click();
    await visible(page.getByRole('heading', { name: 'Toyota Aqua 2016 from the yard' }));

    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
