import type { SearchResult } from '@souk/contracts';
import type { ReactNode } from 'react';
import { FormattedMessage } from 'react-intl';
import { ApiError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { ListingCard, listingGridClass } from '../listings/listing-card';
import type { useSearch } from './search-queries';

/** The results of a search, a page at a time, as the search page and the category pages show them. */
export function SearchResults({
  search,
  empty,
}: {
  search: ReturnType<typeof useSearch>;
  /** What to show when nothing matches. */
  empty: (first: SearchResult | undefined) => ReactNode;
}) {
  const t = useT();
  const first = search.data?.pages[0];
  const items = search.data?.pages.flatMap((page) => page.items) ?? [];
  const problem = search.error instanceof ApiError ? search.error : null;

  if (problem && problem.status < 500) {
    return <EmptyState title={t('search.invalid')}>{problem.detail ?? problem.title}</EmptyState>;
  }
  if (search.isError) {
    return (
      <ErrorState
        title={t('search.failed')}
        message={t('search.failedRetry')}
        onRetry={() => search.refetch()}
      />
    );
  }
  if (search.isPending) {
    return (
      <p className="text-stone-500">
        <FormattedMessage id="search.searching" />
      </p>
    );
  }
  if (items.length === 0) return empty(first);
  return (
    <>
      <ul className={listingGridClass} data-testid="search-results">
        {items.map((listing, index) => (
          <ListingCard key={listing.id} listing={listing} priority={index < 4} />
        ))}
      </ul>
      {search.hasNextPage && (
        <div className="mt-6 text-center">
          <button
            type="button"
            onClick={() => search.fetchNextPage()}
            disabled={search.isFetchingNextPage}
            className="rounded-full border border-stone-300 bg-white px-5 py-2 text-sm font-medium hover:bg-stone-50"
          >
            <FormattedMessage id={search.isFetchingNextPage ? 'common.loading' : 'search.showMore'} />
          </button>
        </div>
      )}
    </>
  );
}

/** "About 1,200 listings": estimates say so. */
export function ResultCount({ result }: { result: SearchResult | undefined }) {
  if (!result) return null;
  return (
    <p className="mt-1 text-sm text-stone-600" aria-live="polite" data-testid="search-total">
      <FormattedMessage
        id={result.totalIsEstimate ? 'search.totalEstimated' : 'search.total'}
        values={{ count: result.total }}
      />
    </p>
  );
}
