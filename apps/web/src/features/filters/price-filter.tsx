import type { FormEvent } from 'react';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../i18n/use-t';
import { formatNumber } from '../../lib/format';
import { fieldControl } from '../../ui/field-styles';
import type { UpdateFilters } from './filter-params';
import { Bars, type Histogram } from './range-filter';

// The price filter has no currency yet, so amounts are taken as two-decimal currencies (all the
// demo's are); a currency next to Min and Max comes with the money work.
const toMinor = (raw: FormDataEntryValue | null) => {
  const text = String(raw ?? '')
    .replaceAll(',', '')
    .trim();
  return text ? String(Math.round(Number(text) * 100)) : null;
};

export function PriceFilter({
  params,
  update,
  histogram,
}: {
  params: URLSearchParams;
  update: UpdateFilters;
  histogram: Histogram | undefined;
}) {
  const t = useT();
  const min = params.get('priceMin');
  const max = params.get('priceMax');
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    update({ priceMin: toMinor(data.get('min')), priceMax: toMinor(data.get('max')) });
  }
  return (
    <form onSubmit={submit} aria-label={t('filters.price.label')} key={`${min}-${max}`}>
      <p className="text-sm font-semibold text-stone-900">
        <FormattedMessage id="filters.price.label" />
      </p>
      <Bars histogram={histogram} />
      <div className="mt-1 flex items-center gap-2">
        <input
          name="min"
          aria-label={t('filters.price.from')}
          type="number"
          defaultValue={min ? Number(min) / 100 : ''}
          placeholder={t('filters.range.min')}
          className={fieldControl}
        />
        <input
          name="max"
          aria-label={t('filters.price.to')}
          type="number"
          defaultValue={max ? Number(max) / 100 : ''}
          placeholder={t('filters.range.max')}
          className={fieldControl}
        />
        <button
          type="submit"
          className="rounded-lg border border-stone-300 px-2 py-2 text-sm"
          aria-label={t('filters.price.apply')}
        >
          <FormattedMessage id="filters.range.go" />
        </button>
      </div>
      {histogram && histogram.buckets.length > 0 && (
        <p className="mt-1 text-xs text-stone-500">
          <FormattedMessage
            id="filters.price.lowest"
            values={{ amount: formatNumber(Math.round((histogram.buckets[0]?.min ?? 0) / 100)) }}
          />
        </p>
      )}
    </form>
  );
}
