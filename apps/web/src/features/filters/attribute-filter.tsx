import type { ResolvedAttribute } from '@souk/contracts';
import type { PickedValues } from './attribute-filters';
import { EnumFilter } from './enum-filter';
import { MultiEnumFilter } from './multi-enum-filter';
import { RangeFilter } from './range-filter';
import { TextFilter } from './text-filter';
import { ToggleFilter } from './toggle-filter';

type AttributeFilterProps = {
  attribute: ResolvedAttribute;
  attributes: readonly ResolvedAttribute[];
  picked: PickedValues;
  onPick: (key: string, value: string) => void;
};

export function AttributeFilter({ attribute, attributes, picked, onPick }: AttributeFilterProps) {
  switch (attribute.type) {
    case 'enum':
      return <EnumFilter attribute={attribute} attributes={attributes} picked={picked} onPick={onPick} />;
    case 'multi_enum':
      return <MultiEnumFilter attribute={attribute} picked={picked} />;
    case 'integer':
    case 'decimal':
      return <RangeFilter attribute={attribute} />;
    case 'boolean':
      return <ToggleFilter attribute={attribute} />;
    case 'text':
      return <TextFilter attribute={attribute} />;
  }
}
