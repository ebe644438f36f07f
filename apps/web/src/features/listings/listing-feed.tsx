import type { ListingSummary } from '@souk/contracts';
import type { ReactNode } from 'react';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { secondaryButton } from '../../ui/form/buttons';
import { ListingCard, ListingGridSkeleton, listingGridClass } from './listing-card';
import { type ListingFilters, useListings } from './listings-queries';

export function ListingGrid({
  listings,
  showStatus = false,
}: {
  listings: readonly ListingSummary[];
  showStatus?: boolean;
}) {
  return (
    <ul className={listingGridClass}>
      {listings.map((listing, index) => (
        <ListingCard key={listing.id} listing={listing} showStatus={showStatus} priority={index < 4} />
      ))}
    </ul>
  );
}

type ListingFeedProps = {
  filters?: ListingFilters;
  /** What to say when there is nothing: a title and a line or a link. */
  empty: { title: string; body?: ReactNode };
  errorTitle?: string;
};

/** Newest listings first, with "Load more" for the next page. */
export function ListingFeed({
  filters = {},
  empty,
  errorTitle = "We couldn't load the listings",
}: ListingFeedProps) {
  const t = useT();
  const feed = useListings(filters);

  if (feed.isPending) return <ListingGridSkeleton />;
  // A failed "Load more" keeps what is shown (the query has data and an error then).
  if (!feed.data) {
    return (
      <ErrorState
        title={errorTitle}
        message={describeError(feed.error)}
        onRetry={() => void feed.refetch()}
        retrying={feed.isFetching}
      />
    );
  }
  const listings = feed.data.pages.flatMap((page) => page.items);
  if (listings.length === 0) return <EmptyState title={empty.title}>{empty.body}</EmptyState>;

  return (
    <div>
      <ListingGrid listings={listings} />
      {feed.isFetchNextPageError && (
        <p role="alert" className="mt-4 text-center text-sm text-red-700">
          {describeError(feed.error)}
        </p>
      )}
      {feed.hasNextPage && (
        <div className="mt-6 flex justify-center">
          <button
            type="button"
            onClick={() => void feed.fetchNextPage()}
            disabled={feed.isFetchingNextPage}
            aria-busy={feed.isFetchingNextPage || undefined}
            className={secondaryButton}
          >
            {feed.isFetchingNextPage ? t('common.loading') : t('listings.listingFeed.loadMore')}
          </button>
        </div>
      )}
    </div>
  );
}
