import { type SQL, sql } from 'drizzle-orm';

/**
 * "This listing has at least one image", as SQL over the media module's own table, for the
 * search's "with photos" filter (listings compose it; nobody else names media_images).
 */
export function listingHasImages(listingId: SQL): SQL {
  return sql`exists (select 1 from media_images mi where mi.listing_id = ${listingId})`;
}
