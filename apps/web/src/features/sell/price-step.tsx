import { useId, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { useT } from '../../i18n/use-t';
import { CURRENCIES, CURRENCY_NAMES, type Currency } from '../../lib/money';
import { fieldControl, fieldHelp, fieldLabel } from '../../ui/field-styles';
import { secondaryButton } from '../../ui/form/buttons';
import { fieldMessage } from '../../ui/form/field-message';
import { FormAlert } from '../../ui/form/form-alert';
import { FieldError } from '../../ui/form/text-field';
import { LocationPicker } from '../account/location-picker';
import { RequiredMark } from './attribute-fields';

export type PriceType = 'fixed' | 'negotiable' | 'free';
export type Coordinates = { latitude: number; longitude: number };

export type PriceValues = {
  priceType: PriceType;
  amount: string;
  currency: Currency;
  quantity: string;
  locationId: string | null;
  coordinates: Coordinates | null;
};

const PRICE_TYPES: { value: PriceType; label: string; help: string }[] = [
  { value: 'fixed', label: 'Fixed price', help: 'Buyers pay what you ask.' },
  { value: 'negotiable', label: 'Negotiable', help: 'A starting point; offers welcome.' },
  { value: 'free', label: 'Free', help: 'Giving it away.' },
];

type PriceStepProps = {
  values: PriceValues;
  errors: Readonly<Record<string, string>>;
  onChange: (patch: Partial<PriceValues>) => void;
};

/** Price in major units (turned into minor units when sent), quantity, and where the item is. */
export function PriceStep({ values, errors, onChange }: PriceStepProps) {
  const t = useT();
  const amountId = useId();
  const currencyId = useId();
  const quantityId = useId();
  const [locating, setLocating] = useState(false);
  const [geoProblem, setGeoProblem] = useState<string | null>(null);
  const free = values.priceType === 'free';
  const amountRequired = values.priceType === 'fixed';
  const amountError = errors['price.amount'] ?? errors.price;

  function locateMe() {
    if (!('geolocation' in navigator)) {
      setGeoProblem('This browser cannot share a location.');
      return;
    }
    setLocating(true);
    setGeoProblem(null);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        // Six decimals is about 10 cm: plenty, and keeps the number short.
        const round = (value: number) => Math.round(value * 1e6) / 1e6;
        onChange({
          coordinates: {
            latitude: round(position.coords.latitude),
            longitude: round(position.coords.longitude),
          },
        });
      },
      (error) => {
        setLocating(false);
        setGeoProblem(
          error.code === error.PERMISSION_DENIED
            ? 'Location access was refused. You can allow it in your browser settings, or just pick the city.'
            : 'We could not get your location. Pick the city instead, or try again.',
        );
      },
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
    );
  }

  return (
    <div className="space-y-8">
      <div className="space-y-4">
        <h3 className="text-base font-semibold text-stone-900">
          <FormattedMessage id="sell.priceStep.price" />
        </h3>
        <div
          role="radiogroup"
          aria-label={t('sell.priceStep.priceType')}
          className="grid gap-2 sm:grid-cols-3"
        >
          {PRICE_TYPES.map((type) => (
            <label
              key={type.value}
              className={`flex cursor-pointer gap-3 rounded-2xl border bg-white p-3 has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-brand-500 ${
                values.priceType === type.value
                  ? 'border-brand-600 ring-1 ring-brand-600'
                  : 'border-stone-200'
              }`}
            >
              <input
                type="radio"
                name="priceType"
                value={type.value}
                checked={values.priceType === type.value}
                onChange={() => onChange({ priceType: type.value })}
                className="mt-1 size-4 accent-brand-600"
              />
              <span>
                <span className="block text-sm font-semibold text-stone-900">{type.label}</span>
                <span className="block text-xs text-stone-600">{type.help}</span>
              </span>
            </label>
          ))}
        </div>

        {!free && (
          <div className="grid grid-cols-[minmax(0,1fr)_8rem] gap-3 sm:max-w-md">
            <div>
              <div className="flex items-baseline">
                <label htmlFor={amountId} className={fieldLabel}>
                  <FormattedMessage id="sell.priceStep.price" />
                </label>
                {amountRequired && <RequiredMark />}
              </div>
              <input
                id={amountId}
                type="text"
                inputMode="decimal"
                autoComplete="off"
                value={values.amount}
                onChange={(event) => onChange({ amount: event.target.value })}
                placeholder={values.priceType === 'negotiable' ? t('sell.priceStep.optional') : '0'}
                aria-required={amountRequired || undefined}
                aria-invalid={amountError ? true : undefined}
                aria-describedby={`${amountId}-help${amountError ? ` ${amountId}-error` : ''}`}
                className={`mt-1 ${fieldControl} ${amountError ? 'border-red-600' : ''}`}
              />
            </div>
            <div>
              <label htmlFor={currencyId} className={fieldLabel}>
                <FormattedMessage id="sell.priceStep.currency" />
              </label>
              <select
                id={currencyId}
                value={values.currency}
                onChange={(event) => onChange({ currency: event.target.value as Currency })}
                aria-invalid={errors['price.currency'] ? true : undefined}
                className={`mt-1 ${fieldControl}`}
              >
                {CURRENCIES.map((code) => (
                  <option key={code} value={code} title={CURRENCY_NAMES[code]}>
                    {code}
                  </option>
                ))}
              </select>
            </div>
            <p id={`${amountId}-help`} className={`${fieldHelp} col-span-2 mt-0`}>
              <FormattedMessage
                id="sell.priceStep.amount"
                values={{ currency: values.currency, currencyName: CURRENCY_NAMES[values.currency] }}
              />
            </p>
            {amountError && (
              <div className="col-span-2">
                <FieldError id={`${amountId}-error`} message={fieldMessage('Price', amountError)} />
              </div>
            )}
            {errors['price.currency'] && (
              <div className="col-span-2">
                <FieldError
                  id={`${currencyId}-error`}
                  message={fieldMessage('Currency', errors['price.currency'])}
                />
              </div>
            )}
          </div>
        )}

        <div className="max-w-40">
          <label htmlFor={quantityId} className={fieldLabel}>
            <FormattedMessage id="sell.priceStep.quantity" />
          </label>
          <input
            id={quantityId}
            type="number"
            inputMode="numeric"
            min={0}
            max={100_000}
            step={1}
            value={values.quantity}
            onChange={(event) => onChange({ quantity: event.target.value })}
            aria-invalid={errors.quantity ? true : undefined}
            aria-describedby={`${quantityId}-help${errors.quantity ? ` ${quantityId}-error` : ''}`}
            className={`mt-1 ${fieldControl} ${errors.quantity ? 'border-red-600' : ''}`}
          />
          <p id={`${quantityId}-help`} className={fieldHelp}>
            <FormattedMessage id="sell.priceStep.howManyYouHave" />
          </p>
          {errors.quantity && (
            <FieldError id={`${quantityId}-error`} message={fieldMessage('Quantity', errors.quantity)} />
          )}
        </div>
      </div>

      <div className="space-y-4">
        <h3 className="text-base font-semibold text-stone-900">
          <FormattedMessage id="sell.priceStep.location" />
        </h3>
        <LocationPicker
          value={values.locationId}
          onChange={(locationId) => onChange({ locationId })}
          error={errors.locationId}
        />
        <div className="rounded-2xl border border-stone-200 bg-white p-4">
          {values.coordinates ? (
            <div className="space-y-3">
              <p className="text-sm text-stone-800">
                <span className="font-semibold">
                  <FormattedMessage id="sell.priceStep.exactLocationSaved" />
                </span>{' '}
                ({values.coordinates.latitude.toFixed(5)}, {values.coordinates.longitude.toFixed(5)}).
              </p>
              <p className="text-sm text-stone-600">
                <FormattedMessage id="sell.priceStep.onlyYouSeeExact" />
              </p>
              <button
                type="button"
                onClick={() => onChange({ coordinates: null })}
                className={secondaryButton}
              >
                <FormattedMessage id="sell.priceStep.removeExactLocation" />
              </button>
            </div>
          ) : (
            <div className="space-y-3">
              <button type="button" onClick={locateMe} disabled={locating} className={secondaryButton}>
                <svg viewBox="0 0 20 20" aria-hidden="true" className="size-4" fill="currentColor">
                  <path
                    fillRule="evenodd"
                    d="M10 18s6-5.3 6-10a6 6 0 1 0-12 0c0 4.7 6 10 6 10Zm0-7.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5Z"
                  />
                </svg>
                {locating ? t('sell.priceStep.findingYou') : t('sell.priceStep.useMyExactLocation')}
              </button>
              <p className="text-sm text-stone-600">
                <FormattedMessage id="sell.priceStep.optionalHelpsBuyersNearby" />
              </p>
            </div>
          )}
          {errors.coordinates && (
            <div className="mt-3">
              <FormAlert tone="error">{fieldMessage('Exact location', errors.coordinates)}</FormAlert>
            </div>
          )}
          {geoProblem && (
            <div className="mt-3">
              <FormAlert tone="info">{geoProblem}</FormAlert>
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
