import type { ChannelAuthorizer } from './realtime.hub.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Listing statuses whose page anyone may see, and so follow live (price, sold, bids). */
const PUBLIC_STATUSES = new Set(['active', 'sold', 'expired']);

/**
 * `listing:<id>`: anyone signed in, when the listing is publicly visible; its seller always.
 * The port is the listings module's `access(id)` (null for a missing or deleted listing).
 */
export function visibleListingAuthorizer(
  access: (listingId: string) => Promise<{ sellerId: string; status: string; deleted?: boolean } | null>,
): ChannelAuthorizer {
  return async (actor, id) => {
    if (!UUID.test(id)) return false;
    const listing = await access(id);
    if (!listing || listing.deleted) return false;
    return listing.sellerId === actor.userId || PUBLIC_STATUSES.has(listing.status);
  };
}
