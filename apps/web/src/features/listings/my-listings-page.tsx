import type { ListingStatus, ListingSummary } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { Link, useSearchParams } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { formatDate } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { RequireAuth } from '../../shell/require-auth';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { primaryButton, secondaryButton } from '../../ui/form/buttons';
import { STATUS_LABELS, StatusBadge } from './listing-badges';
import { listingUrl } from './listing-card';
import { ListingPhoto, NoPhoto } from './listing-photo';
import { useMyListings } from './listings-queries';
import { ListingActions } from './owner-panel';
import { PriceTag } from './price-tag';

const TABS: ListingStatus[] = ['draft', 'active', 'sold', 'expired', 'removed'];

const EMPTY: Record<ListingStatus | 'all', string> = {
  all: 'You have no listings yet.',
  draft: 'No drafts.',
  active: 'Nothing live right now.',
  sold: 'Nothing sold yet.',
  expired: 'Nothing has expired.',
  removed: 'Nothing was removed.',
};

function parseStatus(value: string | null): ListingStatus | null {
  return TABS.find((status) => status === value) ?? null;
}

function MyListingRow({ listing }: { listing: ListingSummary }) {
  const t = useT();
  return (
    <li className="flex flex-col gap-4 rounded-2xl border border-stone-200 bg-white p-4 sm:flex-row">
      <Link to={listingUrl(listing.id)} tabIndex={-1} aria-hidden="true" className="shrink-0">
        {listing.primaryImage ? (
          <ListingPhoto
            image={listing.primaryImage}
            alt=""
            sizes="(min-width: 640px) 160px, 100vw"
            className="aspect-4/3 w-full rounded-xl sm:w-40"
          />
        ) : (
          <NoPhoto className="aspect-4/3 w-full rounded-xl sm:w-40" />
        )}
      </Link>
      <div className="min-w-0 flex-1 space-y-2">
        <div className="flex flex-wrap items-center gap-2">
          <StatusBadge status={listing.status} />
          <span className="text-xs text-stone-500">{listing.category.name}</span>
        </div>
        <h2 className="font-semibold break-words text-stone-900">
          <Link
            to={listingUrl(listing.id)}
            className="underline-offset-4 hover:text-brand-700 hover:underline"
          >
            {listing.title}
          </Link>
        </h2>
        <PriceTag price={listing.price} />
        <p className="text-xs text-stone-500">
          {listing.publishedAt
            ? t('listings.myListingsPage.listed', { publishedAt: formatDate(listing.publishedAt) })
            : t('listings.myListingsPage.notPublishedYet')}{' '}
          <FormattedMessage id="listings.myListingsPage.views" values={{ count: listing.viewCount }} />
        </p>
        <ListingActions listing={listing} compact />
      </div>
    </li>
  );
}

function MyListings() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const status = parseStatus(params.get('status'));
  // While another tab loads, the previous one stays (dimmed), counts included.
  const mine = useMyListings(status);
  const counts = mine.data?.pages[0]?.counts;
  const total = counts ? Object.values(counts).reduce((sum, count) => sum + count, 0) : undefined;
  const listings = mine.data?.pages.flatMap((page) => page.items) ?? [];

  const tabs: { id: ListingStatus | null; label: string; count: number | undefined }[] = [
    { id: null, label: 'All', count: total },
    ...TABS.map((id) => ({ id, label: STATUS_LABELS[id], count: counts?.[id] })),
  ];

  return (
    <div>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-bold tracking-tight text-stone-900 sm:text-3xl">
          <FormattedMessage id="listings.myListingsPage.myListings" />
        </h1>
        <div className="flex flex-wrap gap-2">
          <Link to="/account/listings/import" className={secondaryButton}>
            <FormattedMessage id="listings.myListingsPage.import" />
          </Link>
          {/* A download: same-origin GET with the session cookie, streamed by the server. */}
          <a href="/api/v1/listings/export?format=csv" download className={secondaryButton}>
            <FormattedMessage id="listings.myListingsPage.exportCsv" />
          </a>
          <a href="/api/v1/listings/export?format=jsonl" download className={secondaryButton}>
            <FormattedMessage id="listings.myListingsPage.exportJsonLines" />
          </a>
          <Link to="/sell" className={primaryButton}>
            <FormattedMessage id="listings.myListingsPage.newListing" />
          </Link>
        </div>
      </div>

      <nav
        aria-label={t('listings.myListingsPage.listingStatus')}
        className="-mx-4 mt-5 overflow-x-auto px-4"
      >
        <ul className="flex gap-2 pb-1">
          {tabs.map((tab) => {
            const current = tab.id === status;
            return (
              <li key={tab.label} className="shrink-0">
                <Link
                  to={tab.id ? `?status=${tab.id}` : '?'}
                  replace
                  aria-current={current ? 'page' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    setParams(tab.id ? { status: tab.id } : {}, { replace: true });
                  }}
                  className={`relative flex items-center gap-2 rounded-full border px-4 py-2 text-sm font-semibold ${
                    current
                      ? 'border-brand-600 bg-brand-600 text-white'
                      : 'border-stone-300 bg-white text-stone-800 hover:border-brand-500 hover:text-brand-700'
                  }`}
                >
                  {tab.label}
                  {tab.count !== undefined && (
                    <span
                      className={`rounded-full px-2 py-0.5 text-xs ${current ? 'bg-white/20 text-white' : 'bg-stone-100 text-stone-700'}`}
                    >
                      {tab.count}
                      <span className="sr-only">
                        {' '}
                        <FormattedMessage id="listings.myListingsPage.listings" />
                      </span>
                    </span>
                  )}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>

      <div className="mt-5">
        {mine.isPending && (
          <div role="status" className="space-y-3">
            <span className="sr-only">
              <FormattedMessage id="listings.myListingsPage.loadingYourListings" />
            </span>
            <div aria-hidden="true" className="h-32 animate-pulse rounded-2xl bg-stone-200/70" />
            <div aria-hidden="true" className="h-32 animate-pulse rounded-2xl bg-stone-200/70" />
          </div>
        )}
        {mine.isError && !mine.data && (
          <ErrorState
            title={t('listings.myListingsPage.weCouldntLoadYour')}
            message={describeError(mine.error)}
            onRetry={() => void mine.refetch()}
            retrying={mine.isFetching}
          />
        )}
        {mine.data && listings.length === 0 && (
          <EmptyState title={EMPTY[status ?? 'all']}>
            <p className="mt-2">
              <Link to="/sell" className={`${secondaryButton} mt-2`}>
                <FormattedMessage id="listings.myListingsPage.sellSomething" />
              </Link>
            </p>
          </EmptyState>
        )}
        {listings.length > 0 && (
          <ul
            aria-busy={mine.isPlaceholderData || undefined}
            className={`space-y-3 ${mine.isPlaceholderData ? 'opacity-60' : ''}`}
          >
            {listings.map((listing) => (
              <MyListingRow key={listing.id} listing={listing} />
            ))}
          </ul>
        )}
        {mine.isFetchNextPageError && (
          <p role="alert" className="mt-4 text-center text-sm text-red-700">
            {describeError(mine.error)}
          </p>
        )}
        {mine.hasNextPage && (
          <div className="mt-6 flex justify-center">
            <button
              type="button"
              onClick={() => void mine.fetchNextPage()}
              disabled={mine.isFetchingNextPage}
              aria-busy={mine.isFetchingNextPage || undefined}
              className={secondaryButton}
            >
              {mine.isFetchingNextPage ? t('common.loading') : t('listings.myListingsPage.loadMore')}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

export function MyListingsPage() {
  useDocumentTitle('My listings');
  return <RequireAuth>{() => <MyListings />}</RequireAuth>;
}
