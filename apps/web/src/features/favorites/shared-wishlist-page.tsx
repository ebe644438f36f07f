import { FormattedMessage } from 'react-intl';
import { useParams } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
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
  const t = useT();
  const { token = '' } = useParams();
  const wishlist = useSharedWishlist(token);
  useDocumentTitle(wishlist.data ? `${wishlist.data.ownerName}'s wishlist` : 'Shared wishlist');
  if (wishlist.isPending)
    return <ListingGridSkeleton label={t('favorites.sharedWishlistPage.loadingWishlist')} />;
  if (wishlist.isError) {
    const error = wishlist.error;
    if (error instanceof ApiError && [400, 404, 410].includes(error.status)) {
      return (
        <NotFoundPage
          title={
            error.status === 410
              ? t('favorites.sharedWishlistPage.linkHasExpired')
              : t('favorites.sharedWishlistPage.wishlistNotFound')
          }
          message={
            error.status === 410
              ? t('favorites.sharedWishlistPage.itsOwnerWithdrewOr')
              : t('favorites.sharedWishlistPage.checkLinkYouWere')
          }
        />
      );
    }
    return (
      <ErrorState
        title={t('favorites.sharedWishlistPage.weCouldntLoadWishlist')}
        message={describeError(error)}
        onRetry={() => void wishlist.refetch()}
      />
    );
  }
  const { ownerName, items, expiresAt } = wishlist.data;
  return (
    <div>
      <h1 className="text-2xl font-bold text-stone-900">
        <FormattedMessage id="favorites.sharedWishlistPage.sWishlist" values={{ ownerName }} />
      </h1>
      <p className="mt-1 mb-4 text-sm text-stone-600">
        <FormattedMessage
          id="favorites.sharedWishlistPage.sharedWithYouUntil"
          values={{ expiresAt: formatDate(expiresAt) }}
        />
      </p>
      {items.length === 0 ? (
        <EmptyState title={t('favorites.sharedWishlistPage.nothingWishlistRightNow')} />
      ) : (
        <ListingGrid listings={items} />
      )}
    </div>
  );
}
