import { fieldHelp, fieldLabel } from '../../ui/field-styles';
import { type ChoiceAttribute, type PickedValues, visibleOptions } from './attribute-filters';

// Long option lists (every colour, every feature) would swamp the panel in a preview.
const OPTIONS_SHOWN = 6;

export function MultiEnumFilter({ attribute, picked }: { attribute: ChoiceAttribute; picked: PickedValues }) {
  const options = visibleOptions(attribute, picked);
  const shown = options.slice(0, OPTIONS_SHOWN);
  const hidden = options.length - shown.length;

  return (
    <fieldset>
      <legend className={fieldLabel}>{attribute.label}</legend>
      <ul className="mt-2 space-y-1.5">
        {shown.map((option) => (
          <li key={option.value}>
            <label className="flex items-center gap-2 text-sm text-stone-500">
              <input type="checkbox" disabled className="size-4 accent-brand-600" />
              {option.label}
            </label>
          </li>
        ))}
      </ul>
      {hidden > 0 && <p className={fieldHelp}>and {hidden} more</p>}
      {attribute.help && <p className={fieldHelp}>{attribute.help}</p>}
    </fieldset>
  );
}
