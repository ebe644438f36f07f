import { join } from 'node:path';
import type { CategoryNode, CategoryTree } from '@souk/contracts';
import type { BrowserContext, Locator } from 'playwright-core';
import { afterEach, describe, expect, test } from 'vitest';
import { openPage, phone, resultsDir, type WatchedPage } from './support/browser';
import { browserSuite } from './support/suite';

const TOP_LEVEL_CATEGORIES = [
  'Vehicles',
  'Property',
  'Electronics',
  'Home & Garden',
  'Fashion',
  'Collectibles',
  'Services',
  'Showcase',
];

const UI_TIMEOUT_MS = 15_000;

const suite = browserSuite('marketplace');
let context: BrowserContext | undefined;
let current: WatchedPage | undefined;

function baseUrl(): string {
  return suite.server.url;
}

async function visible(locator: Locator): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/** A new phone-sized page on the running server; closed after the test. */
async function newPage(): Promise<WatchedPage> {
  context = await suite.newContext({ ...phone, baseURL: baseUrl() });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  current = await openPage(context);
  return current;
}

async function fetchCategoryTree(): Promise<CategoryTree> {
  const response = await fetch(`${baseUrl()}/api/v1/categories`);
  expect(response.status).toBe(200);
  return (await response.json()) as CategoryTree;
}

function allIds(nodes: readonly CategoryNode[]): string[] {
  return nodes.flatMap((node) => [node.id, ...allIds(node.children)]);
}

afterEach(async () => {
  await context?.close();
  context = undefined;
  current = undefined;
});

describe('Souk in a browser, served by the built server', () => {
  test('the home page on a phone shows the search box and the top-level categories', async () => {
    const { page, pageErrors, consoleErrors } = await newPage();
    await page.goto('/');

    const header = page.getByRole('banner');
    await visible(header.getByRole('combobox', { name: 'Search', exact: true }));
    // In the page's main part: the header links to the Showcase too.
    for (const name of TOP_LEVEL_CATEGORIES) {
      await visible(page.getByRole('main').getByRole('link', { name, exact: true }));
    }
    expect(await page.title()).toContain('Souk');

    await page.screenshot({ path: join(resultsDir, 'home.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  test('Vehicles > Cars shows the breadcrumb and a Model filter narrowed by the chosen Make', async () => {
    const { page, pageErrors, consoleErrors } = await newPage();
    await page.goto('/');

    await page.getByRole('link', { name: 'Vehicles', exact: true }).click();
    await page.waitForURL('**/c/vehicles');
    await visible(page.getByRole('heading', { level: 1, name: 'Vehicles', exact: true }));

    await page.getByRole('link', { name: 'Cars', exact: true }).click();
    await page.waitForURL('**/c/cars');
    expect(new URL(page.url()).pathname).toBe('/c/cars');
    await visible(page.getByRole('heading', { level: 1, name: 'Cars', exact: true }));

    const breadcrumb = page.getByRole('navigation', { name: 'Breadcrumb' });
    await visible(breadcrumb.getByRole('link', { name: 'Vehicles', exact: true }));
    expect(await breadcrumb.textContent()).toContain('Cars');

    const make = page.getByRole('combobox', { name: 'Make', exact: true });
    const model = page.getByRole('combobox', { name: 'Model', exact: true });
    await visible(make);
    await visible(model);
    const modelOptions = () => model.locator('option').allTextContents();
    // Before a make is chosen every model is offered (grouped by make).
    expect(await modelOptions()).toEqual(expect.arrayContaining(['Corolla', 'Civic']));

    await make.selectOption({ label: 'Toyota' });
    expect(await make.inputValue()).not.toBe('');
    await expect.poll(modelOptions, { timeout: UI_TIMEOUT_MS }).not.toContain('Civic');
    expect(await modelOptions()).toContain('Corolla');

    await page.screenshot({ path: join(resultsDir, 'cars.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  test('an unknown category shows a not-found page and an unknown API path answers problem+json', async () => {
    const { page, pageErrors } = await newPage();
    await page.goto('/c/no-such-thing');

    await visible(page.getByRole('heading', { level: 1, name: 'Category not found' }));
    await visible(page.getByText("We couldn't find that category", { exact: false }));

    const answer = await page.evaluate(async () => {
      const response = await fetch('/api/v1/nope');
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        body: (await response.json()) as { status?: number; code?: string },
      };
    });
    expect(answer.status).toBe(404);
    expect(answer.contentType).toMatch(/^application\/problem\+json\b/);
    expect(answer.body).toMatchObject({ status: 404 });
    expect(pageErrors).toEqual([]);
  });

  test('a restart keeps the categories and does not load the demo data twice', async () => {
    const before = await fetchCategoryTree();
    const idsBefore = allIds(before.items);
    expect(before.items.length).toBeGreaterThan(0);
    expect(new Set(idsBefore).size).toBe(idsBefore.length);

    const stopped = suite.server;
    const exitCode = await suite.restart();
    expect(exitCode, `exit code after SIGTERM; output:\n${stopped.output()}`).toBe(0);

    const after = await fetchCategoryTree();
    const idsAfter = allIds(after.items);
    expect(after.items.length).toBe(before.items.length);
    expect(idsAfter.length).toBe(idsBefore.length);
    expect(idsAfter.toSorted()).toEqual(idsBefore.toSorted());

    // And a person sees each category once.
    const { page } = await newPage();
    await page.goto('/');
    await visible(page.getByRole('link', { name: 'Vehicles', exact: true }));
    expect(await page.getByRole('link', { name: 'Vehicles', exact: true }).count()).toBe(1);
  });

  test('/docs renders the API reference', async () => {
    const { page, pageErrors } = await newPage();
    await page.goto('/docs');
    await visible(page.getByText('Souk API').first());
    expect(pageErrors).toEqual([]);
  });
});
