import { createRequire } from 'node:module';
import pg from 'pg';

type FieldDescription = { name: string; dataTypeID: number; format?: string };
type TypeParsers = { getTypeParser(oid: number, format: string): unknown };
/** The fields of pg's `Result` (pg/lib/result.js) the lean `addFields` reads and writes. */
type ResultInternals = {
  rowAsArray: boolean;
  fields: FieldDescription[];
  _parsers: unknown[] | undefined;
  _types: TypeParsers | undefined;
  addFields(fields: FieldDescription[]): void;
};

const LEAN = Symbol.for('souk.pg.leanArrayRows');

/**
 * pg's `Result.addFields` runs for every statement's row description (so on every execution,
 * prepared or not) and, besides picking each column's type parser, builds an empty row object
 * with one key per column and copies it: the template `parseRow` spreads for object rows. For
 * results in `rowMode: 'array'`, which every drizzle query with columns uses, that template is
 * never read, and building it is the dearest part of reading a wide row: ~10 µs of CPU for the
 * 28 columns of a listing, ~20 µs of a listing page (docs/decisions/019). This skips it for
 * array-mode results only; object-mode results (raw `pool.query`, pg-boss) keep pg's own code.
 *
 * Returns whether the lean version is in place. `pg-array-rows.test.ts` fails if a pg upgrade
 * moves what it relies on (then the stock method keeps working, only slower).
 */
export function useLeanArrayRowResults(): boolean {
  let Result: { prototype: ResultInternals & { [LEAN]?: true } } | undefined;
  try {
    Result = createRequire(import.meta.url)('pg/lib/result.js');
  } catch {
    return false;
  }
  const proto = Result?.prototype;
  if (!proto || typeof proto.addFields !== 'function') return false;
  if (proto[LEAN]) return true;
  const stock = proto.addFields;
  proto.addFields = function addFields(this: ResultInternals, fields: FieldDescription[]) {
    if (!this.rowAsArray) return stock.call(this, fields);
    this.fields = fields;
    const parsers = new Array(fields.length);
    const types: TypeParsers = this._types ?? (pg.types as TypeParsers);
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as FieldDescription;
      parsers[i] = types.getTypeParser(field.dataTypeID, field.format || 'text');
    }
    this._parsers = parsers;
  };
  proto[LEAN] = true;
  return true;
}
