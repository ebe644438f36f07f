import type { SearchFacets } from '@souk/contracts';
import type { FormEvent } from 'react';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../i18n/use-t';
import { fieldControl } from '../../ui/field-styles';

export type Histogram = SearchFacets['histograms'][number];

/** How the matching values spread over the range, so a reader sees where most of them are. */
export function Bars({ histogram }: { histogram: Histogram | undefined }) {
  const t = useT();
  if (!histogram || histogram.buckets.length === 0) return null;
  const top = Math.max(...histogram.buckets.map((bucket) => bucket.count));
  return (
    <div className="mt-2 flex h-10 items-end gap-px" aria-hidden="true">
      {histogram.buckets.map((bucket) => (
        <div
          key={bucket.min}
          className="flex-1 rounded-t bg-brand-200"
          style={{ height: `${Math.max(8, (bucket.count / top) * 100)}%` }}
          title={t('filters.range.bucket', {
            min: String(bucket.min),
            max: String(bucket.max ?? '…'),
            count: bucket.count,
          })}
        />
      ))}
    </div>
  );
}

/** From and to, sent together as `low..high` (either side may be empty). */
export function RangeFilter({
  label,
  name,
  value,
  histogram,
  onApply,
}: {
  label: string;
  name: string;
  value: string;
  histogram: Histogram | undefined;
  onApply: (value: string | null) => void;
}) {
  const t = useT();
  const [low = '', high = ''] = value.includes('..') ? value.split('..') : [value, value];
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const min = String(data.get('min') ?? '').trim();
    const max = String(data.get('max') ?? '').trim();
    onApply(min || max ? `${min}..${max}` : null);
  }
  return (
    <form onSubmit={submit} key={value} aria-label={label}>
      <p className="text-sm font-semibold text-stone-900">{label}</p>
      <Bars histogram={histogram} />
      <div className="mt-1 flex items-center gap-2">
        <input
          name="min"
          aria-label={t('filters.range.from', { label })}
          type="number"
          defaultValue={low}
          placeholder={t('filters.range.min')}
          className={fieldControl}
        />
        <input
          name="max"
          aria-label={t('filters.range.to', { label })}
          type="number"
          defaultValue={high}
          placeholder={t('filters.range.max')}
          className={fieldControl}
        />
        <button
          type="submit"
          className="rounded-lg border border-stone-300 px-2 py-2 text-sm"
          aria-label={t('filters.range.apply', { name })}
        >
          <FormattedMessage id="filters.range.go" />
        </button>
      </div>
    </form>
  );
}
