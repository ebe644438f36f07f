import { useState } from 'react';
import { Link } from 'react-router';
import { describeError } from '../../api/client';
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
        Share your wishlist
      </h2>
      <p className="mt-1 text-sm text-stone-600">
        Anyone with the link sees the listings you saved and your display name, nothing else, until it expires
        or you withdraw it.
      </p>
      <form
        className="mt-3 flex flex-wrap items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(days);
        }}
      >
        <label className="text-sm text-stone-700">
          Expires after
          <select
            value={days}
            onChange={(event) => setDays(Number(event.target.value))}
            className="ml-2 rounded border border-stone-300 px-2 py-1"
          >
            {[1, 7, 30, 90].map((value) => (
              <option key={value} value={value}>
                {value === 1 ? '1 day' : `${value} days`}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className={secondaryButton} disabled={create.isPending}>
          Create a link
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
                aria-label="Wishlist link"
                className="min-w-0 flex-1 rounded border border-stone-300 bg-stone-50 px-2 py-1 font-mono text-xs"
                onFocus={(event) => event.target.select()}
              />
              <span className="text-stone-500">until {formatDate(share.expiresAt)}</span>
              <button
                type="button"
                className={textLink}
                onClick={() => {
                  void navigator.clipboard?.writeText(urlOf(share.path)).then(() => setCopied(share.id));
                }}
              >
                {copied === share.id ? 'Copied' : 'Copy'}
              </button>
              <button
                type="button"
                className="text-red-700 underline"
                onClick={() => revoke.mutate(share.id)}
                disabled={revoke.isPending}
              >
                Withdraw
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Favorites() {
  const favorites = useFavorites();
  const clear = useClearFavorites();
  if (favorites.isPending) return <ListingGridSkeleton label="Loading your favorites…" />;
  if (!favorites.data) {
    return (
      <ErrorState
        title="We couldn't load your favorites"
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
        <EmptyState title="No favorites yet">
          Tap the heart on a listing to keep it here.{' '}
          <Link to="/search" className={textLink}>
            Browse listings
          </Link>
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
              Clear all
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
                {favorites.isFetchingNextPage ? 'Loading…' : 'Load more'}
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
          <h1 className="mb-4 text-2xl font-bold text-stone-900">Favorites</h1>
          <Favorites />
        </div>
      )}
    </RequireAuth>
  );
}
