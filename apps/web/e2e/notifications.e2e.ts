import { join } from 'node:path';
import type { DevMail, DevMailList } from '@souk/contracts';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { openPage, phone, resultsDir } from './support/browser';
import { browserSuite } from './support/suite';

// A new member gets the welcome in the bell (live, no reload), reads it on the notifications page,
// changes a switch of the matrix in account settings, and unsubscribes from the welcome mail's link
// while signed out. The service worker that shows pushes is served at /sw.js for the whole app.

const UI_TIMEOUT_MS = 20_000;
const EMAIL = 'nadia.notify@example.com';

const suite = browserSuite('notifications', { env: { SMTP_URL: '' } });

async function visible(locator: Locator) {
  await locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}
async function hidden(locator: Locator) {
  await locator.waitFor({ state: 'hidden', timeout: UI_TIMEOUT_MS });
}

async function freshPage(): Promise<Page> {
  const { server } = suite;
  const context = await suite.newContext({ ...phone, baseURL: server.url });
  context.setDefaultTimeout(UI_TIMEOUT_MS);
  return (await openPage(context)).page;
}

const bellCount = (page: Page) => page.getByRole('banner').getByTestId('notifications-unread');

describe('notifications in the browser', () => {
  test('welcome in the bell, read it, change a switch, unsubscribe from the mail while signed out', async () => {
    const page = await freshPage();
    await page.goto('/sign-up');
    await page.getByLabel('Display name', { exact: true }).fill('Nadia Notify');
    await page.getByLabel('E-mail', { exact: true }).fill(EMAIL);
    await page.getByLabel('Password', { exact: true }).fill('teak-veranda-monsoon-42');
    await page.getByRole('button', { name: 'Create account', exact: true }).click();
    await visible(page.getByRole('heading', { level: 1, name: 'Check your e-mail' }));

    // The welcome arrives from a background job; the bell counts it without a reload.
    await visible(bellCount(page));
    expect(await bellCount(page).textContent()).toBe('1');
    await page.screenshot({ path: join(resultsDir, 'notifications-bell.png') });

    await page.getByRole('banner').getByTestId('notification-bell').click();
    await page.waitForURL('**/notifications');
    await visible(page.getByRole('heading', { level: 1, name: 'Notifications' }));
    await visible(page.getByTestId('notification').filter({ hasText: 'Welcome to Souk' }));
    await page.getByRole('button', { name: 'Mark all read', exact: true }).click();
    await hidden(bellCount(page));
    expect(await page.getByRole('button', { name: 'Mark all read', exact: true }).isDisabled()).toBe(true);

    // The matrix saves each switch at once; a reload shows what was stored.
    await page.goto('/account#notifications');
    const messagesByMail = page.getByLabel('New messages: E-mail', { exact: true });
    await visible(messagesByMail);
    expect(await messagesByMail.isChecked()).toBe(true);
    expect(await page.getByLabel('New messages: SMS', { exact: true }).isChecked()).toBe(false);
    const saved = page.waitForResponse(
      (response) =>
        response.url().endsWith('/api/v1/notifications/preferences') && response.request().method() === 'PUT',
    );
    await messagesByMail.click();
    expect((await saved).status()).toBe(200);
    await page.reload();
    await visible(page.getByLabel('New messages: E-mail', { exact: true }));
    expect(await page.getByLabel('New messages: E-mail', { exact: true }).isChecked()).toBe(false);
    await visible(page.getByRole('button', { name: /push on this device/ }));

    // The service worker is shipped by the build and may control the whole app.
    const scope = await page.evaluate(
      async () => (await navigator.serviceWorker.register('/sw.js', { scope: '/' })).scope,
    );
    expect(scope).toBe(`${suite.server.url}/`);

    // The welcome mail's "stop these mails" link works for someone signed out (another phone).
    // Mail goes out from its own background job: wait for it.
    let summary: DevMailList['items'][number] | undefined;
    const deadline = Date.now() + UI_TIMEOUT_MS;
    while (!summary && Date.now() < deadline) {
      const list = (await (await page.request.get('/api/v1/dev/mailbox?limit=50')).json()) as DevMailList;
      summary = list.items.find((mail) => mail.to === EMAIL && mail.subject === 'Welcome to Souk');
      if (!summary) await page.waitForTimeout(250);
    }
    expect(summary).toBeDefined();
    const mail = (await (await page.request.get(`/api/v1/dev/mailbox/${summary?.id}`)).json()) as DevMail;
    const link = /https?:\/\/\S+\/unsubscribe\?token=\S+/.exec(mail.text)?.[0];
    expect(link).toBeDefined();
    const stranger = await freshPage();
    await stranger.goto(new URL(link as string).pathname + new URL(link as string).search);
    await visible(stranger.getByRole('heading', { level: 1, name: 'Unsubscribe from these e-mails' }));
    await stranger.getByRole('button', { name: 'Unsubscribe', exact: true }).click();
    await visible(stranger.getByRole('heading', { level: 1, name: 'You are unsubscribed' }));
    await stranger.screenshot({ path: join(resultsDir, 'notifications-unsubscribed.png') });

    await page.reload();
    await visible(page.getByLabel('Welcome: E-mail', { exact: true }));
    expect(await page.getByLabel('Welcome: E-mail', { exact: true }).isChecked()).toBe(false);
  });
});
