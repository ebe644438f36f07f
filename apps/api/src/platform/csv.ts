import { stringify } from 'csv-stringify/sync';

/*
 * Every CSV file Souk writes (the listings export, an import's failure report) goes through
 * here. A cell a spreadsheet would run as a formula is defused as OWASP advises ("CSV
 * Injection"): a text cell starting with =, +, -, @, a tab or a carriage return gets a leading
 * single quote, so a seller's title like `=HYPERLINK(...)` reaches an admin's spreadsheet as
 * text. Numbers are written as numbers and never prefixed: -5 or a negative longitude is not a
 * formula, and a column of numbers must stay numeric. A text cell that merely looks like a
 * number ("-5" typed as an attribute) is still text and is prefixed.
 *
 * The prefix is reversible: a text cell that already starts with quotes followed by one of those
 * characters gets one more, and `readCsvText` takes exactly one off, so importing an export
 * gives back the text that was exported.
 */

export type CsvCell = string | number | null | undefined;

const FORMULA = /^'*[=+\-@\t\r]/;
const ESCAPED = /^'(?='*[=+\-@\t\r])/;

/** A text cell fit for a spreadsheet: prefixed with ' when it would start a formula. */
export function safeCsvText(text: string): string {
  return FORMULA.test(text) ? `'${text}` : text;
}

/** What a cell written by {@link safeCsvText} said before it was prefixed. */
export function readCsvText(cell: string): string {
  return cell.replace(ESCAPED, '');
}

/** One CSV line (with its line break): text cells made safe, numbers as they are, null empty. */
export function csvLine(cells: readonly CsvCell[]): string {
  return stringify([
    cells.map((cell) =>
      typeof cell === 'string' ? safeCsvText(cell) : typeof cell === 'number' ? cell : '',
    ),
  ]);
}

/** Several lines at once. */
export function csvLines(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map(csvLine).join('');
}
