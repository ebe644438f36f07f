import { REVIEW_TEXT_MAX, REVIEW_TITLE_MAX, type Review } from '@souk/contracts';
import { type FormEvent, useId, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { describeError, fieldErrorsOf } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { primaryButton, secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { TextAreaField } from '../../ui/form/text-area-field';
import { TextField } from '../../ui/form/text-field';
import { isEmailUnverified, VerifyEmailPrompt } from '../account/verify-email-prompt';
import { useCreateReview, useUpdateReview } from './reviews-queries';

/** Writes a new review of `sellerId`, or edits `existing`. */
export function ReviewForm({
  sellerId,
  listingId,
  existing,
  onDone,
}: {
  sellerId: string;
  listingId: string | null;
  existing?: Review;
  onDone?: () => void;
}) {
  const t = useT();
  const create = useCreateReview();
  const update = useUpdateReview();
  const mutation = existing ? update : create;
  const [stars, setStars] = useState(existing?.stars ?? 0);
  const [title, setTitle] = useState(existing?.title ?? '');
  const [text, setText] = useState(existing?.text ?? '');
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const starsId = useId();
  const serverErrors = fieldErrorsOf(mutation.error);
  const errors = { ...serverErrors, ...localErrors };

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (stars < 1) problems.stars = 'Choose from 1 to 5 stars.';
    if (!title.trim()) problems.title = 'Write a title.';
    if (!text.trim()) problems.text = 'Write a few words about the seller.';
    setLocalErrors(problems);
    if (Object.keys(problems).length > 0) return;
    const body = { stars, title, text };
    const options = {
      onSuccess: () => {
        if (!existing) {
          setStars(0);
          setTitle('');
          setText('');
        }
        onDone?.();
      },
    };
    if (existing) update.mutate({ id: existing.id, body }, options);
    else create.mutate({ sellerId, ...(listingId ? { listingId } : {}), ...body }, options);
  }

  return (
    <form
      onSubmit={submit}
      noValidate
      className="space-y-4"
      aria-label={existing ? t('reviews.reviewForm.editYourReview') : t('reviews.reviewForm.writeReview')}
    >
      {!existing && <VerifyEmailPrompt action="review sellers" error={mutation.error} />}
      {mutation.isError && Object.keys(serverErrors).length === 0 && !isEmailUnverified(mutation.error) && (
        <FormAlert tone="error">{describeError(mutation.error)}</FormAlert>
      )}
      {create.isSuccess && !existing && (
        <FormAlert tone="success">
          <FormattedMessage id="reviews.reviewForm.thankYouYourReview" />
        </FormAlert>
      )}
      <fieldset aria-describedby={errors.stars ? `${starsId}-error` : undefined}>
        <legend className="block text-sm font-medium text-stone-800">
          <FormattedMessage id="reviews.reviewForm.yourRating" />
        </legend>
        <div className="mt-1 flex gap-1">
          {[1, 2, 3, 4, 5].map((value) => (
            <label key={value} className="cursor-pointer">
              <input
                type="radio"
                name="stars"
                value={value}
                checked={stars === value}
                onChange={() => setStars(value)}
                className="peer sr-only"
              />
              <span className="sr-only">
                <FormattedMessage id="reviews.reviewForm.stars" values={{ value }} />
              </span>
              <span
                aria-hidden="true"
                className={`block text-3xl leading-none peer-focus-visible:outline-2 peer-focus-visible:outline-brand-500 ${
                  value <= stars ? 'text-amber-500' : 'text-stone-300'
                }`}
              >
                ★
              </span>
            </label>
          ))}
        </div>
        {errors.stars && (
          <p id={`${starsId}-error`} className="mt-1 text-sm text-red-700">
            {errors.stars}
          </p>
        )}
      </fieldset>
      <TextField
        label={t('reviews.reviewForm.title')}
        name="title"
        value={title}
        maxLength={REVIEW_TITLE_MAX}
        onChange={(event) => setTitle(event.target.value)}
        error={errors.title}
      />
      <TextAreaField
        label={t('reviews.reviewForm.yourReview')}
        name="text"
        value={text}
        maxLength={REVIEW_TEXT_MAX}
        onChange={(event) => setText(event.target.value)}
        error={errors.text}
        hint={t('reviews.reviewForm.howWasTalkingBuying')}
      />
      <div className="flex gap-2">
        <button type="submit" className={primaryButton} disabled={mutation.isPending}>
          {mutation.isPending
            ? t('reviews.reviewForm.saving')
            : existing
              ? t('reviews.reviewForm.saveChanges')
              : t('reviews.reviewForm.publishReview')}
        </button>
        {onDone && existing && (
          <button type="button" className={secondaryButton} onClick={onDone}>
            <FormattedMessage id="reviews.reviewForm.cancel" />
          </button>
        )}
      </div>
    </form>
  );
}
