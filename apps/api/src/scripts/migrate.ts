import { buildApp } from '../app.js';
import { loadConfig, redactUrl } from '../platform/config.js';
import { createPlatform } from '../platform/index.js';

/**
 * `npm run migrate` (in the image: `node apps/api/dist/scripts/migrate.js`): applies Souk's
 * migrations, pg-boss's schema and every job queue this release defines, then exits 0. A deploy
 * runs it once before the rollout (the Kubernetes Job, the compose `migrate` service), so a failed
 * migration stops the deploy instead of crash-looping every new pod, and the nodes that start
 * next find their queues made: pg-boss creates a new queue's partition with DDL, and two nodes
 * creating the same new queues at once deadlocked (40P01: one of them exited on a first start).
 * No HTTP, no jobs worked, no demo data.
 */
const started = Date.now();
try {
  const config = loadConfig();
  // createPlatform migrates (under an advisory lock); the app defines the queues; starting the job
  // system without workers creates them.
  const platform = await createPlatform(config);
  try {
    const app = await buildApp(platform, { webDistDir: null });
    await platform.jobs.start({ work: false });
    await app.close();
    platform.logger.info(
      { database: platform.database.kind, ms: Date.now() - started },
      'migrations applied; the database is at this release',
    );
  } finally {
    await platform.close();
  }
} catch (error) {
  console.error(`migrations failed: ${redactUrl((error as Error).message)}`);
  process.exitCode = 1;
}
