import type { SearchSort } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import type { MessageId } from '../../i18n/messages';
import { useT } from '../../i18n/use-t';
import type { UpdateFilters } from './filter-params';

const SORTS: readonly [SearchSort, MessageId][] = [
  ['relevance', 'filters.sort.relevance'],
  ['newest', 'filters.sort.newest'],
  ['price_asc', 'filters.sort.priceAsc'],
  ['price_desc', 'filters.sort.priceDesc'],
  ['distance', 'filters.sort.distance'],
  ['ending_soon', 'filters.sort.endingSoon'],
];

export function SortSelect({ params, update }: { params: URLSearchParams; update: UpdateFilters }) {
  const t = useT();
  return (
    <label className="text-sm text-stone-600">
      <FormattedMessage id="filters.sort.label" />{' '}
      <select
        value={params.get('sort') ?? 'relevance'}
        onChange={(event) => update({ sort: event.target.value === 'relevance' ? null : event.target.value })}
        className="rounded-lg border border-stone-300 bg-white px-2 py-1.5 text-sm"
      >
        {SORTS.filter(([value]) => value !== 'distance' || params.has('lat')).map(([value, label]) => (
          <option key={value} value={value}>
            {t(label)}
          </option>
        ))}
      </select>
    </label>
  );
}
