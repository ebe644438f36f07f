import { useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { formatDate } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { RequireAuth } from '../../shell/require-auth';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { secondaryButton, textLink } from '../../ui/form/buttons';
import { ListingGridSkeleton } from '../listings/listing-card';
import { ListingGrid } from '../listings/listing-feed';
import {
  useClearFavorites,
  useCreateWishlistShare,
  useFavorites,
  useRevokeWishlistShare,
  useWishlistShares,
} from './favorites-queries';

function ShareLinks() {
  const t = useT();
  const shares = useWishlistShares();
  const create = useCreateWishlistShare();
  const revoke = useRevokeWishlistShare();
  const [days, setDays] = useState(30);
  const [copied, setCopied] = useState<string | null>(null);
  const open = shares.data?.items.filter((share) => share.active) ?? [];
  const urlOf = (path: string) => `${window.location.origin}${path}`;
  return (
    <section
      aria-labelledby="share-heading"
      className="mt-10 rounded-2xl border border-stone-200 bg-white p-4 sm:p-6"
    >
      <h2 id="share-heading" className="text-lg font-semibold text-stone-900">
        <FormattedMessage id="favorites.favoritesPage.shareYourWishlist" />
      </h2>
      <p className="mt-1 text-sm text-stone-600">
        <FormattedMessage id="favorites.favoritesPage.anyoneWithLinkSees" />
      </p>
      <form
        className="mt-3 flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(days);
        }}
      >
        <label className="text-sm text-stone-700">
          <FormattedMessage id="favorites.favoritesPage.expiresAfter" />
          <select
            value={days}
            onChange={(event) => setDays(Number(event.target.value))}
            className="ml-2 rounded border border-stone-300 px-2 py-1"
          >
            {[1, 7, 30, 90].map((value) => (
              <option key={value} value={value}>
                {t('favorites.favoritesPage.days', { value })}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={secondaryButton} disabled={create.isPending}>
          <FormattedMessage id="favorites.favoritesPage.createLink" />
        </button>
      </form>
      {create.isError && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {describeError(create.error)}
        </p>
      )}
      {open.length > 0 && (
        <ul className="mt-4 divide-y divide-stone-200">
          {open.map((share) => (
            <li key={share.id} className="flex flex-wrap items-center gap-2 py-2 text-sm">
              <input
                readOnly
                value={urlOf(share.path)}
                aria-label={t('favorites.favoritesPage.wishlistLink')}
                className="min-w-0 flex-1 rounded border border-stone-300 bg-stone-50 px-2 py-1 font-mono text-xs"
                onFocus={(event) => event.target.select()}
              />
              <span className="text-stone-500">
                <FormattedMessage
                  id="favorites.favoritesPage.until"
                  values={{ expiresAt: formatDate(share.expiresAt) }}
                />
              </span>
              <button
                type="button"
                className={textLink}
                onClick={() => {
                  void navigator.clipboard?.writeText(urlOf(share.path)).then(() => setCopied(share.id));
                }}
              >
                {copied === share.id
                  ? t('favorites.favoritesPage.copied')
                  : t('favorites.favoritesPage.copy')}
              </button>
              <button
                type="button"
                className="text-red-700 underline"
                onClick={() => revoke.mutate(share.id)}
                disabled={revoke.isPending}
              >
                <FormattedMessage id="favorites.favoritesPage.withdraw" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Favorites() {
  const t = useT();
  const favorites = useFavorites();
  const clear = useClearFavorites();
  if (favorites.isPending)
    return <ListingGridSkeleton label={t('favorites.favoritesPage.loadingYourFavorites')} />;
  if (!favorites.data) {
    return (
      <ErrorState
        title={t('favorites.favoritesPage.weCouldntLoadYour')}
        message={describeError(favorites.error)}
        onRetry={() => void favorites.refetch()}
        retrying={favorites.isFetching}
      />
    );
  }
  const listings = favorites.data.pages.flatMap((page) => page.items.map((item) => item.listing));
  return (
    <>
      {listings.length === 0 ? (
        <EmptyState title={t('favorites.favoritesPage.noFavoritesYet')}>
          <FormattedMessage
            id="favorites.favoritesPage.tapHeartListingKeep"
            values={{
              link: (chunks) => (
                <Link to="/search" className={textLink}>
                  {chunks}
                </Link>
              ),
            }}
          />
        </EmptyState>
      ) : (
        <>
          <div className="mb-4 flex justify-end">
            <button
              type="button"
              className="text-sm text-red-700 underline"
              disabled={clear.isPending}
              onClick={() => {
                if (window.confirm('Remove all your favorites?')) clear.mutate();
              }}
            >
              <FormattedMessage id="favorites.favoritesPage.clearAll" />
            </button>
          </div>
          <ListingGrid listings={listings} showStatus />
          {favorites.hasNextPage && (
            <div className="mt-6 flex justify-center">
              <button
                type="button"
                className={secondaryButton}
                onClick={() => void favorites.fetchNextPage()}
                disabled={favorites.isFetchingNextPage}
              >
                {favorites.isFetchingNextPage ? t('common.loading') : t('favorites.favoritesPage.loadMore')}
              </button>
            </div>
          )}
        </>
      )}
      <ShareLinks />
    </>
  );
}

export function FavoritesPage() {
  useDocumentTitle('Favorites');
  return (
    <RequireAuth>
      {() => (
        <div>
          <h1 className="mb-4 text-2xl font-bold text-stone-900">
            <FormattedMessage id="favorites.favoritesPage.favorites" />
          </h1>
          <Favorites />
        </div>
      )}
    </RequireAuth>
  );
}
