import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { resultsDir, type WatchedPage } from './support/browser';
import { signUpMember } from './support/members';
import { repoRoot } from './support/server';
import { browserSuite } from './support/suite';

// Two members in two browsers: A posts a product to the showcase with a photo; B upvotes it (A's
// page counts the vote live), comments, A replies; and the post is on today's leaderboard.

const sharp = createRequire(join(repoRoot, 'apps/api/package.json'))(
  'sharp',
) as typeof import('sharp').default;

const UI_TIMEOUT_MS = 20_000;
const NAME = 'Quillstack Pro';
const TAGLINE = 'API mocks from the command line';

let photosDir: string | undefined;
const suite = browserSuite('showcase', {
  setUp: async () => {
    photosDir = await mkdtemp(join(tmpdir(), 'souk-e2e-showcase-photos-'));
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900">
    <rect width="100%" height="100%" fill="#14213d"/>
    <text x="80" y="520" font-size="200" font-family="sans-serif" fill="#fca311">QUILL</text></svg>`;
    await sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toFile(join(photosDir, 'cover.jpg'));
  },
  tearDown: async () => {
    if (photosDir) await rm(photosDir, { recursive: true, force: true });
  },
});

async function visible(locator: Locator) {
  await locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

function person(name: string, email: string): Promise<WatchedPage> {
  return signUpMember(
    { newContext: suite.newContext, baseURL: suite.server.url, timeoutMs: UI_TIMEOUT_MS },
    name,
    email,
  );
}

describe('the showcase in two browsers', () => {
  test('post a product, upvote it as another member, comment and reply, see it on the leaderboard', async () => {
    if (!photosDir) throw new Error('not started');
    const maker = await person('Amal Maker', 'amal.maker@example.com');
    const fan = await person('Bina Fan', 'bina.fan@example.com');

    // A posts a product from the showcase home.
    const a = maker.page;
    await a.goto('/');
    await a.getByRole('banner').getByRole('link', { name: 'Showcase', exact: true }).click();
    await a.waitForURL('**/showcase');
    await a.getByRole('link', { name: 'Post a product', exact: true }).click();
    await a.waitForURL('**/showcase/new');
    await a.getByLabel('Category', { exact: true }).selectOption({ label: 'Developer Tools' });
    await a.getByLabel('Product name', { exact: true }).fill(NAME);
    await a.getByLabel('Tagline', { exact: true }).fill(TAGLINE);
    await a.getByLabel('Link', { exact: true }).fill('https://quillstack.example/pro');
    await a
      .getByLabel('Description', { exact: true })
      .fill('Record real traffic once, replay it as mocks in CI. Free for open-source projects.');
    await a.getByLabel('Tags', { exact: true }).fill('testing, cli');
    await a.getByRole('checkbox', { name: 'Web', exact: true }).check();
    await a.getByRole('combobox', { name: 'Pricing' }).selectOption({ label: 'Free' });
    await a.getByRole('button', { name: 'Save and add photos', exact: true }).click();
    await a.waitForURL('**/showcase/new?id=*');
    const listingId = new URL(a.url()).searchParams.get('id') as string;
    await a.getByLabel('Add photos').setInputFiles([join(photosDir, 'cover.jpg')]);
    await expect
      .poll(
        async () =>
          ((await (await a.request.get(`/api/v1/listings/${listingId}`)).json()) as { images: unknown[] })
            .images.length,
        { timeout: UI_TIMEOUT_MS },
      )
      .toBe(1);
    await a.getByRole('button', { name: 'Publish to the showcase', exact: true }).click();
    await a.waitForURL(`**/listings/${listingId}`);
    await visible(a.getByRole('heading', { level: 2, name: NAME }));
    await visible(a.getByText(TAGLINE, { exact: true }));
    const makerCount = a.getByTestId('upvote-count');
    expect(await makerCount.textContent()).toBe('0');

    // B opens it and upvotes: the count moves, and A's open page follows live.
    const b = fan.page;
    await b.goto(`/listings/${listingId}`);
    await visible(b.getByRole('heading', { level: 2, name: NAME }));
    const upvote = b.getByRole('button', { name: new RegExp(`^Upvote ${NAME}`) });
    await upvote.click();
    await visible(b.getByRole('button', { name: new RegExp(`^Remove my upvote from ${NAME}`) }));
    await expect
      .poll(() => b.getByTestId('upvote-count').textContent(), { timeout: UI_TIMEOUT_MS })
      .toBe('1');
    await expect.poll(() => makerCount.textContent(), { timeout: UI_TIMEOUT_MS }).toBe('1');

    // B asks a question; A answers it.
    await b
      .getByLabel('Ask a question or leave a comment')
      .fill('Does it work with GraphQL? See https://graphql.org');
    await b.getByRole('button', { name: 'Comment', exact: true }).click();
    await visible(b.getByText('Does it work with GraphQL?', { exact: false }));
    await visible(b.getByRole('link', { name: 'https://graphql.org' }));

    await a.reload();
    const question = a.getByTestId('comment').filter({ hasText: 'Does it work with GraphQL?' });
    await visible(question);
    await question.getByRole('button', { name: 'Reply', exact: true }).first().click();
    await a.getByLabel('Reply to Bina Fan').fill('Yes, queries and mutations both.');
    await a.getByRole('button', { name: 'Reply', exact: true }).last().click();
    await visible(a.getByText('Yes, queries and mutations both.'));
    await b.reload();
    await visible(b.getByText('Yes, queries and mutations both.'));
    await b.screenshot({ path: join(resultsDir, 'showcase-post.png'), fullPage: true });

    // Today's leaderboard lists it with its vote.
    await b.goto('/showcase?tab=leaderboard');
    const row = b.getByTestId('showcase-item').filter({ hasText: NAME });
    await visible(row);
    expect(await row.getByTestId('upvote-count').textContent()).toBe('1');
    await visible(row.getByRole('button', { name: new RegExp(`^Remove my upvote from ${NAME}`) }));
    await b.screenshot({ path: join(resultsDir, 'showcase-leaderboard.png'), fullPage: true });
  });
});
