import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

/** Screenshots land here; the folder is gitignored. */
export const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url));

/** A phone-sized viewport (iPhone 12-15 class). */
export const phone = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

/** Launches Debian's Chromium; playwright-core never downloads a browser here. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(
      `No Chromium at ${executablePath}. Install it (\`apt-get install -y chromium\`) or set CHROMIUM_PATH.`,
    );
  }
  mkdirSync(resultsDir, { recursive: true });
  return chromium.launch({
    executablePath,
    // No internet here: these keep Chromium from trying background connections.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export type WatchedPage = {
  page: Page;
  /** Uncaught exceptions and console errors seen so far, for assertions and failure messages. */
  pageErrors: string[];
  consoleErrors: string[];
};

/** A fresh page in its own context, recording what would show up in the browser's console. */
export async function openPage(context: BrowserContext): Promise<WatchedPage> {
  const page = await context.newPage();
  const watched: WatchedPage = { page, pageErrors: [], consoleErrors: [] };
  page.on('pageerror', (error) => watched.pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') watched.consoleErrors.push(`${message.text()} (${page.url()})`);
  });
  return watched;
}
