import type { ListingSummary } from '@souk/contracts';
import { CompareToggle } from '../compare/compare-toggle';
import { FavoriteButton } from './favorite-button';

/** Over a card's photo: the heart (top right) and the compare toggle (bottom right), active listings only. */
export function CardActions({ listing }: { listing: ListingSummary }) {
  if (listing.status !== 'active') return null;
  return (
    <>
      <div className="absolute top-2 right-2">
        <FavoriteButton listingId={listing.id} title={listing.title} />
      </div>
      <div className="absolute right-2 bottom-2">
        <CompareToggle listing={listing} title={listing.title} />
      </div>
    </>
  );
}
