import { useEffect } from 'react';
import { useParams } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/use-document-title';
import { NotFoundPage } from '../../shell/not-found-page';
import { ErrorState } from '../../ui/error-state';
import { useSession } from '../auth/auth-queries';
import { CommentThread } from '../comments/comment-thread';
import { ListingEngagement } from '../favorites/listing-engagement';
import { MessageSeller } from '../messaging/message-seller';
import { ReviewsSection } from '../reviews/reviews-section';
import { rememberViewed } from '../search/search-queries';
import { ShowcasePanel } from '../showcase/showcase-panel';
import { ListingView } from './listing-view';
import { useListing } from './listings-queries';
import { OwnerPanel } from './owner-panel';

export function ListingPageSkeleton({ label = 'Loading the listing…' }: { label?: string }) {
  const bar = 'block animate-pulse rounded bg-stone-200 motion-reduce:animate-none';
  return (
    <div role="status">
      <span className="sr-only">{label}</span>
      <div aria-hidden="true" className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <span className={`${bar} aspect-4/3 rounded-3xl`} />
        <div className="space-y-3">
          <span className={`${bar} h-8 w-3/4`} />
          <span className={`${bar} h-10 w-1/2`} />
          <span className={`${bar} h-4 w-1/3`} />
        </div>
      </div>
    </div>
  );
}

export function ListingPage() {
  const t = useT();
  const { id = '' } = useParams();
  const listing = useListing(id);
  const { user, status } = useSession();
  const viewedId =
    listing.data?.status === 'active' && listing.data.seller.id !== user?.id ? listing.data.id : null;
  useEffect(() => {
    if (viewedId && status !== 'loading') rememberViewed(viewedId, status === 'signed_in');
  }, [viewedId, status]);
  const missing =
    listing.error instanceof ApiError && (listing.error.status === 404 || listing.error.status === 400);
  useDocumentTitle(listing.data?.title ?? (missing ? 'Listing not found' : 'Listing'));

  if (listing.isPending) return <ListingPageSkeleton />;
  if (listing.isError) {
    if (missing) {
      return (
        <NotFoundPage
          title={t('listings.listingPage.listingNotFound')}
          message={t('listings.listingPage.listingDoesNotExist')}
        />
      );
    }
    return (
      <ErrorState
        title={t('listings.listingPage.weCouldntLoadListing')}
        message={describeError(listing.error)}
        onRetry={() => void listing.refetch()}
        retrying={listing.isFetching}
      />
    );
  }
  const own = user?.id === listing.data.seller.id;
  const panel = (
    <>
      {own ? <OwnerPanel listing={listing.data} /> : <MessageSeller listing={listing.data} />}
      <ListingEngagement listing={listing.data} />
    </>
  );
  return (
    <>
      <ListingView
        listing={listing.data}
        ownerPanel={
          listing.data.kind === 'showcase' ? (
            <>
              <ShowcasePanel listing={listing.data} />
              {panel}
            </>
          ) : (
            panel
          )
        }
      />
      {/* A showcase post is a maker's product, not a sale: its page has no seller reviews. */}
      {listing.data.kind !== 'showcase' && (
        <div className="mt-10 lg:max-w-[calc(100%-24rem)]">
          <ReviewsSection
            sellerId={listing.data.seller.id}
            sellerName={listing.data.seller.displayName}
            listingId={listing.data.id}
          />
        </div>
      )}
      {/* Only live listings take new comments; sold and expired ones keep their discussion readable. */}
      <CommentThread listingId={listing.data.id} open={listing.data.status === 'active'} />
    </>
  );
}
