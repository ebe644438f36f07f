import type { Page, Response } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { signUpMember } from './support/members';
import { browserSuite } from './support/suite';

// Three tabs of one browser whose access cookie has expired load at the same instant. They share
// one refresh cookie; the server ends a session whose rotated refresh token comes back after its
// grace window. The web app lets one tab refresh (a Web Lock), the others reuse its new cookies:
// one refresh, every tab still signed in.

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
