import { FormattedMessage } from 'react-intl';
import { useT } from '../../i18n/use-t';
import type { UpdateFilters } from './filter-params';

export function MoreFilters({ params, update }: { params: URLSearchParams; update: UpdateFilters }) {
  const t = useT();
  return (
    <fieldset className="space-y-2 text-sm">
      <legend className="text-sm font-semibold text-stone-900">
        <FormattedMessage id="filters.more.label" />
      </legend>
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={params.get('withPhotos') === 'true'}
          onChange={(event) => update({ withPhotos: event.target.checked ? 'true' : null })}
        />
        <FormattedMessage id="filters.more.withPhotos" />
      </label>
      <label className="block">
        <FormattedMessage id="filters.more.postedWithin" />{' '}
        <select
          value={params.get('postedWithinDays') ?? ''}
          onChange={(event) => update({ postedWithinDays: event.target.value || null })}
          className="rounded border border-stone-300 px-1 py-0.5"
        >
          <option value="">{t('filters.more.anyTime')}</option>
          <option value="1">{t('filters.more.day')}</option>
          <option value="7">{t('filters.more.week')}</option>
          <option value="30">{t('filters.more.month')}</option>
        </select>
      </label>
      <label className="block">
        <FormattedMessage id="filters.more.condition" />{' '}
        <select
          value={params.get('condition') ?? ''}
          onChange={(event) => update({ condition: event.target.value || null })}
          className="rounded border border-stone-300 px-1 py-0.5"
        >
          <option value="">{t('filters.more.conditionAny')}</option>
          <option value="new">{t('filters.more.conditionNew')}</option>
          <option value="used">{t('filters.more.conditionUsed')}</option>
          <option value="refurbished">{t('filters.more.conditionRefurbished')}</option>
        </select>
      </label>
    </fieldset>
  );
}
