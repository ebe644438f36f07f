import type { ResolvedAttribute } from '@souk/contracts';
import { fieldControl, fieldHelp, fieldLabel } from '../../ui/field-styles';

type NumericAttribute = Extract<ResolvedAttribute, { type: 'integer' | 'decimal' }>;

function stepFor(attribute: NumericAttribute): number {
  return attribute.type === 'integer' ? 1 : 10 ** -attribute.scale;
}

function RangeInput({ attribute, bound }: { attribute: NumericAttribute; bound: 'min' | 'max' }) {
  const limit = attribute[bound];
  return (
    <label className="block">
      <span className="sr-only">{attribute.label} </span>
      <span className="text-xs text-stone-500">{bound === 'min' ? 'Min' : 'Max'}</span>
      <span className="relative mt-0.5 block">
        <input
          type="number"
          disabled
          inputMode={attribute.type === 'integer' ? 'numeric' : 'decimal'}
          min={attribute.min}
          max={attribute.max}
          step={stepFor(attribute)}
          placeholder={limit === undefined ? 'Any' : String(limit)}
          className={`${fieldControl} ${attribute.unit ? 'pr-12' : ''}`}
        />
        {attribute.unit && (
          <span
            aria-hidden="true"
            className="pointer-events-none absolute inset-y-0 right-3 flex items-center text-sm text-stone-500"
          >
            {attribute.unit}
          </span>
        )}
      </span>
    </label>
  );
}

export function RangeFilter({ attribute }: { attribute: NumericAttribute }) {
  return (
    <fieldset>
      <legend className={fieldLabel}>
        {attribute.label}
        {attribute.unit && <span className="font-normal text-stone-500"> ({attribute.unit})</span>}
      </legend>
      <div className="mt-1 grid grid-cols-2 gap-2">
        <RangeInput attribute={attribute} bound="min" />
        <RangeInput attribute={attribute} bound="max" />
      </div>
      {attribute.help && <p className={fieldHelp}>{attribute.help}</p>}
    </fieldset>
  );
}
