/**
 * Writes a listings file for `npm run import` / `npm run bench:import`: N cars (CSV or JSON
 * Lines, no images) with valid, deterministic attributes. Streamed to disk, never held whole.
 *
 *   node --import tsx bench/import-file.ts OUT.csv [ROWS] [--seed S]
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { stringify } from 'csv-stringify/sync';
import { carMakes } from '../apps/api/src/modules/catalog/demo/vehicle-makes.data.js';

const CITIES = ['colombo', 'kandy', 'galle', 'negombo', 'jaffna', 'riyadh', 'jeddah', 'dubai', 'sharjah'];
const FUELS = ['petrol', 'diesel', 'hybrid', 'electric'];
const TRANSMISSIONS = ['automatic', 'manual', 'cvt'];
const CONDITIONS = ['used', 'reconditioned', 'brand-new'];
const FEATURES = [
  'Reverse camera',
  'Alloy wheels',
  'Sunroof',
  'Leather seats',
  'Navigation',
  'Cruise control',
];
const HEADER = [
  'external_id',
  'category',
  'title',
  'description',
  'price',
  'currency',
  'price_type',
  'condition',
  'quantity',
  'city',
  'latitude',
  'longitude',
  'features',
  'images',
  'status',
  'attr.make',
  'attr.model',
  'attr.year',
  'attr.mileageKm',
  'attr.fuel',
  'attr.transmission',
  'attr.condition',
];

/** A small deterministic generator (mulberry32): the same seed writes the same file. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function writeImportFile(
  path: string,
  rows: number,
  options: { seed?: number; format?: 'csv' | 'jsonl' } = {},
) {
  const format = options.format ?? (path.endsWith('.jsonl') ? 'jsonl' : 'csv');
  const next = random(options.seed ?? 1);
  const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)] as T;
  const out = createWriteStream(path);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  if (format === 'csv') await write(stringify([HEADER]));
  for (let index = 1; index <= rows; index++) {
    const make = pick(carMakes);
    const model = pick(make.models);
    const year = 2000 + Math.floor(next() * 26);
    const row = {
      external_id: `STOCK-${String(index).padStart(7, '0')}`,
      category: 'cars',
      title: `${make.label} ${model.label} ${year}`,
      description: `${make.label} ${model.label}, ${year}. Full service history, one owner.\nInspection welcome.`,
      price: String(1_000_000 + Math.floor(next() * 20_000_000)),
      currency: 'LKR',
      price_type: 'fixed',
      condition: 'used',
      quantity: '1',
      city: pick(CITIES),
      features: [pick(FEATURES), pick(FEATURES)].filter((value, i, all) => all.indexOf(value) === i),
      status: 'active',
      attributes: {
        make: make.value,
        model: model.value,
        year,
        mileageKm: Math.floor(next() * 250_000),
        fuel: pick(FUELS),
        transmission: pick(TRANSMISSIONS),
        condition: pick(CONDITIONS),
      },
    };
    if (format === 'jsonl') {
      await write(`${JSON.stringify({ ...row, price: Number(row.price), quantity: 1 })}\n`);
    } else {
      const a = row.attributes;
      await write(
        stringify([
          [
            row.external_id,
            row.category,
            row.title,
            row.description,
            row.price,
            row.currency,
            row.price_type,
            row.condition,
            row.quantity,
            row.city,
            '',
            '',
            row.features.join('|'),
            '',
            row.status,
            a.make,
            a.model,
            a.year,
            a.mileageKm,
            a.fuel,
            a.transmission,
            a.condition,
          ],
        ]),
      );
    }
  }
  out.end();
  await once(out, 'finish');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [path, count] = process.argv.slice(2);
  if (!path) {
    console.error('usage: node --import tsx bench/import-file.ts OUT.csv|OUT.jsonl [ROWS]');
    process.exit(2);
  }
  await writeImportFile(path, Number(count ?? 100_000));
  console.log(`wrote ${path}`);
}
