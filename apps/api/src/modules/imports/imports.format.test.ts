import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ExportedListing } from '../listings/index.js';
import {
  detectFormat,
  exportWriter,
  parseRecord,
  readRecords,
  toMajorUnits,
  toMinorUnits,
} from './imports.format.js';

async function records(text: string, format: 'csv' | 'jsonl') {
  const out = [];
  for await (const record of readRecords(Readable.from([Buffer.from(text)]), format)) out.push(record);
  return out;
}

const listing: ExportedListing = {
  id: '01900000-0000-7000-8000-000000000001',
  sellerId: '01900000-0000-7000-8000-000000000002',
  externalId: 'X-1',
  category: 'cars',
  title: 'A car, "mint" condition',
  description: 'Line one\nLine two, with a comma',
  price: { type: 'negotiable', amount: 750_000_05, currency: 'LKR' },
  condition: 'used',
  quantity: 2,
  city: 'LK/colombo',
  coordinates: { latitude: 6.927079, longitude: 79.861244 },
  attributes: { year: 2018, extras: ['abs', 'airbags'], registered: true },
  features: ['Sunroof', 'Alloy wheels'],
  status: 'active',
};

describe('money in files', () => {
  it('reads major units exactly and writes them back the same', () => {
    expect(toMinorUnits('7500000')).toBe(750_000_000);
    expect(toMinorUnits('6250000.5')).toBe(625_000_050);
    expect(toMinorUnits(6250000.05)).toBe(625_000_005);
    expect(toMinorUnits(' 0.99 ')).toBe(99);
    for (const bad of ['7,500,000', '1.234', '-5', 'call us', '', '1e6'])
      expect(toMinorUnits(bad), bad).toBeNull();
    expect(toMajorUnits(5)).toBe('0.05');
    expect(toMajorUnits(750_000_050)).toBe('7500000.50');
    expect(toMinorUnits(toMajorUnits(123_456_789_01))).toBe(123_456_789_01);
  });
});

describe('reading files', () => {
  it('tells CSV from JSON Lines by name, else by the first byte', () => {
    expect(detectFormat('stock.CSV', Buffer.from('{'))).toBe('csv');
    expect(detectFormat('stock.ndjson', Buffer.from('a,b'))).toBe('jsonl');
    expect(detectFormat('upload', Buffer.from('\uFEFF  {"a":1}'))).toBe('jsonl');
    expect(detectFormat('upload', Buffer.from('external_id,title'))).toBe('csv');
  });

  it('numbers CSV rows as a spreadsheet does, quoted line breaks included', async () => {
    const rows = await records('\uFEFFexternal_id,title\nA,"two\nlines"\nB,next\n', 'csv');
    expect(rows).toEqual([
      { line: 2, fields: { external_id: 'A', title: 'two\nlines' } },
      { line: 3, fields: { external_id: 'B', title: 'next' } },
    ]);
  });

  it('reports a JSON line that does not parse, and goes on', async () => {
    const rows = await records('{"external_id":"A"}\nnot json\n\n[1]\n{"external_id":"B"}', 'jsonl');
    expect(rows.map((row) => ('error' in row ? `${row.line}: ${row.error}` : `${row.line}: ok`))).toEqual([
      '1: ok',
      '2: the line is not valid JSON',
      '4: the line is not a JSON object',
      '5: ok',
    ]);
  });

  it('names every problem of a row by its field', () => {
    const result = parseRecord(
      {
        external_id: 'Z',
        category: 'cars',
        title: 'ok',
        price: 'ten',
        currency: 'XYZ',
        quantity: '1.5',
        latitude: '95',
        status: 'sold-out',
        images: 42,
        attributes: { year: { nested: true } },
      },
      'jsonl',
    );
    expect('errors' in result && result.errors.map((error) => error.path)).toEqual([
      'title',
      'price',
      'currency',
      'quantity',
      'latitude',
      'longitude',
      'images',
      'status',
      'attributes.year',
    ]);
  });
});

describe('writing files', () => {
  for (const format of ['csv', 'jsonl'] as const) {
    it(`writes ${format} that reads back to the same row`, async () => {
      const writer = exportWriter(format, ['extras', 'registered', 'year']);
      const text = writer.start() + writer.line(listing, ['photos/a.jpg', 'https://cdn.example/b.jpg']);
      const [record] = await records(text, format);
      if (!record || !('fields' in record)) throw new Error('no record');
      const parsed = parseRecord(record.fields, format);
      if (!('parsed' in parsed)) throw new Error(JSON.stringify(parsed.errors));
      expect(parsed.parsed.images).toEqual(['photos/a.jpg', 'https://cdn.example/b.jpg']);
      const { id: _id, sellerId: _seller, ...row } = listing;
      // CSV cells are text: the listings module types attributes by the category's schema.
      expect(parsed.parsed.row).toEqual(
        format === 'csv'
          ? { ...row, attributes: { year: '2018', extras: 'abs|airbags', registered: 'true' } }
          : row,
      );
    });
  }
});
