import type { ResolvedAttribute, SearchFacets } from '@souk/contracts';
import { useT } from '../../i18n/use-t';
import type { ChoiceAttribute } from './attribute-filters';
import { DistanceFilter } from './distance-filter';
import { EnumFilter, isLinkedChoice } from './enum-filter';
import { AttributeFacetFilter, CategoryFacet } from './facet-filters';
import { attributeParam, type UpdateFilters } from './filter-params';
import { MoreFilters } from './more-filters';
import { PriceFilter } from './price-filter';
import { RangeFilter } from './range-filter';

type FiltersPanelProps = {
  params: URLSearchParams;
  update: UpdateFilters;
  /** What the current results hold, with counts; null until the first page arrives. */
  facets: SearchFacets | null;
  /** The category's attribute schema; empty when no category is chosen. */
  attributes: readonly ResolvedAttribute[];
  /** The search page lets a reader pick a category; a category page is one already. */
  showCategories?: boolean;
};

/** The filters of every results page: the search page and each category page. */
export function FiltersPanel({
  params,
  update,
  facets,
  attributes,
  showCategories = true,
}: FiltersPanelProps) {
  const t = useT();
  const filterable = attributes.filter((attribute) => attribute.filterable);
  const linked = filterable.filter((attribute): attribute is ChoiceAttribute =>
    isLinkedChoice(attribute, attributes),
  );
  const numeric = filterable.filter(
    (attribute) => attribute.type === 'integer' || attribute.type === 'decimal',
  );
  const linkedKeys = new Set(linked.map((attribute) => attribute.key));

  return (
    <aside
      className="space-y-5 rounded-2xl border border-stone-200 bg-white p-4"
      aria-label={t('filters.panel.label')}
    >
      {showCategories && facets && facets.categories.length > 0 && (
        <CategoryFacet facets={facets} params={params} update={update} />
      )}
      {linked.map((attribute) => (
        <EnumFilter
          key={attribute.key}
          attribute={attribute}
          attributes={attributes}
          params={params}
          update={update}
        />
      ))}
      {facets?.attributes
        .filter((facet) => !linkedKeys.has(facet.key))
        .map((facet) => (
          <AttributeFacetFilter
            key={facet.key}
            facet={facet}
            estimated={facets.estimated}
            params={params}
            update={update}
          />
        ))}
      {numeric.map((attribute) => (
        <RangeFilter
          key={attribute.key}
          label={`${attribute.label}${'unit' in attribute && attribute.unit ? ` (${attribute.unit})` : ''}`}
          name={attributeParam(attribute.key)}
          value={params.get(attributeParam(attribute.key)) ?? ''}
          histogram={facets?.histograms.find((histogram) => histogram.key === attribute.key)}
          onApply={(value) => update({ [attributeParam(attribute.key)]: value })}
        />
      ))}
      <PriceFilter
        params={params}
        update={update}
        histogram={facets?.histograms.find((h) => h.key === 'price')}
      />
      <MoreFilters params={params} update={update} />
      <DistanceFilter params={params} update={update} />
    </aside>
  );
}
