import type { Listing } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { primaryButton, secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { isEmailUnverified, VerifyEmailPrompt } from '../account/verify-email-prompt';
import { listingUrl } from '../listings/listing-card';
import { MissingChecklist } from '../listings/missing-checklist';
import type { ListingDraft } from './use-listing-draft';

/** Under the step: what stops publishing, then Back and Next (or Save as draft and Publish). */
export function EditorFooter({
  draft,
  listing,
  nextHintId,
}: {
  draft: ListingDraft;
  listing: Listing | null;
  nextHintId: string;
}) {
  const t = useT();
  const { step, publish, publishProblems, previous, next, busy, form } = draft;
  return (
    <>
      {step === 'preview' && publishProblems && (
        <div className="mt-6">
          <MissingChecklist
            items={publishProblems}
            listingId={listing?.id ?? ''}
            onGoTo={(target) => void draft.goTo(target)}
            message={
              publish.error instanceof ApiError && publish.error.code === 'listing_incomplete'
                ? undefined
                : describeError(publish.error)
            }
          />
        </div>
      )}
      {step === 'preview' && publish.isError && !publishProblems && !isEmailUnverified(publish.error) && (
        <div className="mt-6">
          <FormAlert tone="error">{describeError(publish.error)}</FormAlert>
        </div>
      )}
      {step === 'preview' && (
        <div className="mt-6 empty:hidden">
          <VerifyEmailPrompt action={t('sell.publishAction')} error={publish.error} />
        </div>
      )}

      <div className="mt-8 flex flex-wrap-reverse items-center justify-between gap-3 border-t border-stone-200 pt-5">
        {previous ? (
          <button
            type="button"
            onClick={() => void draft.goTo(previous)}
            disabled={busy}
            className={secondaryButton}
          >
            <FormattedMessage id="sell.back" />
          </button>
        ) : (
          <span />
        )}
        {step === 'preview' && listing ? (
          listing.status === 'draft' ? (
            <div className="flex flex-wrap gap-2">
              <Link
                to="/account/listings?status=draft"
                state={{ notice: t('sell.draftSaved') }}
                className={secondaryButton}
              >
                <FormattedMessage id="sell.saveDraft" />
              </Link>
              <button
                type="button"
                onClick={draft.doPublish}
                disabled={publish.isPending}
                aria-busy={publish.isPending || undefined}
                className={primaryButton}
              >
                <FormattedMessage id={publish.isPending ? 'sell.publishing' : 'sell.publish'} />
              </button>
            </div>
          ) : (
            <Link
              to={listingUrl(listing.id)}
              state={{ notice: t('sell.changesSaved') }}
              className={primaryButton}
            >
              <FormattedMessage id="sell.done" />
            </Link>
          )
        ) : (
          next &&
          (step !== 'category' || form.category) && (
            <button
              type="button"
              onClick={() => void draft.goTo(next.id)}
              disabled={busy}
              aria-busy={busy || undefined}
              aria-describedby={nextHintId}
              className={primaryButton}
            >
              <FormattedMessage id={busy ? 'sell.saving' : 'sell.next'} />
              {!busy && (
                <span aria-hidden="true" className="font-normal opacity-90">
                  <FormattedMessage id="sell.nextStepShort" values={{ step: next.label }} />
                </span>
              )}
              <span id={nextHintId} hidden>
                <FormattedMessage id="sell.nextStep" values={{ step: next.label }} />
              </span>
            </button>
          )
        )}
      </div>
    </>
  );
}
