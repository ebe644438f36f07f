import type { Review } from '@souk/contracts';
import { type FormEvent, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { formatDate } from '../../lib/format';
import { primaryButton, secondaryButton, textLink } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { UserAvatar } from '../../ui/user-avatar';
import { ReportDialog } from './report-dialog';
import { ReviewForm } from './review-form';
import { useDeleteReview, useHelpfulVote, useRespondToReview } from './reviews-queries';
import { Stars } from './stars';

const small =
  'rounded-full border border-stone-300 px-3 py-1 text-xs font-medium text-stone-700 hover:border-brand-500 disabled:opacity-60';

function ResponseForm({ review, onDone }: { review: Review; onDone: () => void }) {
  const t = useT();
  const respond = useRespondToReview();
  const [text, setText] = useState(review.response?.text ?? '');
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) return;
    respond.mutate({ id: review.id, text }, { onSuccess: onDone });
  }
  return (
    <form onSubmit={submit} className="mt-3 space-y-2" aria-label={t('reviews.reviewItem.respondReview')}>
      {respond.isError && <FormAlert tone="error">{describeError(respond.error)}</FormAlert>}
      <label className="block text-sm font-medium text-stone-800">
        <FormattedMessage id="reviews.reviewItem.yourResponse" />
        <textarea
          value={text}
          required
          maxLength={2000}
          rows={3}
          onChange={(event) => setText(event.target.value)}
          className="mt-1 block w-full rounded-lg border border-stone-300 px-3 py-2 text-sm"
        />
      </label>
      <div className="flex gap-2">
        <button type="submit" className={primaryButton} disabled={respond.isPending || !text.trim()}>
          {respond.isPending ? t('reviews.reviewItem.saving') : t('reviews.reviewItem.publishResponse')}
        </button>
        <button type="button" className={secondaryButton} onClick={onDone}>
          <FormattedMessage id="reviews.reviewItem.cancel" />
        </button>
      </div>
    </form>
  );
}

export function ReviewItem({ review, viewerId }: { review: Review; viewerId: string | null }) {
  const t = useT();
  const listing = review.listing;
  const [editing, setEditing] = useState(false);
  const [responding, setResponding] = useState(false);
  const [reporting, setReporting] = useState(false);
  const helpful = useHelpfulVote();
  const remove = useDeleteReview();
  const mine = viewerId === review.reviewer.id;
  const isSeller = viewerId === review.seller.id;

  if (editing) {
    return (
      <li className="py-5">
        <ReviewForm
          sellerId={review.seller.id}
          listingId={review.listing?.id ?? null}
          existing={review}
          onDone={() => setEditing(false)}
        />
      </li>
    );
  }

  return (
    <li id={`review-${review.id}`} className="py-5" data-testid="review">
      <div className="flex items-start gap-3">
        <UserAvatar name={review.reviewer.displayName} url={review.reviewer.avatarUrl} size="sm" />
        <div className="min-w-0 flex-1">
          <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <Stars value={review.stars} />
            <span className="sr-only">
              <FormattedMessage id="reviews.reviewItem.out5Stars" values={{ stars: review.stars }} />
            </span>
            <span className="font-semibold text-stone-900">{review.title}</span>
          </p>
          <p className="mt-0.5 text-xs text-stone-500">
            <Link to={`/u/${encodeURIComponent(review.reviewer.id)}`} className="hover:underline">
              {review.reviewer.displayName}
            </Link>{' '}
            · {formatDate(review.createdAt)}
            {review.updatedAt !== review.createdAt && t('reviews.reviewItem.edited')}
            {review.verifiedBuyer && (
              <span className="ml-2 rounded-full bg-emerald-50 px-2 py-0.5 font-medium text-emerald-800">
                <FormattedMessage id="reviews.reviewItem.verifiedBuyer" />
              </span>
            )}
          </p>
          {listing && (
            <p className="mt-0.5 text-xs text-stone-500">
              <FormattedMessage
                id="reviews.reviewItem.about"
                values={{
                  title: listing.title,
                  link: (chunks) => (
                    <Link to={`/listings/${encodeURIComponent(listing.id)}`} className={textLink}>
                      {chunks}
                    </Link>
                  ),
                }}
              />
            </p>
          )}
          <p className="mt-2 whitespace-pre-line break-words text-stone-800">{review.text}</p>

          {review.response && !responding && (
            <div className="mt-3 rounded-xl bg-stone-50 px-4 py-3" data-testid="review-response">
              <p className="text-xs font-semibold text-stone-700">
                <FormattedMessage
                  id="reviews.reviewItem.responseFrom"
                  values={{ displayName: review.seller.displayName }}
                />
              </p>
              <p className="mt-1 whitespace-pre-line break-words text-sm text-stone-800">
                {review.response.text}
              </p>
            </div>
          )}
          {responding && <ResponseForm review={review} onDone={() => setResponding(false)} />}

          {(helpful.isError || remove.isError) && (
            <div className="mt-2">
              <FormAlert tone="error">{describeError(helpful.error ?? remove.error)}</FormAlert>
            </div>
          )}
          <div className="mt-3 flex flex-wrap items-center gap-2">
            {viewerId && !mine ? (
              <button
                type="button"
                className={`${small} ${review.votedHelpful ? 'border-brand-500 bg-brand-50 text-brand-800' : ''}`}
                aria-pressed={review.votedHelpful}
                disabled={helpful.isPending}
                onClick={() => helpful.mutate({ id: review.id, helpful: !review.votedHelpful })}
              >
                <FormattedMessage
                  id="reviews.reviewItem.helpful"
                  values={{ helpfulCount: review.helpfulCount }}
                />
              </button>
            ) : (
              <span className="text-xs text-stone-500">
                <FormattedMessage
                  id="reviews.reviewItem.peopleFoundHelpful"
                  values={{ helpfulCount: review.helpfulCount }}
                />
              </span>
            )}
            {isSeller && !responding && (
              <button type="button" className={small} onClick={() => setResponding(true)}>
                {review.response ? t('reviews.reviewItem.editResponse') : t('reviews.reviewItem.respond')}
              </button>
            )}
            {review.editable && (
              <button type="button" className={small} onClick={() => setEditing(true)}>
                <FormattedMessage id="reviews.reviewItem.edit" />
              </button>
            )}
            {mine && (
              <button
                type="button"
                className={small}
                disabled={remove.isPending}
                onClick={() => {
                  if (window.confirm('Delete your review? This cannot be undone.')) remove.mutate(review.id);
                }}
              >
                <FormattedMessage id="reviews.reviewItem.delete" />
              </button>
            )}
            {viewerId && !mine && (
              <button type="button" className={small} onClick={() => setReporting(true)}>
                <FormattedMessage id="reviews.reviewItem.report" />
              </button>
            )}
          </div>
          {reporting && <ReportDialog reviewId={review.id} onClose={() => setReporting(false)} />}
        </div>
      </div>
    </li>
  );
}
