import { useT } from '../../i18n/use-t';
import { type Comparable, useCompareActions, useCompareIds } from './compare-queries';

/** Puts a listing in the comparison (or takes it out); refusals show in the compare tray. */
export function CompareToggle({
  listing,
  title,
  variant = 'card',
}: {
  listing: Comparable;
  title: string;
  variant?: 'card' | 'page';
}) {
  const t = useT();
  const ids = useCompareIds();
  const actions = useCompareActions();
  const comparing = ids.includes(listing.id);
  const label = comparing ? `Remove ${title} from comparison` : `Compare ${title}`;
  const onClick = () => (comparing ? actions.remove(listing.id) : actions.add(listing));
  const base =
    variant === 'card'
      ? 'relative z-10 rounded-full px-2.5 py-1 text-xs font-semibold shadow-sm'
      : 'inline-flex items-center gap-2 rounded-full border px-4 py-2 text-sm font-semibold';
  const tone = comparing
    ? 'border-brand-400 bg-brand-600 text-white'
    : variant === 'card'
      ? 'bg-white/90 text-stone-800 hover:bg-white'
      : 'border-stone-300 bg-white text-stone-800 hover:border-brand-500 hover:text-brand-700';
  return (
    <button
      type="button"
      aria-pressed={comparing}
      aria-label={label}
      onClick={onClick}
      disabled={actions.pending}
      data-testid="compare-toggle"
      className={`${base} ${tone}`}
    >
      <span aria-hidden="true">
        {comparing ? t('compare.compareToggle.comparing') : t('compare.compareToggle.compare')}
      </span>
    </button>
  );
}
