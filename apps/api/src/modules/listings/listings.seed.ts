/**
 * Demo listings: deterministic from a seed, valid against each category's resolved attribute
 * schema, spread over the demo taxonomy's leaf categories, the Sri Lankan, Saudi and Emirati
 * cities, and demo seller accounts. Listing `i` of a seed is a pure function of (seed, i, the
 * reference time): its id too, so a second run inserts nothing and `--listings 1000000` after
 * `--listings 100000` adds only the rest.
 */
import type {
  CategoryDetail,
  CategoryNode,
  CategoryTree,
  LocationNode,
  LocationTree,
  ResolvedAttribute,
} from '@souk/contracts';
import type { Database } from '../../platform/db/database.js';
import { type RequestContext, systemContext } from '../../platform/http/context.js';
import type { AuthService } from '../auth/index.js';
import { type DemoImageStore, renderDemoImage } from './demo/demo-images.js';
import {
  closings,
  type DemoContext,
  type DemoOption,
  type DemoRecipe,
  demoRecipes,
  n,
} from './demo/listings.data.js';
import {
  countryNames,
  DEMO_SELLER_PASSWORD,
  type DemoCountry,
  demoSellerCountry,
  demoSellerEmail,
  demoSellerName,
  majorCities,
} from './demo/sellers.data.js';
import { createListingsRepository, type ListingsRepository } from './listings.repository.js';
import type { AttributeValue, Contact, ListingRow, NewListingRow } from './listings.schema.js';

export { DEMO_SELLER_PASSWORD, demoSellerEmail } from './demo/sellers.data.js';

export const DEMO_SEED = 20_251_121;
export const DEMO_LISTING_COUNT = 2_000;
export const DEMO_SELLER_COUNT = 50;

const DAY_MS = 86_400_000;
const COUNTRIES: readonly DemoCountry[] = ['LK', 'SA', 'AE'];

// ---------------------------------------------------------------------------------------------
// Randomness
// ---------------------------------------------------------------------------------------------

/** mulberry32: a tiny, fast 32-bit PRNG; the same seed gives the same sequence everywhere. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The index whose share of the weights `roll` (0 <= roll < sum of weights) falls in. */
function weightedIndex(weights: readonly number[], roll: number): number {
  let rest = roll;
  for (const [index, weight] of weights.entries()) {
    rest -= weight;
    if (rest < 0) return index;
  }
  return weights.length - 1;
}

/** murmur3's finaliser: spreads the bits of a 32-bit value. */
function fmix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The seed of listing `index`'s own generator: listings do not depend on one another. */
const listingSeed = (seed: number, index: number) => fmix32(fmix32(seed) ^ fmix32(index + 0x9e3779b9));

const hex = (value: number, digits: number) =>
  (value >>> 0).toString(16).padStart(digits, '0').slice(-digits);

/**
 * The id of listing `index` of `seed`: a version 8 UUID whose first 32 bits name the seed and
 * whose next bits count the index, so a batch is appended in primary-key order, then random bits.
 */
export function demoListingId(seed: number, index: number): string {
  const tail = mulberry32(listingSeed(seed, index) ^ 0x5eed);
  const random16 = () => Math.floor(tail() * 0x10000);
  return [
    hex(fmix32(seed), 8),
    hex(index >>> 16, 4),
    `8${hex((index >>> 4) & 0xfff, 3)}`,
    hex(0x8000 | ((index & 0xf) << 10) | (random16() & 0x3ff), 4),
    hex(random16(), 4) + hex(random16(), 4) + hex(random16(), 4),
  ].join('-');
}

// ---------------------------------------------------------------------------------------------
// What the generator draws from
// ---------------------------------------------------------------------------------------------

export type DemoCategoryRef = { detail: CategoryDetail; recipe: DemoRecipe; topSlug: string };
export type DemoCity = {
  id: string;
  name: string;
  countryCode: DemoCountry;
  latitude: number | null;
  longitude: number | null;
};
export type DemoSeller = { number: number; id: string; countryCode: DemoCountry };
export type DemoRefs = { categories: DemoCategoryRef[]; cities: DemoCity[]; sellers: DemoSeller[] };

/** The catalog as the demo needs it (a subset of the catalog service). */
export type DemoCatalogPort = {
  getCategoryTreeJson(ctx: RequestContext): Promise<{ body: Buffer }>;
  categoryById(id: string): Promise<CategoryDetail | null>;
  getLocations(ctx: RequestContext, query: { country?: string | undefined }): Promise<LocationTree>;
};

/**
 * The leaf categories that have a recipe (sorted by slug, so reordering the tree does not change
 * the listings) with their resolved schemas, and the cities of the three demo countries.
 */
export async function loadDemoCatalog(catalog: DemoCatalogPort): Promise<Omit<DemoRefs, 'sellers'>> {
  const ctx = systemContext('demo-listings');
  const tree = JSON.parse((await catalog.getCategoryTreeJson(ctx)).body.toString('utf8')) as CategoryTree;
  const leaves: { node: CategoryNode; topSlug: string }[] = [];
  const walk = (node: CategoryNode, topSlug: string) => {
    if (node.children.length === 0) leaves.push({ node, topSlug });
    for (const child of node.children) walk(child, topSlug);
  };
  for (const root of tree.items) walk(root, root.slug);

  const categories: DemoCategoryRef[] = [];
  for (const { node, topSlug } of leaves.sort((a, b) => a.node.slug.localeCompare(b.node.slug))) {
    const recipe = demoRecipes[node.slug];
    const detail = recipe ? await catalog.categoryById(node.id) : null;
    if (recipe && detail) categories.push({ detail, recipe, topSlug });
  }

  const cities: DemoCity[] = [];
  const collect = (node: LocationNode) => {
    if (node.kind === 'city' && (COUNTRIES as readonly string[]).includes(node.countryCode)) {
      cities.push({
        id: node.id,
        name: node.name,
        countryCode: node.countryCode as DemoCountry,
        latitude: node.latitude,
        longitude: node.longitude,
      });
    }
    for (const child of node.children) collect(child);
  };
  for (const country of (await catalog.getLocations(ctx, {})).items) collect(country);
  cities.sort((a, b) => a.countryCode.localeCompare(b.countryCode) || a.name.localeCompare(b.name));
  return { categories, cities };
}

/** What creating the demo sellers needs of the auth module. */
export type DemoAccountsPort = Pick<AuthService, 'ensureMembers'>;

/**
 * Demo sellers `seller01@demo.souk.test` …: verified members created in one go, with no
 * verification mail and no session (50 mails would queue ahead of a real member's).
 */
export async function ensureDemoSellers(accounts: DemoAccountsPort, count: number): Promise<DemoSeller[]> {
  const numbers = Array.from({ length: count }, (_, index) => index + 1);
  const ids = await accounts.ensureMembers(
    numbers.map((number) => ({ email: demoSellerEmail(number), displayName: demoSellerName(number) })),
    DEMO_SELLER_PASSWORD,
  );
  return numbers.map((number, index) => ({
    number,
    id: ids[index] as string,
    countryCode: demoSellerCountry(number),
  }));
}

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

export type DemoListingRow = NewListingRow & { id: string; sellerId: string; createdAt: Date };

const USD_RATES = { LKR: 300, SAR: 3.75, AED: 3.6725, USD: 1 } as const;
type DemoCurrency = keyof typeof USD_RATES;
const LOCAL_CURRENCY: Record<DemoCountry, DemoCurrency> = { LK: 'LKR', SA: 'SAR', AE: 'AED' };

/** Enum labels that read better in lower case inside a sentence ("in used condition"). */
const LOWER_CASE_KEYS = new Set([
  'condition',
  'fuel',
  'transmission',
  'furnished',
  'landType',
  'propertyType',
  'itemType',
  'medium',
  'serviceType',
  'level',
  'material',
  'cameraType',
  'audioType',
]);

/** 7,463,120 LKR -> 7,460,000: prices as people write them. */
function nicePrice(amount: number, currency: DemoCurrency): number {
  const steps =
    currency === 'LKR'
      ? [
          [1_000_000, 10_000],
          [100_000, 1_000],
          [10_000, 500],
          [0, 50],
        ]
      : [
          [100_000, 1_000],
          [10_000, 100],
          [1_000, 50],
          [100, 5],
          [0, 1],
        ];
  const step = steps.find(([floor]) => amount >= (floor as number))?.[1] ?? 1;
  return Math.max(step, Math.round(amount / step) * step);
}

const CONDITION_COLUMN: Record<string, 'new' | 'used' | 'refurbished'> = {
  'brand-new': 'new',
  new: 'new',
  'new-with-tags': 'new',
  'new-without-tags': 'new',
  mint: 'new',
  reconditioned: 'refurbished',
  refurbished: 'refurbished',
};

/**
 * Turns a hinted (or missing) value into one the attribute accepts: enums from their options
 * (a dependent one from its parent's), numbers clamped and rounded, text trimmed to its length.
 */
function conform(
  attribute: ResolvedAttribute,
  value: AttributeValue | undefined,
  c: DemoContext,
  attrs: Record<string, AttributeValue>,
): AttributeValue | undefined {
  switch (attribute.type) {
    case 'enum': {
      let options = attribute.options;
      if (attribute.dependsOn) {
        const parent = attrs[attribute.dependsOn];
        if (parent === undefined) return undefined;
        options = options.filter((option) => option.parentValue === parent);
      }
      if (options.length === 0) return undefined;
      if (typeof value === 'string' && options.some((option) => option.value === value)) return value;
      return c.pick(options).value;
    }
    case 'multi_enum': {
      const valid = new Set(attribute.options.map((option) => option.value));
      if (Array.isArray(value)) {
        const kept = [...new Set(value)].filter((item) => valid.has(item));
        if (kept.length > 0) return kept;
      }
      if (valid.size === 0) return undefined;
      const pool = [...valid];
      const size = c.int(1, Math.min(4, pool.length));
      const chosen: string[] = [];
      while (chosen.length < size) {
        const item = c.pick(pool);
        if (!chosen.includes(item)) chosen.push(item);
      }
      return chosen;
    }
    case 'integer':
    case 'decimal': {
      const min = attribute.min ?? 0;
      const max = attribute.max ?? min + 1_000;
      let number =
        typeof value === 'number' && Number.isFinite(value)
          ? value
          : min + c.random() * Math.min(max - min, 20);
      number = Math.min(max, Math.max(min, number));
      if (attribute.type === 'integer') return Math.min(max, Math.max(min, Math.round(number)));
      const rounded = Number(number.toFixed(attribute.scale));
      return Math.min(max, Math.max(min, rounded));
    }
    case 'text': {
      const text = (typeof value === 'string' ? value : String(c.facts.item ?? c.city)).trim();
      return text.slice(0, attribute.maxLength).trim() || attribute.label.slice(0, attribute.maxLength);
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : c.chance(0.5);
  }
}

/** Creates `generate(index)`: the listing `index` of this seed, given the catalog and sellers. */
export function createDemoListingGenerator(
  refs: DemoRefs,
  options: { seed: number; now: Date; ttlDays: number },
): (index: number) => DemoListingRow {
  const { seed, ttlDays } = options;
  const now = options.now.getTime();
  const year = options.now.getUTCFullYear();
  if (refs.categories.length === 0) throw new Error('no demo categories: seed the catalog first');
  if (refs.sellers.length === 0) throw new Error('no demo sellers');

  const citiesOf = new Map<DemoCountry, DemoCity[]>();
  for (const country of COUNTRIES)
    citiesOf.set(
      country,
      refs.cities.filter((city) => city.countryCode === country),
    );
  const sellersOf = new Map<DemoCountry, DemoSeller[]>();
  for (const country of COUNTRIES) {
    const sellers = refs.sellers.filter((seller) => seller.countryCode === country);
    if (sellers.length > 0 && (citiesOf.get(country)?.length ?? 0) > 0) sellersOf.set(country, sellers);
  }
  if (sellersOf.size === 0) throw new Error('no demo seller has a country with cities');

  // A seller lists mostly from home: a major city of their country, fixed per seller number.
  const homeOf = new Map<string, DemoCity>();
  for (const seller of refs.sellers) {
    const cities = citiesOf.get(seller.countryCode) ?? [];
    if (cities.length === 0) continue;
    const pickHome = mulberry32(fmix32(seed ^ (seller.number * 7919)));
    const weighted = cities.flatMap((city) =>
      majorCities.has(city.name) ? [city, city, city, city, city] : [city],
    );
    homeOf.set(seller.id, weighted[Math.floor(pickHome() * weighted.length)] as DemoCity);
  }

  const categoryWeights = refs.categories.map((ref) => ref.recipe.weight);
  const totalWeight = categoryWeights.reduce((sum, weight) => sum + weight, 0);
  const optionsByCategory = new Map(
    refs.categories.map((ref) => [
      ref.detail.id,
      new Map(
        ref.detail.attributes.flatMap((attribute) =>
          attribute.type === 'enum' || attribute.type === 'multi_enum'
            ? [[attribute.key, attribute.options as readonly DemoOption[]] as const]
            : [],
        ),
      ),
    ]),
  );

  return (index: number): DemoListingRow => {
    const random = mulberry32(listingSeed(seed, index));
    const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const chance = (probability: number) => random() < probability;

    // The first listings visit every category once, so even a small set covers the taxonomy.
    let categoryIndex = index;
    if (index >= refs.categories.length) {
      categoryIndex = weightedIndex(categoryWeights, random() * totalWeight);
    }
    const category = refs.categories[categoryIndex] as DemoCategoryRef;
    const { recipe, detail } = category;

    const countries = [...sellersOf.keys()].filter(
      (country) => !recipe.countries || recipe.countries.includes(country),
    );
    const eligible = countries.flatMap((country) => sellersOf.get(country) ?? []);
    const seller = pick(eligible.length > 0 ? eligible : refs.sellers);
    const country = seller.countryCode;
    const cities = citiesOf.get(country) ?? [];
    const city = (chance(0.65) ? homeOf.get(seller.id) : undefined) ?? pick(cities);
    const nearbyCities = cities.filter((other) => other.id !== city.id && majorCities.has(other.name));

    const attrs: Record<string, AttributeValue> = {};
    const facts: Record<string, string> = {};
    const enumOptions = optionsByCategory.get(detail.id) ?? new Map<string, readonly DemoOption[]>();
    const c: DemoContext = {
      slug: detail.slug,
      country,
      city: city.name,
      nearbyCities: nearbyCities.map((other) => other.name),
      year,
      attrs,
      facts,
      random,
      int,
      pick,
      chance,
      weighted<T>(items: readonly (readonly [T, number])[]): T {
        const weights = items.map(([, weight]) => weight);
        const total = weights.reduce((sum, weight) => sum + weight, 0);
        return (items[weightedIndex(weights, random() * total)] as readonly [T, number])[0];
      },
      options: (key) => enumOptions.get(key) ?? [],
      label(key) {
        const value = attrs[key];
        if (value === undefined) return '';
        const option = enumOptions.get(key)?.find((candidate) => candidate.value === value);
        return option ? option.label : Array.isArray(value) ? value.join(', ') : String(value);
      },
    };

    // Attributes: the recipe's presets, then every attribute of the schema in order.
    const preset = recipe.preset?.(c) ?? {};
    // Hints see the presets (an engine size that depends on a type later in the schema), but
    // the attributes are set in schema order, each conformed to its definition.
    for (const [key, value] of Object.entries(preset)) if (value !== undefined) attrs[key] = value;
    const known = new Set<string>();
    for (const attribute of detail.attributes) {
      known.add(attribute.key);
      let value: AttributeValue | null | undefined = preset[attribute.key];
      if (value === undefined) {
        value = recipe.hints?.[attribute.key]?.(c);
        if (value === null && !attribute.required) continue;
        if (value === undefined && !attribute.required && !chance(0.8)) continue;
      }
      const conformed = conform(attribute, value ?? undefined, c, attrs);
      if (conformed === undefined) delete attrs[attribute.key];
      else attrs[attribute.key] = conformed;
    }
    // A preset the schema does not have (an operator removed the attribute) is dropped.
    for (const key of Object.keys(attrs)) if (!known.has(key)) delete attrs[key];

    const title = recipe.title(c).replace(/\s+/g, ' ').trim().slice(0, 120);

    // Price: dollars to the currency of the listing's country, rounded as people do.
    const kind = recipe.kind ?? 'classified';
    const quoted = recipe.price(c);
    let priceType: NewListingRow['priceType'] = null;
    let priceAmount: number | null = null;
    let currency: DemoCurrency | null = null;
    if (quoted === 'free') priceType = 'free';
    else if (quoted) {
      currency =
        kind === 'showcase' ||
        (['electronics', 'collectibles'].includes(category.topSlug) && country !== 'LK' && chance(0.05))
          ? 'USD'
          : LOCAL_CURRENCY[country];
      const factor = recipe.countryFactor?.[country] ?? (country === 'LK' ? 1.1 : 1);
      priceAmount = nicePrice(quoted.usd * factor * USD_RATES[currency], currency) * 100;
      priceType = chance(recipe.negotiable ?? 0.25) ? 'negotiable' : 'fixed';
    }

    // Description: an opening line, a few details, the price basis, a closing line.
    const fill = (template: string): string | null => {
      let missing = false;
      const text = template.replace(/\{(\w+)\}/g, (_, token: string) => {
        let value: string | undefined;
        if (token === 'city') value = city.name;
        else if (token === 'country') value = countryNames[country];
        else if (facts[token] !== undefined) value = facts[token];
        else if (attrs[token] !== undefined && typeof attrs[token] !== 'boolean') {
          const raw = attrs[token];
          // Years read as years (2018, not 2,018).
          value = typeof raw === 'number' ? (/year/i.test(token) ? String(raw) : n(raw)) : c.label(token);
          if (LOWER_CASE_KEYS.has(token)) value = value.toLowerCase();
        }
        if (value === undefined || value === '') missing = true;
        return value ?? '';
      });
      return missing ? null : text.charAt(0).toUpperCase() + text.slice(1);
    };
    const firstFilled = (templates: readonly string[]) => {
      const start = int(0, templates.length - 1);
      for (let offset = 0; offset < templates.length; offset++) {
        const text = fill(templates[(start + offset) % templates.length] as string);
        if (text) return text;
      }
      return null;
    };
    const details: string[] = [];
    const detailCount = int(1, 3);
    for (let attempt = 0; attempt < 6 && details.length < detailCount; attempt++) {
      const text = fill(pick(recipe.details));
      if (text && !details.includes(text)) details.push(text);
    }
    const lines = [[firstFilled(recipe.intro) ?? title, ...details].join(' ')];
    if (quoted && quoted !== 'free' && quoted.per) lines.push(`The price is per ${quoted.per}.`);
    const closing = firstFilled(recipe.closings ?? closings[country]);
    if (closing) lines.push(closing);

    const features: string[] = [];
    const featureCount = recipe.features ? int(0, Math.min(5, recipe.features.length)) : 0;
    for (let attempt = 0; attempt < 10 && features.length < featureCount; attempt++) {
      const feature = pick(recipe.features ?? []);
      if (!features.includes(feature)) features.push(feature);
    }

    // Lifecycle: mostly active within the last listing period, some sold, expired, drafts.
    const roll = random();
    const status = roll < 0.8 ? 'active' : roll < 0.88 ? 'sold' : roll < 0.96 ? 'expired' : 'draft';
    const minutes = int(0, 1439) * 60_000;
    let publishedAt: Date | null = null;
    let expiresAt: Date | null = null;
    let soldAt: Date | null = null;
    let createdAt: Date;
    let updatedAt: Date;
    let featuredFrom: Date | null = null;
    let featuredUntil: Date | null = null;
    let ageDays = 0;
    if (status === 'draft') {
      createdAt = new Date(now - int(0, 20) * DAY_MS - minutes);
      updatedAt = new Date(createdAt.getTime() + int(0, 120) * 60_000);
    } else {
      ageDays =
        status === 'active'
          ? random() ** 1.3 * (ttlDays - 0.1)
          : status === 'sold'
            ? 3 + random() * 2 * ttlDays
            : ttlDays + 0.5 + random() * 2 * ttlDays;
      const published = Math.min(now - 60_000, now - ageDays * DAY_MS);
      publishedAt = new Date(published);
      expiresAt = new Date(published + ttlDays * DAY_MS);
      createdAt = new Date(published - int(5, 2 * 24 * 60) * 60_000);
      updatedAt = publishedAt;
      if (status === 'sold') {
        soldAt = new Date(published + Math.min(ageDays - 1, ttlDays - 1) * random() * DAY_MS + DAY_MS);
        updatedAt = soldAt;
      } else if (status === 'expired') {
        updatedAt = expiresAt;
      } else if (chance(0.015)) {
        featuredFrom = new Date(Math.max(published, now - int(0, 5) * DAY_MS - minutes));
        featuredUntil = new Date(now + int(1, 14) * DAY_MS + minutes);
      }
    }

    const coordinates =
      city.latitude !== null && city.longitude !== null && chance(0.7)
        ? {
            latitude: Number((city.latitude + (random() - 0.5) * 0.04).toFixed(6)),
            longitude: Number((city.longitude + (random() - 0.5) * 0.04).toFixed(6)),
          }
        : null;
    const contact: Contact = {
      messages: true,
      phone: chance(0.45),
      offers: kind !== 'showcase' && chance(0.8),
    };
    const conditionValue = attrs.condition;
    const condition =
      typeof conditionValue === 'string'
        ? (CONDITION_COLUMN[conditionValue] ?? 'used')
        : category.topSlug === 'collectibles'
          ? 'used'
          : null;

    return {
      id: demoListingId(seed, index),
      sellerId: seller.id,
      categoryId: detail.id,
      locationId: city.id,
      kind,
      status,
      title,
      description: lines.join('\n'),
      priceType,
      priceAmount,
      currency,
      condition,
      quantity: recipe.quantity?.(c) ?? 1,
      attributes: attrs,
      features,
      contact,
      // Without "locate me" a listing is searched at its city's centre, as the service does.
      latitude: coordinates?.latitude ?? city.latitude,
      longitude: coordinates?.longitude ?? city.longitude,
      pointFromCity: !coordinates && city.latitude !== null && city.longitude !== null,
      viewCount: status === 'draft' ? 0 : Math.floor(ageDays * (1 + random() * 24) + random() * 10),
      featuredFrom,
      featuredUntil,
      publishedAt,
      expiresAt,
      soldAt,
      createdAt,
      updatedAt,
    };
  };
}

// ---------------------------------------------------------------------------------------------
// Seeding
// ---------------------------------------------------------------------------------------------

export type DemoListingsOptions = {
  /** How many listings (default 2,000). */
  count?: number;
  seed?: number;
  /** The reference time the dates are spread around (default: now). */
  now?: Date;
  /** How many demo sellers (default 50). */
  sellerCount?: number;
  /** Rows per multi-row INSERT, each in its own transaction (default 500). */
  batchSize?: number;
  /** Called after each batch with the rows written so far. */
  onProgress?: (done: number, total: number) => void;
};

export type DemoListingsReport = {
  seed: number;
  requested: number;
  inserted: number;
  /** True when the last listing of this seed and count was there already: nothing was done. */
  skipped: boolean;
  sellers: number;
  categories: number;
  /** The whole run: catalog, sellers, listings. */
  seconds: number;
  /** Generating and inserting the listings alone, and its rate. */
  insertSeconds: number;
  rowsPerSecond: number;
};

/**
 * Inserts the demo listings that are missing, in batches. Skips at once when the seed's last
 * listing exists (a finished earlier run); otherwise rows that exist are left as they are.
 */
export async function seedDemoListings(
  deps: {
    database: Pick<Database, 'db' | 'transaction' | 'kind'>;
    catalog: DemoCatalogPort;
    accounts: DemoAccountsPort;
    ttlDays: number;
    repository?: ListingsRepository;
  },
  options: DemoListingsOptions = {},
): Promise<DemoListingsReport> {
  const started = performance.now();
  const repository = deps.repository ?? createListingsRepository();
  const seed = options.seed ?? DEMO_SEED;
  const count = options.count ?? DEMO_LISTING_COUNT;
  const batchSize = Math.max(1, Math.min(options.batchSize ?? 500, 2_000));
  let insertStarted = performance.now();
  const report = (inserted: number, skipped: boolean, sellers: number, categories: number) => {
    const end = performance.now();
    const insertSeconds = (end - insertStarted) / 1000;
    return {
      seed,
      requested: count,
      inserted,
      skipped,
      sellers,
      categories,
      seconds: Math.round(end - started) / 1000,
      insertSeconds: Math.round(insertSeconds * 1000) / 1000,
      rowsPerSecond: Math.round(inserted / Math.max(insertSeconds, 0.001)),
    };
  };
  if (count <= 0 || (await repository.findById(deps.database.db, demoListingId(seed, count - 1)))) {
    return report(0, true, 0, 0);
  }

  const catalog = await loadDemoCatalog(deps.catalog);
  const sellers = await ensureDemoSellers(deps.accounts, options.sellerCount ?? DEMO_SELLER_COUNT);
  const generate = createDemoListingGenerator(
    { ...catalog, sellers },
    { seed, now: options.now ?? new Date(), ttlDays: deps.ttlDays },
  );

  insertStarted = performance.now();
  options.onProgress?.(0, count);
  // PostgreSQL takes the next batch while one is written; the embedded database has one connection.
  const maxInFlight = deps.database.kind === 'postgres' ? 2 : 1;
  const inFlight = new Set<Promise<void>>();
  let inserted = 0;
  let done = 0;
  let failure: unknown = null;
  for (let start = 0; start < count && failure === null; start += batchSize) {
    const rows: DemoListingRow[] = [];
    for (let index = start; index < Math.min(count, start + batchSize); index++) rows.push(generate(index));
    const task: Promise<void> = deps.database
      .transaction((tx) => repository.insertMany(tx, rows))
      .then(
        (added) => {
          inserted += added;
          done += rows.length;
          options.onProgress?.(done, count);
        },
        (error: unknown) => {
          failure ??= error;
        },
      )
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
    if (inFlight.size >= maxInFlight) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  if (failure !== null) throw failure;
  return report(inserted, false, sellers.length, catalog.categories.length);
}

// ---------------------------------------------------------------------------------------------
// Photos
// ---------------------------------------------------------------------------------------------

/** What the demo photos need of the media module (its service's upload path and image lookup). */
export type DemoMediaPort = {
  uploadImages(
    ctx: RequestContext,
    listingId: string,
    readFiles: (room: number) => Promise<{ filename: string; bytes: Buffer }[]>,
  ): Promise<unknown>;
  imagesOf(listingIds: string[]): Promise<Map<string, unknown[]>>;
};

/** Stores photos through the media service as the listing's seller uploading them. */
export function mediaDemoImageStore(media: DemoMediaPort): DemoImageStore {
  return async ({ listingId, sellerId, images }) => {
    const ctx: RequestContext = {
      actor: { userId: sellerId, roles: ['member'] },
      requestId: 'demo-images',
      sessionId: null,
    };
    await media.uploadImages(ctx, listingId, async (room) => images.slice(0, room));
  };
}

export type DemoImagesReport = { listings: number; images: number; skipped: number; seconds: number };

const CURRENCY_FORMAT = new Intl.NumberFormat('en-US');

/**
 * Renders photos for the demo listings of `seed` (the first `count`) and stores them through
 * `store`, the featured and newest active listings first so the home page fills up soonest.
 * Listings that have photos already (`hasImages`) are skipped, so an interrupted run resumes.
 */
export async function attachDemoImages(
  deps: {
    database: Pick<Database, 'db'>;
    catalog: DemoCatalogPort;
    store: DemoImageStore;
    hasImages?: (listingIds: string[]) => Promise<Set<string>>;
    repository?: ListingsRepository;
  },
  options: {
    seed?: number;
    count?: number;
    /** Photos per listing (default 2). */
    perListing?: number;
    /** At most this many listings get photos (default all of `count`). */
    limit?: number;
    /** Listings rendered and stored at once (default 2). */
    concurrency?: number;
    onProgress?: (done: number, total: number) => void;
    /** Stops between listings (a shutdown); what is stored stays. */
    signal?: AbortSignal | undefined;
  } = {},
): Promise<DemoImagesReport> {
  const started = performance.now();
  const repository = deps.repository ?? createListingsRepository();
  const seed = options.seed ?? DEMO_SEED;
  const count = options.count ?? DEMO_LISTING_COUNT;
  const perListing = Math.max(1, Math.min(options.perListing ?? 2, 20));
  const { categories, cities } = await loadDemoCatalog(deps.catalog);
  const topSlugOf = new Map(categories.map((ref) => [ref.detail.id, ref.topSlug]));
  const cityName = new Map(cities.map((city) => [city.id, city.name]));

  const rows: ListingRow[] = [];
  for (let index = 0; index < count; index++) {
    const row = await repository.findById(deps.database.db, demoListingId(seed, index));
    if (row && !row.deletedAt && row.status !== 'removed') rows.push(row);
  }
  const now = Date.now();
  const rank = (row: ListingRow) =>
    (row.featuredUntil && row.featuredUntil.getTime() > now ? 0 : 2) + (row.status === 'active' ? 0 : 1);
  rows.sort((a, b) => rank(a) - rank(b) || (b.publishedAt?.getTime() ?? 0) - (a.publishedAt?.getTime() ?? 0));
  const chosen = rows.slice(0, options.limit ?? rows.length);
  const done = deps.hasImages ? await deps.hasImages(chosen.map((row) => row.id)) : new Set<string>();
  const todo = chosen.filter((row) => !done.has(row.id));

  let images = 0;
  let finished = 0;
  let next = 0;
  const worker = async () => {
    while (next < todo.length && !options.signal?.aborted) {
      const row = todo[next++] as ListingRow;
      const price =
        row.priceType === 'free'
          ? 'Free'
          : row.priceAmount !== null && row.currency
            ? `${row.currency} ${CURRENCY_FORMAT.format(row.priceAmount / 100)}`
            : null;
      const caption = [row.locationId ? cityName.get(row.locationId) : null, price]
        .filter(Boolean)
        .join(' · ');
      const files = [];
      for (let variant = 0; variant < perListing; variant++) {
        const bytes = await renderDemoImage({
          title: row.title,
          caption,
          topSlug: topSlugOf.get(row.categoryId) ?? 'other',
          variant,
        });
        files.push({ filename: `demo-${variant + 1}.jpg`, bytes });
      }
      await deps.store({ listingId: row.id, sellerId: row.sellerId, images: files });
      images += files.length;
      finished += 1;
      options.onProgress?.(finished, todo.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  return {
    listings: finished,
    images,
    skipped: chosen.length - todo.length,
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
}
