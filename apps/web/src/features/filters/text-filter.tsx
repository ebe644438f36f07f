import type { ResolvedAttribute } from '@souk/contracts';
import { useId } from 'react';
import { fieldControl, fieldHelp, fieldLabel } from '../../ui/field-styles';

export function TextFilter({ attribute }: { attribute: ResolvedAttribute }) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id} className={fieldLabel}>
        {attribute.label}
      </label>
      <input id={id} type="text" disabled placeholder="Contains…" className={`${fieldControl} mt-1`} />
      {attribute.help && <p className={fieldHelp}>{attribute.help}</p>}
    </div>
  );
}
