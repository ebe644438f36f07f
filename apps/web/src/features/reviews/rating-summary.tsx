import type { SellerRating } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../i18n/use-t';
import { ratingLabel, Stars } from './stars';

/** Average, stars and a bar per star count, 5 down to 1. */
export function RatingSummary({ rating }: { rating: SellerRating }) {
  const t = useT();
  if (rating.count === 0 || rating.average === null) {
    return (
      <p className="text-stone-600">
        <FormattedMessage id="reviews.ratingSummary.noReviewsYet" />
      </p>
    );
  }
  const most = Math.max(...rating.distribution, 1);
  return (
    <div className="flex flex-col gap-4 sm:flex-row sm:items-center sm:gap-8" data-testid="rating-summary">
      <div className="text-center sm:text-left">
        <p className="text-4xl font-bold text-stone-900" aria-hidden="true">
          {rating.average.toFixed(1)}
        </p>
        <Stars value={rating.average} size="lg" />
        <p className="mt-1 text-sm text-stone-600">
          <span className="sr-only">{ratingLabel(rating)}</span>
          <span aria-hidden="true">
            <FormattedMessage id="reviews.ratingSummary.reviews" values={{ count: rating.count }} />
          </span>
        </p>
      </div>
      <ol className="flex-1 space-y-1" aria-label={t('reviews.ratingSummary.howManyReviewsGave')}>
        {[5, 4, 3, 2, 1].map((stars) => {
          const count = rating.distribution[stars - 1] ?? 0;
          return (
            <li key={stars} className="flex items-center gap-2 text-sm">
              <span className="w-12 shrink-0 text-stone-700">
                {stars}{' '}
                <span className="sr-only">
                  <FormattedMessage id="reviews.ratingSummary.stars" values={{ stars }} />
                </span>
                <span aria-hidden="true">★</span>
              </span>
              <span className="h-2 flex-1 overflow-hidden rounded-full bg-stone-200" aria-hidden="true">
                <span
                  className="block h-full rounded-full bg-amber-500"
                  style={{ width: `${(count / most) * 100}%` }}
                />
              </span>
              <span className="w-8 shrink-0 text-right text-stone-600">{count}</span>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
