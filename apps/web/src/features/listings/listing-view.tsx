import type { CategoryRef, Listing } from '@souk/contracts';
import type { ReactNode } from 'react';
import { FormattedMessage } from 'react-intl';
import { countryName, formatDate } from '../../lib/format';
import { Breadcrumb } from '../catalog/breadcrumb';
import { useCategory } from '../catalog/catalog-queries';
import { AttributeTable } from './attribute-table';
import { FeaturedBadge, StatusBadge } from './listing-badges';
import { ListingGallery } from './listing-gallery';
import { PriceTag } from './price-tag';
import { SellerCard } from './seller-card';

const CONDITION_LABELS: Record<string, string> = { new: 'New', used: 'Used', refurbished: 'Refurbished' };
const card = 'rounded-3xl border border-stone-200 bg-white p-5';

function Meta({ icon, children }: { icon: ReactNode; children: ReactNode }) {
  return (
    <li className="flex items-center gap-1.5">
      <span aria-hidden="true" className="text-stone-400">
        {icon}
      </span>
      {children}
    </li>
  );
}

const pin = (
  <svg viewBox="0 0 20 20" aria-hidden="true" className="size-4" fill="currentColor">
    <path
      fillRule="evenodd"
      d="M10 18s6-5.3 6-10a6 6 0 1 0-12 0c0 4.7 6 10 6 10Zm0-7.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z"
    />
  </svg>
);
const eye = (
  <svg viewBox="0 0 20 20" aria-hidden="true" className="size-4" fill="currentColor">
    <path d="M10 12.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z" />
    <path
      fillRule="evenodd"
      d="M.66 10.59a1.65 1.65 0 0 1 0-1.18A10 10 0 0 1 10 3c4.26 0 7.9 2.66 9.34 6.41.15.38.15.8 0 1.18A10 10 0 0 1 10 17c-4.26 0-7.9-2.66-9.34-6.41ZM14 10a4 4 0 1 1-8 0 4 4 0 0 1 8 0Z"
    />
  </svg>
);
const clock = (
  <svg viewBox="0 0 20 20" aria-hidden="true" className="size-4" fill="currentColor">
    <path
      fillRule="evenodd"
      d="M10 18a8 8 0 1 0 0-16 8 8 0 0 0 0 16Zm.75-13a.75.75 0 0 0-1.5 0v5c0 .2.08.39.22.53l3 3a.75.75 0 1 0 1.06-1.06l-2.78-2.78V5Z"
    />
  </svg>
);

/** "Colombo, Sri Lanka"; just "Sri Lanka" when the place is the country itself. */
function placeName(location: NonNullable<Listing['location']>): string {
  const country = countryName(location.countryCode);
  return location.name === country ? country : `${location.name}, ${country}`;
}

type ListingViewProps = {
  listing: Listing;
  /** The owner's panel (status and actions), shown beside the price. */
  ownerPanel?: ReactNode;
  /** In the listing form's preview: nothing links away, and the heading is not the page's h1. */
  preview?: boolean;
};

/** A listing as buyers see it: photos, price, facts, description and seller. */
export function ListingView({ listing, ownerPanel, preview = false }: ListingViewProps) {
  const category = useCategory(listing.category.slug);
  const schema = category.data?.attributes ?? [];
  const Title = preview ? 'h2' : 'h1';
  const trail: CategoryRef[] = category.data
    ? [...category.data.ancestors, { ...listing.category, icon: category.data.icon }]
    : [{ ...listing.category, icon: null }];
  const condition =
    listing.condition && !schema.some((attribute) => attribute.key === 'condition')
      ? CONDITION_LABELS[listing.condition]
      : null;

  return (
    <article aria-labelledby="listing-title">
      {!preview && <Breadcrumb ancestors={trail} current={listing.title} />}
      <div className="mt-4 grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem] lg:items-start lg:gap-8">
        <ListingGallery images={listing.images} title={listing.title} />

        <div className="space-y-4 lg:sticky lg:top-6 lg:row-span-2">
          <div className={card}>
            {(listing.featured || listing.status !== 'active') && (
              <p className="mb-2 flex flex-wrap gap-2">
                {listing.featured && <FeaturedBadge />}
                {listing.status !== 'active' && <StatusBadge status={listing.status} />}
              </p>
            )}
            <Title
              id="listing-title"
              className="text-2xl font-bold tracking-tight break-words text-stone-900 text-balance"
            >
              {listing.title}
            </Title>
            {/* A showcase post is a product presentation: it has no price. */}
            {listing.kind !== 'showcase' && (
              <div className="mt-3">
                <PriceTag price={listing.price} size="lg" />
              </div>
            )}
            <ul className="mt-4 space-y-1.5 text-sm text-stone-600">
              {listing.location && <Meta icon={pin}>{placeName(listing.location)}</Meta>}
              {listing.publishedAt && (
                <Meta icon={clock}>
                  <FormattedMessage
                    id="listings.listingView.listed"
                    values={{ publishedAt: formatDate(listing.publishedAt) }}
                  />
                </Meta>
              )}
              <Meta icon={eye}>
                <FormattedMessage id="listings.listingView.views" values={{ count: listing.viewCount }} />
              </Meta>
            </ul>
            {(condition || listing.quantity > 1) && (
              <p className="mt-3 flex flex-wrap gap-2 text-sm">
                {condition && (
                  <span className="rounded-full bg-stone-100 px-2.5 py-0.5 font-medium text-stone-800">
                    {condition}
                  </span>
                )}
                {listing.quantity > 1 && (
                  <span className="rounded-full bg-stone-100 px-2.5 py-0.5 font-medium text-stone-800">
                    <FormattedMessage
                      id="listings.listingView.available"
                      values={{ quantity: listing.quantity }}
                    />
                  </span>
                )}
              </p>
            )}
          </div>
          {ownerPanel}
          <SellerCard seller={listing.seller} linked={!preview} />
        </div>

        <div className="space-y-6">
          <section aria-labelledby="listing-details-heading">
            <h2 id="listing-details-heading" className="mb-3 text-lg font-semibold text-stone-900">
              <FormattedMessage id="listings.listingView.details" />
            </h2>
            <AttributeTable schema={schema} values={listing.attributes} />
            {Object.keys(listing.attributes).length === 0 && (
              <p className="text-sm text-stone-600">
                <FormattedMessage id="listings.listingView.sellerHasNotAdded" />
              </p>
            )}
          </section>
          {listing.features.length > 0 && (
            <section aria-labelledby="listing-features-heading">
              <h2 id="listing-features-heading" className="mb-3 text-lg font-semibold text-stone-900">
                <FormattedMessage id="listings.listingView.features" />
              </h2>
              <ul className="flex flex-wrap gap-2">
                {listing.features.map((feature) => (
                  <li
                    key={feature}
                    className="rounded-full border border-stone-300 bg-white px-3 py-1 text-sm"
                  >
                    {feature}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section aria-labelledby="listing-description-heading">
            <h2 id="listing-description-heading" className="mb-3 text-lg font-semibold text-stone-900">
              <FormattedMessage id="listings.listingView.description" />
            </h2>
            {listing.description.trim() ? (
              <p className="whitespace-pre-line break-words text-stone-800">{listing.description}</p>
            ) : (
              <p className="text-sm text-stone-600">
                <FormattedMessage id="listings.listingView.noDescription" />
              </p>
            )}
          </section>
        </div>
      </div>
    </article>
  );
}
