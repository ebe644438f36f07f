import { useState } from 'react';
import { FormattedMessage } from 'react-intl';
import type { MessageId } from '../../i18n/messages';
import { useT } from '../../i18n/use-t';
import type { UpdateFilters } from './filter-params';

const RADII_KM = [5, 10, 25, 50, 100, 250];

export function DistanceFilter({ params, update }: { params: URLSearchParams; update: UpdateFilters }) {
  const t = useT();
  const [error, setError] = useState<MessageId | null>(null);
  const active = params.has('lat');
  return (
    <fieldset className="space-y-2 text-sm">
      <legend className="text-sm font-semibold text-stone-900">
        <FormattedMessage id="filters.distance.label" />
      </legend>
      {active ? (
        <div className="flex items-center gap-2">
          <select
            value={params.get('radiusKm') ?? '25'}
            onChange={(event) => update({ radiusKm: event.target.value })}
            className="rounded border border-stone-300 px-1 py-0.5"
            aria-label={t('filters.distance.radius')}
          >
            {RADII_KM.map((km) => (
              <option key={km} value={km}>
                {t('filters.distance.within', { km })}
              </option>
            ))}
          </select>
          <button
            type="button"
            className="text-brand-700 underline"
            onClick={() =>
              update({
                lat: null,
                lon: null,
                radiusKm: null,
                sort: params.get('sort') === 'distance' ? null : params.get('sort'),
              })
            }
          >
            <FormattedMessage id="filters.distance.anywhere" />
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="rounded-lg border border-stone-300 px-3 py-1.5"
          onClick={() => {
            if (!navigator.geolocation) return setError('filters.distance.unsupported');
            navigator.geolocation.getCurrentPosition(
              (position) =>
                update({
                  lat: position.coords.latitude.toFixed(4),
                  lon: position.coords.longitude.toFixed(4),
                  radiusKm: '25',
                }),
              () => setError('filters.distance.denied'),
            );
          }}
        >
          <FormattedMessage id="filters.distance.nearMe" />
        </button>
      )}
      {error && (
        <p className="text-red-700">
          <FormattedMessage id={error} />
        </p>
      )}
    </fieldset>
  );
}
