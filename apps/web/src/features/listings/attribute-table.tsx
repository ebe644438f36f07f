import type { AttributeValues, ResolvedAttribute } from '@souk/contracts';
import { attributeRows } from './listing-attributes';

/** The listing's facts, labelled as the category's schema names them. */
export function AttributeTable({
  schema,
  values,
}: {
  schema: readonly ResolvedAttribute[];
  values: AttributeValues;
}) {
  const rows = attributeRows(schema, values);
  if (rows.length === 0) return null;
  return (
    <dl className="grid grid-cols-1 divide-y divide-stone-200 overflow-hidden rounded-2xl border border-stone-200 bg-white sm:grid-cols-2 sm:divide-y-0">
      {rows.map((row) => (
        <div
          key={row.key}
          className="flex items-baseline justify-between gap-4 px-4 py-2.5 sm:border-b sm:border-stone-200 sm:odd:border-r"
        >
          <dt className="text-sm text-stone-600">{row.label}</dt>
          <dd className="text-right text-sm font-medium text-stone-900">{row.value}</dd>
        </div>
      ))}
    </dl>
  );
}
