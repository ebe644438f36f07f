import { buildApp } from './app.js';
import { attachAppDemoPhotos, seedAppDemoListings, seedAppDemoWallets } from './demo-data.js';
import { ConfigError, loadConfig, redactUrl } from './platform/config.js';
import { isDatabaseUnavailable } from './platform/db/errors.js';
import { createPlatform, type Platform } from './platform/index.js';
import { handleProcessEvents } from './platform/lifecycle.js';
import {
  DEMO_LISTINGS_MARKER,
  DEMO_WALLETS_MARKER,
  demoDataLoaded,
  markDemoDataLoaded,
} from './platform/seeding.js';

/**
 * Process entry: config -> platform -> roles. ROLE=all (default) serves HTTP and works jobs;
 * ROLE=api serves HTTP and only enqueues; ROLE=worker works jobs and serves just what an
 * orchestrator probes (the same app, so /health and /metrics answer).
 */
async function main() {
  const config = loadConfig();
  const platform = await createPlatform(config);
  const { logger } = platform;
  const app = await buildApp(platform);
  // Each start-up step is safe to repeat, so a database that stops answering for a moment
  // (a restart, or a probe timing out on a loaded host) delays the start instead of ending it.
  const untilAnswered = <T>(step: () => Promise<T>) => retryWhileDatabaseUnavailable(platform, step);
  await untilAnswered(() => platform.jobs.start({ work: config.ROLE !== 'api' }));

  await untilAnswered(() => seedOnFirstStart(platform, app.modules.catalog.seedDemoData));
  // Sellers and listings after the catalog they draw on; their own marker, so an upgrade adds them.
  const listings = await untilAnswered(() =>
    seedOnFirstStart(platform, () => seedAppDemoListings(app, platform), DEMO_LISTINGS_MARKER),
  );
  await untilAnswered(() => seedOnFirstStart(platform, () => seedAppDemoWallets(app), DEMO_WALLETS_MARKER));
  if (config.ADMIN_EMAIL) {
    const email = config.ADMIN_EMAIL.toLowerCase();
    // An existing account is promoted now; a new one becomes admin once it verifies the address.
    const outcome = await untilAnswered(() => app.modules.auth.service.ensureAdmin({ email }));
    logger.info({ outcome }, 'ADMIN_EMAIL checked');
  }

  const stopPhotos = new AbortController();
  handleProcessEvents({
    logger,
    lifecycle: platform.lifecycle,
    delayMs: config.SHUTDOWN_DELAY_MS,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    async close({ signal }) {
      if (signal) logger.info({ signal }, 'shutting down: draining requests and jobs');
      stopPhotos.abort();
      await app.close(); // stops accepting, serves what already arrived, waits for in-flight requests
      await platform.close(); // lets running jobs finish, closes cache and database
      logger.info('stopped');
    },
  });

  const address = await app.listen({ host: config.HOST, port: config.PORT });
  logger.info(
    {
      address,
      role: config.ROLE,
      database: platform.database.kind === 'postgres' ? 'postgresql' : `embedded (${config.DATA_DIR})`,
      cache: platform.cache.kind,
    },
    `Souk is ready at ${config.PUBLIC_URL ?? `http://localhost:${config.PORT}`}`,
  );

  // Photos for new demo listings take minutes to render and encode: the server answers meanwhile.
  // Only on a real first start (auto): with `always` (benchmarks, CI) they would compete with the
  // requests being measured; `npm run seed` adds them there.
  if (listings && listings.inserted > 0 && config.SEED_DEMO_DATA === 'auto') {
    logger.info('storing demo photos in the background');
    // One listing at a time, so about one core stays free for requests.
    attachAppDemoPhotos(app, platform, { concurrency: 1, signal: stopPhotos.signal }).then(
      (report) => logger.info({ report }, 'demo photos stored'),
      (error: unknown) => {
        if (!stopPhotos.signal.aborted) logger.warn({ err: error }, 'demo photos stopped');
      },
    );
  }
}

/** How long start-up waits for a database that does not answer before it gives up. */
const START_DATABASE_WAIT_MS = 120_000;

async function retryWhileDatabaseUnavailable<T>(platform: Platform, step: () => Promise<T>): Promise<T> {
  const giveUpAt = Date.now() + START_DATABASE_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (error) {
      if (!isDatabaseUnavailable(error) || Date.now() > giveUpAt) throw error;
      if (attempt === 1) platform.logger.warn({ err: error }, 'start-up waits for the database');
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * attempt)));
    }
  }
}

/** Runs `seed` on the first start (or every start with SEED_DEMO_DATA=always); its report, or null. */
async function seedOnFirstStart<Report extends object>(
  platform: Platform,
  seed: () => Promise<Report>,
  marker?: string,
): Promise<Report | null> {
  const { config, database, logger } = platform;
  const wanted =
    config.SEED_DEMO_DATA === 'always' || (config.SEED_DEMO_DATA === 'auto' && database.kind === 'pglite');
  if (!wanted || (config.SEED_DEMO_DATA === 'auto' && (await demoDataLoaded(database, marker)))) return null;
  logger.info({ marker }, 'loading demo data (first start)');
  const report = await seed();
  await markDemoDataLoaded(database, { at: new Date().toISOString(), report }, marker);
  logger.info({ report }, 'demo data loaded');
  return report;
}

main().catch((error: unknown) => {
  // Start-up failures print one line a person can act on, not a stack trace.
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: string }).code;
    console.error(`Souk could not start: ${redactUrl(message)}${code ? ` (${code})` : ''}`);
  }
  process.exit(1);
});
