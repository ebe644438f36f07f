import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/use-document-title';
import { RequireAuth } from '../../shell/require-auth';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { secondaryButton, textLink } from '../../ui/form/buttons';
import { ListingGridSkeleton } from '../listings/listing-card';
import { ListingGrid } from '../listings/listing-feed';
import { useFollowingFeed, useMyFollowing } from './follows-queries';

function FollowedList() {
  const mine = useMyFollowing();
  const items = mine.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section aria-labelledby="followed-heading" className="mb-6">
      <h2 id="followed-heading" className="mb-2 text-sm font-semibold tracking-wide text-stone-500 uppercase">
        <FormattedMessage id="follows.followingPage.youFollow" />
      </h2>
      <ul className="flex flex-wrap gap-2">
        {items.map((item) => (
          <li key={`${item.type}:${item.id}`}>
            <Link
              to={
                item.type === 'member'
                  ? `/u/${encodeURIComponent(item.id)}`
                  : `/c/${encodeURIComponent(item.slug ?? '')}`
              }
              className="inline-block rounded-full border border-stone-300 bg-white px-3 py-1 text-sm text-stone-800 hover:border-brand-500"
            >
              {item.name}
              <span className="sr-only"> ({item.type})</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Feed() {
  const t = useT();
  const feed = useFollowingFeed();
  if (feed.isPending) return <ListingGridSkeleton label={t('follows.followingPage.loadingYourFeed')} />;
  if (feed.isError) {
    return (
      <ErrorState
        title={t('follows.followingPage.weCouldntLoadYour')}
        message={describeError(feed.error)}
        onRetry={() => void feed.refetch()}
        retrying={feed.isFetching}
      />
    );
  }
  const listings = feed.data.pages.flatMap((page) => page.items);
  if (listings.length === 0) {
    return (
      <EmptyState title={t('follows.followingPage.nothingHereYet')}>
        <FormattedMessage
          id="follows.followingPage.followSellersTheirProfile"
          values={{
            link: (chunks) => (
              <Link to="/" className={textLink}>
                {chunks}
              </Link>
            ),
          }}
        />
      </EmptyState>
    );
  }
  return (
    <>
      <ListingGrid listings={listings} />
      {feed.hasNextPage && (
        <div className="mt-6 text-center">
          <button
            type="button"
            className={secondaryButton}
            disabled={feed.isFetchingNextPage}
            onClick={() => void feed.fetchNextPage()}
          >
            {feed.isFetchingNextPage ? t('common.loading') : t('follows.followingPage.loadMore')}
          </button>
        </div>
      )}
    </>
  );
}

/** New listings from the members and categories I follow. */
export function FollowingPage() {
  useDocumentTitle('Following');
  return (
    <RequireAuth>
      {() => (
        <div>
          <h1 className="mb-4 text-2xl font-bold tracking-tight text-stone-900">
            <FormattedMessage id="follows.followingPage.following" />
          </h1>
          <FollowedList />
          <Feed />
        </div>
      )}
    </RequireAuth>
  );
}
