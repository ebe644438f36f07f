import type { SellerProfile } from '@souk/contracts';
import { useId } from 'react';
import { FormattedMessage } from 'react-intl';
import { fieldControl } from '../../ui/field-styles';
import { secondaryButton } from '../../ui/form/buttons';

export type HoursRow = SellerProfile['openingHours'][number] & { key: string };
type Day = HoursRow['day'];

export const DAYS: { value: Day; label: string }[] = [
  { value: 'mon', label: 'Monday' },
  { value: 'tue', label: 'Tuesday' },
  { value: 'wed', label: 'Wednesday' },
  { value: 'thu', label: 'Thursday' },
  { value: 'fri', label: 'Friday' },
  { value: 'sat', label: 'Saturday' },
  { value: 'sun', label: 'Sunday' },
];
const MAX_ROWS = 21;

let nextKey = 0;
export function withKeys(hours: SellerProfile['openingHours']): HoursRow[] {
  return hours.map((range) => ({ ...range, key: String(nextKey++) }));
}

function nextDay(rows: HoursRow[]): Day {
  const last = rows.at(-1);
  if (!last) return 'mon';
  const index = DAYS.findIndex((day) => day.value === last.day);
  return DAYS[(index + 1) % DAYS.length]?.value ?? 'mon';
}

type OpeningHoursEditorProps = {
  rows: HoursRow[];
  onChange: (rows: HoursRow[]) => void;
  /** Server field errors keyed `openingHours.<index>.<field>`. */
  errors: Record<string, string>;
};

const smallLabel = 'block text-xs font-medium text-stone-600';

export function OpeningHoursEditor({ rows, onChange, errors }: OpeningHoursEditorProps) {
  const baseId = useId();
  const update = (key: string, change: Partial<HoursRow>) =>
    onChange(rows.map((row) => (row.key === key ? { ...row, ...change } : row)));

  function add() {
    const last = rows.at(-1);
    onChange([
      ...rows,
      {
        key: String(nextKey++),
        day: nextDay(rows),
        opens: last?.opens ?? '09:00',
        closes: last?.closes ?? '17:00',
      },
    ]);
  }

  return (
    <fieldset>
      <legend className="text-sm font-medium text-stone-800">
        <FormattedMessage id="account.openingHoursEditor.openingHours" />
      </legend>
      <p className="mt-1 text-xs text-stone-500">
        <FormattedMessage id="account.openingHoursEditor.addRowPerOpening" />
      </p>
      {rows.length === 0 && (
        <p className="mt-3 text-sm text-stone-600">
          <FormattedMessage id="account.openingHoursEditor.noOpeningHoursYet" />
        </p>
      )}
      <ul className="mt-3 space-y-3">
        {rows.map((row, index) => {
          const id = `${baseId}-${row.key}`;
          const rowErrors = ['day', 'opens', 'closes']
            .map((field) => errors[`openingHours.${index}.${field}`])
            .filter(Boolean);
          const errorId = `${id}-error`;
          const described = rowErrors.length > 0 ? errorId : undefined;
          const dayName = DAYS.find((day) => day.value === row.day)?.label ?? row.day;
          return (
            <li key={row.key} className="rounded-xl border border-stone-200 p-3">
              <div className="grid grid-cols-2 items-end gap-3 sm:grid-cols-[1fr_8rem_8rem_auto]">
                <div className="col-span-2 sm:col-span-1">
                  <label htmlFor={`${id}-day`} className={smallLabel}>
                    <FormattedMessage id="account.openingHoursEditor.day" />
                  </label>
                  <select
                    id={`${id}-day`}
                    value={row.day}
                    aria-describedby={described}
                    onChange={(event) => update(row.key, { day: event.target.value as Day })}
                    className={`mt-1 ${fieldControl}`}
                  >
                    {DAYS.map((day) => (
                      <option key={day.value} value={day.value}>
                        {day.label}
                      </option>
                    ))}
                  </select>
                </div>
                <div>
                  <label htmlFor={`${id}-opens`} className={smallLabel}>
                    <FormattedMessage id="account.openingHoursEditor.opens" />
                  </label>
                  <input
                    id={`${id}-opens`}
                    type="time"
                    required
                    value={row.opens}
                    aria-describedby={described}
                    aria-invalid={rowErrors.length > 0 || undefined}
                    onChange={(event) => update(row.key, { opens: event.target.value })}
                    className={`mt-1 ${fieldControl}`}
                  />
                </div>
                <div>
                  <label htmlFor={`${id}-closes`} className={smallLabel}>
                    <FormattedMessage id="account.openingHoursEditor.closes" />
                  </label>
                  <input
                    id={`${id}-closes`}
                    type="time"
                    required
                    value={row.closes}
                    aria-describedby={described}
                    onChange={(event) => update(row.key, { closes: event.target.value })}
                    className={`mt-1 ${fieldControl}`}
                  />
                </div>
                <button
                  type="button"
                  onClick={() => onChange(rows.filter((candidate) => candidate.key !== row.key))}
                  className="col-span-2 rounded-lg px-3 py-2 text-sm font-medium text-red-700 hover:bg-red-50 sm:col-span-1"
                >
                  <FormattedMessage id="account.openingHoursEditor.remove" />
                  <span className="sr-only">
                    {' '}
                    <FormattedMessage
                      id="account.openingHoursEditor.text"
                      values={{ dayName, opens: row.opens, closes: row.closes }}
                    />
                  </span>
                </button>
              </div>
              {rowErrors.length > 0 && (
                <p id={errorId} className="mt-2 text-sm text-red-700">
                  {rowErrors.join('; ')}
                </p>
              )}
            </li>
          );
        })}
      </ul>
      <button
        type="button"
        onClick={add}
        disabled={rows.length >= MAX_ROWS}
        className={`${secondaryButton} mt-3`}
      >
        <FormattedMessage id="account.openingHoursEditor.addOpeningHours" />
      </button>
    </fieldset>
  );
}
