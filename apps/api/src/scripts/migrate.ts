import { join } from 'node:path';
import { loadConfig, redactUrl } from '../platform/config.js';
import { createDatabase } from '../platform/db/database.js';
import { createJobs } from '../platform/jobs.js';
import { createLogger } from '../platform/logger.js';

/**
 * `npm run migrate` (in the image: `node apps/api/dist/scripts/migrate.js`): applies Souk's
 * migrations and pg-boss's schema, then exits 0. Every process does the same on start (under an
 * advisory lock), so this is not required; it exists so a deploy can migrate once, before the
 * rollout (the Kubernetes Job, the compose `migrate` service), and stop the rollout when it fails
 * instead of crash-looping every new pod. No HTTP, no jobs worked, no demo data.
 */
const config = loadConfig();
const logger = createLogger(config.LOG_LEVEL);
const started = Date.now();
const database = await createDatabase({
  url: config.DATABASE_URL,
  dataDir: join(config.DATA_DIR, 'pglite'),
  poolMax: 2,
  statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
  logger,
});
try {
  await database.migrate();
  // pg-boss creates and upgrades its own schema when it starts; a release that moves to a newer
  // pg-boss upgrades it here too, not in the first pod that happens to start.
  const jobs = createJobs({ executor: database.executor, executorFor: database.executorFor, logger });
  await jobs.start({ work: false });
  await jobs.stop();
  logger.info(
    { database: database.kind, ms: Date.now() - started },
    'migrations applied; the database is at this release',
  );
} catch (error) {
  console.error(`migrations failed: ${redactUrl((error as Error).message)}`);
  process.exitCode = 1;
} finally {
  await database.close();
}
