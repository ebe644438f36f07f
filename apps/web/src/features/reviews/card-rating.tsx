import { useCardRating } from './reviews-queries';
import { RatingLine } from './stars';

/** The seller's stars on a listing card, when the seller has any reviews. */
export function CardRating({ listingId }: { listingId: string }) {
  const rating = useCardRating(listingId);
  if (!rating.data || rating.data.count === 0) return null;
  return (
    <p className="text-xs">
      <RatingLine rating={rating.data} size="xs" />
    </p>
  );
}
