import { sql } from 'drizzle-orm';
import type { Database } from '../platform/db/database.js';

/**
 * Polls `check` every 100 ms until it returns something truthy (which it returns), or fails after
 * `timeoutMs`: for what a background job makes happen (a notification, an import's progress).
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Waits until no job is due or running: every job sent so far (and every job those sent) has
 * been worked. A test checks that something did *not* happen (no second notification, no mail)
 * after this, instead of after a pause that a loaded machine may outlast.
 */
export async function waitForIdleJobs(database: Database, timeoutMs = 30_000): Promise<void> {
  await waitFor(async () => {
    // A handler sends the jobs it causes before it returns, so its own job is still active
    // until they exist: the count does not touch 0 between a job and the ones it causes.
    const result = await database.db.execute(
      sql`select count(*)::int as n from pgboss.job
          where state = 'active' or (state in ('created', 'retry') and start_after <= now())`,
    );
    return Number((result as unknown as { rows: { n: number }[] }).rows[0]?.n) === 0;
  }, timeoutMs);
}
