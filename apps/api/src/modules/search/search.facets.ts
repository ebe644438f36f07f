import type { CategoryDetail, SearchFacets } from '@souk/contracts';
import type { FacetRow, FacetSpec as ListingFacetSpec, ListingSearchFilter } from '../listings/index.js';

/**
 * The facets' rules with no I/O: which facets a category offers, price and range buckets, and how
 * a sample's counts become the answer's facets (scaled when the sample is not every match).
 */

/** Facets count at most this many matching rows; above it they are scaled estimates. */
export const FACET_SAMPLE = 1_000;
/** An attribute facet lists at most this many values (the most common), besides the chosen ones. */
export const FACET_VALUES = 50;

/** 1-2-5 steps from 10.00 up: price buckets that read well in any currency. */
const PRICE_BOUNDS = (() => {
  const bounds: number[] = [];
  for (let power = 3; power <= 12; power++) for (const step of [1, 2, 5]) bounds.push(step * 10 ** power);
  return bounds;
})();

export function numericBounds(min: number, max: number): number[] {
  const span = max - min;
  const raw = span / 16;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= raw) ?? raw;
  const bounds: number[] = [];
  for (let value = Math.floor(min / step) * step; value <= max + step; value += step) bounds.push(value);
  return bounds;
}

export function histogramBuckets(bounds: number[], rows: { value: string | null; count: number }[]) {
  return rows
    .map((row) => Number(row.value))
    .map((index, position) => ({ index, count: (rows[position] as { count: number }).count }))
    .sort((a, b) => a.index - b.index)
    .map(({ index, count }) => ({
      min: index === 0 ? 0 : (bounds[index - 1] as number),
      max: index >= bounds.length ? null : (bounds[index] as number),
      count,
    }));
}

/** The facets a category offers: its filterable enums, and histograms of price and its ranges. */
export function facetSpec(category: CategoryDetail | null) {
  const attributes = category?.attributes.filter((attribute) => attribute.filterable) ?? [];
  const enums = attributes.flatMap((attribute) =>
    attribute.type === 'enum' || attribute.type === 'multi_enum'
      ? [{ key: attribute.key, multi: attribute.type === 'multi_enum', attribute }]
      : [],
  );
  const histograms = [
    { name: 'price', key: null as string | null, label: 'Price', bounds: PRICE_BOUNDS },
    ...attributes.flatMap((attribute) =>
      attribute.type === 'integer' && attribute.min !== undefined && attribute.max !== undefined
        ? [
            {
              name: attribute.key,
              key: attribute.key as string | null,
              label: attribute.label,
              bounds: numericBounds(attribute.min, attribute.max),
            },
          ]
        : [],
    ),
  ];
  return { enums, histograms };
}
export type FacetSpec = ReturnType<typeof facetSpec>;

/** What the listings port counts for a facet spec (the keys and bounds, not the labels). */
export const facetColumns = (spec: FacetSpec): ListingFacetSpec => ({
  enums: spec.enums.map(({ key, multi }) => ({ key, multi })),
  histograms: spec.histograms.map(({ name, key, bounds }) => ({ name, key, bounds })),
});

/** Facet rows and how many listings they counted; `stored`: the browse facets of the job. */
export type FacetSample = { rows: FacetRow[]; sampled: number; stored?: boolean };
/** Facet rows with how many listings they were counted over (their `sample` row). */
export const facetSample = (rows: FacetRow[], stored?: true): FacetSample => ({
  rows,
  sampled: rows.find((row) => row.facet === 'sample')?.count ?? 0,
  ...(stored ? { stored } : {}),
});

/** The conditions a filter sets (its keys with a value). */
export const conditionsOf = (filter: ListingSearchFilter) =>
  Object.entries(filter).flatMap(([key, value]) => (value === undefined ? [] : [key]));
/** Whether anything besides the text narrows the search. */
export const narrowsText = (filter: ListingSearchFilter) =>
  conditionsOf(filter).some((key) => key !== 'text');
/** Only a category chosen: a browse, whose facets may come from the stored counts. */
export const isBrowse = (filter: ListingSearchFilter) => conditionsOf(filter).join() === 'categoryIds';

/** The category facet rows that need names (the engine asks the catalog for them). */
export const facetCategoryIds = (sample: FacetSample) =>
  sample.rows.flatMap((row) => (row.facet === 'category' ? [row.value as string] : []));

/**
 * Facets from a sample: exact up to FACET_SAMPLE matching rows, and above it the counts of the
 * sampled rows scaled to the total (`estimated: true`). Counting every row of a broad search
 * cost ~160 ms at 100k listings, 2,000 rows cost ~10 ms.
 */
export function facetsOf(
  spec: FacetSpec,
  filter: ListingSearchFilter,
  sample: FacetSample,
  counted: { total: number; exact: boolean },
  refs: Map<string, { id: string; slug: string; name: string }>,
): SearchFacets {
  const { enums, histograms } = spec;
  const { rows, sampled } = sample;
  // A sample is scaled up to the total. Stored browse facets counted every listing when they
  // were refreshed: they are scaled to an exact total that has moved since, and otherwise kept
  // (better than scaling them by the planner's estimate); either way they are then estimates.
  const rescale = sample.stored ? counted.exact && counted.total !== sampled : counted.total > sampled;
  const scale = rescale && sampled > 0 ? counted.total / sampled : 1;
  const estimated = sample.stored ? !(counted.exact && counted.total === sampled) : scale !== 1;
  const byFacet = new Map<string, { value: string | null; count: number }[]>();
  for (const row of rows) {
    if (row.facet === 'sample') continue;
    const list = byFacet.get(row.facet) ?? [];
    list.push(scale === 1 ? row : { ...row, count: Math.round(row.count * scale) });
    byFacet.set(row.facet, list);
  }
  const categoryRows = byFacet.get('category') ?? [];
  return {
    estimated,
    categories: categoryRows
      .flatMap((row) => {
        const ref = refs.get(row.value as string);
        return ref ? [{ ...ref, count: row.count }] : [];
      })
      .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
    attributes: enums.map(({ key, attribute }) => {
      const labels = new Map(
        'options' in attribute ? attribute.options.map((option) => [option.value, option.label]) : [],
      );
      const values = (byFacet.get(`attr:${key}`) ?? [])
        .filter((row) => row.value !== null)
        .sort((a, b) => b.count - a.count || (a.value as string).localeCompare(b.value as string));
      // A filter panel shows the common values; cars' 600 models were 40 KB of every answer.
      const chosen = new Set(
        filter.attributes?.flatMap((chosenAttribute) =>
          chosenAttribute.key === key && chosenAttribute.kind === 'values' ? chosenAttribute.values : [],
        ),
      );
      const listed = values.filter((row, index) => index < FACET_VALUES || chosen.has(row.value as string));
      return {
        key,
        label: attribute.label,
        values: listed
          .map((row) => ({
            value: row.value as string,
            label: labels.get(row.value as string) ?? (row.value as string),
            count: row.count,
          }))
          .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label)),
        otherValues: values.length - listed.length,
      };
    }),
    histograms: histograms.map((histogram) => ({
      key: histogram.name,
      label: histogram.label,
      buckets: histogramBuckets(histogram.bounds, byFacet.get(`hist:${histogram.name}`) ?? []),
    })),
  };
}

export function normalizeText(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim().slice(0, 200);
}
