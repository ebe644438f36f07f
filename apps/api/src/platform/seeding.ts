import { eq, sql } from 'drizzle-orm';
import type { Database } from './db/database.js';
import { platformMeta } from './db/platform.schema.js';

const SEED_MARKER = 'demo-data';

/** Whether demo data was loaded into this database before (so a restart does not reload it). */
export async function demoDataLoaded(database: Database): Promise<boolean> {
  const [row] = await database.db.select().from(platformMeta).where(eq(platformMeta.key, SEED_MARKER));
  return row !== undefined;
}

export async function markDemoDataLoaded(database: Database, details: object): Promise<void> {
  await database.db
    .insert(platformMeta)
    .values({ key: SEED_MARKER, value: details })
    .onConflictDoUpdate({ target: platformMeta.key, set: { value: details, updatedAt: sql`now()` } });
}
