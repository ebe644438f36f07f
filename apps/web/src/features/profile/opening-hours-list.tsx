import type { SellerProfile } from '@souk/contracts';
import { useT } from '../../i18n/use-t';
import { DAYS } from '../account/opening-hours-editor';

export function OpeningHoursList({ hours }: { hours: SellerProfile['openingHours'] }) {
  const t = useT();
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 text-sm">
      {DAYS.map((day) => {
        const ranges = hours
          .filter((range) => range.day === day.value)
          .toSorted((a, b) => a.opens.localeCompare(b.opens));
        return (
          <div key={day.value} className="contents">
            <dt className="text-stone-600">{day.label}</dt>
            <dd className="text-stone-900">
              {ranges.length === 0
                ? t('profile.openingHoursList.closed')
                : ranges.map((range) => `${range.opens}–${range.closes}`).join(', ')}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
