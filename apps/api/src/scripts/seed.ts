import { buildApp } from '../app.js';
import { loadConfig } from '../platform/config.js';
import { createPlatform } from '../platform/index.js';
import { markDemoDataLoaded } from '../platform/seeding.js';

/** `npm run seed`: loads the demo data that is missing; running it twice changes nothing. */
const config = loadConfig();
const platform = await createPlatform(config);
try {
  const app = await buildApp(platform, { webDistDir: null });
  await platform.jobs.start({ work: false });
  console.log(
    `seeding ${platform.database.kind === 'postgres' ? 'PostgreSQL' : `embedded database in ${config.DATA_DIR}`}`,
  );
  const report = await app.modules.catalog.seedDemoData();
  await markDemoDataLoaded(platform.database, { at: new Date().toISOString(), report });
  console.log(
    `categories: ${report.categories.total} (${report.categories.added} new); locations: ${report.locations.total} (${report.locations.added} new)`,
  );
  await app.close();
} finally {
  await platform.close();
}
