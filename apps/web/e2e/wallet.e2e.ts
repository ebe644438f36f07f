import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { resultsDir } from './support/browser';
import { signUpMember } from './support/members';
import { browserSuite } from './support/suite';

// Issue 18, must-show 7: a member tops up with the 3-D Secure test card on the sandbox's payment
// page, comes back to the wallet and sees the balance and the chart move, adds a bank account,
// requests a payout and sees it pending (a new seller's payout waits for the hold), with the money
// moved from available to pending payout.

const UI_TIMEOUT_MS = 20_000;
const suite = browserSuite('wallet', { env: { SMTP_URL: '' } });

async function visible(locator: Locator) {
  await locator.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

async function openWalletFromMenu(page: Page) {
  const menu = page.getByRole('banner').getByRole('button', { name: /account menu$/ });
  await visible(menu);
  await menu.click();
  const link = page.getByRole('banner').getByRole('link', { name: 'Wallet', exact: true });
  await visible(link);
  await link.click();
}

describe('the wallet in the browser', () => {
  test('top up with 3-D Secure, see balance and chart move, request a payout, see it pending', async () => {
    const { page, pageErrors } = await signUpMember(
      { newContext: suite.newContext, baseURL: suite.server.url, timeoutMs: UI_TIMEOUT_MS },
      'Wara Wallet',
      'wara.wallet@example.com',
    );

    // Reached the way members find it: the account menu in the header (phone width here).
    await page.goto('/');
    await openWalletFromMenu(page);
    await page.waitForURL(/\/account\/wallet$/, { timeout: UI_TIMEOUT_MS });
    await visible(page.getByRole('heading', { level: 1, name: 'Wallet' }));
    await visible(page.getByText('Your wallet is empty'));
    await expect(page.getByRole('img', { name: /balance over the last 90 days/ }).count()).resolves.toBe(0);

    // Top up USD 25 with the card that asks for 3-D Secure.
    const topUp = page.getByRole('region', { name: 'Top up by card' });
    await topUp.getByLabel('Amount').fill('25');
    await topUp.getByLabel('Currency').selectOption('USD');
    await topUp.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL(/\/payments\/sandbox\/checkout\/pi_sb_/, { timeout: UI_TIMEOUT_MS });
    await visible(page.getByRole('heading', { name: 'Top up your Souk wallet' }));

    // The sandbox's page, in the member's own signed-in tab (its forms are sessionless routes).
    await page.getByLabel('Card number').fill('4000 0025 0000 3155');
    await page.getByRole('button', { name: /^Pay / }).click();
    await visible(page.getByRole('heading', { name: 'Confirm it is you' }));
    await page.getByRole('button', { name: 'Complete authentication' }).click();

    // Back on the wallet: the outcome, the balance and a chart with the top-up on it.
    await page.waitForURL(/\/account\/wallet\?paymentId=.+&status=captured/, { timeout: UI_TIMEOUT_MS });
    await visible(page.getByText('Your top-up went through'));
    const balance = page.getByTestId('available-USD');
    await visible(balance);
    expect(await balance.textContent()).toMatch(/25/);
    const chart = page.getByRole('img', { name: 'Your available USD balance over the last 90 days' });
    await visible(chart);
    expect(await chart.getAttribute('data-points')).toBe('1');
    const history = page.getByRole('list', { name: 'Transactions' });
    await visible(history.getByText('Top-up'));

    // A bank account, then a payout of USD 20.
    const payouts = page.getByRole('region', { name: 'Payouts' });
    await payouts.getByLabel('Account holder').fill('Wara Wallet');
    await payouts.getByLabel('Account number or IBAN').fill('LK12 3456 7890 1234');
    await payouts.getByLabel('Country (2 letters)').fill('LK');
    await payouts.getByRole('button', { name: 'Add bank account' }).click();
    await visible(payouts.getByText(/Bank account ••••1234/));
    await payouts.getByLabel('Amount to pay out').fill('20');
    await payouts.getByRole('button', { name: 'Request payout' }).click();

    const requested = page.getByRole('list', { name: 'Your payouts' }).getByRole('listitem');
    await visible(requested.first());
    await visible(requested.first().getByText('Pending', { exact: true }));
    await visible(requested.first().getByText(/^Sent from /));
    // The money moved from available to pending payout, and the chart took the step down.
    await page.waitForFunction(
      () => document.querySelector('[data-testid="available-USD"]')?.textContent?.match(/\b5\b/) !== null,
      undefined,
      { timeout: UI_TIMEOUT_MS },
    );
    await page.waitForFunction(
      () => document.querySelector('svg[data-points]')?.getAttribute('data-points') === '2',
      undefined,
      { timeout: UI_TIMEOUT_MS },
    );
    expect(await page.getByTestId('balance-USD').textContent()).toMatch(/Pending payout.*20/);
    await page.screenshot({ path: join(resultsDir, 'wallet-payout-pending.png'), fullPage: true });

    // On a desktop-wide window the same menu entry leads back to it.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/');
    await openWalletFromMenu(page);
    await page.waitForURL(/\/account\/wallet$/, { timeout: UI_TIMEOUT_MS });
    await visible(page.getByTestId('balance-USD'));
    expect(pageErrors).toEqual([]);
  });

  test('a payout above the review threshold: the member is told in the bell, and the news links to the wallet', async () => {
    const { page, pageErrors } = await signUpMember(
      { newContext: suite.newContext, baseURL: suite.server.url, timeoutMs: UI_TIMEOUT_MS },
      'Rami Review',
      'rami.review@example.com',
    );
    await page.goto('/');
    await openWalletFromMenu(page);
    await visible(page.getByRole('heading', { level: 1, name: 'Wallet' }));

    const topUp = page.getByRole('region', { name: 'Top up by card' });
    await topUp.getByLabel('Amount').fill('1500');
    await topUp.getByLabel('Currency').selectOption('USD');
    await topUp.getByRole('button', { name: 'Continue to payment' }).click();
    await page.waitForURL(/\/payments\/sandbox\/checkout\/pi_sb_/, { timeout: UI_TIMEOUT_MS });
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByRole('button', { name: /^Pay / }).click();
    await page.waitForURL(/\/account\/wallet\?paymentId=.+&status=captured/, { timeout: UI_TIMEOUT_MS });

    // USD 1,200 is above what goes out without an operator's look (USD 1,000).
    const payouts = page.getByRole('region', { name: 'Payouts' });
    await payouts.getByLabel('Account holder').fill('Rami Review');
    await payouts.getByLabel('Account number or IBAN').fill('LK98 7654 3210 9876');
    await payouts.getByLabel('Country (2 letters)').fill('LK');
    await payouts.getByRole('button', { name: 'Add bank account' }).click();
    await visible(payouts.getByText(/Bank account ••••9876/));
    await payouts.getByLabel('Amount to pay out').fill('1200');
    await payouts.getByRole('button', { name: 'Request payout' }).click();
    await visible(page.getByRole('list', { name: 'Your payouts' }).getByRole('listitem').first());

    // The bell (which also holds the welcome) leads to the news; the news opens the wallet.
    await visible(page.getByTestId('notifications-unread'));
    await page.getByTestId('notification-bell').click();
    await page.waitForURL(/\/notifications$/, { timeout: UI_TIMEOUT_MS });
    const news = page.getByTestId('notification').filter({ hasText: 'Your payout is being reviewed' });
    await visible(news);
    await visible(news.getByText(/USD 1200\.00 is above the amount sent without a check/));
    await news.getByRole('link').click();
    await page.waitForURL(/\/account\/wallet$/, { timeout: UI_TIMEOUT_MS });
    await visible(page.getByRole('heading', { level: 1, name: 'Wallet' }));
    expect(pageErrors).toEqual([]);
  });
});
