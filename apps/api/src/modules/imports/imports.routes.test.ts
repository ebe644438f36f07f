import { readFileSync } from 'node:fs';
import type { ImportJob, Listing, MyListings } from '@souk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoTonePhoto } from '../../platform/images/test-images.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { waitFor } from '../../test-support/wait.js';
import { multipart } from '../media/media.test-support.js';
import { zipOf } from './imports.test-support.js';

let t: TestApp;
let seller: TestUser;
let other: TestUser;
let admin: TestUser;

beforeAll(async () => {
  t = await createTestApp({ work: true });
  await t.app.modules.catalog.seedDemoData();
  [seller, other, admin] = await Promise.all([t.signUp(), t.signUp(), t.signUp({ role: 'admin' })]);
});
afterAll(() => t.close());

const HEADER =
  'external_id,category,title,description,price,currency,price_type,condition,quantity,city,latitude,longitude,features,images,status,attr.make,attr.model,attr.year,attr.mileageKm,attr.fuel,attr.transmission,attr.condition';

function carLine(id: string, overrides: Partial<Record<string, string>> = {}): string {
  const row: Record<string, string> = {
    external_id: id,
    category: 'cars',
    title: `Toyota Corolla stock ${id}`,
    description: '"Well kept, full service history.\nNew tyres."',
    price: '7500000',
    currency: 'LKR',
    price_type: 'fixed',
    condition: 'used',
    quantity: '1',
    city: 'colombo',
    latitude: '6.927079',
    longitude: '79.861244',
    features: 'Reverse camera|Alloy wheels',
    images: '',
    status: 'active',
    make: 'toyota',
    model: 'corolla',
    year: '2018',
    mileageKm: '45000',
    fuel: 'hybrid',
    transmission: 'automatic',
    carCondition: 'used',
    ...overrides,
  };
  return [
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
    row.latitude,
    row.longitude,
    row.features,
    row.images,
    row.status,
    row.make,
    row.model,
    row.year,
    row.mileageKm,
    row.fuel,
    row.transmission,
    row.carCondition,
  ].join(',');
}

const csv = (...lines: string[]) => `${[HEADER, ...lines].join('\n')}\n`;

let uploads = 0;

/** Uploads a file, waits for the job to finish (it runs on this app's worker), returns it. */
async function runImport(
  who: TestUser,
  content: string | Buffer,
  options: { name?: string; query?: string; archive?: Buffer } = {},
): Promise<ImportJob> {
  const files = [
    { data: Buffer.from(content), filename: options.name ?? 'stock.csv', type: 'text/csv', field: 'file' },
    ...(options.archive
      ? [{ data: options.archive, filename: 'images.zip', type: 'application/zip', field: 'archive' }]
      : []),
  ];
  const body = multipart(files);
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/v1/imports${options.query ? `?${options.query}` : ''}`,
    headers: { ...who.headers, 'content-type': body.contentType },
    payload: body.payload,
    // Uploads are rate-limited per client address; each upload here comes from its own.
    remoteAddress: `10.0.${Math.floor(uploads / 250)}.${(uploads++ % 250) + 1}`,
  });
  expect(response.statusCode, response.body).toBe(202);
  return finished(who, (response.json() as ImportJob).id);
}

function finished(who: TestUser, id: string): Promise<ImportJob> {
  return waitFor(async () => {
    const job = (
      await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: who.headers })
    ).json() as ImportJob;
    return (job.status === 'completed' || job.status === 'failed') && job;
  });
}

async function mine(who: TestUser): Promise<Listing[]> {
  const page: MyListings = (
    await t.app.inject({ method: 'GET', url: '/api/v1/listings/mine?limit=100', headers: who.headers })
  ).json();
  return Promise.all(
    page.items.map(
      async (item) =>
        (
          await t.app.inject({ method: 'GET', url: `/api/v1/listings/${item.id}`, headers: who.headers })
        ).json() as Listing,
    ),
  );
}

const byTitle = (listings: Listing[], fragment: string) =>
  listings.find((listing) => listing.title.includes(fragment)) as Listing;

describe('importing a dealer’s stock', () => {
  const file = csv(carLine('A1'), carLine('A2', { status: 'draft' }), carLine('A3', { price: '6250000.50' }));

  it('creates a listing per row, active ones published, with typed attributes', async () => {
    const job = await runImport(seller, file);
    expect(job).toMatchObject({
      status: 'completed',
      format: 'csv',
      progress: { rowsDone: 3, created: 3, updated: 0, unchanged: 0, failed: 0 },
    });
    expect(job.progress.bytesDone).toBe(job.progress.bytesTotal);
    const listings = await mine(seller);
    expect(listings).toHaveLength(3);
    const a1 = byTitle(listings, 'A1');
    expect(a1).toMatchObject({
      status: 'active',
      price: { type: 'fixed', amount: 7_500_000_00, currency: 'LKR' },
      location: { name: 'Colombo' },
      attributes: { year: 2018, mileageKm: 45_000, make: 'toyota', condition: 'used' },
      features: ['Reverse camera', 'Alloy wheels'],
      description: 'Well kept, full service history.\nNew tyres.',
    });
    expect(a1.publishedAt).not.toBeNull();
    expect(byTitle(listings, 'A2').status).toBe('draft');
    expect(byTitle(listings, 'A3').price?.amount).toBe(6_250_000_50);
  });

  it('changes nothing when the same file comes again', async () => {
    const before = await mine(seller);
    const job = await runImport(seller, file);
    expect(job.progress).toMatchObject({ rowsDone: 3, created: 0, updated: 0, unchanged: 3, failed: 0 });
    expect(await mine(seller)).toEqual(before);
  });

  it('updates the one row that changed, and publishes a draft that became active', async () => {
    const changed = csv(carLine('A1'), carLine('A2'), carLine('A3', { price: '6100000' }));
    const job = await runImport(seller, changed);
    expect(job.progress).toMatchObject({ created: 0, updated: 2, unchanged: 1, failed: 0 });
    const listings = await mine(seller);
    expect(byTitle(listings, 'A3').price?.amount).toBe(6_100_000_00);
    expect(byTitle(listings, 'A2').status).toBe('active');
    expect(listings).toHaveLength(3);
  });

  it('reports bad rows per field while the good rows land', async () => {
    const job = await runImport(
      seller,
      csv(
        carLine('B1'),
        carLine('B2', { category: 'spaceships' }),
        carLine('B3', { year: '1800' }),
        carLine('B4', { price: 'call us' }),
        carLine('B5', { title: '' }),
        carLine('B6', { model: 'civic' }),
      ),
    );
    expect(job.progress).toMatchObject({ rowsDone: 6, created: 1, failed: 5 });
    const failures = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/imports/${job.id}/failures`,
        headers: seller.headers,
      })
    ).json();
    expect(failures.items).toEqual([
      { row: 3, externalId: 'B2', errors: [{ path: 'category', message: '"spaceships" is not a category' }] },
      { row: 4, externalId: 'B3', errors: [{ path: 'attr.year', message: 'must be at least 1950' }] },
      {
        row: 5,
        externalId: 'B4',
        errors: [
          {
            path: 'price',
            message: '"call us" is not a price: write a number such as 7500000 or 7500000.50',
          },
        ],
      },
      { row: 6, externalId: 'B5', errors: [{ path: 'title', message: 'is required' }] },
      {
        row: 7,
        externalId: 'B6',
        errors: [{ path: 'attr.model', message: '"civic" does not belong to make "toyota"' }],
      },
    ]);
    const report = await t.app.inject({ method: 'GET', url: job.reportUrl, headers: seller.headers });
    expect(report.headers['content-type']).toMatch(/text\/csv/);
    expect(report.body.split('\n').slice(0, 3)).toEqual([
      'line,external_id,field,reason',
      '3,B2,category,"""spaceships"" is not a category"',
      '4,B3,attr.year,must be at least 1950',
    ]);
    expect(byTitle(await mine(seller), 'B1').status).toBe('active');
  });

  it('withdraws active imported listings missing from a sync file, and only those', async () => {
    const handMade = await t.app.inject({
      method: 'POST',
      url: '/api/v1/listings',
      headers: seller.headers,
      payload: { categoryId: byTitle(await mine(seller), 'A1').category.id, title: 'Hand-made draft' },
    });
    expect(handMade.statusCode).toBe(201);
    const job = await runImport(
      seller,
      csv(carLine('A1'), carLine('A2'), carLine('A3', { price: '6100000' })),
      {
        query: 'withdrawMissing=true',
      },
    );
    expect(job.progress).toMatchObject({ unchanged: 3, withdrawn: 1 });
    const listings = await mine(seller);
    expect(byTitle(listings, 'B1').status).toBe('draft');
    expect(byTitle(listings, 'A1').status).toBe('active');
    expect(byTitle(listings, 'Hand-made').status).toBe('draft');
  });

  it('previews a dry run without writing anything', async () => {
    const before = await mine(seller);
    const job = await runImport(seller, csv(carLine('A1'), carLine('C1'), carLine('C2', { fuel: 'steam' })), {
      query: 'dryRun=true',
    });
    expect(job).toMatchObject({
      dryRun: true,
      status: 'completed',
      progress: { created: 1, unchanged: 1, failed: 1 },
    });
    expect(job.preview.map((row) => [row.row, row.externalId, row.action])).toEqual([
      [2, 'A1', 'unchanged'],
      [3, 'C1', 'create'],
      [4, 'C2', 'failed'],
    ]);
    expect(job.preview[2]?.errors).toEqual([
      { path: 'attr.fuel', message: '"steam" is not one of the options' },
    ]);
    expect(await mine(seller)).toEqual(before);
  });
});

describe('a file that cannot be read', () => {
  it('stops at a broken CSV quote and says why', async () => {
    const dealer = await t.signUp();
    const job = await runImport(dealer, csv(carLine('Q1'), 'Q2,cars,"An unclosed quote,1,LKR'));
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/^The file is not valid CSV: /);
    expect(job.error).toMatch(/Quote Not Closed/);
  });
});

describe('export', () => {
  it('exports my listings as CSV and JSON Lines that import back to the same state', async () => {
    const before = await mine(seller);
    for (const format of ['csv', 'jsonl'] as const) {
      const exported = await t.app.inject({
        method: 'GET',
        url: `/api/v1/listings/export?format=${format}`,
        headers: seller.headers,
      });
      expect(exported.statusCode).toBe(200);
      expect(exported.headers['content-disposition']).toMatch(new RegExp(`listings-.*\\.${format}`));
      if (format === 'jsonl') expect(exported.body.trim().split('\n')).toHaveLength(before.length);
      const job = await runImport(seller, exported.body, { name: `export.${format}` });
      expect(job.format).toBe(format);
      expect(job.progress).toMatchObject({ rowsDone: before.length, created: 0, updated: 0, failed: 0 });
      expect(job.progress.unchanged).toBe(before.length);
      expect(await mine(seller)).toEqual(before);
    }
  });

  it('exports only my listings; admins may export anyone’s', async () => {
    const mineExport = await t.app.inject({
      method: 'GET',
      url: '/api/v1/listings/export',
      headers: other.headers,
    });
    expect(mineExport.body.trim().split('\n')).toHaveLength(1);
    const all = await t.app.inject({
      method: 'GET',
      url: '/api/v1/listings/export?format=jsonl',
      headers: admin.headers,
    });
    expect(all.body.trim().split('\n').length).toBeGreaterThanOrEqual((await mine(seller)).length);
    const forbidden = await t.app.inject({
      method: 'GET',
      url: `/api/v1/listings/export?sellerId=${seller.userId}`,
      headers: other.headers,
    });
    expect(forbidden.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/listings/export' })).statusCode).toBe(401);
  });
});

describe('who may import', () => {
  it('keeps an import to its seller (others get 404); admins import for a seller', async () => {
    const job = await runImport(admin, csv(carLine('D1')), { query: `sellerId=${other.userId}` });
    expect(job).toMatchObject({ sellerId: other.userId, progress: { created: 1 } });
    expect((await mine(other)).map((listing) => listing.title)).toEqual(['Toyota Corolla stock D1']);
    const seen = await t.app.inject({
      method: 'GET',
      url: `/api/v1/imports/${job.id}`,
      headers: seller.headers,
    });
    expect(seen.statusCode).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/imports/${job.id}`, headers: other.headers }))
        .statusCode,
    ).toBe(200);
  });

  it('refuses a member importing for someone else, and requests without a file', async () => {
    const body = multipart([{ data: Buffer.from(csv(carLine('E1'))), filename: 'a.csv', field: 'file' }]);
    const forbidden = await t.app.inject({
      method: 'POST',
      url: `/api/v1/imports?sellerId=${other.userId}`,
      headers: { ...seller.headers, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(forbidden.statusCode).toBe(403);
    const wrong = multipart([{ data: Buffer.from('x'), filename: 'a.csv', field: 'listings' }]);
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { ...seller.headers, 'content-type': wrong.contentType },
      payload: wrong.payload,
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toBe('import_file_missing');
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: seller.headers,
      payload: {},
    });
    expect(json.statusCode).toBe(415);
  });
});

describe('JSON Lines and images', () => {
  it('imports JSON Lines with images from a zip archive, and keeps them on the next run', async () => {
    const archive = await zipOf({
      'photos/front.jpg': await twoTonePhoto(800, 600).jpeg().toBuffer(),
      'photos/back.jpg': await twoTonePhoto(640, 480).jpeg().toBuffer(),
    });
    const row = {
      external_id: 'J1',
      category: 'cars',
      title: 'Honda Civic from JSON Lines',
      description: 'Imported with two photos.',
      price: 5200000,
      currency: 'LKR',
      latitude: 6.93,
      longitude: 79.85,
      images: ['photos/front.jpg', 'photos/back.jpg'],
      status: 'active',
      attributes: {
        make: 'honda',
        model: 'civic',
        year: 2017,
        mileageKm: 60000,
        fuel: 'petrol',
        transmission: 'automatic',
        condition: 'used',
      },
    };
    const file = `${JSON.stringify(row)}\n`;
    const job = await runImport(other, file, { name: 'stock.jsonl', archive });
    expect(job, JSON.stringify(job.preview)).toMatchObject({
      format: 'jsonl',
      progress: { created: 1, failed: 0 },
    });
    const listing = byTitle(await mine(other), 'Civic');
    expect(listing.images).toHaveLength(2);
    expect(listing.images[0]).toMatchObject({ primary: true, width: 800, height: 600 });
    expect(listing.images[0]?.variants.map((variant) => variant.width)).toEqual([320, 800]);
    // No city given: the nearest city to the point.
    expect(listing.location?.name).toBe('Colombo');

    const again = await runImport(other, file, { name: 'stock.jsonl', archive });
    expect(again.progress).toMatchObject({ unchanged: 1, updated: 0 });
    const missing = await runImport(other, JSON.stringify({ ...row, images: ['photos/side.jpg'] }), {
      name: 'stock.jsonl',
      archive,
    });
    expect(missing.preview[0]?.errors).toEqual([
      { path: 'images.0', message: 'photos/side.jpg: is not in the archive' },
    ]);
  });

  it('refuses image addresses on loopback by default', async () => {
    const job = await runImport(
      other,
      csv(carLine('U1', { images: 'http://127.0.0.1:9/photo.jpg|http://169.254.169.254/latest/meta-data/' })),
    );
    expect(job.progress.failed).toBe(1);
    expect(job.preview[0]?.errors).toEqual([
      { path: 'images.0', message: 'http://127.0.0.1:9/photo.jpg: 127.0.0.1 is not a public address' },
      {
        path: 'images.1',
        message: 'http://169.254.169.254/latest/meta-data/: 169.254.169.254 is not a public address',
      },
    ]);
  });
});

describe('the documented samples', () => {
  it('import cleanly, CSV and JSON Lines alike, to the same listings', async () => {
    const dealer = await t.signUp();
    const sample = (name: string) =>
      readFileSync(new URL(`../../../../../docs/import-samples/${name}`, import.meta.url));
    const fromCsv = await runImport(dealer, sample('listings.csv'), { name: 'listings.csv' });
    expect(fromCsv.progress, JSON.stringify(fromCsv.preview)).toMatchObject({ created: 3, failed: 0 });
    const fromJsonl = await runImport(dealer, sample('listings.jsonl'), { name: 'listings.jsonl' });
    expect(fromJsonl.progress, JSON.stringify(fromJsonl.preview)).toMatchObject({ unchanged: 3, failed: 0 });
    const leaf = byTitle(await mine(dealer), 'Leaf');
    // No city in the row, only a point: the nearest city.
    expect(leaf).toMatchObject({ status: 'draft', price: null, location: { name: 'Galle' } });
  });
});
