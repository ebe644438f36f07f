import type { SellerRating } from '@souk/contracts';

const STAR = 'M10 1.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8L10 14.9l-5.2 2.7 1-5.8L1.5 7.7l5.9-.9L10 1.5Z';

/** Five stars filled to `value` (0..5, halves and all); the number is read out, not the stars. */
export function Stars({ value, size = 'sm' }: { value: number; size?: 'xs' | 'sm' | 'lg' }) {
  const box = size === 'lg' ? 'size-6' : size === 'xs' ? 'size-3.5' : 'size-4';
  return (
    <span className="inline-flex items-center" aria-hidden="true">
      {[0, 1, 2, 3, 4].map((index) => {
        const fill = Math.max(0, Math.min(1, value - index));
        return (
          <span key={index} className={`relative ${box}`}>
            <svg
              viewBox="0 0 20 20"
              aria-hidden="true"
              className={`absolute inset-0 ${box} text-stone-300`}
              fill="currentColor"
            >
              <path d={STAR} />
            </svg>
            <span className="absolute inset-0 overflow-hidden" style={{ width: `${fill * 100}%` }}>
              <svg
                viewBox="0 0 20 20"
                aria-hidden="true"
                className={`${box} text-amber-500`}
                fill="currentColor"
              >
                <path d={STAR} />
              </svg>
            </span>
          </span>
        );
      })}
    </span>
  );
}

export function ratingLabel(rating: Pick<SellerRating, 'average' | 'count'>): string {
  if (!rating.average || rating.count === 0) return 'No reviews yet';
  return `Rated ${rating.average.toFixed(1)} out of 5 from ${rating.count} ${rating.count === 1 ? 'review' : 'reviews'}`;
}

/** "★★★★☆ 4.3 (12)": a compact rating line for cards and the seller box. */
export function RatingLine({
  rating,
  size = 'sm',
}: {
  rating: Pick<SellerRating, 'average' | 'count'>;
  size?: 'xs' | 'sm';
}) {
  if (!rating.average || rating.count === 0) return null;
  return (
    <span className="inline-flex items-center gap-1 text-stone-700" data-testid="rating-line">
      <Stars value={rating.average} size={size} />
      <span className="sr-only">{ratingLabel(rating)}</span>
      <span aria-hidden="true" className={size === 'xs' ? 'text-xs' : 'text-sm'}>
        {rating.average.toFixed(1)} <span className="text-stone-500">({rating.count})</span>
      </span>
    </span>
  );
}
