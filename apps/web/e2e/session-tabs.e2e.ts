import type { Page, Response } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { apiJson, MEMBER_PASSWORD, signUpMember } from './support/members';
import { browserSuite } from './support/suite';

// Three tabs of one browser whose access cookie has expired load at the same instant. They share
// one refresh cookie; the server ends a session whose rotated refresh token comes back after its
// grace window. The web app lets one tab refresh (a Web Lock), the others reuse its new cookies:
// one refresh, every tab still signed in. And when sign-in is refused after wrong passwords, the
// page says what to do, and the mailed unlock link lands on a page.

const UI_TIMEOUT_MS = 20_000;

const suite = browserSuite('session-tabs', { env: { SMTP_URL: '' } });

const accountHeading = (page: Page) =>
  page.getByRole('heading', { level: 1, name: 'Account settings', exact: true });

describe('several tabs', () => {
  test('refresh the session once between them and all stay signed in', async () => {
    const { page: first } = await signUpMember(
      { newContext: suite.newContext, baseURL: suite.server.url, timeoutMs: UI_TIMEOUT_MS },
      'Tara Tabs',
      'tara.tabs@example.com',
    );
    const context = first.context();
    const tabs = [first, await context.newPage(), await context.newPage()];
    for (const tab of tabs) {
      await tab.goto('/account');
      await accountHeading(tab).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    }

    const refreshes: Response[] = [];
    context.on('response', (response) => {
      if (new URL(response.url()).pathname === '/api/v1/auth/refresh') refreshes.push(response);
    });
    // The access cookie expires (as after 15 minutes away): every tab needs a refresh at once.
    await context.clearCookies({ name: 'souk_access' });
    await Promise.all(tabs.map((tab) => tab.reload()));
    for (const tab of tabs) {
      await accountHeading(tab).waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
    }

    expect(refreshes.map((response) => response.status())).toEqual([200]);
    const session = await first.request.get('/api/v1/auth/session');
    expect(session.status()).toBe(200);
    for (const tab of tabs) expect(new URL(tab.url()).pathname).toBe('/account');
  });
});

describe('failed sign-ins', () => {
  test('the sign-in page says what to do after too many, and the mailed unlock link lets the browser in', async () => {
    const { server } = suite;
    const email = 'lena.locked@example.com';
    await apiJson(server.url, '/api/v1/auth/register', {
      method: 'POST',
      body: { email, password: MEMBER_PASSWORD, displayName: 'Lena' },
    });
    const context = await suite.newContext({ baseURL: server.url });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    const page = await context.newPage();
    await page.goto('/sign-in');
    const signIn = async (password: string) => {
      await page.getByLabel('E-mail', { exact: true }).fill(email);
      await page.getByLabel('Password', { exact: true }).fill(password);
      const answer = page.waitForResponse(
        (response) =>
          response.request().method() === 'POST' && new URL(response.url()).pathname === '/api/v1/auth/login',
      );
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      return (await answer).status();
    };
    for (let attempt = 0; attempt < 5; attempt++) expect(await signIn(`not it ${attempt}`)).toBe(401);
    // Even the right password waits now, from this address; the page says what to do.
    expect(await signIn(MEMBER_PASSWORD)).toBe(429);
    const alert = page.getByRole('main').getByRole('alert');
    await alert.getByText('Too many failed sign-ins from this connection').waitFor({ state: 'visible' });
    await alert.getByRole('link', { name: 'reset your password' }).waitFor({ state: 'visible' });

    // The unlock link (asked for on the page when the account's own limit is reached; here
    // through the API) lands on a page, and this browser signs in.
    await apiJson(server.url, '/api/v1/auth/unlock/request', { method: 'POST', body: { email } });
    let link: string | undefined;
    const deadline = Date.now() + UI_TIMEOUT_MS;
    while (!link && Date.now() < deadline) {
      const { items } = (await apiJson(server.url, '/api/v1/dev/mailbox?limit=50')) as {
        items: { id: string; to: string; subject: string }[];
      };
      const mail = items.find((item) => item.to === email && item.subject.startsWith('Sign in to your'));
      if (mail) {
        const { text } = (await apiJson(server.url, `/api/v1/dev/mailbox/${mail.id}`)) as { text: string };
        link = /https?:\/\/\S+\/unlock-account\?token=\S+/.exec(text)?.[0];
      } else await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(link).toBeDefined();
    const url = new URL(link as string);
    await page.goto(url.pathname + url.search);
    await page
      .getByRole('heading', { level: 1, name: 'This browser can sign in again' })
      .waitFor({ state: 'visible' });
    await page.getByRole('main').getByRole('link', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((current) => current.pathname === '/sign-in');
    expect(await signIn(MEMBER_PASSWORD)).toBe(200);
  });
});
