import { eq, sql } from 'drizzle-orm';
import type { Database } from './db/database.js';
import { platformMeta } from './db/platform.schema.js';

const SEED_MARKER = 'demo-data';
/** Set once the demo listings (and their sellers) are in; separate, so an upgrade adds them. */
export const DEMO_LISTINGS_MARKER = 'demo-listings';
/** Set once the demo sellers' wallet history is in (after the listings and their sellers). */
export const DEMO_WALLETS_MARKER = 'demo-wallets';

/** Whether demo data was loaded into this database before (so a restart does not reload it). */
export async function demoDataLoaded(database: Database, marker = SEED_MARKER): Promise<boolean> {
  const [row] = await database.db.select().from(platformMeta).where(eq(platformMeta.key, marker));
  return row !== undefined;
}

export async function markDemoDataLoaded(
  database: Database,
  details: object,
  marker = SEED_MARKER,
): Promise<void> {
  await database.db
    .insert(platformMeta)
    .values({ key: marker, value: details })
    .onConflictDoUpdate({ target: platformMeta.key, set: { value: details, updatedAt: sql`now()` } });
}
