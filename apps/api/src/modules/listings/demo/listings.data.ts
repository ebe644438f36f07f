/**
 * Recipes for the demo listings: per leaf category of the demo taxonomy, how often it occurs,
 * titles, prices, features and description fragments. The generator (`../listings.seed.ts`)
 * fills every attribute the category's resolved schema has; a recipe only presets the values a
 * title mentions (a phone's brand and model name) and gives realistic values by key (`hints`).
 *
 * Description templates may name `{city}`, `{country}`, `{item}` or an attribute key such as
 * `{year}`; a template whose token has no value is skipped.
 */
import type { AttributeValue } from '../listings.schema.js';
import type { DemoCountry } from './sellers.data.js';

export type DemoOption = { value: string; label: string; parentValue?: string | undefined };

/** What a recipe sees while one listing is generated; every random choice goes through it. */
export type DemoContext = {
  readonly slug: string;
  readonly country: DemoCountry;
  readonly city: string;
  /** Other cities of the same country, for a service area. */
  readonly nearbyCities: readonly string[];
  /** The calendar year of the seeding's reference time. */
  readonly year: number;
  /** Attribute values chosen so far. */
  readonly attrs: Record<string, AttributeValue>;
  /** Facts a recipe picks once and reuses in title and description (`item`: a product name). */
  readonly facts: Record<string, string>;
  random(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  chance(probability: number): boolean;
  /** The options the category's schema has for `key` (none when it has no such enum). */
  options(key: string): readonly DemoOption[];
  /** The label of the chosen option of `key`, or the value as text; '' when unset. */
  label(key: string): string;
};

/** A price in US dollars before conversion; `per` marks a rent or rate. */
export type DemoPrice = { usd: number; per?: 'month' | 'hour' | 'visit' | 'day' | 'event' } | 'free' | null;

/** `null` leaves the attribute out; `undefined` lets the generic rules choose. */
export type DemoHint = (c: DemoContext) => AttributeValue | null | undefined;

export type DemoRecipe = {
  /** Relative share of all listings. */
  weight: number;
  /** Only sellers of these countries list here (three-wheelers are a Sri Lankan thing). */
  countries?: readonly DemoCountry[];
  kind?: 'classified' | 'showcase';
  /** Values chosen before the others, so they agree with the title (undefined: not preset). */
  preset?(c: DemoContext): Record<string, AttributeValue | undefined>;
  hints?: Record<string, DemoHint>;
  title(c: DemoContext): string;
  price(c: DemoContext): DemoPrice;
  /** Share of priced listings marked negotiable (default 0.25). */
  negotiable?: number;
  /** Multiplies the dollar price per country (import duties, rents). */
  countryFactor?: Partial<Record<DemoCountry, number>>;
  quantity?(c: DemoContext): number;
  features?: readonly string[];
  intro: readonly string[];
  details: readonly string[];
  /** Last lines to pick from instead of the per-country ones (services book, they don't sell). */
  closings?: readonly string[];
};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
/** 45000 -> "45,000" (one shared formatter: toLocaleString per call is slow over a million rows). */
export const n = (value: number) => numberFormat.format(value);
const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const roundTo = (value: number, step: number) => Math.round(value / step) * step;

/** An option of `key` by weight (value -> weight); unlisted options get `rest`. */
function weightedOption(c: DemoContext, key: string, weights: Record<string, number>, rest = 0): string {
  const options = c.options(key);
  const entries = options
    .map((option) => [option.value, weights[option.value] ?? rest] as const)
    .filter(([, weight]) => weight > 0);
  if (entries.length === 0) return (c.pick(options) as DemoOption).value;
  return c.weighted(entries);
}

/** A model of the chosen make, from the dependent options of `model`. */
function modelOf(c: DemoContext, make: string): string | undefined {
  const models = c.options('model').filter((option) => option.parentValue === make);
  return models.length > 0 ? (c.pick(models) as DemoOption).value : undefined;
}

/** An item from per-value lists (brand -> products), for a value the schema offers. */
function itemFor<T>(c: DemoContext, key: string, lists: Record<string, readonly T[]>): [string, T] {
  const offered = new Set(c.options(key).map((option) => option.value));
  const keys = Object.keys(lists).filter((value) => offered.has(value));
  const value = c.pick(keys.length > 0 ? keys : Object.keys(lists)) as string;
  return [value, c.pick(lists[value] as readonly T[])];
}

const vehicleConditions: Record<DemoCountry, Record<string, number>> = {
  LK: { used: 70, reconditioned: 20, 'brand-new': 10 },
  SA: { used: 78, 'brand-new': 20, reconditioned: 2 },
  AE: { used: 75, 'brand-new': 23, reconditioned: 2 },
};

function vehicleYear(c: DemoContext, oldest: number): number {
  const condition = c.attrs.condition;
  if (condition === 'brand-new') return c.int(c.year - 1, c.year);
  if (condition === 'reconditioned') return c.int(c.year - 4, c.year - 1);
  // Skewed towards recent years, as on any classifieds site.
  const span = c.year - 1 - oldest;
  return c.year - 1 - Math.floor(span * c.random() ** 2);
}

function vehicleMileage(c: DemoContext, perYear: readonly [number, number]): number {
  const condition = c.attrs.condition;
  if (condition === 'brand-new') return c.int(0, 40);
  if (condition === 'reconditioned') return roundTo(c.int(4_000, 45_000), 100);
  const age = Math.max(1, c.year - Number(c.attrs.year ?? c.year - 5));
  // Old vehicles were driven less each year, and odometers past a million are rare.
  const km = Math.min(age * c.int(perYear[0], perYear[1]) * (age > 12 ? 0.7 : 1), 980_000);
  return c.chance(0.6) ? roundTo(km, 1000) : roundTo(km, 10);
}

const colourWeights = {
  white: 18,
  'pearl-white': 12,
  silver: 14,
  black: 14,
  grey: 12,
  red: 5,
  maroon: 4,
  blue: 7,
  green: 2,
  beige: 2,
  brown: 2,
  gold: 2,
  yellow: 1,
  orange: 1,
};

/** Depreciation of a vehicle's price with age and use. */
function vehicleValue(c: DemoContext, newUsd: number): number {
  const age = Math.max(0, c.year - Number(c.attrs.year ?? c.year));
  const km = Number(c.attrs.mileageKm ?? 0);
  const factor = Math.max(0.12, 0.88 ** age) * Math.max(0.5, 1 - km / 800_000);
  return newUsd * factor * (0.9 + c.random() * 0.2);
}

const vehicleIntro = [
  'Selling my {year} {make} {model}, kept in very good condition.',
  '{year} {make} {model} for sale in {city}.',
  'Well maintained {make} {model}, {condition}.',
  'Up for sale: {year} {make} {model}, {mileageKm} km on the clock.',
];
const vehicleDetails = [
  'Full service history, serviced on time at the agent.',
  'Accident free, original paint, no repairs.',
  'New tyres and battery fitted this year.',
  'Single owner since registration.',
  'Interior clean, no smoking car.',
  'Revenue licence and insurance valid.',
  'All documents ready for immediate transfer.',
  'Inspection welcome, bring your own mechanic.',
  'Leasing can be arranged through a bank.',
  'Driven mostly on highways, never used for hires.',
];
const carFeatures = [
  'Reverse camera',
  'Alloy wheels',
  'Push start',
  'Keyless entry',
  'Multi-function steering',
  'Android head unit',
  'Climate control',
  'Cruise control',
  'Sunroof',
  'Leather seats',
  'Parking sensors',
  'Fog lamps',
  'Auto fold mirrors',
  'Dual airbags',
  'ABS',
  'Tinted windows',
];

const hybridModels = new Set(['prius', 'aqua', 'vezel', 'fit', 'grace', 'axio', 'premio', 'c-hr']);
const suvModels = new Set([
  'land-cruiser',
  'land-cruiser-prado',
  'rav4',
  'fortuner',
  'harrier',
  'rush',
  'raize',
  'corolla-cross',
  'c-hr',
  'x-trail',
  'patrol',
  'kicks',
  'vezel',
  'cr-v',
  'hr-v',
  'pajero',
  'montero',
  'outlander',
  'tucson',
  'santa-fe',
  'creta',
  'sportage',
  'sorento',
  'seltos',
  'x5',
  'x3',
  'gle',
  'glc',
  'q5',
  'q7',
  'lx',
  'rx',
  'nx',
  'range-rover',
  'defender',
  'discovery',
  'yukon',
  'tahoe',
  'wrangler',
  'grand-cherokee',
]);
const pickupModels = new Set(['hilux', 'navara', 'ranger', 'd-max', 'l200', 'tundra', 'silverado', 'sierra']);
const hatchbackModels = new Set([
  'vitz',
  'yaris',
  'aqua',
  'passo',
  'fit',
  'swift',
  'wagon-r',
  'alto',
  'celerio',
  'march',
  'note',
  'i10',
  'picanto',
  'mira',
  'polo',
  'golf',
]);

const scooterModels =
  /dio|activa|grazia|navi|pcx|ray zr|fascino|nmax|aerox|ntorq|jupiter|wego|scooty|pleasure|maestro|destini|access|burgman|let's|address|lx 125|vxl|primavera|sprint|gts|c 400|metro/i;
const sportModels =
  /cbr|r15|r1\b|yzf|ninja|rc \d|panigale|gsx-r|rr\b|hayabusa|supersport|mt-|duke|z\d{3}|speed triple|street triple|streetfighter|apache|pulsar|gixxer|fz/i;
const cruiserModels =
  /street bob|fat b|sportster|nightster|iron|heritage|avenger|vulcan|meteor|intruder|rocket|r 18|diavel|bonneville|classic|bullet|interceptor|continental|hunter/i;
const offRoadModels = /xr|crf|klx|xtz|xpulse|enduro|desertx|scram|himalayan/i;
const touringModels =
  /gold wing|gs\b|africa|versys|v-strom|multistrada|tiger|adventure|k 1600|pan america|road king|glide|ténéré/i;

function bikeTypeOf(model: string): string {
  if (scooterModels.test(model)) return 'scooter';
  if (touringModels.test(model)) return 'touring';
  if (offRoadModels.test(model)) return 'off-road';
  if (cruiserModels.test(model)) return 'cruiser';
  if (sportModels.test(model)) return 'sport';
  return 'commuter';
}

// ---------------------------------------------------------------------------------------------
// Closing lines, any category
// ---------------------------------------------------------------------------------------------

export const closings: Record<DemoCountry, readonly string[]> = {
  LK: [
    'Call or WhatsApp for more details.',
    'Viewing in {city} by appointment.',
    'Price slightly negotiable for a genuine buyer.',
    'Please message through Souk first; no time wasters.',
    'Can deliver around {city} for a small charge.',
    'Cash on inspection only.',
  ],
  SA: [
    'Serious buyers only, message me here.',
    'Located in {city}; viewing in the evenings.',
    'Cash or bank transfer.',
    'Delivery within {city} possible.',
    'Reply with your best offer.',
  ],
  AE: [
    'Serious buyers only, message me here.',
    'Pick-up from {city}; delivery across the emirates on request.',
    'Cash or bank transfer on collection.',
    'Available for viewing this week.',
    'Reasonable offers considered.',
  ],
};

// ---------------------------------------------------------------------------------------------
// Vehicles
// ---------------------------------------------------------------------------------------------

const cars: DemoRecipe = {
  weight: 140,
  countryFactor: { LK: 2.2, SA: 1, AE: 1 },
  preset(c) {
    const make = weightedOption(
      c,
      'make',
      c.country === 'LK'
        ? { toyota: 30, suzuki: 14, honda: 12, nissan: 10, mitsubishi: 4, mazda: 3, daihatsu: 3, micro: 2 }
        : {
            toyota: 26,
            hyundai: 10,
            nissan: 10,
            kia: 8,
            lexus: 5,
            ford: 5,
            chevrolet: 5,
            gmc: 4,
            'mercedes-benz': 4,
            bmw: 3,
            mitsubishi: 3,
            mg: 3,
            changan: 2,
            geely: 2,
          },
      0.4,
    );
    const model = modelOf(c, make);
    const condition = weightedOption(c, 'condition', vehicleConditions[c.country]);
    return model ? { make, model, condition } : { make, condition };
  },
  hints: {
    year: (c) => vehicleYear(c, 2004),
    mileageKm: (c) => vehicleMileage(c, [7_000, 16_000]),
    fuel: (c) => {
      if (c.attrs.make === 'tesla' || c.attrs.make === 'byd') return 'electric';
      if (hybridModels.has(String(c.attrs.model)) && c.chance(0.85)) return 'hybrid';
      return weightedOption(
        c,
        'fuel',
        c.country === 'LK'
          ? { petrol: 55, hybrid: 28, diesel: 12, electric: 4, 'plug-in-hybrid': 1 }
          : { petrol: 84, hybrid: 8, diesel: 4, electric: 3, 'plug-in-hybrid': 1 },
      );
    },
    colour: (c) => weightedOption(c, 'colour', colourWeights, 1),
    transmission: (c) =>
      weightedOption(c, 'transmission', { automatic: 78, manual: 12, cvt: 6, tiptronic: 4 }),
    bodyType: (c) => {
      const model = String(c.attrs.model);
      if (suvModels.has(model)) return 'suv';
      if (pickupModels.has(model)) return 'pickup';
      if (hatchbackModels.has(model)) return 'hatchback';
      return weightedOption(c, 'bodyType', { sedan: 45, hatchback: 25, suv: 20, crossover: 6, mpv: 4 });
    },
    engineCc: (c) => {
      if (c.attrs.fuel === 'electric') return null;
      const body = c.attrs.bodyType;
      if (body === 'hatchback') return c.pick([658, 996, 998, 1197, 1298, 1329, 1496]);
      if (body === 'suv' || body === 'pickup')
        return c.pick([1496, 1987, 2393, 2494, 2755, 2982, 3456, 4461]);
      return c.pick([1298, 1496, 1498, 1598, 1797, 1798, 1987, 1998, 2487]);
    },
    seats: (c) => (c.attrs.bodyType === 'suv' || c.attrs.bodyType === 'mpv' ? c.pick([5, 7, 7, 8]) : 5),
    registered: (c) => c.attrs.condition === 'used',
  },
  title(c) {
    const hybrid = c.attrs.fuel === 'hybrid' && !/hybrid/i.test(c.label('model')) ? ' Hybrid' : '';
    const name = `${c.label('make')} ${c.label('model')}${hybrid}`.trim();
    if (c.attrs.condition === 'brand-new') return `Brand new ${c.attrs.year} ${name}`;
    if (c.attrs.condition === 'reconditioned')
      return `${c.attrs.year} ${name} (reconditioned), ${n(Number(c.attrs.mileageKm))} km`;
    return c.chance(0.7)
      ? `${c.attrs.year} ${name}, ${n(Number(c.attrs.mileageKm))} km`
      : `${name} ${c.attrs.year} – ${c.label('transmission') || 'automatic'}, ${c.label('colour') || 'white'}`;
  },
  price(c) {
    const base: Record<string, number> = {
      lexus: 60_000,
      'mercedes-benz': 62_000,
      bmw: 58_000,
      audi: 52_000,
      'land-rover': 80_000,
      porsche: 110_000,
      tesla: 45_000,
      gmc: 55_000,
      cadillac: 60_000,
      bentley: 230_000,
      'rolls-royce': 400_000,
      ferrari: 300_000,
      lamborghini: 320_000,
      micro: 12_000,
      perodua: 13_000,
      suzuki: 16_000,
      daihatsu: 15_000,
    };
    let newUsd = base[String(c.attrs.make)] ?? 26_000;
    if (c.attrs.bodyType === 'suv' || c.attrs.bodyType === 'pickup') newUsd *= 1.6;
    if (/land-cruiser|patrol|lx|range-rover/.test(String(c.attrs.model))) newUsd *= 2.2;
    return { usd: vehicleValue(c, newUsd) };
  },
  features: carFeatures,
  intro: vehicleIntro,
  details: [
    ...vehicleDetails,
    'Hybrid battery in perfect health.',
    'Registered in {year}; the book is clean.',
  ],
};

const motorcycles: DemoRecipe = {
  weight: 55,
  countryFactor: { LK: 1.8 },
  preset(c) {
    const make = weightedOption(
      c,
      'make',
      c.country === 'LK'
        ? { bajaj: 25, honda: 20, yamaha: 15, tvs: 15, hero: 12, suzuki: 6 }
        : { honda: 14, yamaha: 14, kawasaki: 10, 'harley-davidson': 8, 'bmw-motorrad': 8, ducati: 6, ktm: 6 },
      0.5,
    );
    const model = modelOf(c, make);
    const condition = weightedOption(c, 'condition', { used: 80, 'brand-new': 17, reconditioned: 3 });
    if (!model) return { make, condition };
    // Chosen with the model (the engine size below depends on it, and comes first in the schema).
    const label = c.options('model').find((option) => option.value === model)?.label ?? model;
    return { make, model, condition, bikeType: bikeTypeOf(label) };
  },
  hints: {
    year: (c) => vehicleYear(c, 2006),
    mileageKm: (c) => vehicleMileage(c, [3_000, 9_000]),
    fuel: () => 'petrol',
    colour: (c) => weightedOption(c, 'colour', { black: 30, red: 20, blue: 15, white: 10, grey: 10 }, 2),
    engineCc: (c) => {
      const digits = /(\d{3,4})/.exec(c.label('model'));
      const cc = digits ? Number(digits[1]) : 0;
      if (cc >= 50 && cc <= 2500) return cc;
      const type = c.attrs.bikeType;
      if (type === 'scooter') return c.pick([110, 113, 124, 125, 155]);
      if (type === 'touring' || type === 'cruiser') return c.pick([650, 883, 1200, 1254, 1746, 1868]);
      if (type === 'sport') return c.pick([150, 155, 160, 200, 249, 399, 649, 998]);
      return c.pick([100, 110, 125, 150]);
    },
  },
  title(c) {
    const name = `${c.label('make')} ${c.label('model')}`.trim();
    if (c.attrs.condition === 'brand-new') return `Brand new ${name} ${c.attrs.year}`;
    return c.chance(0.6)
      ? `${c.attrs.year} ${name}, ${n(Number(c.attrs.mileageKm))} km`
      : `${name} ${c.attrs.engineCc ? `${c.attrs.engineCc}cc ` : ''}– ${c.attrs.year}`;
  },
  price(c) {
    const cc = Number(c.attrs.engineCc ?? 125);
    const premium = ['harley-davidson', 'ducati', 'bmw-motorrad', 'triumph'].includes(String(c.attrs.make));
    return { usd: vehicleValue(c, (premium ? 9_000 : 1_100) + cc * (premium ? 12 : 9)) };
  },
  features: [
    'Disc brakes',
    'Self start',
    'Alloy wheels',
    'LED headlight',
    'ABS',
    'Digital meter',
    'USB charger',
  ],
  intro: vehicleIntro,
  details: [...vehicleDetails, 'Chain and sprocket replaced recently.', 'Helmet included.'],
};

const vans: DemoRecipe = {
  weight: 25,
  countryFactor: { LK: 2.2 },
  preset(c) {
    const make = weightedOption(
      c,
      'make',
      { toyota: 50, nissan: 25, suzuki: 8, 'mercedes-benz': 6, hyundai: 6 },
      1,
    );
    const model = modelOf(c, make);
    const condition = weightedOption(c, 'condition', vehicleConditions[c.country]);
    return model ? { make, model, condition } : { make, condition };
  },
  hints: {
    year: (c) => vehicleYear(c, 2000),
    mileageKm: (c) => vehicleMileage(c, [15_000, 35_000]),
    fuel: (c) => weightedOption(c, 'fuel', { diesel: 70, petrol: 22, hybrid: 8 }),
    colour: (c) => weightedOption(c, 'colour', colourWeights, 1),
    transmission: (c) => weightedOption(c, 'transmission', { automatic: 65, manual: 35 }),
    engineCc: (c) => c.pick([1496, 1998, 2494, 2755, 2982]),
    seats: (c) => c.pick([8, 9, 10, 12, 14, 15]),
  },
  title: (c) =>
    `${c.attrs.year} ${c.label('make')} ${c.label('model')}, ${c.attrs.seats ?? 12} seats, ${c.label('fuel').toLowerCase() || 'diesel'}`,
  price: (c) => ({ usd: vehicleValue(c, 38_000) }),
  features: ['Dual A/C', 'Power shutter', 'Reverse camera', 'Roof rack', 'Auto door', 'Captain seats'],
  intro: vehicleIntro,
  details: [...vehicleDetails, 'Ideal for tours, school or staff transport.', 'Seats re-upholstered.'],
};

const threeWheelers: DemoRecipe = {
  weight: 25,
  countries: ['LK'],
  countryFactor: { LK: 1 },
  preset: (c) => ({
    make: weightedOption(c, 'make', { bajaj: 70, tvs: 12, piaggio: 10, mahindra: 4 }, 1),
    condition: weightedOption(c, 'condition', { used: 85, 'brand-new': 15 }),
  }),
  hints: {
    year: (c) => vehicleYear(c, 2004),
    mileageKm: (c) => vehicleMileage(c, [12_000, 25_000]),
    fuel: (c) => weightedOption(c, 'fuel', { petrol: 85, lpg: 8, diesel: 5, electric: 2 }),
    colour: (c) =>
      weightedOption(c, 'colour', { black: 25, red: 20, green: 15, blue: 15, maroon: 10, yellow: 5 }, 1),
    strokeType: (c) => (Number(c.attrs.year) < 2010 && c.chance(0.5) ? '2-stroke' : '4-stroke'),
    usage: (c) => (c.chance(0.85) ? 'passenger' : 'goods'),
  },
  title: (c) =>
    `${c.attrs.year} ${c.label('make')} ${c.attrs.usage === 'goods' ? 'goods carrier' : 'three wheeler'} (${c.label('strokeType') || '4-stroke'})`,
  price: (c) => ({ usd: vehicleValue(c, 5_200) }),
  features: ['Meter fitted', 'New hood', 'Side doors', 'Music setup', 'Disc brake', 'Tinted windscreen'],
  intro: [
    '{make} three wheeler for sale in {city}.',
    'Selling my {year} {make} tuk-tuk, used for personal use only.',
  ],
  details: [...vehicleDetails.slice(0, 7), 'Engine smooth, no oil leaks.', 'Perfect for hires in town.'],
};

const truckWords: Record<string, string> = {
  flatbed: 'flatbed lorry',
  box: 'box truck',
  tipper: 'tipper',
  freezer: 'freezer truck',
  tanker: 'tanker',
  'crew-cab': 'crew cab truck',
  'prime-mover': 'prime mover',
};
const lorries: DemoRecipe = {
  weight: 15,
  countryFactor: { LK: 1.9 },
  preset: (c) => ({
    make: weightedOption(
      c,
      'make',
      c.country === 'LK'
        ? { isuzu: 30, tata: 20, 'ashok-leyland': 15, 'mitsubishi-fuso': 12, mahindra: 8, toyota: 6 }
        : { isuzu: 25, 'mitsubishi-fuso': 15, hino: 15, 'mercedes-benz': 15, volvo: 10, man: 8, scania: 8 },
      1,
    ),
    condition: weightedOption(c, 'condition', { used: 85, 'brand-new': 12, reconditioned: 3 }),
  }),
  hints: {
    year: (c) => vehicleYear(c, 1998),
    mileageKm: (c) => vehicleMileage(c, [25_000, 60_000]),
    fuel: () => 'diesel',
    colour: (c) => weightedOption(c, 'colour', { white: 50, blue: 15, red: 10, green: 5, yellow: 5 }, 1),
    payloadKg: (c) => c.pick([1_500, 2_500, 3_500, 5_000, 7_500, 10_000, 15_000, 25_000]),
    transmission: (c) => weightedOption(c, 'transmission', { manual: 85, automatic: 15 }),
  },
  title: (c) =>
    `${c.attrs.year} ${c.label('make')} ${n(Number(c.attrs.payloadKg ?? 3500) / 1000)}-ton ${truckWords[String(c.attrs.truckBody)] ?? 'lorry'}`,
  price: (c) => ({ usd: vehicleValue(c, 22_000 + Number(c.attrs.payloadKg ?? 3000) * 4) }),
  features: ['Power steering', 'Air brakes', 'New tyres', 'Tarpaulin', 'Hydraulic tipper', 'Sleeper cab'],
  intro: ['{year} {make} lorry for sale, ready for work.', 'Commercial vehicle for sale in {city}: {make}.'],
  details: [
    ...vehicleDetails.slice(0, 8),
    'Engine and gearbox in top condition.',
    'Currently running on contract.',
  ],
};

const buses: DemoRecipe = {
  weight: 8,
  countryFactor: { LK: 1.6 },
  preset: (c) => ({
    make: weightedOption(
      c,
      'make',
      { 'ashok-leyland': 30, tata: 25, isuzu: 15, toyota: 12, 'king-long': 6, yutong: 6 },
      1,
    ),
    condition: weightedOption(c, 'condition', { used: 88, 'brand-new': 10, reconditioned: 2 }),
  }),
  hints: {
    year: (c) => vehicleYear(c, 1995),
    mileageKm: (c) => vehicleMileage(c, [40_000, 80_000]),
    fuel: () => 'diesel',
    seats: (c) => c.pick([26, 29, 33, 37, 45, 50, 54]),
    airConditioned: (c) => c.chance(0.45),
  },
  title: (c) =>
    `${c.attrs.year} ${c.label('make')} bus, ${c.attrs.seats ?? 33} seats${c.attrs.airConditioned ? ', A/C' : ''}`,
  price: (c) => ({ usd: vehicleValue(c, 30_000 + Number(c.attrs.seats ?? 33) * 900) }),
  features: ['Route permit', 'Luxury seats', 'Sound system', 'Curtains', 'Luggage racks'],
  intro: ['{make} bus for sale, {seats} seats.', '{year} {make} passenger bus available in {city}.'],
  details: [
    ...vehicleDetails.slice(0, 8),
    'Suitable for staff transport or tours.',
    'Body recently repainted.',
  ],
};

const partItems: Record<string, readonly string[]> = {
  'engine-parts': [
    '1NZ-FE engine, complete',
    'Turbocharger',
    'Timing belt kit',
    'Radiator',
    'Cylinder head gasket set',
  ],
  'body-parts': ['Front bumper', 'Side mirror (left)', 'Bonnet', 'Tail lamp set', 'Door (front right)'],
  'tyres-wheels': [
    'Bridgestone 195/65 R15 tyres (set of 4)',
    '17" alloy wheels (set of 4)',
    'Michelin 265/65 R17 tyres',
    'Spare wheel with tyre',
  ],
  electrical: ['Hybrid battery', 'Alternator', 'Starter motor', 'Amaron 12V battery', 'ECU'],
  lighting: ['LED headlight set', 'Fog lamp kit', 'Projector headlights', 'Xenon HID kit'],
  'brakes-suspension': ['Front brake pads', 'KYB shock absorbers (set of 4)', 'Brake discs', 'Control arm'],
  interior: ['Leather seat covers', 'Floor mats (set)', 'Steering wheel cover', 'Dashboard cover'],
  'audio-navigation': [
    '9" Android head unit with reverse camera',
    'Pioneer head unit',
    'JBL component speakers',
  ],
  'filters-fluids': ['Oil filter with 4 L Castrol 5W-30', 'Air filter', 'AC cabin filter', 'Coolant 4 L'],
  other: ['Roof rack', '1080p dash camera', 'Tow bar', 'Car cover'],
};
const partVehicles = [
  'Toyota Aqua',
  'Toyota Axio',
  'Toyota Premio',
  'Toyota Hilux',
  'Toyota Land Cruiser Prado',
  'Honda Vezel',
  'Honda Fit',
  'Suzuki Wagon R',
  'Suzuki Alto',
  'Nissan X-Trail',
  'Nissan Patrol',
  'Hyundai Accent',
  'Kia Sportage',
  'Mitsubishi Montero',
];

const autoParts: DemoRecipe = {
  weight: 30,
  preset(c) {
    const [partType, item] = itemFor(c, 'partType', partItems);
    c.facts.item = item;
    c.facts.vehicle = c.pick(partVehicles);
    return { partType, condition: weightedOption(c, 'condition', { new: 50, used: 35, reconditioned: 15 }) };
  },
  hints: {
    year: (c) => (c.chance(0.4) ? c.int(2008, c.year - 1) : null),
    mileageKm: () => null,
    fuel: (c) => (c.facts.vehicle?.includes('Aqua') ? 'hybrid' : c.chance(0.5) ? 'any' : undefined),
    colour: () => null,
    fitsVehicle: (c) => c.facts.vehicle,
  },
  title(c) {
    const generic = /tyres|wheels|seat covers|mats|dash camera|car cover|roof rack|coolant|battery$/i.test(
      c.facts.item ?? '',
    );
    return generic ? `${c.facts.item}` : `${c.facts.item} – ${c.facts.vehicle}`;
  },
  price(c) {
    const item = c.facts.item ?? '';
    const usd = /engine|hybrid battery|ECU|turbo/i.test(item)
      ? c.int(350, 1_800)
      : /tyres|wheels|head unit|shock/i.test(item)
        ? c.int(120, 700)
        : c.int(12, 180);
    return { usd: c.attrs.condition === 'used' ? usd * 0.6 : usd };
  },
  quantity: (c) => (c.attrs.condition === 'new' ? c.int(1, 12) : 1),
  features: ['Genuine part', 'Warranty', 'Fitting available', 'Island-wide delivery'],
  intro: ['{item} for {vehicle}, {condition}.', 'Available now: {item}.', '{item} in stock in {city}.'],
  details: [
    'Genuine part, imported from Japan.',
    'Tested and working perfectly.',
    'Fitting can be arranged at our workshop.',
    'Fits other models too, ask with your chassis number.',
    'Wholesale prices for garages.',
  ],
};

// ---------------------------------------------------------------------------------------------
// Property
// ---------------------------------------------------------------------------------------------

const propertyFeatures = [
  'Hot water',
  'Pantry cupboards',
  'Servant room',
  'Rooftop terrace',
  'Solar panels',
  'Tiled floors',
  'Separate entrance',
  'Garage for two cars',
  'Close to schools',
  'Walking distance to the main road',
  'Water and electricity connected',
  'CCTV',
];
const propertyDetails = [
  'Bright, airy rooms with good ventilation.',
  'Quiet residential neighbourhood, friendly neighbours.',
  'Close to supermarkets, schools and hospitals.',
  'Clear title, ready for immediate transfer.',
  'Pipe-borne water and three-phase electricity.',
  'Ample parking inside the premises.',
  'Brokers welcome.',
];

function bedroomsHint(c: DemoContext) {
  return c.weighted([
    [1, 12],
    [2, 28],
    [3, 32],
    [4, 18],
    [5, 7],
    [6, 3],
  ] as const);
}
const propertyHints: Record<string, DemoHint> = {
  bedrooms: bedroomsHint,
  bathrooms: (c) => Math.max(1, Number(c.attrs.bedrooms ?? 2) - c.int(0, 1)),
  floorAreaSqft: (c) => roundTo(Math.max(1, Number(c.attrs.bedrooms ?? 2)) * c.int(380, 700), 10),
  landSizePerches: (c) => c.pick([6, 7.5, 8, 10, 10.5, 12, 15, 18, 20, 25, 30]),
  minimumLeaseMonths: (c) => c.pick([6, 12, 12, 12, 24]),
  floorNumber: (c) => c.int(1, 32),
};
const homeWord = (c: DemoContext, apartment: boolean) =>
  apartment ? 'apartment' : c.country === 'LK' ? 'house' : Number(c.attrs.bedrooms) >= 4 ? 'villa' : 'house';

function homeTitle(c: DemoContext, apartment: boolean, rent: boolean) {
  const bedrooms = Number(c.attrs.bedrooms);
  const size = bedrooms === 0 ? 'Studio' : `${bedrooms}-bedroom`;
  const what = bedrooms === 0 && apartment ? '' : ` ${homeWord(c, apartment)}`;
  const extra =
    !apartment && !rent && c.attrs.landSizePerches
      ? c.country === 'LK'
        ? `, ${c.attrs.landSizePerches} perches`
        : `, ${n(Math.round(Number(c.attrs.landSizePerches) * 25.29))} m² plot`
      : c.attrs.furnished === 'fully-furnished'
        ? ', fully furnished'
        : '';
  return `${size}${what} for ${rent ? 'rent' : 'sale'} in ${c.city}${extra}`;
}

function homePrice(c: DemoContext, apartment: boolean, rent: boolean): DemoPrice {
  const bedrooms = Math.max(1, Number(c.attrs.bedrooms ?? 2));
  const perBedroom = { LK: rent ? 170 : 38_000, SA: rent ? 550 : 95_000, AE: rent ? 1_050 : 210_000 }[
    c.country
  ];
  const capital = ['Colombo', 'Riyadh', 'Dubai', 'Abu Dhabi', 'Jeddah'].includes(c.city) ? 1.5 : 1;
  const usd = perBedroom * bedrooms ** 0.9 * capital * (apartment ? 0.9 : 1.1) * (0.8 + c.random() * 0.4);
  return rent ? { usd, per: 'month' } : { usd };
}

const houseHints = { ...propertyHints, bedrooms: (c: DemoContext) => Math.max(2, Number(bedroomsHint(c))) };

const housesForSale: DemoRecipe = {
  weight: 40,
  hints: houseHints,
  title: (c) => homeTitle(c, false, false),
  price: (c) => homePrice(c, false, false),
  negotiable: 0.4,
  features: propertyFeatures,
  intro: [
    'Spacious {bedrooms}-bedroom house in a prime area of {city}.',
    'Newly built two-storey house for sale in {city}.',
    'Family home on {landSizePerches} perches, {floorAreaSqft} sqft.',
  ],
  details: propertyDetails,
};
const housesForRent: DemoRecipe = {
  weight: 30,
  hints: houseHints,
  title: (c) => homeTitle(c, false, true),
  price: (c) => homePrice(c, false, true),
  negotiable: 0.2,
  features: propertyFeatures,
  intro: ['{bedrooms}-bedroom house for rent in {city}.', 'House available for long-term rent, {city}.'],
  details: [...propertyDetails, 'Minimum lease of {minimumLeaseMonths} months, key money negotiable.'],
};
const apartmentsForSale: DemoRecipe = {
  weight: 30,
  hints: propertyHints,
  title: (c) => homeTitle(c, true, false),
  price: (c) => homePrice(c, true, false),
  negotiable: 0.3,
  features: [...propertyFeatures, 'Backup generator', 'Sea view', 'Rooftop pool'],
  intro: [
    'Modern {bedrooms}-bedroom apartment on floor {floorNumber}.',
    'Luxury apartment in {city}, {floorAreaSqft} sqft.',
  ],
  details: [...propertyDetails, 'Building with 24-hour security and lifts.', 'Service charge is moderate.'],
};
const apartmentsForRent: DemoRecipe = {
  weight: 40,
  hints: propertyHints,
  title: (c) => homeTitle(c, true, true),
  price: (c) => homePrice(c, true, true),
  negotiable: 0.15,
  features: [...propertyFeatures, 'Backup generator', 'Sea view', 'Gym access'],
  intro: [
    '{bedrooms}-bedroom apartment for rent in {city}.',
    'Apartment available from next month in {city}.',
  ],
  details: [
    ...propertyDetails,
    'Minimum lease {minimumLeaseMonths} months.',
    'Utilities not included in the rent.',
    'Suitable for a small family or working professionals.',
  ],
};

const land: DemoRecipe = {
  weight: 35,
  negotiable: 0.5,
  preset(c) {
    const landType = weightedOption(c, 'landType', {
      residential: 50,
      commercial: 12,
      agricultural: 14,
      plantation: c.country === 'LK' ? 10 : 0,
      beachfront: 4,
      'bare-land': 10,
    });
    const big = landType === 'agricultural' || landType === 'plantation';
    const perches = big ? c.int(1, 12) * 80 : c.pick([6, 8, 10, 12, 15, 20, 25, 30, 40, 60]);
    return { landType, landSizePerches: perches };
  },
  hints: { clearDeed: (c) => c.chance(0.9) },
  title(c) {
    const perches = Number(c.attrs.landSizePerches);
    const type = c.label('landType').toLowerCase() || 'residential';
    if (c.country !== 'LK')
      return `${capitalise(type)} plot in ${c.city}, ${n(Math.round(perches * 25.29))} m²`;
    return perches >= 160
      ? `${n(perches / 160)} acre${perches === 160 ? '' : 's'} of ${type} land in ${c.city}`
      : `${perches} perches of ${type} land in ${c.city}${c.attrs.clearDeed ? ', clear deed' : ''}`;
  },
  price(c) {
    const perches = Number(c.attrs.landSizePerches);
    const big = perches >= 160;
    const perPerch = { LK: big ? 250 : 5_500, SA: big ? 900 : 9_000, AE: big ? 1_500 : 16_000 }[c.country];
    const capital = ['Colombo', 'Nugegoda', 'Dehiwala-Mount Lavinia', 'Riyadh', 'Dubai'].includes(c.city)
      ? 2
      : 1;
    return { usd: perches * perPerch * capital * (0.6 + c.random() * 0.8) };
  },
  features: [
    'Road frontage',
    'Electricity available',
    'Water line available',
    'Flat land',
    'Bank loan facilities',
  ],
  intro: ['{landSizePerches} perches of land for sale in {city}.', 'Valuable {landType} land, {city}.'],
  details: [
    'Square shaped block with 20 ft access road.',
    'Ideal for building a house or investment.',
    'Electricity and water available at the boundary.',
    'No flooding, high and dry land.',
    'Surrounded by residential houses.',
    'Deeds and survey plan ready for inspection.',
  ],
};

const commercial: DemoRecipe = {
  weight: 20,
  negotiable: 0.35,
  preset: (c) => ({
    propertyType: weightedOption(
      c,
      'propertyType',
      { office: 30, shop: 25, warehouse: 15, showroom: 10, building: 8 },
      4,
    ),
    offerType: c.chance(0.7) ? 'rent' : 'sale',
  }),
  hints: {
    floorAreaSqft: (c) => roundTo(c.int(400, 12_000), 50),
    parkingSpaces: (c) => c.int(0, 25),
  },
  title(c) {
    const type = c.label('propertyType').toLowerCase() || 'office';
    const rent = c.attrs.offerType === 'rent';
    const area = c.attrs.floorAreaSqft ? `, ${n(Number(c.attrs.floorAreaSqft))} sqft` : '';
    return `${capitalise(type)}${type.endsWith('building') ? '' : ' space'} for ${rent ? 'rent' : 'sale'} in ${c.city}${area}`;
  },
  price(c) {
    const sqft = Number(c.attrs.floorAreaSqft ?? 1500);
    const rate = { LK: 1.1, SA: 2.2, AE: 3.5 }[c.country];
    return c.attrs.offerType === 'rent'
      ? { usd: sqft * rate * (0.7 + c.random() * 0.6), per: 'month' }
      : { usd: sqft * rate * 160 * (0.7 + c.random() * 0.6) };
  },
  features: ['Main road frontage', 'Lift', 'Generator backup', 'Central A/C', 'Loading bay', 'Parking'],
  intro: ['{propertyType} space available in {city}.', 'Prime commercial property in the heart of {city}.'],
  details: [
    'Suitable for banks, showrooms, or corporate offices.',
    'High foot traffic area with good visibility.',
    'Partitioning can be done to suit the tenant.',
    'Advance of six months required.',
    'Ready to occupy.',
  ],
};

// ---------------------------------------------------------------------------------------------
// Electronics
// ---------------------------------------------------------------------------------------------

const electronicsConditions = { used: 60, 'brand-new': 30, refurbished: 10 };
const electronicsDetails = [
  'Bought from the authorised dealer, bill and box available.',
  'No scratches, always used with a case and screen protector.',
  'Battery health excellent.',
  'Upgrading, hence selling.',
  'Warranty remaining, transferable.',
  'Tested and in perfect working order.',
  'Charger and original accessories included.',
];

const phones: Record<string, readonly string[]> = {
  apple: [
    'iPhone 11',
    'iPhone 12',
    'iPhone 13',
    'iPhone 13 Pro',
    'iPhone 14',
    'iPhone 14 Pro Max',
    'iPhone 15',
    'iPhone 15 Pro',
    'iPhone 16 Pro Max',
    'iPhone SE (2022)',
  ],
  samsung: [
    'Galaxy S22 Ultra',
    'Galaxy S23',
    'Galaxy S24 Ultra',
    'Galaxy A14',
    'Galaxy A34',
    'Galaxy A54',
    'Galaxy A15',
    'Galaxy Z Flip5',
    'Galaxy Z Fold5',
  ],
  xiaomi: ['Redmi Note 12', 'Redmi Note 13 Pro', 'Redmi 13C', 'Xiaomi 13T', 'Xiaomi 14', 'Poco X6 Pro'],
  huawei: ['P30 Pro', 'Nova 11', 'Mate 50 Pro', 'Nova Y90'],
  honor: ['X9b', 'Magic5 Pro', 'Honor 90', 'X7b'],
  oppo: ['Reno 10', 'A78', 'A58', 'Find X5'],
  vivo: ['Y36', 'V29', 'Y17s', 'X90'],
  realme: ['11 Pro', 'C55', 'GT Neo 5', 'C53'],
  oneplus: ['OnePlus 11', 'Nord CE 3', 'OnePlus 12', 'Nord 3'],
  google: ['Pixel 6a', 'Pixel 7', 'Pixel 7 Pro', 'Pixel 8', 'Pixel 8 Pro'],
  nokia: ['G21', 'C32', 'X30'],
  motorola: ['Edge 40', 'Moto G84', 'Moto G54'],
  sony: ['Xperia 1 V', 'Xperia 10 V'],
  nothing: ['Phone (1)', 'Phone (2)', 'Phone (2a)'],
  infinix: ['Hot 40', 'Note 30', 'Zero 30'],
  tecno: ['Spark 20', 'Camon 20', 'Pova 5'],
};

const mobilePhones: DemoRecipe = {
  weight: 80,
  preset(c) {
    const [brand, item] = itemFor(c, 'brand', phones);
    c.facts.item = item;
    return { brand, condition: weightedOption(c, 'condition', electronicsConditions) };
  },
  hints: {
    storageGb: (c) => c.pick([64, 128, 128, 256, 256, 512]),
    ramGb: (c) => (c.attrs.brand === 'apple' ? c.pick([4, 6, 8]) : c.pick([4, 6, 8, 8, 12])),
    dualSim: (c) => c.attrs.brand !== 'apple' || c.chance(0.3),
  },
  title(c) {
    const brand = c.label('brand');
    const name = c.facts.item?.startsWith(brand) ? c.facts.item : `${brand} ${c.facts.item}`;
    return `${name} ${c.attrs.storageGb ?? 128}GB${c.attrs.condition === 'brand-new' ? ' (brand new, sealed)' : c.chance(0.5) ? `, ${c.label('condition').toLowerCase()}` : ''}`;
  },
  price(c) {
    const item = c.facts.item ?? '';
    const flagship = /Pro|Ultra|Fold|Flip|Magic|Find|Mate|Pixel 8|OnePlus 12|iPhone 1[456]/.test(item);
    const usd =
      (flagship ? 900 : c.attrs.brand === 'apple' ? 600 : 220) *
      (1 + Number(c.attrs.storageGb ?? 128) / 1024);
    return { usd: c.attrs.condition === 'brand-new' ? usd : usd * (0.45 + c.random() * 0.25) };
  },
  quantity: (c) => (c.attrs.condition === 'brand-new' ? c.int(1, 5) : 1),
  features: [
    'Box and bill',
    'Face ID working',
    'Original charger',
    'Back cover included',
    'Dual eSIM',
    'Apple warranty',
  ],
  intro: [
    '{item} in {condition} condition.',
    'Selling my {item}, {storageGb} GB.',
    '{item} available in {city}.',
  ],
  details: electronicsDetails,
};

const laptopsByBrand: Record<string, readonly string[]> = {
  dell: ['Latitude 5420', 'XPS 13 9310', 'Inspiron 15 3520', 'Vostro 3510'],
  hp: ['EliteBook 840 G8', 'Pavilion 15', 'ProBook 450 G9', 'Victus 16', 'Spectre x360'],
  lenovo: ['ThinkPad T14', 'ThinkPad X1 Carbon Gen 9', 'IdeaPad Slim 3', 'Legion 5', 'Yoga 7i'],
  apple: ['MacBook Air M1', 'MacBook Air M2', 'MacBook Pro 14" M3', 'MacBook Pro 16" M1 Pro'],
  asus: ['VivoBook 15', 'ZenBook 14 OLED', 'ROG Strix G15', 'TUF Gaming F15'],
  acer: ['Aspire 5', 'Nitro 5', 'Swift 3'],
  msi: ['GF63 Thin', 'Katana 15', 'Modern 14'],
  microsoft: ['Surface Laptop 4', 'Surface Laptop Go 2'],
  samsung: ['Galaxy Book3'],
  huawei: ['MateBook D15', 'MateBook 14'],
};
const intelChips = [
  'Intel Core i5-1135G7',
  'Intel Core i7-1165G7',
  'Intel Core i5-1235U',
  'Intel Core i7-12700H',
  'Intel Core i3-1115G4',
];
const amdChips = ['AMD Ryzen 5 5500U', 'AMD Ryzen 7 5800H', 'AMD Ryzen 5 7530U'];

const laptops: DemoRecipe = {
  weight: 40,
  preset(c) {
    const [brand, item] = itemFor(c, 'brand', laptopsByBrand);
    c.facts.item = item;
    return { brand, condition: weightedOption(c, 'condition', electronicsConditions) };
  },
  hints: {
    processor: (c) => {
      const item = c.facts.item ?? '';
      const apple = /M(\d)( Pro)?/.exec(item);
      if (apple) return `Apple M${apple[1]}${apple[2] ?? ''}`;
      return c.chance(0.7) ? c.pick(intelChips) : c.pick(amdChips);
    },
    ramGb: (c) => c.pick([8, 8, 16, 16, 32]),
    storageGb: (c) => c.pick([256, 512, 512, 1024]),
    screenInches: (c) => {
      const size = /(\d\d)"|\b(13|14|15|16)\b/.exec(c.facts.item ?? '');
      return size ? Number(size[1] ?? size[2]) : c.pick([13.3, 14, 15.6, 15.6, 16]);
    },
  },
  title: (c) =>
    `${c.label('brand')} ${c.facts.item}, ${String(c.attrs.processor ?? '').replace(/^(Intel|AMD|Apple) /, '')} ${c.attrs.ramGb ?? 8}GB/${c.attrs.storageGb ?? 256}GB`.replace(
      /, +(\d)/,
      ', $1',
    ),
  price(c) {
    const usd =
      (c.attrs.brand === 'apple'
        ? 1_100
        : /ROG|Legion|XPS|Spectre|X1/.test(c.facts.item ?? '')
          ? 1_200
          : 650) +
      Number(c.attrs.ramGb ?? 8) * 12;
    return { usd: c.attrs.condition === 'brand-new' ? usd : usd * (0.5 + c.random() * 0.2) };
  },
  features: [
    'Backlit keyboard',
    'Fingerprint reader',
    'Original charger',
    'Laptop bag included',
    'Windows 11 Pro',
  ],
  intro: ['{item} with {processor}, {ramGb} GB RAM.', '{brand} {item} for sale in {city}.'],
  details: [
    ...electronicsDetails,
    'Battery lasts 6–8 hours on a charge.',
    'Fresh Windows install, ready to use.',
  ],
};

const desktopsByBrand: Record<string, readonly string[]> = {
  'custom-built': [
    'Gaming PC, Ryzen 5 5600 + RTX 3060',
    'Gaming PC, Core i7-12700F + RTX 4070',
    'Office PC, Core i3',
  ],
  dell: ['OptiPlex 7090', 'Vostro 3020', 'XPS Desktop'],
  hp: ['EliteDesk 800 G6', 'ProDesk 400 G7', 'Pavilion Desktop'],
  lenovo: ['ThinkCentre M70q', 'IdeaCentre 5'],
  apple: ['iMac 24" M1', 'Mac mini M2', 'Mac Studio M1 Max'],
};
const desktops: DemoRecipe = {
  weight: 15,
  preset(c) {
    const [brand, item] = itemFor(c, 'brand', desktopsByBrand);
    c.facts.item = item;
    return { brand, condition: weightedOption(c, 'condition', electronicsConditions) };
  },
  hints: {
    processor: (c) => {
      const apple = /M\d( Max)?/.exec(c.facts.item ?? '');
      if (apple) return `Apple ${apple[0]}`;
      return /Ryzen/.test(c.facts.item ?? '') ? 'AMD Ryzen 5 5600' : c.pick(intelChips);
    },
    ramGb: (c) => c.pick([8, 16, 16, 32, 64]),
    storageGb: (c) => c.pick([256, 512, 1024, 2048]),
    formFactor: (c) =>
      /iMac/.test(c.facts.item ?? '')
        ? 'all-in-one'
        : /mini|M70q/.test(c.facts.item ?? '')
          ? 'mini-pc'
          : 'tower',
  },
  title: (c) =>
    `${c.attrs.brand === 'custom-built' ? '' : `${c.label('brand')} `}${c.facts.item}, ${c.attrs.ramGb ?? 16}GB RAM`,
  price: (c) => ({
    usd: (/Gaming|Studio/.test(c.facts.item ?? '') ? 1_300 : 550) * (0.6 + c.random() * 0.5),
  }),
  features: [
    'Wi-Fi card',
    'RGB case',
    'Keyboard and mouse included',
    '650 W PSU',
    'Monitor available separately',
  ],
  intro: ['{item} for sale.', 'Powerful desktop for work and gaming: {item}.'],
  details: electronicsDetails,
};

const tabletsByBrand: Record<string, readonly string[]> = {
  apple: ['iPad (9th gen)', 'iPad Air (5th gen)', 'iPad Pro 11" (M2)', 'iPad mini 6'],
  samsung: ['Galaxy Tab S9', 'Galaxy Tab A8', 'Galaxy Tab S6 Lite'],
  lenovo: ['Tab P11', 'Tab M10'],
  huawei: ['MatePad 11'],
  xiaomi: ['Pad 6', 'Redmi Pad SE'],
  microsoft: ['Surface Pro 8', 'Surface Go 3'],
  amazon: ['Fire HD 10'],
};
const tablets: DemoRecipe = {
  weight: 20,
  preset(c) {
    const [brand, item] = itemFor(c, 'brand', tabletsByBrand);
    c.facts.item = item;
    return { brand, condition: weightedOption(c, 'condition', electronicsConditions) };
  },
  hints: {
    storageGb: (c) => c.pick([32, 64, 128, 256]),
    ramGb: (c) => c.pick([3, 4, 6, 8]),
    screenInches: (c) => {
      const size = /(\d\d)"/.exec(c.facts.item ?? '');
      return size ? Number(size[1]) : c.pick([8.3, 10.2, 10.9, 11, 12.4]);
    },
    cellular: (c) => c.chance(0.3),
  },
  title: (c) =>
    `${c.label('brand')} ${c.facts.item} ${c.attrs.storageGb ?? 64}GB ${c.attrs.cellular ? 'Wi-Fi + Cellular' : 'Wi-Fi'}`,
  price: (c) => ({
    usd: (c.attrs.brand === 'apple' ? 500 : 280) * (c.attrs.condition === 'brand-new' ? 1 : 0.6),
  }),
  features: ['Apple Pencil included', 'Keyboard cover', 'Box and bill', 'Screen protector'],
  intro: ['{brand} {item} in {condition} condition.', 'Tablet for sale: {item}.'],
  details: electronicsDetails,
};

const accessoryItems: Record<string, readonly string[]> = {
  monitor: [
    'Dell P2422H 24" monitor',
    'LG 27GL850 27" gaming monitor',
    'Samsung 32" curved monitor',
    'AOC 24" 144 Hz monitor',
  ],
  'keyboard-mouse': ['Logitech MX Keys keyboard', 'Logitech MX Master 3S mouse', 'Razer BlackWidow keyboard'],
  'printer-scanner': ['HP LaserJet Pro M404dn', 'Canon PIXMA G3020 ink tank printer', 'Epson EcoTank L3250'],
  storage: ['Samsung 980 Pro 1TB NVMe SSD', 'WD Elements 2TB external drive', 'Seagate 4TB NAS drive'],
  networking: ['TP-Link Archer AX55 router', 'Huawei B311 4G router', 'Ubiquiti UniFi access point'],
  components: [
    'NVIDIA RTX 3060 12GB graphics card',
    'Corsair Vengeance 16GB DDR4 kit',
    'AMD Ryzen 5 5600 processor',
  ],
  'ups-power': ['APC Back-UPS 650VA', 'Prolink 1200VA UPS', 'Anker 20,000 mAh power bank'],
  other: ['Logitech C920 webcam', 'Laptop cooling pad', 'USB-C docking station'],
};
const computerAccessories: DemoRecipe = {
  weight: 20,
  preset(c) {
    const [accessoryType, item] = itemFor(c, 'accessoryType', accessoryItems);
    c.facts.item = item;
    return { accessoryType, condition: weightedOption(c, 'condition', electronicsConditions) };
  },
  title: (c) => `${c.facts.item}${c.attrs.condition === 'brand-new' ? ' – brand new' : ''}`,
  price: (c) => ({
    usd: (/monitor|graphics|printer/i.test(c.facts.item ?? '') ? 260 : 70) * (0.7 + c.random() * 0.6),
  }),
  quantity: (c) => (c.attrs.condition === 'brand-new' ? c.int(1, 10) : 1),
  features: ['Warranty', 'Box included', 'Cables included'],
  intro: ['{item} for sale.', '{item}, {condition}.'],
  details: electronicsDetails,
};

const tvs: DemoRecipe = {
  weight: 25,
  preset: (c) => ({
    brand: weightedOption(c, 'brand', { samsung: 30, lg: 25, sony: 20, tcl: 10, hisense: 8 }, 2),
    condition: weightedOption(c, 'condition', electronicsConditions),
  }),
  hints: {
    screenInches: (c) => c.pick([32, 43, 50, 55, 55, 65, 75]),
    displayType: (c) =>
      weightedOption(c, 'displayType', { led: 45, qled: 20, oled: 15, 'mini-led': 5, lcd: 5 }),
    resolution: (c) => (Number(c.attrs.screenInches) <= 32 ? 'hd' : c.chance(0.8) ? '4k-uhd' : 'full-hd'),
    smartTv: (c) => c.chance(0.9),
  },
  title: (c) =>
    `${c.label('brand')} ${c.attrs.screenInches}" ${c.label('resolution') || '4K UHD'} ${c.attrs.smartTv ? 'Smart ' : ''}${c.label('displayType') || 'LED'} TV`,
  price(c) {
    const inches = Number(c.attrs.screenInches ?? 55);
    const usd = inches ** 2 * (c.attrs.displayType === 'oled' ? 0.55 : 0.25);
    return { usd: c.attrs.condition === 'brand-new' ? usd : usd * 0.55 };
  },
  features: [
    'Wall bracket included',
    'Remote control',
    'Netflix and YouTube',
    'Dolby Atmos',
    'Box available',
  ],
  intro: ['{brand} {screenInches}" TV in {condition} condition.', 'Selling our {brand} smart TV.'],
  details: electronicsDetails,
};

const cameraItems: Record<string, readonly (readonly [string, string, number])[]> = {
  canon: [
    ['EOS 90D body', 'dslr', 32],
    ['EOS R6', 'mirrorless', 20],
    ['EOS M50 Mark II', 'mirrorless', 24],
    ['EF 50mm f/1.8 STM lens', 'lens', 0],
  ],
  nikon: [
    ['D750 body', 'dslr', 24],
    ['Z6 II', 'mirrorless', 24],
    ['D3500 with 18-55mm kit lens', 'dslr', 24],
  ],
  sony: [
    ['Alpha A7 III', 'mirrorless', 24],
    ['Alpha A6400', 'mirrorless', 24],
    ['ZV-E10 vlogging kit', 'mirrorless', 24],
    ['FE 24-70mm f/2.8 GM lens', 'lens', 0],
  ],
  fujifilm: [
    ['X-T30 II', 'mirrorless', 26],
    ['X100V', 'compact', 26],
  ],
  gopro: [
    ['HERO11 Black', 'action', 27],
    ['HERO12 Black', 'action', 27],
  ],
  dji: [
    ['Mini 3 Pro drone', 'drone', 48],
    ['Mavic 3 Classic drone', 'drone', 20],
  ],
};
const cameras: DemoRecipe = {
  weight: 15,
  preset(c) {
    const [brand, [item, cameraType, megapixels]] = itemFor(c, 'brand', cameraItems);
    c.facts.item = item;
    const values: Record<string, AttributeValue> = {
      brand,
      cameraType,
      condition: weightedOption(c, 'condition', electronicsConditions),
    };
    if (megapixels > 0) values.megapixels = megapixels;
    return values;
  },
  hints: { megapixels: () => null },
  title: (c) => `${c.label('brand')} ${c.facts.item}`,
  price: (c) => ({
    usd:
      (/lens|R6|A7|Z6|Mavic|GM/.test(c.facts.item ?? '') ? 1_400 : 550) *
      (c.attrs.condition === 'brand-new' ? 1 : 0.65),
  }),
  features: ['Low shutter count', 'Two batteries', 'Camera bag', '64 GB memory card', 'Lens hood and caps'],
  intro: ['{brand} {item} for sale.', 'Selling my {item}, {condition}.'],
  details: [...electronicsDetails, 'Shutter count around {megapixels}k.', 'Sensor clean, no fungus or haze.'],
};

const audioItems: readonly (readonly [string, string, string, boolean])[] = [
  ['Sony WH-1000XM4', 'sony', 'headphones', true],
  ['Sony WH-1000XM5', 'sony', 'headphones', true],
  ['Bose QuietComfort 45', 'bose', 'headphones', true],
  ['JBL Flip 6', 'jbl', 'speakers', true],
  ['JBL PartyBox 310', 'jbl', 'speakers', true],
  ['AirPods Pro (2nd generation)', 'apple', 'earbuds', true],
  ['Galaxy Buds2 Pro', 'samsung', 'earbuds', true],
  ['Sennheiser HD 560S', 'sennheiser', 'headphones', false],
  ['Marshall Stanmore II', 'marshall', 'speakers', true],
  ['Yamaha RX-V685 AV receiver', 'yamaha', 'amplifier', false],
  ['Pioneer PL-30 turntable', 'pioneer', 'turntable', false],
  ['Sony HT-S400 soundbar', 'sony', 'soundbar', true],
  ['Samsung HW-Q600C soundbar', 'samsung', 'soundbar', true],
  ['Anker Soundcore Life Q30', 'anker', 'headphones', true],
  ['Shure SM58 microphone', 'other', 'microphone', false],
  ['Yamaha 5.1 home theatre system', 'yamaha', 'home-theatre', false],
];
const audio: DemoRecipe = {
  weight: 20,
  preset(c) {
    const [item, brand, audioType, wireless] = c.pick(audioItems);
    c.facts.item = item;
    const values: Record<string, AttributeValue> = {
      audioType,
      wireless,
      condition: weightedOption(c, 'condition', electronicsConditions),
    };
    if (c.options('brand').some((option) => option.value === brand)) values.brand = brand;
    return values;
  },
  title: (c) =>
    c.attrs.brand && c.attrs.brand !== 'other' && !c.facts.item?.startsWith(c.label('brand'))
      ? `${c.label('brand')} ${c.facts.item}`
      : (c.facts.item ?? ''),
  price: (c) => ({ usd: c.int(60, 450) * (c.attrs.condition === 'brand-new' ? 1 : 0.6) }),
  features: ['Original box', 'Carry case', 'All cables', 'Warranty card'],
  intro: ['{item} for sale.', '{item} in {condition} condition, sounds amazing.'],
  details: electronicsDetails,
};

const gameItems: Record<string, readonly (readonly [string, string])[]> = {
  'playstation-5': [
    ['PlayStation 5 Slim (disc edition)', 'console'],
    ['PS5 Digital Edition', 'console'],
    ['EA Sports FC 24 (PS5)', 'game'],
    ["Marvel's Spider-Man 2 (PS5)", 'game'],
    ['DualSense controller', 'controller'],
    ['PlayStation VR2', 'accessory'],
  ],
  'playstation-4': [
    ['PS4 Pro 1TB', 'console'],
    ['God of War (PS4)', 'game'],
    ['DualShock 4 controller', 'controller'],
  ],
  'xbox-series': [
    ['Xbox Series X 1TB', 'console'],
    ['Xbox Series S', 'console'],
    ['Forza Horizon 5 (Xbox)', 'game'],
    ['Xbox Wireless Controller', 'controller'],
  ],
  'xbox-one': [['Xbox One S 500GB', 'console']],
  'nintendo-switch': [
    ['Nintendo Switch OLED', 'console'],
    ['Zelda: Tears of the Kingdom', 'game'],
    ['Mario Kart 8 Deluxe', 'game'],
    ['Switch Pro Controller', 'controller'],
  ],
  pc: [
    ['Logitech G29 racing wheel', 'accessory'],
    ['Elden Ring (PC, Steam key)', 'game'],
  ],
  retro: [
    ['Sega Mega Drive with 10 games', 'console'],
    ['PlayStation 2 Slim with memory card', 'console'],
    ['Nintendo Game Boy Color', 'console'],
  ],
};
const videoGames: DemoRecipe = {
  weight: 20,
  preset(c) {
    const [platform, [item, itemType]] = itemFor(c, 'platform', gameItems);
    c.facts.item = item;
    return { platform, itemType, condition: weightedOption(c, 'condition', electronicsConditions) };
  },
  title: (c) =>
    `${c.facts.item}${c.attrs.itemType === 'console' && c.chance(0.5) ? ' with two controllers' : ''}`,
  price: (c) => ({
    usd:
      (c.attrs.itemType === 'console' ? 420 : c.attrs.itemType === 'game' ? 45 : 70) *
      (c.attrs.condition === 'brand-new' ? 1 : 0.65),
  }),
  quantity: (c) => (c.attrs.itemType === 'game' && c.attrs.condition === 'brand-new' ? c.int(1, 8) : 1),
  features: ['Box included', 'HDMI cable', 'Extra controller', 'Games installed'],
  intro: ['{item} for sale.', '{item}, {condition}, works perfectly.'],
  details: electronicsDetails,
};

// ---------------------------------------------------------------------------------------------
// Home & garden
// ---------------------------------------------------------------------------------------------

const homeConditions = { used: 55, 'like-new': 25, new: 20 };
const homeDetails = [
  'Moving abroad, everything must go.',
  'Kept in a smoke-free home.',
  'Minor signs of use, nothing broken.',
  'Transport can be arranged at cost.',
  'Buyer to collect from {city}.',
  'Bought last year, hardly used.',
];

const furnitureItems: Record<string, readonly (readonly [string, readonly string[]])[]> = {
  sofa: [
    ['3-seater sofa', ['fabric', 'leather']],
    ['L-shaped sofa set', ['fabric', 'leather']],
    ['teak sofa set with cushions', ['wood']],
  ],
  bed: [
    ['queen size bed with mattress', ['wood', 'metal']],
    ['king size bed frame', ['wood']],
    ['bunk bed', ['metal', 'wood']],
  ],
  wardrobe: [['three-door wardrobe with mirror', ['wood']]],
  'dining-set': [
    ['6-seater dining set', ['wood', 'glass']],
    ['4-seater dining table with chairs', ['wood', 'metal']],
  ],
  table: [
    ['coffee table', ['wood', 'glass']],
    ['side table', ['wood', 'rattan']],
  ],
  chair: [
    ['ergonomic office chair', ['fabric', 'plastic']],
    ['armchair', ['rattan', 'fabric']],
  ],
  desk: [['study desk with drawers', ['wood', 'metal']]],
  storage: [
    ['bookshelf', ['wood']],
    ['shoe rack', ['wood', 'metal']],
  ],
};
const materialWords: Record<string, string> = {
  wood: 'Teak',
  metal: 'Steel',
  glass: 'Glass-top',
  plastic: 'Modern',
  rattan: 'Rattan',
  fabric: 'Fabric',
  leather: 'Leather',
};
const furniture: DemoRecipe = {
  weight: 30,
  preset(c) {
    const [furnitureType, [item, materials]] = itemFor(c, 'furnitureType', furnitureItems);
    c.facts.item = item;
    const material = c.pick(materials);
    c.facts.material = materialWords[material] ?? '';
    return { furnitureType, material, condition: weightedOption(c, 'condition', homeConditions) };
  },
  title: (c) => `${c.facts.material} ${c.facts.item}`.trim(),
  price: (c) => ({
    usd: (/sofa|dining|wardrobe|king/.test(c.facts.item ?? '') ? 420 : 140) * (0.6 + c.random() * 0.8),
  }),
  countryFactor: { LK: 0.8 },
  features: ['Solid build', 'Cushions included', 'Can dismantle for transport', 'Varnished'],
  intro: ['{item} for sale.', 'Selling a {item}, {condition}.'],
  details: homeDetails,
};

const applianceItems: Record<string, readonly string[]> = {
  refrigerator: ['2-door refrigerator 340 L', 'inverter refrigerator 415 L', 'side-by-side fridge 600 L'],
  'washing-machine': ['7 kg front load washing machine', '8 kg top load washing machine'],
  'air-conditioner': ['12,000 BTU inverter A/C', '18,000 BTU split A/C', '24,000 BTU inverter A/C'],
  microwave: ['25 L microwave oven', '30 L convection microwave'],
  'cooker-oven': ['4-burner gas cooker with oven', 'built-in electric oven'],
  'vacuum-cleaner': ['bagless vacuum cleaner 2000 W', 'robot vacuum cleaner'],
  'water-heater': ['instant water heater', '50 L storage water heater'],
  fan: ['pedestal fan', '56" ceiling fan'],
};
const homeAppliances: DemoRecipe = {
  weight: 30,
  preset(c) {
    const [applianceType, item] = itemFor(c, 'applianceType', applianceItems);
    c.facts.item = item;
    return {
      applianceType,
      condition: weightedOption(c, 'condition', homeConditions),
      brand: weightedOption(
        c,
        'brand',
        { samsung: 20, lg: 20, panasonic: 10, haier: 8, singer: c.country === 'LK' ? 12 : 0 },
        4,
      ),
    };
  },
  title: (c) => `${c.attrs.brand && c.attrs.brand !== 'other' ? `${c.label('brand')} ` : ''}${c.facts.item}`,
  price: (c) => ({
    usd:
      (/refrigerator|fridge|A\/C|washing|oven/i.test(c.facts.item ?? '') ? 480 : 90) *
      (c.attrs.condition === 'new' ? 1 : 0.55),
  }),
  quantity: (c) => (c.attrs.condition === 'new' ? c.int(1, 6) : 1),
  features: ['Energy saving', 'Inverter', 'Warranty', 'Free delivery in town', 'Installation available'],
  intro: ['{item} for sale in {city}.', '{brand} {item}, {condition}.'],
  details: [...homeDetails, 'Works perfectly, no repairs ever.'],
};

function simpleHome(
  items: Record<string, readonly string[]>,
  key: string,
  weight: number,
  usd: readonly [number, number],
  freeShare = 0.03,
) {
  return {
    weight,
    preset(c) {
      const [value, item] = itemFor(c, key, items);
      c.facts.item = item;
      return { [key]: value, condition: weightedOption(c, 'condition', homeConditions) };
    },
    title: (c) =>
      `${capitalise(c.facts.item ?? '')}${c.attrs.condition === 'new' && c.chance(0.5) ? ' – new' : ''}`,
    price: (c) => (c.chance(freeShare) ? 'free' : { usd: c.int(usd[0], usd[1]) }),
    quantity: (c) => (c.attrs.condition === 'new' ? c.int(1, 10) : 1),
    features: ['Never used', 'Original packaging', 'Collect today'],
    intro: ['{item} for sale in {city}.', '{item}, {condition}.'],
    details: homeDetails,
  } satisfies DemoRecipe;
}

const kitchen = simpleHome(
  {
    cookware: ['Prestige pressure cooker 5 L', 'non-stick cookware set (7 pieces)', 'cast iron skillet'],
    'small-appliances': [
      'Philips blender 600 W',
      'air fryer 5.5 L',
      'rice cooker 1.8 L',
      'Nespresso coffee machine',
    ],
    dinnerware: ['Dankotuwa porcelain dinner set (32 pieces)', 'Noritake dinner set'],
    cutlery: ['stainless steel cutlery set (24 pieces)'],
    storage: ['glass food containers (set of 10)'],
  },
  'itemType',
  12,
  [12, 220],
);
const homeDecor = simpleHome(
  {
    lighting: ['brass ceiling lamp', 'rattan pendant light', 'floor lamp'],
    'rugs-carpets': ['handwoven rug 5 x 8 ft', 'Persian-style carpet 2 x 3 m'],
    'curtains-blinds': ['blackout curtains (pair)', 'bamboo blinds'],
    'wall-art': ['framed canvas print 90 x 60 cm', 'batik wall hanging'],
    mirrors: ['round wall mirror 80 cm'],
    clocks: ['wooden wall clock'],
  },
  'itemType',
  10,
  [10, 180],
);
const garden = simpleHome(
  {
    plants: ['anthurium plants (10 pots)', 'orchids in bloom', 'date palm saplings', 'bougainvillea plants'],
    seeds: ['vegetable seed pack (20 varieties)'],
    'pots-planters': ['clay pots (set of 5)', 'large ceramic planters'],
    'garden-tools': ['petrol lawn mower', 'garden hose 30 m with reel'],
    'outdoor-furniture': ['teak garden bench', 'rattan outdoor set'],
    'bbq-grills': ['charcoal BBQ grill', 'Weber gas grill'],
  },
  'itemType',
  10,
  [8, 350],
);
const tools: DemoRecipe = {
  ...simpleHome(
    {
      'power-tools': ['Makita cordless drill 18 V', 'Bosch angle grinder 720 W', 'DeWalt circular saw'],
      'hand-tools': ['Stanley tool kit (65 pieces)', 'spanner set'],
      generators: ['Honda EU22i inverter generator', '3 kVA petrol generator'],
      ladders: ['aluminium ladder 12 ft'],
      welding: ['inverter welding machine 200 A'],
    },
    'toolType',
    12,
    [20, 650],
    0,
  ),
  hints: {
    powerSource: (c) =>
      ({
        'power-tools': /cordless/.test(c.facts.item ?? '') ? 'cordless' : 'corded-electric',
        'hand-tools': 'manual',
        generators: 'petrol',
        ladders: null,
        welding: 'corded-electric',
      })[String(c.attrs.toolType)],
  },
};

// ---------------------------------------------------------------------------------------------
// Fashion
// ---------------------------------------------------------------------------------------------

const fashionConditions = { 'new-with-tags': 40, 'new-without-tags': 20, used: 40 };
const fashionDetails = [
  'Worn only once for a function.',
  'Original, bought from the brand store.',
  'Washed and ironed, ready to wear.',
  'Measurements available on request.',
  'Cash on delivery available.',
];
const genderWord: Record<string, string> = {
  men: "Men's",
  women: "Women's",
  unisex: 'Unisex',
  boys: "Boys'",
  girls: "Girls'",
};
const clothingItems: Record<string, readonly string[]> = {
  'tops-shirts': ['linen shirt', 'polo T-shirt', 'blouse', 'oversized hoodie'],
  'trousers-jeans': ['slim fit jeans', 'chino trousers', 'cargo pants'],
  'dresses-skirts': ['maxi dress', 'floral midi skirt', 'cocktail dress'],
  'jackets-coats': ['denim jacket', 'puffer jacket', 'wool blazer'],
  suits: ['two-piece suit', 'three-piece wedding suit'],
  sportswear: ['football jersey', 'running shorts', 'tracksuit'],
};
const clothing: DemoRecipe = {
  weight: 15,
  preset(c) {
    const [clothingType, item] = itemFor(c, 'clothingType', clothingItems);
    c.facts.item = item;
    c.facts.brand = c.pick([
      'Zara',
      'H&M',
      "Levi's",
      'Odel',
      'Nike',
      'Adidas',
      'Uniqlo',
      'Mango',
      'Cotton Collection',
    ]);
    const feminine = /dress|skirt|blouse/.test(item);
    return {
      clothingType,
      gender: feminine
        ? 'women'
        : weightedOption(c, 'gender', { men: 45, women: 35, unisex: 10, boys: 5, girls: 5 }),
      condition: weightedOption(c, 'condition', fashionConditions),
    };
  },
  hints: { size: (c) => weightedOption(c, 'size', { s: 15, m: 30, l: 30, xl: 15, xxl: 6, xs: 4 }) },
  title: (c) =>
    `${c.facts.brand} ${(genderWord[String(c.attrs.gender)] ?? '').toLowerCase()} ${c.facts.item}, size ${c.label('size') || 'M'}`.replace(
      / +/g,
      ' ',
    ),
  price: (c) => ({ usd: c.int(8, 90) * (String(c.attrs.condition).startsWith('new') ? 1 : 0.5) }),
  quantity: (c) => (c.attrs.condition === 'new-with-tags' ? c.int(1, 12) : 1),
  features: ['Original tags', 'Cotton', 'Machine washable'],
  intro: ['{brand} {item}, size {size}.', '{item} for sale.'],
  details: fashionDetails,
};
const traditionalItems: Record<DemoCountry, readonly (readonly [string, string, string])[]> = {
  LK: [
    ['saree', 'Handloom cotton saree', 'women'],
    ['saree', 'Silk saree with gold border', 'women'],
    ['osariya', 'Kandyan osariya, silk', 'women'],
    ['sarong', 'Batik sarong', 'men'],
    ['kurta', 'Embroidered kurta', 'men'],
    ['salwar-kameez', 'Salwar kameez set', 'women'],
  ],
  SA: [
    ['abaya', 'Embroidered black abaya', 'women'],
    ['thobe', 'White thobe (Saudi cut)', 'men'],
    ['thobe', 'Winter thobe, wool blend', 'men'],
    ['abaya', 'Open abaya with belt', 'women'],
  ],
  AE: [
    ['abaya', 'Designer abaya with crystal work', 'women'],
    ['thobe', 'Emirati kandura', 'men'],
    ['kurta', 'Eid kurta set', 'men'],
    ['salwar-kameez', 'Party salwar kameez', 'women'],
  ],
};
const traditionalWear: DemoRecipe = {
  weight: 12,
  preset(c) {
    const [garmentType, item, gender] = c.pick(traditionalItems[c.country]);
    c.facts.item = item;
    return { garmentType, gender, condition: weightedOption(c, 'condition', fashionConditions) };
  },
  hints: {
    size: (c) =>
      c.attrs.garmentType === 'saree' || c.attrs.garmentType === 'sarong' ? 'one-size' : undefined,
  },
  title: (c) =>
    `${c.facts.item}${c.attrs.size && c.attrs.size !== 'one-size' ? `, size ${c.label('size')}` : ''}`,
  price: (c) => ({ usd: c.int(15, 260) }),
  quantity: (c) => (c.attrs.condition === 'new-with-tags' ? c.int(1, 6) : 1),
  features: ['Blouse piece included', 'Hand embroidered', 'Dry clean only'],
  intro: ['{item} for sale.', 'Beautiful {item}, perfect for weddings and Eid.'],
  details: fashionDetails,
};
const shoeItems: readonly (readonly [string, number])[] = [
  ['Nike Air Force 1', 110],
  ['Adidas Ultraboost', 180],
  ['Clarks leather formal shoes', 120],
  ['Bata school shoes', 18],
  ['Skechers Go Walk', 70],
  ['Timberland boots', 170],
  ['Puma running shoes', 80],
  ['Converse Chuck Taylor', 60],
  ['DSI sandals', 9],
];
const shoes: DemoRecipe = {
  weight: 12,
  preset(c) {
    const [item, usd] = c.pick(shoeItems);
    c.facts.item = item;
    c.facts.usd = String(usd);
    return {
      condition: weightedOption(c, 'condition', fashionConditions),
      gender: weightedOption(c, 'gender', { men: 45, women: 35, unisex: 15, boys: 3, girls: 2 }),
    };
  },
  hints: {
    shoeSizeEu: (c) => c.int(c.attrs.gender === 'women' ? 36 : 39, c.attrs.gender === 'women' ? 41 : 46),
  },
  title: (c) => `${c.facts.item}, EU ${c.attrs.shoeSizeEu ?? 42}`,
  price: (c) => ({ usd: Number(c.facts.usd) * (c.attrs.condition === 'used' ? 0.45 : 1) }),
  features: ['Original box', 'Worn twice', 'Genuine leather'],
  intro: ['{item} in size EU {shoeSizeEu}.', '{item} for sale.'],
  details: fashionDetails,
};
const bags = simpleFashion(
  {
    handbags: ['Michael Kors leather tote', 'Coach shoulder bag', 'Charles & Keith handbag'],
    backpacks: ['Samsonite laptop backpack', 'The North Face backpack'],
    wallets: ['leather bifold wallet'],
    belts: ['genuine leather belt'],
    sunglasses: ['Ray-Ban Aviator sunglasses', 'Oakley Holbrook sunglasses'],
    'hats-caps': ['New Era cap'],
    scarves: ['silk scarf'],
  },
  10,
);
function simpleFashion(items: Record<string, readonly string[]>, weight: number): DemoRecipe {
  return {
    weight,
    preset(c) {
      const [itemType, item] = itemFor(c, 'itemType', items);
      c.facts.item = item;
      return { itemType, condition: weightedOption(c, 'condition', fashionConditions) };
    },
    title: (c) => capitalise(c.facts.item ?? ''),
    price: (c) => ({ usd: c.int(12, 380) }),
    features: ['Dust bag included', 'Authentic', 'Receipt available'],
    intro: ['{item} for sale.', '{item}, {condition}.'],
    details: fashionDetails,
  };
}

const watchItems: Record<string, readonly (readonly [string, string, number])[]> = {
  rolex: [
    ['Submariner Date', 'automatic', 12_000],
    ['Datejust 41', 'automatic', 10_000],
  ],
  omega: [
    ['Seamaster Diver 300M', 'automatic', 4_500],
    ['Speedmaster Moonwatch', 'mechanical', 6_000],
  ],
  'tag-heuer': [['Carrera Calibre 5', 'automatic', 2_600]],
  tissot: [
    ['PRX Powermatic 80', 'automatic', 550],
    ['Le Locle', 'automatic', 500],
  ],
  seiko: [
    ['5 Sports SRPD', 'automatic', 260],
    ['Presage Cocktail Time', 'automatic', 420],
    ['Prospex Turtle', 'automatic', 400],
  ],
  citizen: [['Eco-Drive Promaster', 'quartz', 280]],
  casio: [
    ['G-Shock GA-2100', 'quartz', 100],
    ['Edifice chronograph', 'quartz', 140],
  ],
  apple: [
    ['Watch Series 9', 'smartwatch', 380],
    ['Watch Ultra 2', 'smartwatch', 780],
  ],
  samsung: [['Galaxy Watch6', 'smartwatch', 280]],
  garmin: [
    ['Fenix 7', 'smartwatch', 650],
    ['Forerunner 255', 'smartwatch', 330],
  ],
};
const watches: DemoRecipe = {
  weight: 15,
  preset(c) {
    const [brand, [item, movement, usd]] = itemFor(c, 'brand', watchItems);
    c.facts.item = item;
    c.facts.usd = String(usd);
    return { brand, movement, condition: weightedOption(c, 'condition', fashionConditions) };
  },
  hints: { gender: (c) => weightedOption(c, 'gender', { men: 70, unisex: 20, women: 10 }) },
  title: (c) => `${c.label('brand')} ${c.facts.item}${c.chance(0.4) ? ', full set' : ''}`,
  price: (c) => ({ usd: Number(c.facts.usd) * (c.attrs.condition === 'used' ? 0.75 : 1) }),
  features: ['Box and papers', 'Warranty card', 'Extra strap', 'Serviced last year'],
  intro: ['{brand} {item} for sale.', 'Authentic {item}, {condition}.'],
  details: [...fashionDetails, 'Keeps perfect time.', 'Authenticity guaranteed, can meet at the dealer.'],
};
const jewelleryWords: Record<string, string> = {
  rings: 'ring',
  'necklaces-chains': 'necklace',
  'bracelets-bangles': 'bangle',
  earrings: 'earrings',
  sets: 'jewellery set',
};
const jewellery: DemoRecipe = {
  weight: 10,
  preset(c) {
    const material = weightedOption(c, 'material', {
      gold: 45,
      'white-gold': 15,
      silver: 25,
      platinum: 5,
      fashion: 10,
    });
    const values: Record<string, AttributeValue> = {
      itemType: weightedOption(c, 'itemType', {}, 1),
      material,
      condition: weightedOption(c, 'condition', fashionConditions),
    };
    if (material === 'gold' || material === 'white-gold')
      values.goldKarat = weightedOption(c, 'goldKarat', { '22k': 50, '18k': 30, '21k': 15, '24k': 5 });
    values.weightGrams = Math.round(c.int(200, 4_000)) / 100;
    c.facts.stone = c.country === 'LK' && c.chance(0.3) ? 'blue sapphire ' : '';
    return values;
  },
  hints: { goldKarat: () => null },
  title(c) {
    const item = jewelleryWords[String(c.attrs.itemType)] ?? 'ring';
    if (c.attrs.material === 'fashion') return `Fashion jewellery: ${item}`;
    const metal = c.attrs.goldKarat
      ? `${c.label('goldKarat')} ${c.label('material').toLowerCase()}`
      : c.label('material').toLowerCase();
    return capitalise(`${c.facts.stone}${item} in ${metal}, ${c.attrs.weightGrams} g`);
  },
  price(c) {
    const grams = Number(c.attrs.weightGrams ?? 5);
    const perGram = c.attrs.goldKarat
      ? 62
      : c.attrs.material === 'platinum'
        ? 35
        : c.attrs.material === 'silver'
          ? 1.5
          : 0.8;
    return { usd: grams * perGram * 1.15 + (c.facts.stone ? 900 : 0) };
  },
  features: ['Hallmarked', 'Certificate included', 'Gift box'],
  intro: ['{itemType} in {material}, {weightGrams} g.', 'Elegant {itemType} for sale.'],
  details: [...fashionDetails, 'Purity tested, certificate available.', 'Can be checked at any jeweller.'],
};

// ---------------------------------------------------------------------------------------------
// Collectibles
// ---------------------------------------------------------------------------------------------

const collectibleConditions = { mint: 15, excellent: 35, good: 35, fair: 12, poor: 3 };
const collectibleDetails = [
  'From a private collection built over 30 years.',
  'Stored in acid-free sleeves.',
  'More photos on request.',
  'Registered post available.',
  'Genuine, no reproductions.',
];
const coinItems: readonly (readonly [string, string, string, number])[] = [
  ['Ceylon 1 cent, King George V', 'coin', 'Ceylon', 1912],
  ['Ceylon 5 cents, King Edward VII', 'coin', 'Ceylon', 1909],
  ['Ceylon 1 rupee, Queen Elizabeth II', 'coin', 'Ceylon', 1957],
  ['Sri Lanka 1000 rupees banknote', 'banknote', 'Sri Lanka', 1981],
  ['Ceylon coin set (8 coins)', 'set', 'Ceylon', 1963],
  ['Saudi Arabia 1 riyal banknote', 'banknote', 'Saudi Arabia', 1984],
  ['UAE 1 dirham coin, first issue', 'coin', 'United Arab Emirates', 1973],
  ['British India 1 rupee silver coin', 'coin', 'British India', 1918],
];
const coins: DemoRecipe = {
  weight: 6,
  preset(c) {
    const [item, itemType, country, year] = c.pick(coinItems);
    c.facts.item = item;
    return { itemType, country, year, condition: weightedOption(c, 'condition', collectibleConditions) };
  },
  title: (c) => `${c.facts.item} (${c.attrs.year})`,
  price: (c) => ({ usd: c.int(5, 400) }),
  features: ['Certificate', 'Coin holder'],
  intro: ['{item}, {year}.', '{item} in {condition} condition.'],
  details: collectibleDetails,
};
const stamps: DemoRecipe = {
  weight: 4,
  preset(c) {
    const [item, country, format] = c.pick([
      ['Ceylon Queen Victoria stamps (lot of 40)', 'Ceylon', 'single'],
      ['Sri Lanka first day covers of the 1980s (25 covers)', 'Sri Lanka', 'first-day-cover'],
      ['UAE 1973 definitives, mint block', 'United Arab Emirates', 'block'],
      ['Saudi Arabia stamp album, 300+ stamps', 'Saudi Arabia', 'album'],
      ['Ceylon 1950s full sheet', 'Ceylon', 'sheet'],
    ] as const);
    c.facts.item = item;
    return { country, format, condition: weightedOption(c, 'condition', collectibleConditions) };
  },
  title: (c) => c.facts.item ?? 'Stamp collection',
  price: (c) => ({ usd: c.int(10, 600) }),
  intro: ['{item}.', 'Stamp collection for sale: {item}.'],
  details: collectibleDetails,
};
const antiques: DemoRecipe = {
  weight: 5,
  preset(c) {
    const [item, era, material] = c.pick([
      ['Dutch colonial brass oil lamp', '1800-1899', 'brass-bronze'],
      ['Victorian porcelain tea set', '1800-1899', 'porcelain-ceramic'],
      ['Antique teak almirah', '1900-1949', 'wood'],
      ['Brass betel tray (bulath heppuwa)', '1900-1949', 'brass-bronze'],
      ['Arabic dallah coffee pot', '1900-1949', 'brass-bronze'],
      ['Persian silk rug', '1950-1979', 'textile'],
      ['Silver tea service', 'before-1800', 'silver'],
    ] as const);
    c.facts.item = item;
    return { era, material, condition: weightedOption(c, 'condition', collectibleConditions) };
  },
  title: (c) => `${c.facts.item} (${c.label('era')})`,
  price: (c) => ({ usd: c.int(80, 2_500) }),
  intro: ['{item} from the period {era}.', 'Rare antique: {item}.'],
  details: collectibleDetails,
};
const artists = [
  'Ruwan Jayawardena',
  'Amaya Senanayake',
  'Layla Al Hashimi',
  'Omar Haddad',
  'Nadeesha Perera',
  'Yusuf Karim',
];
const art: DemoRecipe = {
  weight: 6,
  preset(c) {
    const [item, medium] = c.pick([
      ['Galle Fort at dusk', 'oil'],
      ['Tea fields of Ella', 'watercolour'],
      ['Desert dunes at sunset', 'acrylic'],
      ['Dubai skyline, limited edition print', 'print'],
      ['Fishermen of Negombo', 'photography'],
      ['Bronze elephant', 'sculpture'],
      ['Abstract in blue', 'mixed-media'],
    ] as const);
    c.facts.item = item;
    return { medium, condition: 'excellent' };
  },
  hints: { artist: (c) => c.pick(artists), framed: (c) => c.attrs.medium !== 'sculpture' && c.chance(0.7) },
  title: (c) =>
    `"${c.facts.item}" – original ${c.label('medium').toLowerCase()}${c.attrs.artist ? ` by ${c.attrs.artist}` : ''}`,
  price: (c) => ({ usd: c.int(90, 3_000) }),
  negotiable: 0.4,
  intro: ['Original artwork: {item}.', '{item}, {medium}, signed by the artist.'],
  details: [
    'Signed and dated by the artist.',
    'Certificate of authenticity included.',
    ...collectibleDetails,
  ],
};
const tradingCards: DemoRecipe = {
  weight: 5,
  preset(c) {
    const [item, game] = c.pick([
      ["Pokémon Charizard VMAX (Champion's Path)", 'pokemon'],
      ['Pokémon Scarlet & Violet booster box, sealed', 'pokemon'],
      ['Magic: The Gathering Commander deck', 'magic-the-gathering'],
      ['Yu-Gi-Oh! Blue-Eyes White Dragon, 1st edition', 'yu-gi-oh'],
      ['Cricket World Cup 2023 card set', 'sports'],
    ] as const);
    c.facts.item = item;
    return { game, condition: weightedOption(c, 'condition', collectibleConditions) };
  },
  hints: { graded: (c) => c.chance(0.25) },
  title: (c) => `${c.facts.item}${c.attrs.graded ? ', PSA graded' : ''}`,
  price: (c) => ({ usd: c.int(15, 900) }),
  intro: ['{item}.', 'For collectors: {item}.'],
  details: collectibleDetails,
};
const toys: DemoRecipe = {
  weight: 6,
  preset(c) {
    const [item, brand] = c.pick([
      ['LEGO Technic 42115 Lamborghini Sián', 'LEGO'],
      ['Hot Wheels collection (50 cars)', 'Hot Wheels'],
      ['Gundam RG 1/144 model kit', 'Bandai'],
      ['Funko Pop! Marvel (set of 6)', 'Funko'],
      ['Nerf Elite 2.0 blaster', 'Hasbro'],
      ['Barbie Dreamhouse', 'Mattel'],
    ] as const);
    c.facts.item = item;
    return { brand, condition: weightedOption(c, 'condition', collectibleConditions) };
  },
  hints: { inOriginalBox: (c) => c.chance(0.6) },
  title: (c) => `${c.facts.item}${c.attrs.inOriginalBox ? ', boxed' : ''}`,
  price: (c) => ({ usd: c.int(15, 450) }),
  intro: ['{item} for sale.', '{item}, complete.'],
  details: [...collectibleDetails, 'All pieces included, instructions available.'],
};

// ---------------------------------------------------------------------------------------------
// Services
// ---------------------------------------------------------------------------------------------

const serviceDetails = [
  'Over ten years of experience.',
  'Free quotation, no hidden charges.',
  'Available seven days a week.',
  'Fully insured and registered business.',
  'Hundreds of happy customers; references on request.',
  'Same-day service in most areas.',
];
const serviceClosings = [
  'Call or WhatsApp to book.',
  'Message us here for a free quote.',
  'Book a week ahead for weekends.',
  'We reply within the hour during working days.',
];
const serviceArea = (c: DemoContext) =>
  c.chance(0.3)
    ? `All of ${c.country === 'LK' ? 'Sri Lanka' : c.country === 'SA' ? 'Saudi Arabia' : 'the UAE'}`
    : [c.city, ...c.nearbyCities.slice(0, c.int(1, 3))].join(', ');

function service(
  key: string,
  weight: number,
  titles: Record<string, readonly string[]>,
  usd: readonly [number, number],
  per: 'hour' | 'visit' | 'day' | 'event',
): DemoRecipe {
  return {
    weight,
    countryFactor: { LK: 0.35, SA: 1, AE: 1.2 },
    negotiable: 0.5,
    preset(c) {
      const [value, title] = itemFor(c, key, titles);
      c.facts.item = title.replace('{city}', c.city);
      return { [key]: value };
    },
    hints: { serviceArea, emergencyCallouts: (c) => c.chance(0.4), homeVisits: (c) => c.chance(0.6) },
    title: (c) => c.facts.item ?? '',
    price: (c) => ({ usd: c.int(usd[0], usd[1]), per }),
    features: ['Free quotation', 'Weekend appointments', 'Card payments accepted', 'Warranty on work'],
    intro: ['{item}.', 'Professional service: {item}.', 'We offer {serviceType} in {serviceArea}.'],
    details: serviceDetails,
    closings: serviceClosings,
  };
}

const homeRepair = service(
  'serviceType',
  6,
  {
    plumbing: ['Plumbing repairs in {city} – same day', 'Plumber for leaks, tanks and bathroom fittings'],
    electrical: ['Electrician for houses and offices', 'House wiring and DB board upgrades'],
    carpentry: ['Carpentry: doors, cupboards and pantry work'],
    painting: ['House painting, inside and out'],
    masonry: ['Masonry and tiling work'],
    roofing: ['Roof repairs and gutter cleaning before the rains'],
    'ac-repair': ['A/C repair, service and gas refill in {city}'],
    'appliance-repair': ['Washing machine and fridge repairs at home'],
  },
  [8, 45],
  'visit',
);
const cleaning = service(
  'serviceType',
  4,
  {
    home: ['Home cleaning in {city}, weekly or one-off'],
    office: ['Office cleaning contracts'],
    'deep-cleaning': ['Deep cleaning for move-in and move-out'],
    'carpet-upholstery': ['Sofa and carpet shampooing'],
    'pest-control': ['Termite and pest control, guaranteed'],
  },
  [10, 30],
  'hour',
);
const moving = service(
  'serviceType',
  4,
  {
    'house-moving': ['House moving with lorry and crew'],
    'office-moving': ['Office relocation over the weekend'],
    'goods-transport': ['Goods transport island-wide'],
    'vehicle-towing': ['Vehicle towing 24/7 in {city}'],
    'airport-transfers': ['Airport transfers from {city}'],
  },
  [25, 220],
  'day',
);
const events = service(
  'serviceType',
  4,
  {
    catering: ['Catering for 50 to 500 guests'],
    'photography-videography': ['Wedding photography and video packages'],
    decoration: ['Birthday and wedding decorations'],
    'dj-music': ['DJ and sound system for parties'],
    venue: ['Garden venue for weddings and events'],
    'wedding-planning': ['Wedding planning from start to finish'],
  },
  [250, 3_000],
  'event',
);
const beauty = service(
  'serviceType',
  3,
  {
    hair: ['Haircuts and colour, home visits'],
    makeup: ['Bridal makeup and dressing'],
    nails: ['Gel nails and nail art'],
    'spa-massage': ['Ayurvedic massage and spa treatments'],
    'fitness-training': ['Personal trainer, home or gym sessions'],
  },
  [10, 120],
  'visit',
);
const itServices = service(
  'serviceType',
  3,
  {
    'web-development': ['Websites for small businesses'],
    'app-development': ['Android and iOS app development'],
    'graphic-design': ['Logo and brand design'],
    'digital-marketing': ['Social media marketing that brings customers'],
    'computer-repair': ['Laptop and PC repair, data recovery'],
  },
  [15, 60],
  'hour',
);
const subjects: readonly (readonly [string, string])[] = [
  ['Mathematics', 'advanced'],
  ['Physics', 'advanced'],
  ['Chemistry', 'advanced'],
  ['Biology', 'advanced'],
  ['English', 'secondary'],
  ['Arabic', 'adult'],
  ['Sinhala', 'primary'],
  ['ICT', 'secondary'],
  ['Accounting', 'advanced'],
  ['Piano', 'adult'],
  ['Guitar', 'adult'],
  ['IELTS preparation', 'adult'],
  ['Calculus', 'university'],
];
const tutoring: DemoRecipe = {
  ...service(
    'lessonMode',
    6,
    { online: [''], 'in-person': [''], 'online-and-in-person': [''] },
    [5, 35],
    'hour',
  ),
  preset(c) {
    const [subject, level] = c.pick(subjects);
    return { subject, level };
  },
  hints: { serviceArea, lessonMode: (c) => weightedOption(c, 'lessonMode', {}, 1) },
  title(c) {
    const level =
      c.attrs.level === 'advanced'
        ? c.country === 'LK'
          ? 'A/L '
          : 'IB and A-level '
        : c.attrs.level === 'secondary'
          ? c.country === 'LK'
            ? 'O/L '
            : 'GCSE '
          : '';
    const mode = c.attrs.lessonMode === 'online' ? ' (online)' : ` in ${c.city}`;
    return `${level}${c.attrs.subject} classes${mode}`;
  },
  intro: ['{subject} lessons, {level} level.', 'Experienced teacher offering {subject} classes.'],
  details: [
    'Small groups and individual classes.',
    'Past papers and model papers covered.',
    ...serviceDetails.slice(0, 3),
  ],
};

// ---------------------------------------------------------------------------------------------
// Showcase
// ---------------------------------------------------------------------------------------------

const showcaseDetails = [
  'Built by a small independent team.',
  'We ship updates every two weeks and read every piece of feedback.',
  'Free trial, no credit card required.',
  'Your data stays yours: export everything at any time.',
  'Available in English, Sinhala, Tamil and Arabic.',
];
function showcaseRecipe(
  weight: number,
  products: readonly (readonly [string, string])[],
  usd?: readonly [number, number],
): DemoRecipe {
  return {
    weight,
    kind: 'showcase',
    preset(c) {
      const [name, tagline] = c.pick(products);
      c.facts.item = name;
      c.facts.tagline = tagline;
      return { website: `https://${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example` };
    },
    title: (c) => `${c.facts.item} – ${c.facts.tagline}`,
    price: (c) => (usd && c.attrs.stage !== 'prototype' ? { usd: c.int(usd[0], usd[1]) } : null),
    negotiable: 0,
    intro: ['{item}: {tagline}.', 'Meet {item}, {tagline}.'],
    details: showcaseDetails,
    closings: [
      'Try it and tell us what you think.',
      'Questions? Message the makers here.',
      'More at {website}.',
    ],
  };
}
const apps = showcaseRecipe(4, [
  ['Tasklane', 'a calm to-do list for small teams'],
  ['Lanka Bus Times', 'every bus route in Sri Lanka, offline'],
  ['Majlis', 'plan family gatherings together'],
  ['Thrift Ledger', 'budgeting in rupees, riyals and dirhams'],
  ['Walkwise', 'step goals that adapt to the heat'],
]);
const hardware = showcaseRecipe(
  3,
  [
    ['Kettle One', 'a smart kettle that knows your tea'],
    ['SunBox', 'a solar power bank for power cuts'],
    ['Loomi', 'a LoRa weather station for farms'],
  ],
  [39, 249],
);
const devTools = showcaseRecipe(3, [
  ['Quillstack', 'open-source API mocking from the command line'],
  ['pgpeek', 'see what your PostgreSQL queries really do'],
  ['Logroller', 'structured logs you can actually read'],
]);
const aiTools = showcaseRecipe(3, [
  ['Scribely', 'meeting notes in Sinhala, Tamil and English'],
  ['Lekha', 'invoices read and filed for you'],
  ['Pixforge', 'product photos with clean backgrounds'],
]);
const games = showcaseRecipe(3, [
  ['Tuk Tuk Rush', 'arcade racing through Colombo traffic'],
  ['Desert Drift', 'a dune-bashing racer'],
  ['Spice Route', 'a trading strategy game across the Indian Ocean'],
]);

/** Recipes by category slug; a leaf of the demo taxonomy without one gets no demo listings. */
export const demoRecipes: Record<string, DemoRecipe> = {
  cars,
  motorcycles,
  vans,
  'three-wheelers': threeWheelers,
  'lorries-trucks': lorries,
  buses,
  'auto-parts-accessories': autoParts,
  'houses-for-sale': housesForSale,
  'houses-for-rent': housesForRent,
  'apartments-for-sale': apartmentsForSale,
  'apartments-for-rent': apartmentsForRent,
  land,
  'commercial-property': commercial,
  'mobile-phones': mobilePhones,
  laptops,
  desktops,
  tablets,
  'computer-accessories': computerAccessories,
  tvs,
  cameras,
  audio,
  'video-games-consoles': videoGames,
  furniture,
  'home-appliances': homeAppliances,
  'kitchen-dining': kitchen,
  'home-decor': homeDecor,
  'garden-outdoor': garden,
  'tools-diy': tools,
  clothing,
  'traditional-wear': traditionalWear,
  shoes,
  'bags-accessories': bags,
  watches,
  jewellery,
  'coins-banknotes': coins,
  stamps,
  antiques,
  art,
  'trading-cards': tradingCards,
  'toys-figures': toys,
  'home-repair-maintenance': homeRepair,
  cleaning,
  'moving-transport': moving,
  'tutoring-lessons': tutoring,
  'events-catering': events,
  'health-beauty': beauty,
  'it-digital-services': itServices,
  apps,
  'hardware-products': hardware,
  'developer-tools': devTools,
  'ai-tools': aiTools,
  games,
};
