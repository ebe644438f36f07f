import { FormattedMessage } from 'react-intl';
import { useSellerRating } from './reviews-queries';
import { RatingLine } from './stars';

/** The seller's stars beside their name on a listing page (from GET /users/:id/rating). */
export function SellerRatingLine({ sellerId }: { sellerId: string }) {
  const rating = useSellerRating(sellerId);
  if (!rating.data) return null;
  if (rating.data.count === 0)
    return (
      <p className="text-sm text-stone-500">
        <FormattedMessage id="reviews.sellerRating.noReviewsYet" />
      </p>
    );
  return (
    <p>
      <a href="#reviews" className="hover:underline">
        <RatingLine rating={rating.data} />
      </a>
    </p>
  );
}
