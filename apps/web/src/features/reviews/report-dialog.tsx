import { ReviewReportReason as Reasons, type ReviewReportReason } from '@souk/contracts';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { dangerButton, secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { useReportReview } from './reviews-queries';

const LABELS: Record<ReviewReportReason, string> = {
  spam: 'Spam or advertising',
  fake: 'Fake or not a real experience',
  offensive: 'Offensive or abusive',
  personal_data: 'Shares personal data',
  other: 'Something else',
};

/** A modal to report a review to the moderators. */
export function ReportDialog({ reviewId, onClose }: { reviewId: string; onClose: () => void }) {
  const t = useT();
  const dialog = useRef<HTMLDialogElement>(null);
  const report = useReportReview();
  const [reason, setReason] = useState<ReviewReportReason>('spam');
  const [text, setText] = useState('');

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  function submit(event: FormEvent) {
    event.preventDefault();
    report.mutate({ id: reviewId, body: { reason, text } });
  }

  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby={`report-${reviewId}-title`}
      className="m-auto w-full max-w-md rounded-2xl p-6 backdrop:bg-stone-900/40"
    >
      <h3 id={`report-${reviewId}-title`} className="text-lg font-semibold text-stone-900">
        <FormattedMessage id="reviews.reportDialog.reportReview" />
      </h3>
      {report.isSuccess ? (
        <div className="mt-4 space-y-4">
          <FormAlert tone="success">
            <FormattedMessage id="reviews.reportDialog.thankYouOurModerators" />
          </FormAlert>
          <button type="button" className={secondaryButton} onClick={() => dialog.current?.close()}>
            <FormattedMessage id="reviews.reportDialog.close" />
          </button>
        </div>
      ) : (
        <form onSubmit={submit} className="mt-4 space-y-4">
          {report.isError && <FormAlert tone="error">{describeError(report.error)}</FormAlert>}
          <fieldset className="space-y-1">
            <legend className="text-sm font-medium text-stone-800">
              <FormattedMessage id="reviews.reportDialog.whatWrongWith" />
            </legend>
            {Reasons.options.map((option) => (
              <label key={option} className="flex items-center gap-2 text-sm text-stone-800">
                <input
                  type="radio"
                  name="reason"
                  value={option}
                  checked={reason === option}
                  onChange={() => setReason(option)}
                />
                {LABELS[option]}
              </label>
            ))}
          </fieldset>
          <label className="block text-sm font-medium text-stone-800">
            <FormattedMessage id="reviews.reportDialog.anythingAddOptional" />
            <textarea
              value={text}
              maxLength={2000}
              onChange={(event) => setText(event.target.value)}
              rows={3}
              className="mt-1 block w-full rounded-lg border border-stone-300 px-3 py-2 text-sm"
            />
          </label>
          <div className="flex gap-2">
            <button type="submit" className={dangerButton} disabled={report.isPending}>
              {report.isPending ? t('reviews.reportDialog.sending') : t('reviews.reportDialog.sendReport')}
            </button>
            <button type="button" className={secondaryButton} onClick={() => dialog.current?.close()}>
              <FormattedMessage id="reviews.reportDialog.cancel" />
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
