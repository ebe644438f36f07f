import { useParams } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { formatDate } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { NotFoundPage } from '../../shell/not-found-page';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { ListingGridSkeleton } from '../listings/listing-card';
import { ListingGrid } from '../listings/listing-feed';
import { useSharedWishlist } from './favorites-queries';

/** A wishlist someone shared: their display name and the listings, read-only. */
export function SharedWishlistPage() {
  const { token = '' } = useParams();
  const wishlist = useSharedWishlist(token);
  useDocumentTitle(wishlist.data ? `${wishlist.data.ownerName}'s wishlist` : 'Shared wishlist');
  if (wishlist.isPending) return <ListingGridSkeleton label="Loading the wishlist…" />;
  if (wishlist.isError) {
    const error = wishlist.error;
    if (error instanceof ApiError && [400, 404, 410].includes(error.status)) {
      return (
        <NotFoundPage
          title={error.status === 410 ? 'This link has expired' : 'Wishlist not found'}
          message={
            error.status === 410
              ? 'Its owner withdrew it, or it ran out. Ask them for a new link.'
              : 'Check the link you were given.'
          }
        />
      );
    }
    return (
      <ErrorState
        title="We couldn't load this wishlist"
        message={describeError(error)}
        onRetry={() => void wishlist.refetch()}
      />
    );
  }
  const { ownerName, items, expiresAt } = wishlist.data;
  return (
    <div>
      <h1 className="text-2xl font-bold text-stone-900">{ownerName}'s wishlist</h1>
      <p className="mt-1 mb-4 text-sm text-stone-600">Shared with you until {formatDate(expiresAt)}.</p>
      {items.length === 0 ? (
        <EmptyState title="Nothing in this wishlist right now" />
      ) : (
        <ListingGrid listings={items} />
      )}
    </div>
  );
}
