import type { ListingKind, ListingStatus } from '@souk/contracts';

type StatusChange = { listingId: string; sellerId: string; from: ListingStatus; to: ListingStatus };

/** A price as events carry it: every field present, null when it does not apply. */
export type PriceFacts = { type: string | null; amount: number | null; currency: string | null };

/**
 * What a listing was when it went public. Events carry the facts that do not change with the
 * listing's later life, so subscribers (search alerts, follows, showcase) need not read it back;
 * what can change (the status) is re-read where it matters. Jobs queued before these fields
 * existed carry only the status change: subscribers accept both shapes for one release.
 */
export type PublishedFacts = {
  title: string;
  kind: ListingKind;
  categoryId: string;
  locationId: string | null;
  price: PriceFacts;
  /** The first publish time (ISO 8601): a renewal or a republish keeps it. */
  publishedAt: string;
  /** The primary image's id when the listing had one, or null. */
  coverImageId: string | null;
};

/** Every change of status or price is an event, published in the transaction of the change. */
export type ListingEvents = {
  'listing.created': { listingId: string; sellerId: string; categoryId: string };
  'listing.published': StatusChange & PublishedFacts;
  'listing.unpublished': StatusChange;
  'listing.sold': StatusChange;
  'listing.expired': StatusChange;
  'listing.renewed': StatusChange;
  'listing.removed': StatusChange;
  'listing.price_changed': {
    listingId: string;
    sellerId: string;
    from: PriceFacts;
    to: PriceFacts;
  };
};

/** A `listing.published` payload as a subscriber may receive it (old jobs: no facts). */
export type ListingPublishedPayload = Pick<StatusChange, 'listingId' | 'sellerId'> & Partial<PublishedFacts>;
