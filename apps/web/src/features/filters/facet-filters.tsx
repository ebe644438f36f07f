import type { SearchFacets } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { attributeParam, type UpdateFilters } from './filter-params';

/** A facet lists this many values; the rest are counted in a line under them. */
const SHOWN_VALUES = 30;
type AttributeFacet = SearchFacets['attributes'][number];
/** Values of a facet that are not shown: beyond SHOWN_VALUES, and those the API did not list. */
const hiddenValues = (facet: AttributeFacet) =>
  Math.max(0, facet.values.length - SHOWN_VALUES) + facet.otherValues;

// Counts from a sample or from stored counts that have aged are estimates: say so.
const Count = ({ count, estimated }: { count: number; estimated: boolean }) => (
  <span className="text-stone-500">
    <FormattedMessage
      id={estimated ? 'filters.facet.countEstimated' : 'filters.facet.count'}
      values={{ count }}
    />
  </span>
);

export function CategoryFacet({
  facets,
  params,
  update,
}: {
  facets: SearchFacets;
  params: URLSearchParams;
  update: UpdateFilters;
}) {
  return (
    <fieldset>
      <legend className="text-sm font-semibold text-stone-900">
        <FormattedMessage id="filters.category.label" />
      </legend>
      <ul className="mt-2 space-y-1 text-sm">
        {params.get('category') && (
          <li>
            <button
              type="button"
              className="text-brand-700 underline"
              onClick={() => update({ category: null })}
            >
              <FormattedMessage id="filters.category.all" />
            </button>
          </li>
        )}
        {facets.categories.slice(0, 12).map((category) => (
          <li key={category.id}>
            <button
              type="button"
              className="text-left hover:underline"
              onClick={() => {
                // Attribute filters belong to the old category's schema.
                const changes: Record<string, string | null> = { category: category.slug };
                for (const key of params.keys()) if (key.startsWith('attr.')) changes[key] = null;
                update(changes);
              }}
            >
              {category.name} <Count count={category.count} estimated={facets.estimated} />
            </button>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/** Checkboxes for the values of one attribute, with how many results each would give. */
export function AttributeFacetFilter({
  facet,
  estimated,
  params,
  update,
}: {
  facet: AttributeFacet;
  estimated: boolean;
  params: URLSearchParams;
  update: UpdateFilters;
}) {
  const param = attributeParam(facet.key);
  const chosen = new Set((params.get(param) ?? '').split(',').filter(Boolean));
  if (facet.values.length === 0 && chosen.size === 0) return null;
  return (
    <fieldset>
      <legend className="text-sm font-semibold text-stone-900">{facet.label}</legend>
      <ul className="mt-2 max-h-48 space-y-1 overflow-y-auto text-sm">
        {facet.values.slice(0, SHOWN_VALUES).map((value) => (
          <li key={value.value}>
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={chosen.has(value.value)}
                onChange={(event) => {
                  const next = new Set(chosen);
                  if (event.target.checked) next.add(value.value);
                  else next.delete(value.value);
                  update({ [param]: [...next].join(',') || null });
                }}
              />
              {value.label} <Count count={value.count} estimated={estimated} />
            </label>
          </li>
        ))}
      </ul>
      {hiddenValues(facet) > 0 ? (
        <p className="mt-1 text-xs text-stone-500">
          <FormattedMessage id="filters.facet.more" values={{ count: hiddenValues(facet) }} />
        </p>
      ) : null}
    </fieldset>
  );
}
