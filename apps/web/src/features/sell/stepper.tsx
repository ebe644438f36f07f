import { FormattedMessage } from 'react-intl';
import { useT } from '../../i18n/use-t';
import { SELL_STEPS, type SellStep } from './sell-steps';

type StepperProps = {
  current: SellStep;
  /** Steps that need the saved draft are closed until it exists. */
  reachable: (step: SellStep) => boolean;
  onGoTo: (step: SellStep) => void;
  busy: boolean;
};

/** The steps of the listing form: where you are, and a way back (or ahead) to any open step. */
export function Stepper({ current, reachable, onGoTo, busy }: StepperProps) {
  const t = useT();
  const currentIndex = SELL_STEPS.findIndex((step) => step.id === current);
  const currentStep = SELL_STEPS[currentIndex];
  return (
    <nav aria-label={t('sell.stepper.listingSteps')}>
      <ol className="flex items-center gap-1 sm:gap-2">
        {SELL_STEPS.map((step, index) => {
          const isCurrent = step.id === current;
          const done = index < currentIndex;
          const open = reachable(step.id);
          return (
            <li
              key={step.id}
              className={`flex min-w-0 items-center gap-1 sm:gap-2 ${index < SELL_STEPS.length - 1 ? 'flex-1' : ''}`}
            >
              <button
                type="button"
                onClick={() => onGoTo(step.id)}
                disabled={!open || busy}
                aria-current={isCurrent ? 'step' : undefined}
                className={`flex shrink-0 items-center gap-2 rounded-full py-1 pr-1 text-sm font-semibold disabled:cursor-not-allowed sm:pr-3 ${
                  isCurrent
                    ? 'text-brand-800'
                    : open
                      ? 'text-stone-700 hover:text-brand-700'
                      : 'text-stone-400'
                }`}
              >
                <span
                  aria-hidden="true"
                  className={`flex size-8 shrink-0 items-center justify-center rounded-full border-2 text-sm ${
                    isCurrent
                      ? 'border-brand-600 bg-brand-600 text-white'
                      : done
                        ? 'border-brand-600 bg-white text-brand-700'
                        : 'border-stone-300 bg-white'
                  }`}
                >
                  {done ? '✓' : index + 1}
                </span>
                <span className="sr-only md:not-sr-only md:whitespace-nowrap">{step.label}</span>
                {done && (
                  <span className="sr-only">
                    {' '}
                    <FormattedMessage id="sell.stepper.visited" />
                  </span>
                )}
              </button>
              {index < SELL_STEPS.length - 1 && (
                <span
                  aria-hidden="true"
                  className={`h-0.5 min-w-2 flex-1 rounded ${index < currentIndex ? 'bg-brand-600' : 'bg-stone-300'}`}
                />
              )}
            </li>
          );
        })}
      </ol>
      <p className="mt-3 text-sm text-stone-600 md:hidden">
        <FormattedMessage id="sell.stepper.step" /> {currentIndex + 1}{' '}
        <FormattedMessage
          id="sell.stepper.text"
          values={{
            count: SELL_STEPS.length,
            label: currentStep?.label,
            span: (chunks) => <span className="font-semibold text-stone-900">{chunks}</span>,
          }}
        />
      </p>
    </nav>
  );
}
