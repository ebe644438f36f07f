import type { Listing } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { useSession } from '../auth/auth-queries';
import { CompareToggle } from '../compare/compare-toggle';
import { FavoriteButton } from './favorite-button';
import { useFavoriteCount } from './favorites-queries';

/** On a listing's page: the heart with how many saved it, and the compare toggle. */
export function ListingEngagement({ listing }: { listing: Listing }) {
  const count = useFavoriteCount(listing.id);
  const { user } = useSession();
  // Sellers see how many saved their listing; saving or comparing their own is no use to them.
  const own = user?.id === listing.seller.id;
  const saved = count.data?.count ?? 0;
  return (
    <div className="flex flex-wrap items-center gap-2 rounded-2xl border border-stone-200 bg-white p-4">
      {listing.status === 'active' && !own && (
        <>
          <FavoriteButton listingId={listing.id} title={listing.title} variant="page" />
          <CompareToggle listing={listing} title={listing.title} variant="page" />
        </>
      )}
      <p className="text-sm text-stone-600" data-testid="favorite-count">
        <FormattedMessage id="favorites.listingEngagement.savedBy" values={{ count: saved }} />
      </p>
    </div>
  );
}
