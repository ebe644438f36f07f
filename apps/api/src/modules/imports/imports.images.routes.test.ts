import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ImportJob, Listing, MyListings } from '@souk/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twoTonePhoto } from '../../platform/images/test-images.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { waitFor } from '../../test-support/wait.js';
import { multipart } from '../media/media.test-support.js';

/*
 * Images fetched from addresses, end to end. The image server is real and on 127.0.0.1, so this
 * app is started with the operator setting that allows private addresses (the default refuses
 * them: imports.routes.test.ts and imports.fetch.test.ts).
 */

let t: TestApp;
let seller: TestUser;
let server: Server;
let base: string;
const served: string[] = [];
let photo: Buffer;

beforeAll(async () => {
  photo = await twoTonePhoto(1200, 900).jpeg().toBuffer();
  server = createServer((request, response) => {
    served.push(request.url ?? '');
    if (request.url === '/cars/front.jpg' || request.url === '/cars/side.jpg') {
      response.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo);
    } else if (request.url === '/cars/notes.txt') {
      response.writeHead(200, { 'content-type': 'image/jpeg' }).end('not an image at all');
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await createTestApp({
    work: true,
    env: { IMPORT_ALLOW_PRIVATE_URLS: 'true', IMPORT_MAX_FILE_BYTES: '20000' },
  });
  await t.app.modules.catalog.seedDemoData();
  seller = await t.signUp();
});
afterAll(async () => {
  await t.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const line = (images: string[]) =>
  `${JSON.stringify({
    external_id: 'IMG-1',
    category: 'cars',
    title: 'Mitsubishi Montero with photos',
    price: 9900000,
    currency: 'LKR',
    city: 'kandy',
    images,
    status: 'draft',
    attributes: { make: 'mitsubishi', model: 'pajero' },
  })}\n`;

async function runImport(content: string): Promise<ImportJob> {
  const body = multipart([{ data: Buffer.from(content), filename: 'stock.jsonl', field: 'file' }]);
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/v1/imports',
    headers: { ...seller.headers, 'content-type': body.contentType },
    payload: body.payload,
  });
  expect(response.statusCode, response.body).toBe(202);
  const id = response.json().id;
  return waitFor(async () => {
    const job = (
      await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: seller.headers })
    ).json() as ImportJob;
    return (job.status === 'completed' || job.status === 'failed') && job;
  });
}

async function theListing(): Promise<Listing> {
  const page: MyListings = (
    await t.app.inject({ method: 'GET', url: '/api/v1/listings/mine', headers: seller.headers })
  ).json();
  const id = page.items.find((item) => item.title.includes('Montero'))?.id;
  return (
    await t.app.inject({ method: 'GET', url: `/api/v1/listings/${id}`, headers: seller.headers })
  ).json();
}

describe('images from addresses (private addresses allowed by the operator)', () => {
  it('fetches, checks and encodes each image like an upload', async () => {
    const job = await runImport(line([`${base}/cars/front.jpg`, `${base}/cars/side.jpg`]));
    expect(job.progress, JSON.stringify(job.preview)).toMatchObject({ created: 1, failed: 0 });
    const listing = await theListing();
    expect(listing.images).toHaveLength(2);
    expect(listing.images[0]).toMatchObject({ primary: true, width: 1200, height: 900 });
    expect(listing.images[0]?.variants.map((variant) => variant.width)).toEqual([320, 800]);
    expect(listing.images[0]?.placeholder).toMatch(/^data:image\/webp;base64,/);
  });

  it('does not fetch again the images a listing has already', async () => {
    const before = served.length;
    const job = await runImport(line([`${base}/cars/front.jpg`, `${base}/cars/side.jpg`]));
    expect(job.progress).toMatchObject({ unchanged: 1, updated: 0 });
    expect(served.length).toBe(before);
  });

  it('replaces the images when the row names others, keeping the ones still named', async () => {
    const first = (await theListing()).images[0]?.id;
    const job = await runImport(line([`${base}/cars/side.jpg`]));
    expect(job.progress).toMatchObject({ updated: 1 });
    const images = (await theListing()).images;
    expect(images).toHaveLength(1);
    expect(images[0]?.id).not.toBe(first);
    expect(images[0]?.primary).toBe(true);
  });

  it('refuses a row whose image is not an image, or missing, naming it; the listing keeps its photos', async () => {
    const job = await runImport(line([`${base}/cars/notes.txt`, `${base}/cars/gone.jpg`]));
    expect(job.progress).toMatchObject({ failed: 1 });
    expect(job.preview[0]?.errors).toEqual([
      { path: 'images.1', message: `${base}/cars/gone.jpg: the server answered HTTP 404` },
    ]);
    const notImage = await runImport(line([`${base}/cars/notes.txt`]));
    expect(notImage.preview[0]?.errors[0]).toMatchObject({ path: 'images.0' });
    expect((await theListing()).images).toHaveLength(1);
  });

  it('exports the image addresses, and the export imports back unchanged', async () => {
    const exported = await t.app.inject({
      method: 'GET',
      url: '/api/v1/listings/export?format=jsonl',
      headers: seller.headers,
    });
    expect(JSON.parse(exported.body.trim()).images).toEqual([`${base}/cars/side.jpg`]);
    const job = await runImport(exported.body);
    expect(job.progress).toMatchObject({ unchanged: 1, updated: 0, failed: 0 });
  });
});

describe('upload limits', () => {
  it('refuses a listings file over IMPORT_MAX_FILE_BYTES, keeping nothing of it', async () => {
    const body = multipart([
      { data: Buffer.from(line([]).repeat(200)), filename: 'big.jsonl', field: 'file' },
    ]);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { ...seller.headers, 'content-type': body.contentType },
      payload: body.payload,
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ code: 'import_file_too_large' });
    const list = await t.app.inject({
      method: 'GET',
      url: '/api/v1/imports?limit=50',
      headers: seller.headers,
    });
    expect(list.json().items.every((job: ImportJob) => job.fileName !== 'big.jsonl')).toBe(true);
  });
});
