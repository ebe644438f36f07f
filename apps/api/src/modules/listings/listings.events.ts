import type { ListingStatus } from './listings.schema.js';

type StatusChange = { listingId: string; sellerId: string; from: ListingStatus; to: ListingStatus };

/** Every change of status or price is an event, published in the transaction of the change. */
export type ListingEvents = {
  'listing.created': { listingId: string; sellerId: string; categoryId: string };
  'listing.published': StatusChange;
  'listing.unpublished': StatusChange;
  'listing.sold': StatusChange;
  'listing.expired': StatusChange;
  'listing.renewed': StatusChange;
  'listing.removed': StatusChange;
  'listing.price_changed': {
    listingId: string;
    sellerId: string;
    from: { type: string | null; amount: number | null; currency: string | null };
    to: { type: string | null; amount: number | null; currency: string | null };
  };
};
