import type { CategoryDetail, FieldError, ResolvedAttribute } from '@souk/contracts';
import { SearchFilters as SearchFiltersSchema } from '@souk/contracts';
import type { AttributeFilter, ListingSearchFilter } from '../listings/index.js';
import { searchError } from './search.errors.js';

/** What a resolved search needs from the catalog. */
export type CatalogPort = {
  subtreeIds(slug: string): Promise<string[] | null>;
  getCategory(slug: string): Promise<CategoryDetail | null>;
  locationPoint(id: string): Promise<{ latitude: number; longitude: number } | null>;
};

export type ResolvedSearch = {
  filter: ListingSearchFilter;
  /** The chosen category with its schema: facets use its filterable attributes. */
  category: CategoryDetail | null;
  /** The parameters as given, minus paging: what the query log and saved searches store. */
  stored: Record<string, string | string[]>;
};

const ATTRIBUTE_PARAM = /^attr\.([a-z][a-zA-Z0-9]{0,39})$/;
const PAGING = new Set(['sort', 'limit', 'cursor', 'facets']);
const NUMBER = /^-?\d+(\.\d+)?$/;

function parseRange(raw: string, key: string): { min?: number; max?: number } {
  const [low, high, extra] = raw.split('..');
  const bad = () => searchError('invalid_filter', `attr.${key}: use a number or a range such as 2015..2020`);
  if (extra !== undefined) throw bad();
  const toNumber = (value: string | undefined) => {
    if (value === undefined || value === '') return undefined;
    if (!NUMBER.test(value)) throw bad();
    return Number(value);
  };
  if (high === undefined) {
    const exact = toNumber(low);
    if (exact === undefined) throw bad();
    return { min: exact, max: exact };
  }
  const range = { min: toNumber(low), max: toNumber(high) };
  if (range.min === undefined && range.max === undefined) throw bad();
  if (range.min !== undefined && range.max !== undefined && range.min > range.max) {
    throw searchError('invalid_range', `attr.${key}: ${range.min} is above ${range.max}`);
  }
  return range as { min?: number; max?: number };
}

function attributeFilter(attribute: ResolvedAttribute, raw: string | string[]): AttributeFilter {
  const values = (Array.isArray(raw) ? raw : raw.split(',')).map((value) => value.trim()).filter(Boolean);
  if (values.length === 0) throw searchError('invalid_filter', `attr.${attribute.key} is empty`);
  switch (attribute.type) {
    case 'enum':
    case 'multi_enum': {
      const known = new Set(attribute.options.map((option) => option.value));
      const unknown = values.filter((value) => !known.has(value));
      if (unknown.length > 0) {
        throw searchError(
          'invalid_filter',
          `attr.${attribute.key} has no option ${unknown.slice(0, 3).join(', ')}`,
        );
      }
      return {
        key: attribute.key,
        kind: 'values',
        values: [...new Set(values)],
        multi: attribute.type === 'multi_enum',
      };
    }
    case 'integer':
    case 'decimal':
      if (values.length !== 1) throw searchError('invalid_filter', `attr.${attribute.key} takes one range`);
      return {
        key: attribute.key,
        kind: 'range',
        ...parseRange(values[0] as string, attribute.key),
        ...(attribute.type === 'integer' ? { integer: true } : {}),
      };
    case 'boolean':
      if (values.length !== 1 || !['true', 'false'].includes(values[0] as string)) {
        throw searchError('invalid_filter', `attr.${attribute.key} is true or false`);
      }
      return { key: attribute.key, kind: 'flag', value: values[0] === 'true' };
    case 'text':
      throw searchError('unknown_attribute', `attr.${attribute.key} is free text; search for it with q`);
  }
}

/**
 * Turns the search parameters into a listings filter, refusing what cannot be honoured: an
 * unknown parameter or attribute, a value that is not an option, a range the wrong way round.
 */
export async function resolveSearch(
  catalog: CatalogPort,
  input: Record<string, unknown>,
  options: { now?: Date; viewerId?: string | null } = {},
): Promise<ResolvedSearch> {
  const parsed = SearchFiltersSchema.safeParse(
    Object.fromEntries(Object.entries(input).filter(([key]) => !PAGING.has(key))),
  );
  if (!parsed.success) {
    const errors: FieldError[] = parsed.error.issues.map((issue) => ({
      path: ['querystring', ...issue.path.map(String)].join('.'),
      message: issue.message,
    }));
    throw searchError('invalid_filter', errors[0]?.message, errors);
  }
  const filters = parsed.data as {
    q?: string;
    category?: string;
    priceMin?: number;
    priceMax?: number;
    currency?: string;
    condition?: string[];
    kind?: string[];
    seller?: string;
    withPhotos?: boolean;
    postedWithinDays?: number;
    location?: string;
    lat?: number;
    lon?: number;
    radiusKm?: number;
  } & Record<string, unknown>;
  const stored: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(input)) {
    if (PAGING.has(key) || value === undefined) continue;
    if (typeof value === 'string' || Array.isArray(value)) stored[key] = value as string | string[];
    else stored[key] = String(value);
  }

  const filter: ListingSearchFilter = {};
  const text = filters.q?.trim();
  if (text) filter.text = text;

  let category: CategoryDetail | null = null;
  if (filters.category) {
    const [ids, detail] = await Promise.all([
      catalog.subtreeIds(filters.category),
      catalog.getCategory(filters.category),
    ]);
    if (!ids || !detail) throw searchError('category_not_found', `No category "${filters.category}".`);
    filter.categoryIds = ids;
    category = detail;
  }

  const attributes: AttributeFilter[] = [];
  for (const [key, raw] of Object.entries(filters)) {
    if (key in SearchFiltersSchema.shape) continue;
    const match = ATTRIBUTE_PARAM.exec(key);
    if (!match) throw searchError('unknown_filter', `"${key.slice(0, 60)}" is not a search parameter.`);
    const attributeKey = match[1] as string;
    if (!category) throw searchError('unknown_attribute', `attr.${attributeKey} needs a category.`);
    const attribute = category.attributes.find((item) => item.key === attributeKey && item.filterable);
    if (!attribute) {
      throw searchError(
        'unknown_attribute',
        `${category.name} has no filterable attribute "${attributeKey}".`,
      );
    }
    attributes.push(attributeFilter(attribute, raw as string | string[]));
  }
  if (attributes.length > 0) filter.attributes = attributes;

  if (
    filters.priceMin !== undefined &&
    filters.priceMax !== undefined &&
    filters.priceMin > filters.priceMax
  ) {
    throw searchError('invalid_range', 'priceMin is above priceMax.');
  }
  filter.priceMin = filters.priceMin;
  filter.priceMax = filters.priceMax;
  filter.currency = filters.currency;
  filter.conditions = filters.condition as string[] | undefined;
  filter.kinds = filters.kind as string[] | undefined;
  filter.sellerId = filters.seller;
  filter.withPhotos = filters.withPhotos as boolean | undefined;
  if (filters.postedWithinDays) {
    const now = options.now ?? new Date();
    filter.publishedSince = new Date(now.getTime() - (filters.postedWithinDays as number) * 86_400_000);
  }

  const hasPoint = filters.lat !== undefined || filters.lon !== undefined;
  if (hasPoint && (filters.lat === undefined || filters.lon === undefined)) {
    throw searchError('invalid_filter', 'lat and lon go together.');
  }
  if (hasPoint && filters.location)
    throw searchError('invalid_filter', 'Send a location or lat/lon, not both.');
  let point: { latitude: number; longitude: number } | null = null;
  if (filters.location) {
    point = await catalog.locationPoint(filters.location);
    if (!point) throw searchError('location_not_found', 'That location has no coordinates.');
  } else if (hasPoint) {
    point = { latitude: filters.lat as number, longitude: filters.lon as number };
  }
  if (filters.radiusKm !== undefined && !point) {
    throw searchError('invalid_filter', 'radiusKm needs a location or lat/lon.');
  }
  if (point) filter.near = { ...point, radiusKm: (filters.radiusKm as number | undefined) ?? 25 };

  for (const key of Object.keys(filter) as (keyof ListingSearchFilter)[]) {
    if (filter[key] === undefined) delete filter[key];
  }
  return { filter, category, stored };
}
