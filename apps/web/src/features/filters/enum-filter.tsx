import type { ResolvedAttribute } from '@souk/contracts';
import { useId } from 'react';
import { fieldControl, fieldHelp, fieldLabel } from '../../ui/field-styles';
import { type ChoiceAttribute, groupedOptions, type PickedValues } from './attribute-filters';
import { EnumOptions } from './enum-options';

type EnumFilterProps = {
  attribute: ChoiceAttribute;
  attributes: readonly ResolvedAttribute[];
  picked: PickedValues;
  onPick: (key: string, value: string) => void;
};

export function EnumFilter({ attribute, attributes, picked, onPick }: EnumFilterProps) {
  const id = useId();
  const helpId = `${id}-help`;
  const groups = groupedOptions(attribute, attributes, picked);
  const parent = attribute.dependsOn
    ? attributes.find((candidate) => candidate.key === attribute.dependsOn)
    : undefined;
  const help =
    attribute.help ??
    (groups && parent ? `Pick a ${parent.label.toLowerCase()} to narrow this list.` : undefined);

  return (
    <div>
      <label htmlFor={id} className={fieldLabel}>
        {attribute.label}
      </label>
      <select
        id={id}
        value={picked[attribute.key] ?? ''}
        onChange={(event) => onPick(attribute.key, event.target.value)}
        aria-describedby={help ? helpId : undefined}
        className={`${fieldControl} mt-1`}
      >
        <option value="">Any</option>
        <EnumOptions attribute={attribute} schema={attributes} picked={picked} />
      </select>
      {help && (
        <p id={helpId} className={fieldHelp}>
          {help}
        </p>
      )}
    </div>
  );
}
