import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './browser';
import { apiJson } from './members';
import { assertBuilt, freePort, type RunningServer, startServer } from './server';

/**
 * What every browser test file needs: a Souk server of its own (a fresh data directory, started
 * the way `npm start` does) and one Chromium, started before the file's tests and stopped after
 * them, with every browser context opened through `newContext` closed first.
 *
 * @example
 *   const suite = browserSuite('search', { env: { SMTP_URL: '' } });
 *   test('…', async () => {
 *     const context = await suite.newContext({ ...phone, baseURL: suite.server.url });
 *   });
 */
export function browserSuite(
  name: string,
  options: {
    /**
     * Server settings on top of the defaults; PUBLIC_URL is the server's own address (links in
     * mail point at it). `SMTP_URL: ''` keeps mail in the dev mailbox even when the shell that
     * runs the tests names an SMTP server.
     */
    env?: Record<string, string>;
    /** Runs after the server and browser started (fixtures on disk, say). */
    setUp?: () => Promise<void>;
    /** Runs after both stopped and the data directory is gone. */
    tearDown?: () => Promise<void>;
  } = {},
) {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let dataDir: string | undefined;
  let port = 0;
  const contexts: BrowserContext[] = [];
  const start = () =>
    startServer({
      port,
      dataDir: dataDir as string,
      env: { PUBLIC_URL: `http://127.0.0.1:${port}`, ...options.env },
    });

  beforeAll(async () => {
    assertBuilt();
    dataDir = await mkdtemp(join(tmpdir(), `souk-e2e-${name}-`));
    port = await freePort();
    server = await start();
    browser = await launchChromium();
    await options.setUp?.();
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    await options.tearDown?.();
  });

  return {
    get server(): RunningServer {
      if (!server) throw new Error('the server is not running');
      return server;
    },
    get browser(): Browser {
      if (!browser) throw new Error('the browser is not running');
      return browser;
    },
    /** A new browser context, closed after the file's tests (or earlier by the test). */
    async newContext(contextOptions: BrowserContextOptions = {}): Promise<BrowserContext> {
      if (!browser) throw new Error('the browser is not running');
      const context = await browser.newContext(contextOptions);
      contexts.push(context);
      return context;
    },
    /** Stops the server (SIGTERM) and starts it again on the same port and data directory. */
    async restart(): Promise<number | null> {
      if (!server) throw new Error('the server is not running');
      const exitCode = await server.stop();
      server = await start();
      return exitCode;
    },
    /** A JSON call to this server's API. */
    api(path: string, init: { method?: string; body?: unknown; token?: string } = {}) {
      if (!server) throw new Error('the server is not running');
      return apiJson(server.url, path, init);
    },
  };
}
