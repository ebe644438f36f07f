import type { ReviewEligibility, ReviewSort } from '@souk/contracts';
import { useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link, useLocation } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { secondaryButton, textLink } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { useSession } from '../auth/auth-queries';
import { RatingSummary } from './rating-summary';
import { ReviewForm } from './review-form';
import { ReviewItem } from './review-item';
import { useReviewEligibility, useReviews, useSellerRating } from './reviews-queries';

const card = 'rounded-3xl border border-stone-200 bg-white px-5 py-6 sm:px-8';

function WhyNot({
  reason,
  sellerName,
  forListing,
}: {
  reason: ReviewEligibility['reason'];
  sellerName: string;
  forListing: boolean;
}) {
  const location = useLocation();
  if (reason === 'signed_out') {
    return (
      <p className="text-sm text-stone-600">
        <FormattedMessage
          id="reviews.reviewsSection.signReview"
          values={{
            sellerName,
            link: (chunks) => (
              <Link to={`/sign-in?next=${encodeURIComponent(location.pathname)}`} className={textLink}>
                {chunks}
              </Link>
            ),
          }}
        />
      </p>
    );
  }
  if (reason === 'no_conversation') {
    return (
      <p className="text-sm text-stone-600">
        <FormattedMessage id="reviews.reviewsSection.youCanReviewAfter" values={{ sellerName }} />
      </p>
    );
  }
  if (reason === 'already_reviewed') {
    return (
      <p className="text-sm text-stone-600">
        <FormattedMessage
          id="reviews.reviewsSection.youHaveAlreadyReviewed"
          values={{ sellerName, forListing: forListing ? 'yes' : 'no' }}
        />
      </p>
    );
  }
  return null;
}

/**
 * The reviews of a seller: summary with distribution, the list (newest or most helpful), and the
 * form for members who may write one. On a listing page, `listingId` ties new reviews to it.
 */
export function ReviewsSection({
  sellerId,
  sellerName,
  listingId = null,
}: {
  sellerId: string;
  sellerName: string;
  listingId?: string | null;
}) {
  const t = useT();
  const { user, status } = useSession();
  const [sort, setSort] = useState<ReviewSort>('newest');
  const [onlyListing, setOnlyListing] = useState(false);
  const rating = useSellerRating(sellerId);
  const reviews = useReviews(onlyListing && listingId ? { listingId } : { sellerId }, sort);
  const eligibility = useReviewEligibility(sellerId, listingId, status !== 'loading');
  const items = reviews.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section id="reviews" aria-labelledby="reviews-heading" className={card}>
      <h2 id="reviews-heading" className="text-lg font-semibold text-stone-900">
        <FormattedMessage id="reviews.reviewsSection.reviews" values={{ sellerName }} />
      </h2>
      <div className="mt-4">
        {rating.data ? (
          <RatingSummary rating={rating.data} />
        ) : rating.isError ? (
          <FormAlert tone="error">{describeError(rating.error)}</FormAlert>
        ) : (
          <div className="h-20 animate-pulse rounded-xl bg-stone-100" />
        )}
      </div>

      <div className="mt-6 border-t border-stone-200 pt-5">
        {eligibility.data?.eligible ? (
          <>
            <h3 className="mb-3 font-semibold text-stone-900">
              <FormattedMessage id="reviews.reviewsSection.writeReview" />
            </h3>
            <ReviewForm sellerId={sellerId} listingId={listingId} />
          </>
        ) : (
          eligibility.data && (
            <WhyNot
              reason={eligibility.data.reason}
              sellerName={sellerName}
              forListing={listingId !== null}
            />
          )
        )}
      </div>

      {(rating.data?.count ?? 0) > 0 && (
        <div className="mt-6 flex flex-wrap items-center gap-4 border-t border-stone-200 pt-5">
          <label className="flex items-center gap-2 text-sm text-stone-700">
            <FormattedMessage id="reviews.reviewsSection.sortBy" />
            <select
              value={sort}
              onChange={(event) => setSort(event.target.value as ReviewSort)}
              className="rounded-lg border border-stone-300 bg-white px-2 py-1 text-sm"
            >
              <option value="newest">{t('reviews.reviewsSection.newest')}</option>
              <option value="helpful">{t('reviews.reviewsSection.mostHelpful')}</option>
            </select>
          </label>
          {listingId && (
            <label className="flex items-center gap-2 text-sm text-stone-700">
              <input
                type="checkbox"
                checked={onlyListing}
                onChange={(event) => setOnlyListing(event.target.checked)}
              />
              <FormattedMessage id="reviews.reviewsSection.onlyAboutListing" />
            </label>
          )}
        </div>
      )}

      {reviews.isError && (
        <div className="mt-4">
          <FormAlert tone="error">{describeError(reviews.error)}</FormAlert>
        </div>
      )}
      {items.length > 0 ? (
        <ul className="divide-y divide-stone-200">
          {items.map((review) => (
            <ReviewItem key={review.id} review={review} viewerId={user?.id ?? null} />
          ))}
        </ul>
      ) : (
        reviews.isSuccess &&
        (rating.data?.count ?? 0) > 0 && (
          <p className="mt-4 text-sm text-stone-600">
            <FormattedMessage id="reviews.reviewsSection.noReviewsAboutListing" />
          </p>
        )
      )}
      {reviews.hasNextPage && (
        <button
          type="button"
          className={`${secondaryButton} mt-2`}
          disabled={reviews.isFetchingNextPage}
          onClick={() => void reviews.fetchNextPage()}
        >
          {reviews.isFetchingNextPage ? t('common.loading') : t('reviews.reviewsSection.moreReviews')}
        </button>
      )}
    </section>
  );
}
