import { parseArgs } from 'node:util';
import { buildApp } from '../app.js';
import { attachAppDemoPhotos, seedAppDemoListings, seedAppDemoWallets } from '../demo-data.js';
import { DEMO_LISTING_COUNT, DEMO_SEED } from '../modules/listings/listings.seed.js';
import { loadConfig } from '../platform/config.js';
import { createPlatform } from '../platform/index.js';
import { DEMO_LISTINGS_MARKER, DEMO_WALLETS_MARKER, markDemoDataLoaded } from '../platform/seeding.js';
import { createProgress } from './progress.js';

const usage = `npm run seed [-- --listings N] [--no-photos] [--seed S]

Loads the demo data that is missing; running it twice changes nothing.
  (no options)     the catalog, 50 demo sellers, ${DEMO_LISTING_COUNT.toLocaleString('en-US')} demo listings with photos
  --listings N     N listings instead, without photos (benchmark data: 1000000, 1_000_000 or 1e6)
  --no-photos      the demo listings without photos (the photos take a few minutes)
  --seed S         another deterministic data set (default ${DEMO_SEED})
Uses DATABASE_URL (PostgreSQL) when set, else the embedded database in DATA_DIR.`;

function parseCount(raw: string, name: string): number {
  const value = Number(raw.replaceAll(/[_,]/g, ''));
  if (!Number.isSafeInteger(value) || value < 0 || value > 100_000_000) {
    console.error(
      `${name} must be a whole number from 0 to 100,000,000 (got ${JSON.stringify(raw)})\n\n${usage}`,
    );
    process.exit(2);
  }
  return value;
}

let args: {
  listings?: string | undefined;
  seed?: string | undefined;
  'no-photos'?: boolean | undefined;
  help?: boolean | undefined;
};
try {
  ({ values: args } = parseArgs({
    options: {
      listings: { type: 'string' },
      seed: { type: 'string' },
      'no-photos': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  console.error(`${(error as Error).message}\n\n${usage}`);
  process.exit(2);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const bulk = args.listings !== undefined;
const count = bulk ? parseCount(args.listings as string, '--listings') : DEMO_LISTING_COUNT;
const seed = args.seed === undefined ? DEMO_SEED : parseCount(args.seed, '--seed');

/** `npm run seed`: loads the demo data that is missing; running it twice changes nothing. */
const config = loadConfig();
const platform = await createPlatform(config);
try {
  const app = await buildApp(platform, { webDistDir: null });
  await platform.jobs.start({ work: false });
  console.log(
    `seeding ${platform.database.kind === 'postgres' ? 'PostgreSQL' : `embedded database in ${config.DATA_DIR}`}`,
  );
  const catalog = await app.modules.catalog.seedDemoData();
  await markDemoDataLoaded(platform.database, { at: new Date().toISOString(), report: catalog });
  console.log(
    `categories: ${catalog.categories.total} (${catalog.categories.added} new); locations: ${catalog.locations.total} (${catalog.locations.added} new)`,
  );

  const progress = createProgress('listings', count);
  const listings = await seedAppDemoListings(app, platform, {
    count,
    seed,
    // Large sets: 1,000 rows an INSERT; the demo set: transactions of 500.
    batchSize: bulk ? 1_000 : 500,
    onProgress: (done) => progress.update(done),
  });
  if (listings.skipped) {
    console.log(`listings: all ${count.toLocaleString('en-US')} of seed ${seed} are there already`);
  } else {
    progress.finish();
    console.log(
      `listings: ${listings.inserted.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} inserted ` +
        `in ${listings.insertSeconds} s (${listings.rowsPerSecond.toLocaleString('en-US')} rows/s), ` +
        `${listings.sellers} sellers, ${listings.categories} categories, seed ${seed}`,
    );
  }
  await markDemoDataLoaded(
    platform.database,
    { at: new Date().toISOString(), report: listings },
    DEMO_LISTINGS_MARKER,
  );
  const wallets = await seedAppDemoWallets(app);
  await markDemoDataLoaded(
    platform.database,
    { at: new Date().toISOString(), report: wallets },
    DEMO_WALLETS_MARKER,
  );
  console.log(
    `wallets: ${wallets.members} demo sellers, ${wallets.transfers} new credits, ${wallets.payouts} payouts`,
  );

  if (!bulk && !args['no-photos']) {
    const photos = createProgress('photos (listings)', count);
    const report = await attachAppDemoPhotos(app, platform, {
      count,
      seed,
      onProgress: (done, total) => photos.update(done, total),
    });
    if (report.listings > 0) photos.finish();
    console.log(
      `photos: ${report.images} for ${report.listings} listings in ${report.seconds} s` +
        (report.skipped > 0 ? ` (${report.skipped} had photos already)` : ''),
    );
  }
  await app.close();
} finally {
  await platform.close();
}
