import type { ResolvedAttribute } from '@souk/contracts';
import { fieldHelp } from '../../ui/field-styles';

export function ToggleFilter({ attribute }: { attribute: ResolvedAttribute }) {
  return (
    <div>
      <label className="flex items-center gap-3 text-sm font-medium text-stone-800">
        <input type="checkbox" disabled className="size-5 accent-brand-600" />
        {attribute.label}
      </label>
      {attribute.help && <p className={fieldHelp}>{attribute.help}</p>}
    </div>
  );
}
