import type { FieldError, ResolvedAttribute } from '@souk/contracts';
import type { AttributeValue, ListingStatus } from './listings.schema.js';

/**
 * One row of an import file, parsed by the imports module into plain values. Names are those of
 * the file format (docs/import.md); the listings module resolves slugs and checks the rules.
 */
export type ImportRowInput = {
  externalId: string;
  /** Category slug. */
  category: string;
  title: string;
  description: string;
  /** Minor units; null with type free, or no price at all. */
  price: { type: 'fixed' | 'negotiable' | 'free'; amount: number | null; currency: string | null } | null;
  condition: 'new' | 'used' | 'refurbished' | null;
  quantity: number;
  /** City slug, or `CC/slug` when two countries have a city of that slug. */
  city: string | null;
  coordinates: { latitude: number; longitude: number } | null;
  /** Values as written; text is turned into numbers, booleans and lists by the attribute's type. */
  attributes: Record<string, AttributeValue>;
  features: string[];
  status: ListingStatus;
};

/** What an import does with a row, decided before anything is written. */
export type ImportAction = 'create' | 'update' | 'unchanged';

/** A listing as an export writes it: the import's row plus its id, seller and images. */
export type ExportedListing = ImportRowInput & { id: string; sellerId: string };

export type CityRef = {
  id: string;
  slug: string;
  countryCode: string;
  latitude: number | null;
  longitude: number | null;
};

/** Finds cities by `slug` or `CC/slug`, or the nearest one to a point; names them back for exports. */
export function cityIndex(cities: CityRef[]) {
  const bySlug = new Map<string, CityRef[]>();
  const byId = new Map<string, CityRef>();
  for (const city of cities) {
    bySlug.set(city.slug, [...(bySlug.get(city.slug) ?? []), city]);
    byId.set(city.id, city);
  }
  return {
    find(name: string): { city: CityRef } | { error: string } {
      const [code, slug] = name.includes('/') ? name.split('/', 2) : [null, name];
      const found = (bySlug.get(slug ?? '') ?? []).filter(
        (city) => code === null || city.countryCode === code.toUpperCase(),
      );
      if (found.length === 1) return { city: found[0] as CityRef };
      if (found.length === 0) return { error: `"${name}" is not a known city` };
      const options = found.map((city) => `${city.countryCode}/${city.slug}`).join(', ');
      return { error: `"${name}" is ambiguous: write one of ${options}` };
    },
    /** The closest city with coordinates (flat-earth distance is fine for picking the nearest). */
    nearest(point: { latitude: number; longitude: number }): CityRef | null {
      let best: CityRef | null = null;
      let bestDistance = Number.POSITIVE_INFINITY;
      const cos = Math.cos((point.latitude * Math.PI) / 180);
      for (const city of cities) {
        if (city.latitude === null || city.longitude === null) continue;
        const dx = (city.longitude - point.longitude) * cos;
        const dy = city.latitude - point.latitude;
        const distance = dx * dx + dy * dy;
        if (distance < bestDistance) {
          bestDistance = distance;
          best = city;
        }
      }
      return best;
    },
    /** The name an export writes: the bare slug when it is unique, else `CC/slug`. */
    nameOf(id: string): string | null {
      const city = byId.get(id);
      if (!city) return null;
      return (bySlug.get(city.slug)?.length ?? 0) > 1 ? `${city.countryCode}/${city.slug}` : city.slug;
    },
  };
}

const TRUE = new Set(['true', 'yes', '1', 'y']);
const FALSE = new Set(['false', 'no', '0', 'n']);

/**
 * Text from a spreadsheet typed by the category's schema: "2018" for an integer attribute is
 * 2018, "yes" for a boolean is true, "a|b" for a multi-choice is ["a", "b"]. Anything that does
 * not convert is left as it is, for the validator to name.
 */
export function coerceAttributes(
  schema: ResolvedAttribute[],
  values: Record<string, AttributeValue>,
): Record<string, AttributeValue> {
  const byKey = new Map(schema.map((attribute) => [attribute.key, attribute]));
  const result: Record<string, AttributeValue> = {};
  for (const [key, value] of Object.entries(values)) {
    const attribute = byKey.get(key);
    if (typeof value !== 'string' || !attribute) {
      result[key] = value;
      continue;
    }
    const text = value.trim();
    switch (attribute.type) {
      case 'integer':
      case 'decimal':
        result[key] = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : value;
        break;
      case 'boolean':
        result[key] = TRUE.has(text.toLowerCase()) ? true : FALSE.has(text.toLowerCase()) ? false : value;
        break;
      case 'multi_enum':
        result[key] = text === '' ? [] : text.split('|').map((item) => item.trim());
        break;
      default:
        result[key] = value;
    }
  }
  return result;
}

/** `body.attributes.year` (the API's paths) as the import file names it: `attributes.year`. */
export function importPath(path: string): string {
  const field = path.replace(/^body\./, '');
  if (field.startsWith('attributes.')) return field;
  if (field.startsWith('price')) return 'price';
  if (field === 'categoryId') return 'category';
  if (field === 'locationId') return 'city';
  return field;
}

export const importErrors = (errors: FieldError[]): FieldError[] =>
  errors.map((error) => ({ path: importPath(error.path), message: error.message }));

/** JSON equality that ignores key order (jsonb keeps its own order of object keys). */
export function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}
