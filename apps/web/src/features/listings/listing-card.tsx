import type { ListingSummary } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { CardActions } from '../favorites/card-actions';
import { CardRating } from '../reviews/card-rating';
import { FeaturedBadge, StatusBadge } from './listing-badges';
import { ListingPhoto, NoPhoto } from './listing-photo';
import { PriceTag } from './price-tag';

export const listingGridClass = 'grid grid-cols-2 gap-3 sm:grid-cols-3 sm:gap-4 lg:grid-cols-4';
const CARD_SIZES = '(min-width: 1152px) 270px, (min-width: 1024px) 23vw, (min-width: 640px) 31vw, 47vw';

/**
 * A card fact as it reads without its label: "Petrol", "85,000 km", but "4 bedrooms" rather than a
 * bare "4", and a year as 2018 (the server groups it like any number: "2,018").
 */
export function cardFact({ label, value }: { label: string; value: string }): string {
  const digits = value.replace(/[,\s\u00a0\u202f]/g, '');
  if (/year/i.test(label) && /^\d{4}$/.test(digits)) return digits;
  if (/^\d+(?:\.\d+)?$/.test(digits)) return `${value} ${label.toLowerCase()}`;
  return value;
}

export function listingUrl(id: string): string {
  return `/listings/${encodeURIComponent(id)}`;
}

export function ListingCard({
  listing,
  showStatus = false,
  priority = false,
}: {
  listing: ListingSummary;
  showStatus?: boolean;
  priority?: boolean;
}) {
  const facts = listing.cardAttributes.slice(0, 3);
  return (
    <li className="group relative flex flex-col overflow-hidden rounded-2xl border border-stone-200 bg-white shadow-xs transition hover:border-brand-300 hover:shadow-md has-[a:focus-visible]:outline-3 has-[a:focus-visible]:outline-offset-2 has-[a:focus-visible]:outline-brand-500">
      <div className="relative">
        {listing.primaryImage ? (
          <ListingPhoto
            image={listing.primaryImage}
            alt=""
            sizes={CARD_SIZES}
            className="aspect-4/3"
            priority={priority}
          />
        ) : (
          <NoPhoto className="aspect-4/3" />
        )}
        <div className="absolute top-2 left-2 flex flex-wrap gap-1">
          {listing.featured && <FeaturedBadge />}
          {showStatus && listing.status !== 'active' && <StatusBadge status={listing.status} />}
        </div>
        <CardActions listing={listing} />
      </div>
      <div className="flex flex-1 flex-col gap-1 p-3">
        {listing.kind === 'showcase' ? (
          <p className="text-xs font-semibold uppercase tracking-wide text-brand-700">
            <FormattedMessage id="listings.listingCard.showcase" />
          </p>
        ) : (
          <PriceTag price={listing.price} />
        )}
        <h3 className="line-clamp-2 text-sm font-medium text-stone-900">
          {/* Stretched over the card so all of it is clickable; the name stays the title. */}
          <Link
            to={listingUrl(listing.id)}
            className="after:absolute after:inset-0 after:rounded-2xl focus-visible:outline-none"
          >
            {listing.title}
          </Link>
        </h3>
        {facts.length > 0 && (
          <p className="line-clamp-1 text-xs text-stone-600">{facts.map(cardFact).join(' · ')}</p>
        )}
        <CardRating listingId={listing.id} />
        {listing.location && (
          <p className="mt-auto flex items-center gap-1 pt-1 text-xs text-stone-500">
            <svg viewBox="0 0 20 20" aria-hidden="true" className="size-3.5 shrink-0" fill="currentColor">
              <path
                fillRule="evenodd"
                d="M10 18s6-5.3 6-10a6 6 0 1 0-12 0c0 4.7 6 10 6 10Zm0-7.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z"
              />
            </svg>
            <span className="truncate">{listing.location.name}</span>
          </p>
        )}
      </div>
    </li>
  );
}

export function ListingGridSkeleton({
  count = 8,
  label = 'Loading listings…',
}: {
  count?: number;
  label?: string;
}) {
  return (
    <div role="status">
      <span className="sr-only">{label}</span>
      <ul aria-hidden="true" className={listingGridClass}>
        {Array.from({ length: count }, (_, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity.
          <li key={index} className="overflow-hidden rounded-2xl border border-stone-200 bg-white">
            <span className="block aspect-4/3 animate-pulse bg-stone-200 motion-reduce:animate-none" />
            <span className="m-3 block h-4 w-2/3 animate-pulse rounded bg-stone-200 motion-reduce:animate-none" />
            <span className="m-3 block h-3 w-1/2 animate-pulse rounded bg-stone-200 motion-reduce:animate-none" />
          </li>
        ))}
      </ul>
    </div>
  );
}
