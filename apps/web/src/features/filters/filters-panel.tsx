import type { ResolvedAttribute } from '@souk/contracts';
import { useId, useState } from 'react';
import { AttributeFilter } from './attribute-filter';
import { type PickedValues, pickValue } from './attribute-filters';

export function FiltersPanel({ attributes }: { attributes: readonly ResolvedAttribute[] }) {
  const headingId = useId();
  const [picked, setPicked] = useState<PickedValues>({});
  const filterable = attributes.filter((attribute) => attribute.filterable);

  function pick(key: string, value: string) {
    setPicked((previous) => pickValue(attributes, previous, key, value));
  }

  return (
    <section aria-labelledby={headingId} className="rounded-2xl border border-stone-200 bg-white p-4 sm:p-5">
      <h2 id={headingId} className="text-lg font-semibold text-stone-900">
        Filters
      </h2>
      {filterable.length === 0 ? (
        <p className="mt-1 text-sm text-stone-600">This category has no filters yet.</p>
      ) : (
        <>
          <p className="mt-1 text-sm text-stone-500">A preview: filtering by these comes soon.</p>
          <div className="mt-4 grid gap-5 sm:grid-cols-2 lg:grid-cols-1">
            {filterable.map((attribute) => (
              <AttributeFilter
                key={attribute.key}
                attribute={attribute}
                attributes={attributes}
                picked={picked}
                onPick={pick}
              />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
