import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { useT } from '../../i18n/use-t';
import { editListingPath, type MissingItem, SELL_STEPS, type SellStep } from '../sell/sell-steps';

type MissingChecklistProps = {
  items: readonly MissingItem[];
  /** On the listing page, links to the edit form; in the form itself, a jump to the step. */
  listingId: string;
  onGoTo?: (step: SellStep) => void;
  message?: string;
};

/** "Before you can publish": what is missing, each with a way to the step that fixes it. */
export function MissingChecklist({ items, listingId, onGoTo, message }: MissingChecklistProps) {
  const t = useT();
  const stepLabel = (step: SellStep) => SELL_STEPS.find((candidate) => candidate.id === step)?.label ?? step;
  return (
    <div
      role="alert"
      tabIndex={-1}
      data-form-alert=""
      className="rounded-2xl border border-amber-200 bg-amber-50 px-4 py-4 text-sm text-amber-950"
    >
      <p className="font-semibold">{message ?? t('listings.missingChecklist.fewThingsMissingBefore')}</p>
      {items.length > 0 && (
        <ul className="mt-3 space-y-2">
          {items.map((item) => (
            <li key={item.key} className="flex flex-wrap items-start justify-between gap-x-3 gap-y-1">
              <span className="flex gap-2">
                <span
                  aria-hidden="true"
                  className="mt-0.5 size-4 shrink-0 rounded border-2 border-amber-700/60 bg-white"
                />
                {item.text}
              </span>
              {onGoTo ? (
                <button
                  type="button"
                  onClick={() => onGoTo(item.step)}
                  className="rounded font-semibold text-brand-700 underline underline-offset-4"
                >
                  <FormattedMessage
                    id="listings.missingChecklist.fix"
                    values={{ step: stepLabel(item.step) }}
                  />
                </button>
              ) : (
                <Link
                  to={editListingPath(listingId, item.step)}
                  className="rounded font-semibold text-brand-700 underline underline-offset-4"
                >
                  <FormattedMessage
                    id="listings.missingChecklist.fix"
                    values={{ step: stepLabel(item.step) }}
                  />
                </Link>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
