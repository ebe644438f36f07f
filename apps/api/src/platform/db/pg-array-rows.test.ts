import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useLeanArrayRowResults } from './pg-array-rows.js';

// The row description of `select id, count, created_at, tags`, as pg-protocol hands it over.
const fields = [
  { name: 'id', dataTypeID: 2950, format: 'text' },
  { name: 'count', dataTypeID: 23, format: 'text' },
  { name: 'created_at', dataTypeID: 1184, format: 'text' },
  { name: 'tags', dataTypeID: 1009, format: 'text' },
];
const raw = ['0190a5c4-8f1e-7000-8000-000000000001', '42', '2026-11-21 10:00:00+00', '{a,b}'];

type ResultLike = { addFields(f: typeof fields): void; parseRow(row: unknown[]): unknown };
const resultOf = (config: Record<string, unknown>) =>
  (new pg.Query({ text: 'select 1', ...config }) as unknown as { _result: ResultLike })._result;

describe('lean array-mode results of pg', () => {
  it('is in place (a pg upgrade that moves Result.addFields fails here)', () => {
    expect(useLeanArrayRowResults()).toBe(true);
    expect(useLeanArrayRowResults()).toBe(true);
  });

  it('parses array rows and object rows as pg does, with its default or a query’s own parsers', () => {
    useLeanArrayRowResults();
    const array = resultOf({ rowMode: 'array' });
    array.addFields(fields);
    expect(array.parseRow(raw)).toEqual([raw[0], 42, new Date('2026-11-21T10:00:00Z'), ['a', 'b']]);
    // The object-row template pg builds for every row description is not built for arrays.
    expect(
      (array as unknown as { _prebuiltEmptyResultObject: unknown })._prebuiltEmptyResultObject,
    ).toBeNull();

    const object = resultOf({});
    object.addFields(fields);
    expect(object.parseRow(raw)).toEqual({
      id: raw[0],
      count: 42,
      created_at: new Date('2026-11-21T10:00:00Z'),
      tags: ['a', 'b'],
    });

    // drizzle passes its own `types`: they decide, as in pg's addFields.
    const custom = resultOf({
      rowMode: 'array',
      types: { getTypeParser: (oid: number) => (value: string) => `${oid}:${value}` },
    });
    custom.addFields(fields);
    expect(custom.parseRow(raw)).toEqual(raw.map((value, i) => `${fields[i]?.dataTypeID}:${value}`));
  });
});
