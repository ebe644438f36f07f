import type { ResolvedAttribute } from '@souk/contracts';
import { type ChoiceAttribute, groupedOptions, type PickedValues, visibleOptions } from './attribute-filters';

/**
 * The <option>s of an enum attribute's <select>: a dependent attribute (model) shows only the
 * options of the picked parent (make), or all of them grouped by parent while none is picked.
 */
export function EnumOptions({
  attribute,
  schema,
  picked,
}: {
  attribute: ChoiceAttribute;
  schema: readonly ResolvedAttribute[];
  picked: PickedValues;
}) {
  const groups = groupedOptions(attribute, schema, picked);
  if (groups) {
    return groups.map((group) => (
      <optgroup key={group.label} label={group.label}>
        {group.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </optgroup>
    ));
  }
  return visibleOptions(attribute, picked).map((option) => (
    <option key={option.value} value={option.value}>
      {option.label}
    </option>
  ));
}
