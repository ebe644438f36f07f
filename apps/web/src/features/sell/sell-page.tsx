import type { SessionUser } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { Link, useParams } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/use-document-title';
import { NotFoundPage } from '../../shell/not-found-page';
import { RequireAuth } from '../../shell/require-auth';
import { ErrorState } from '../../ui/error-state';
import { primaryButton } from '../../ui/form/buttons';
import { listingUrl } from '../listings/listing-card';
import { ListingPageSkeleton } from '../listings/listing-page';
import { useListing } from '../listings/listings-queries';
import { ListingEditor } from './listing-editor';

/** `/sell`: a new listing, from choosing its category on. */
export function SellPage() {
  useDocumentTitle('Sell something');
  return <RequireAuth>{() => <ListingEditor listing={null} />}</RequireAuth>;
}

function EditListing({ id, user }: { id: string; user: SessionUser }) {
  const t = useT();
  const listing = useListing(id);
  useDocumentTitle(listing.data ? `Edit ${listing.data.title}` : 'Edit listing');

  if (listing.isPending) return <ListingPageSkeleton label={t('sell.sellPage.loadingYourListing')} />;
  if (listing.isError) {
    const { error } = listing;
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) {
      return (
        <NotFoundPage
          title={t('sell.sellPage.listingNotFound')}
          message={t('sell.sellPage.listingDoesNotExist')}
        />
      );
    }
    return (
      <ErrorState
        title={t('sell.sellPage.weCouldntLoadListing')}
        message={describeError(error)}
        onRetry={() => void listing.refetch()}
        retrying={listing.isFetching}
      />
    );
  }
  if (listing.data.seller.id !== user.id) {
    return (
      <div className="mx-auto max-w-md py-10 text-center">
        <h1 className="text-2xl font-bold text-stone-900">
          <FormattedMessage id="sell.sellPage.notYourListing" />
        </h1>
        <p className="mt-2 text-stone-600">
          <FormattedMessage id="sell.sellPage.onlyItsSellerCan" />
        </p>
        <Link to={listingUrl(id)} className={`${primaryButton} mt-6`}>
          <FormattedMessage id="sell.sellPage.viewListing" />
        </Link>
      </div>
    );
  }
  // Keyed so moving from one listing's form to another's starts afresh.
  return <ListingEditor key={id} listing={listing.data} />;
}

/** `/listings/:id/edit`: the same steps for a listing that exists (a draft, or a live one). */
export function EditListingPage() {
  const { id = '' } = useParams();
  return <RequireAuth>{(user) => <EditListing id={id} user={user} />}</RequireAuth>;
}
