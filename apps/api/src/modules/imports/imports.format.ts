import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { type FieldError, MARKET_CURRENCIES } from '@souk/contracts';
import { parse as parseCsv } from 'csv-parse';
import { type CsvCell, csvLine, readCsvText } from '../../platform/csv.js';
import { unstorableTextIn } from '../../platform/http/nul-guard.js';
import type { ExportedListing, ImportRowInput } from '../listings/index.js';
import type { ImportFormat } from './imports.schema.js';

/*
 * The file format of imports and exports (docs/import.md): one listing per CSV row (with a
 * header) or JSON line. Both use the same field names; CSV writes attributes as `attr.<key>`
 * columns and lists (features, images, multi-choice attributes) separated by `|`.
 */

export const CSV_COLUMNS = [
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
] as const;
export const ATTRIBUTE_PREFIX = 'attr.';
const CURRENCIES = new Set<string>(MARKET_CURRENCIES);
const STATUSES = new Set(['draft', 'active', 'sold', 'expired']);
const CONDITIONS = new Set(['new', 'used', 'refurbished']);
const PRICE_TYPES = new Set(['fixed', 'negotiable', 'free']);

/**
 * A record read from the file: its row (CSV: the spreadsheet row, the header being row 1; JSON
 * Lines: the line) and fields, or why the line is unreadable.
 */
export type RawRecord = { line: number; fields: Record<string, unknown> } | { line: number; error: string };

/**
 * A record with text PostgreSQL cannot store (a NUL, an unpaired surrogate) fails whole, naming
 * the field without quoting it: stored in a row or in its failure, it would stop the import.
 */
function storable(line: number, fields: Record<string, unknown>): RawRecord {
  const [first] = unstorableTextIn(fields, '');
  return first ? { line, error: `${first.path}: ${first.message}` } : { line, fields };
}

/** Counts the bytes that pass, for progress. */
export function countingStream(source: Readable, onBytes: (total: number) => void): Readable {
  let total = 0;
  source.on('data', (chunk: Buffer) => {
    total += chunk.length;
    onBytes(total);
  });
  return source;
}

/** The records of a listings file, streamed: the file is never held whole. */
export async function* readRecords(source: Readable, format: ImportFormat): AsyncGenerator<RawRecord> {
  if (format === 'jsonl') {
    const lines = createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
    let line = 0;
    for await (const text of lines) {
      line++;
      const trimmed = line === 1 ? text.replace(/^\uFEFF/, '').trim() : text.trim();
      if (trimmed === '') continue;
      try {
        const value = JSON.parse(trimmed);
        if (!value || typeof value !== 'object' || Array.isArray(value))
          yield { line, error: 'the line is not a JSON object' };
        else yield storable(line, value as Record<string, unknown>);
      } catch {
        yield { line, error: 'the line is not valid JSON' };
      }
    }
    return;
  }
  const parser = source.pipe(
    parseCsv({
      bom: true,
      columns: (header: string[]) => header.map((name) => name.trim()),
      skip_empty_lines: true,
      relax_column_count: true,
      // One bad quote must not swallow the rest of the file into one field.
      max_record_size: 1_000_000,
    }),
  );
  // Spreadsheet row numbers: the header is row 1 (a quoted cell may span several lines).
  let row = 1;
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    row++;
    // Cells our export prefixed against spreadsheet formulas (platform/csv.ts) read back as written.
    for (const column of Object.keys(record)) record[column] = readCsvText(record[column] as string);
    yield storable(row, record);
  }
}

/** `csv` or `jsonl` from the file name, else from the first byte (`{` is JSON Lines). */
export function detectFormat(fileName: string, firstBytes: Buffer): ImportFormat {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson') || lower.endsWith('.json')) return 'jsonl';
  if (lower.endsWith('.csv')) return 'csv';
  const first = firstBytes
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart()[0];
  return first === '{' ? 'jsonl' : 'csv';
}

export type ParsedRow = { row: ImportRowInput; images: string[] };

const text = (value: unknown): string | null => {
  if (value === undefined || value === null) return null;
  const result =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? String(value)
        : null;
  if (result === null) return null;
  return result.trim() === '' ? null : result;
};

const list = (value: unknown): string[] | null => {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value))
    return value.every((item) => typeof item === 'string')
      ? value.map((item) => item.trim()).filter(Boolean)
      : null;
  if (typeof value === 'string')
    return value
      .split('|')
      .map((item) => item.trim())
      .filter(Boolean);
  return null;
};

/** Major units as written ("7500000", "7500000.50") to minor units, exactly; null if not a price. */
export function toMinorUnits(value: unknown): number | null {
  const written = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const match = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(written);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Minor units as major units with two decimals: 750000050 -> "7500000.50". */
export function toMajorUnits(amount: number): string {
  const digits = String(amount).padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/**
 * One record as an import row, or the reason per field it cannot be one. Only the shape is
 * checked here; the listings module checks categories, cities, attributes and the lifecycle.
 */
export function parseRecord(
  fields: Record<string, unknown>,
  format: ImportFormat,
): { parsed: ParsedRow; externalId: string } | { errors: FieldError[]; externalId: string | null } {
  const errors: FieldError[] = [];
  const fail = (path: string, message: string) => errors.push({ path, message });

  const externalId = text(fields.external_id)?.trim() ?? null;
  if (!externalId) fail('external_id', 'is required');
  else if (externalId.length > 100) fail('external_id', 'use at most 100 characters');

  const category = text(fields.category)?.trim() ?? null;
  if (!category) fail('category', 'is required');

  const title = text(fields.title)?.trim() ?? null;
  if (!title) fail('title', 'is required');
  else if (title.length < 3 || title.length > 120) fail('title', 'use 3 to 120 characters');

  const description = text(fields.description) ?? '';
  if (description.length > 10_000) fail('description', 'use at most 10,000 characters');

  const priceType = (text(fields.price_type)?.trim().toLowerCase() ?? null) as
    | 'fixed'
    | 'negotiable'
    | 'free'
    | null;
  if (priceType && !PRICE_TYPES.has(priceType)) fail('price_type', 'must be fixed, negotiable or free');
  const priceText = text(fields.price);
  const currency = text(fields.currency)?.trim().toUpperCase() ?? null;
  let price: ImportRowInput['price'] = null;
  if (priceType === 'free') {
    price = { type: 'free', amount: null, currency: null };
  } else if (priceText !== null || priceType) {
    const amount = priceText === null ? null : toMinorUnits(fields.price);
    if (priceText !== null && amount === null)
      fail(
        'price',
        `"${String(priceText).slice(0, 40)}" is not a price: write a number such as 7500000 or 7500000.50`,
      );
    if (!currency) fail('currency', 'is required with a price');
    else if (!CURRENCIES.has(currency)) fail('currency', `must be one of ${[...CURRENCIES].join(', ')}`);
    if ((priceType ?? 'fixed') === 'fixed' && priceText === null)
      fail('price', 'is required for a fixed price');
    price = { type: priceType ?? 'fixed', amount, currency };
  }

  const condition = text(fields.condition)?.trim().toLowerCase() ?? null;
  if (condition && !CONDITIONS.has(condition)) fail('condition', 'must be new, used or refurbished');

  const quantityText = text(fields.quantity)?.trim() ?? null;
  const quantity = quantityText === null ? 1 : Number(quantityText);
  if (!Number.isInteger(quantity) || quantity < 0 || quantity > 100_000)
    fail('quantity', 'must be a whole number from 0 to 100,000');

  const city = text(fields.city)?.trim() ?? null;
  const latitudeText = text(fields.latitude)?.trim() ?? null;
  const longitudeText = text(fields.longitude)?.trim() ?? null;
  let coordinates: ImportRowInput['coordinates'] = null;
  if (latitudeText !== null || longitudeText !== null) {
    const latitude = Number(latitudeText);
    const longitude = Number(longitudeText);
    if (latitudeText === null || !Number.isFinite(latitude) || latitude < -90 || latitude > 90)
      fail('latitude', 'must be a number from -90 to 90 (with longitude)');
    if (longitudeText === null || !Number.isFinite(longitude) || longitude < -180 || longitude > 180)
      fail('longitude', 'must be a number from -180 to 180 (with latitude)');
    coordinates = { latitude, longitude };
  }

  const features = list(fields.features);
  if (!features) fail('features', 'must be a list of text');
  else if (features.length > 50) fail('features', 'list at most 50');
  else if (features.some((feature) => feature.length > 80))
    fail('features', 'use at most 80 characters each');

  const images = list(fields.images);
  if (!images) fail('images', 'must be a list of addresses or archive paths');
  else if (images.length > 20) fail('images', 'a listing has at most 20 images');

  const status = text(fields.status)?.trim().toLowerCase() ?? 'draft';
  if (!STATUSES.has(status)) fail('status', 'must be draft or active');

  const attributes: ImportRowInput['attributes'] = {};
  if (format === 'jsonl') {
    const given = fields.attributes ?? {};
    if (typeof given !== 'object' || Array.isArray(given)) fail('attributes', 'must be an object');
    else {
      for (const [key, value] of Object.entries(given as Record<string, unknown>)) {
        if (value === null || value === '') continue;
        if (
          typeof value === 'string' ||
          typeof value === 'number' ||
          typeof value === 'boolean' ||
          (Array.isArray(value) && value.every((item) => typeof item === 'string'))
        )
          attributes[key] = value as string;
        else fail(`attributes.${key}`, 'must be text, a number, true or false, or a list of text');
      }
    }
  } else {
    for (const [column, value] of Object.entries(fields)) {
      if (!column.startsWith(ATTRIBUTE_PREFIX)) continue;
      const cell = text(value);
      if (cell !== null) attributes[column.slice(ATTRIBUTE_PREFIX.length)] = cell;
    }
  }

  if (errors.length > 0) return { errors, externalId };
  return {
    externalId: externalId as string,
    parsed: {
      row: {
        externalId: externalId as string,
        category: category as string,
        title: title as string,
        description,
        price,
        condition: condition as ImportRowInput['condition'],
        quantity,
        city,
        coordinates,
        attributes,
        features: features as string[],
        status: status as ImportRowInput['status'],
      },
      images: images as string[],
    },
  };
}

/** `attributes.year` in a CSV file's terms: `attr.year`. */
export function fieldName(path: string, format: ImportFormat): string {
  return format === 'csv' && path.startsWith('attributes.') ? `${ATTRIBUTE_PREFIX}${path.slice(11)}` : path;
}

/** Writes listings in the import's format: a CSV header first, then one line per listing. */
export function exportWriter(format: ImportFormat, attributeKeys: string[]) {
  const header = [...CSV_COLUMNS, ...attributeKeys.map((key) => `${ATTRIBUTE_PREFIX}${key}`)];
  return {
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
    start: () => (format === 'csv' ? csvLine(header) : ''),
    line(listing: ExportedListing, images: string[]): string {
      const price = listing.price;
      if (format === 'jsonl') {
        return `${JSON.stringify({
          external_id: listing.externalId,
          category: listing.category,
          title: listing.title,
          description: listing.description,
          price:
            price?.amount === null || price?.amount === undefined ? null : Number(toMajorUnits(price.amount)),
          currency: price?.currency ?? null,
          price_type: price?.type ?? null,
          condition: listing.condition,
          quantity: listing.quantity,
          city: listing.city,
          latitude: listing.coordinates?.latitude ?? null,
          longitude: listing.coordinates?.longitude ?? null,
          features: listing.features,
          images,
          status: listing.status,
          attributes: listing.attributes,
        })}\n`;
      }
      // Numbers stay numbers (a negative longitude is no formula); text is made safe by csvLine.
      const cells: CsvCell[] = [
        listing.externalId,
        listing.category,
        listing.title,
        listing.description,
        price?.amount === null || price?.amount === undefined ? '' : toMajorUnits(price.amount),
        price?.currency ?? '',
        price?.type ?? '',
        listing.condition ?? '',
        listing.quantity,
        listing.city ?? '',
        listing.coordinates ? listing.coordinates.latitude : '',
        listing.coordinates ? listing.coordinates.longitude : '',
        listing.features.join('|'),
        images.join('|'),
        listing.status,
        ...attributeKeys.map((key) => {
          const value = listing.attributes[key];
          if (value === undefined) return '';
          return Array.isArray(value) ? value.join('|') : typeof value === 'number' ? value : String(value);
        }),
      ];
      return csvLine(cells);
    },
  };
}

/** Wraps an async iterable of strings as a readable stream (HTTP replies). */
export const streamOf = (lines: AsyncIterable<string>) => Readable.from(lines, { objectMode: false });
