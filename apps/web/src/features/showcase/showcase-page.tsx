import type { ShowcaseFeedItem, ShowcaseWindow } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { Link, useSearchParams } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { signInPath } from '../../lib/safe-next';
import { useDocumentTitle } from '../../lib/use-document-title';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { primaryButton, secondaryButton } from '../../ui/form/buttons';
import { useSession } from '../auth/auth-queries';
import { listingUrl } from '../listings/listing-card';
import { ListingPhoto, NoPhoto } from '../listings/listing-photo';
import { useLeaderboard, useShowcaseFeed } from './showcase-queries';
import { UpvoteButton } from './upvote-button';

type Tab = ShowcaseWindow | 'leaderboard';
const TABS: { id: Tab; label: string }[] = [
  { id: 'today', label: 'Today' },
  { id: 'week', label: 'This week' },
  { id: 'leaderboard', label: 'Daily leaderboard' },
];
const todayUtc = () => new Date().toISOString().slice(0, 10);

function PostRow({ item }: { item: ShowcaseFeedItem }) {
  const { post, listing } = item;
  return (
    <li
      data-testid="showcase-item"
      className="flex items-center gap-3 rounded-2xl border border-stone-200 bg-white p-3 sm:gap-4"
    >
      <span aria-hidden="true" className="w-6 shrink-0 text-center text-sm font-semibold text-stone-500">
        {item.rank}
      </span>
      <Link
        to={listingUrl(listing.id)}
        className="size-16 shrink-0 overflow-hidden rounded-xl bg-stone-100"
        tabIndex={-1}
      >
        {listing.primaryImage ? (
          <ListingPhoto image={listing.primaryImage} alt="" sizes="64px" />
        ) : (
          <NoPhoto />
        )}
      </Link>
      <div className="min-w-0 flex-1">
        <h3 className="font-semibold text-stone-900">
          <Link to={listingUrl(listing.id)} className="hover:text-brand-700 hover:underline">
            {post.name}
          </Link>
        </h3>
        {post.tagline && <p className="truncate text-sm text-stone-600">{post.tagline}</p>}
        <p className="mt-1 flex flex-wrap gap-1.5 text-xs text-stone-500">
          <span>{listing.category.name}</span>
          {post.tags.slice(0, 3).map((tag) => (
            <span key={tag}>· #{tag}</span>
          ))}
        </p>
      </div>
      <UpvoteButton post={post} />
    </li>
  );
}

function HotFeed({ window }: { window: ShowcaseWindow }) {
  const t = useT();
  return <Results query={useShowcaseFeed(window)} empty={t('showcase.showcasePage.noLaunchesYet')} />;
}

function Leaderboard({ date }: { date: string }) {
  const t = useT();
  return <Results query={useLeaderboard(date)} empty={t('showcase.showcasePage.nothingLaunchedThatDay')} />;
}

function Results({ query, empty }: { query: ReturnType<typeof useLeaderboard>; empty: string }) {
  const t = useT();
  if (query.isPending)
    return (
      <p className="text-sm text-stone-500">
        <FormattedMessage id="common.loading" />
      </p>
    );
  if (query.isError)
    return (
      <ErrorState
        title={t('showcase.showcasePage.weCouldntLoadShowcase')}
        message={describeError(query.error)}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
    );
  const items = query.data.pages.flatMap((page) => page.items);
  if (items.length === 0)
    return (
      <EmptyState title={empty}>
        <FormattedMessage id="showcase.showcasePage.beFirstPostProduct" />
      </EmptyState>
    );
  return (
    <>
      <ol className="space-y-3">
        {items.map((item) => (
          <PostRow key={item.post.listingId} item={item} />
        ))}
      </ol>
      {query.hasNextPage && (
        <button
          type="button"
          className={`${secondaryButton} mt-4`}
          disabled={query.isFetchingNextPage}
          onClick={() => void query.fetchNextPage()}
        >
          {query.isFetchingNextPage ? t('common.loading') : t('showcase.showcasePage.loadMore')}
        </button>
      )}
    </>
  );
}

/** `/showcase`: new products ranked by votes, today and this week, and a day's leaderboard. */
export function ShowcasePage() {
  const t = useT();
  useDocumentTitle('Showcase');
  const [params, setParams] = useSearchParams();
  const { user } = useSession();
  const requested = params.get('tab');
  const tab: Tab = TABS.some((candidate) => candidate.id === requested) ? (requested as Tab) : 'today';
  const requestedDate = params.get('date') ?? '';
  const date = /^\d{4}-\d{2}-\d{2}$/.test(requestedDate) ? requestedDate : todayUtc();

  return (
    <div className="mx-auto max-w-3xl">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold tracking-tight text-stone-900 sm:text-3xl">
            <FormattedMessage id="showcase.showcasePage.showcase" />
          </h1>
          <p className="mt-1 text-stone-600">
            <FormattedMessage id="showcase.showcasePage.newProductsFromPeople" />
          </p>
        </div>
        <Link to={user ? '/showcase/new' : signInPath('/showcase/new')} className={primaryButton}>
          <FormattedMessage id="showcase.showcasePage.postProduct" />
        </Link>
      </div>
      <div
        role="tablist"
        aria-label={t('showcase.showcasePage.rankings')}
        className="mt-6 flex flex-wrap gap-2"
      >
        {TABS.map((candidate) => (
          <button
            key={candidate.id}
            type="button"
            role="tab"
            aria-selected={tab === candidate.id}
            onClick={() =>
              setParams(candidate.id === 'today' ? {} : { tab: candidate.id }, { replace: true })
            }
            className={`rounded-full px-4 py-2 text-sm font-semibold ${
              tab === candidate.id
                ? 'bg-stone-900 text-white'
                : 'border border-stone-300 bg-white text-stone-800 hover:border-brand-500'
            }`}
          >
            {candidate.label}
          </button>
        ))}
      </div>
      {tab === 'leaderboard' && (
        <p className="mt-4">
          <label className="text-sm font-medium text-stone-800">
            <FormattedMessage id="showcase.showcasePage.dayUtc" />{' '}
            <input
              type="date"
              value={date}
              max={todayUtc()}
              onChange={(event) =>
                event.target.value &&
                setParams({ tab: 'leaderboard', date: event.target.value }, { replace: true })
              }
              className="ml-2 rounded-lg border border-stone-300 px-2 py-1"
            />
          </label>
        </p>
      )}
      <div role="tabpanel" className="mt-6">
        {tab === 'leaderboard' ? <Leaderboard date={date} /> : <HotFeed window={tab} />}
      </div>
    </div>
  );
}
