import { join } from 'node:path';
import type { ListingImage } from '@souk/contracts';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/http/context.js';
import {
  jpegWithExif,
  pixelAt,
  pngDeclaring,
  svgWithScript,
  textPretendingToBeJpeg,
  truncatedJpeg,
  twoTonePhoto,
} from '../../platform/images/test-images.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import type { MediaModule } from './index.js';
import { mediaImages } from './media.schema.js';
import {
  filesUnder,
  insertListing,
  type MultipartFile,
  multipart,
  setListingStatus,
} from './media.test-support.js';

let t: TestApp;
let mediaDir: string;
let seller: TestUser;
let stranger: TestUser;
let categoryId: string;

beforeAll(async () => {
  t = await createTestApp();
  const storage = t.platform.storage;
  if (storage.kind !== 'local') throw new Error('route tests read the files on the local disk');
  mediaDir = storage.rootDir;
  seller = await t.signUp();
  stranger = await t.signUp();
  categoryId = (
    await t.app.modules.catalog.service.createCategory(systemContext(), { slug: 'photos', name: 'Photos' })
  ).id;
});
afterAll(() => t?.close());

type Headers = Record<string, string>;

/** A listing of `seller`'s, created the way the listings module will (a draft). */
const newListing = (sellerId = seller.userId) =>
  insertListing(t.platform.database.db, { sellerId, categoryId });

// Uploads are rate limited per client address; each request here comes from its own.
let clients = 0;
const nextAddress = () => {
  clients += 1;
  return `127.0.${Math.floor(clients / 250)}.${(clients % 250) + 1}`;
};

function upload(listingId: string, headers: Headers, files: MultipartFile[], remoteAddress = nextAddress()) {
  const body = multipart(files);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/listings/${listingId}/images`,
    headers: { ...headers, 'content-type': body.contentType },
    payload: body.payload,
    remoteAddress,
  });
}

function expectProblem(
  response: Awaited<ReturnType<typeof upload>>,
  status: number,
  code: string,
): Record<string, unknown> {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = response.json();
  expect(problem.code).toBe(code);
  expect(JSON.stringify(problem)).not.toMatch(/stack|sharp|vips|at \//i);
  return problem;
}

const rowCount = async () => (await t.platform.database.db.select().from(mediaImages)).length;
const storedFiles = () => filesUnder(mediaDir).filter((path) => path.startsWith('listing-images/'));
const png = (width = 400, height = 300) => twoTonePhoto(width, height).png().toBuffer();
const pngs = async (count: number, width = 64) => {
  const data = await png(width, 48);
  return Array.from({ length: count }, (_, index) => ({
    data,
    filename: `p${index}.png`,
    type: 'image/png',
  }));
};
/** The wired media module; typed loosely so this file compiles before app.ts wires it too. */
function media(): MediaModule {
  const wired = (t.app.modules as { media?: MediaModule }).media;
  if (!wired) throw new Error('app.ts does not wire the media module yet');
  return wired;
}
const imagesOf = async (listingId: string) =>
  (await media().service.imagesOf([listingId])).get(listingId) ?? [];

describe('uploading images to a listing', () => {
  let listingId: string;
  let images: ListingImage[];

  it('stores several at once, upright, without metadata, as WebP variants with a placeholder', async () => {
    listingId = await newListing();
    const sideways = await jpegWithExif(2400, 1800, 6);
    const response = await upload(listingId, seller.headers, [
      { data: sideways, filename: 'car-front.jpg' },
      { data: await png(1000, 750), filename: 'car-back.png', type: 'image/png' },
    ]);
    expect(response.statusCode, response.body).toBe(200);
    images = response.json();
    expect(
      images.map(({ position, primary, width, height }) => ({ position, primary, width, height })),
    ).toEqual([
      { position: 0, primary: true, width: 1800, height: 2400 },
      { position: 1, primary: false, width: 1000, height: 750 },
    ]);
    const [photo, small] = images as [ListingImage, ListingImage];
    expect(photo.variants.map((variant) => variant.width)).toEqual([320, 800, 1600]);
    expect(small.variants.map((variant) => variant.width)).toEqual([320, 800]);
    expect(photo.placeholder).toMatch(/^data:image\/webp;base64,/);

    for (const image of images) {
      for (const variant of image.variants) {
        expect(variant.url).toMatch(
          new RegExp(`^/media/listing-images/${image.id}/${variant.width}\\.webp$`),
        );
        const file = await t.app.inject({ method: 'GET', url: variant.url });
        expect(file.statusCode).toBe(200);
        expect(file.headers['content-type']).toBe('image/webp');
        expect(file.headers['cache-control']).toBe('public, max-age=31536000, immutable');
        expect(file.headers['x-content-type-options']).toBe('nosniff');
        const metadata = await sharp(file.rawPayload).metadata();
        expect(metadata).toMatchObject({ format: 'webp', width: variant.width });
        expect(metadata.height).toBe(Math.round((variant.width * image.height) / image.width));
        expect(metadata.exif).toBeUndefined();
        expect(metadata.xmp).toBeUndefined();
        expect(metadata.icc).toBeUndefined();
        expect(file.rawPayload.includes('secret-owner-name')).toBe(false);
        expect(file.rawPayload.includes('Amaya')).toBe(false);
      }
    }
    // Orientation 6 turns the picture a quarter clockwise: its red left half ends up on top.
    const upright = (await t.app.inject({ method: 'GET', url: photo.variants[1]?.url as string })).rawPayload;
    const [topRed, , topBlue] = await pixelAt(upright, 400, 20);
    const [bottomRed, , bottomBlue] = await pixelAt(upright, 400, 1040);
    expect(topRed).toBeGreaterThan(200);
    expect(topBlue).toBeLessThan(60);
    expect(bottomBlue).toBeGreaterThan(200);
    expect(bottomRed).toBeLessThan(60);

    expect(storedFiles()).toHaveLength(5);
    expect(await rowCount()).toBe(2);
    expect(await imagesOf(listingId)).toEqual(images);
  });

  it('adds to the images already there; the primary stays', async () => {
    const response = await upload(listingId, seller.headers, await pngs(1));
    expect(response.statusCode).toBe(200);
    const after = response.json() as ListingImage[];
    expect(after.slice(0, 2)).toEqual(images);
    expect(after.map((image) => [image.position, image.primary])).toEqual([
      [0, true],
      [1, false],
      [2, false],
    ]);
  });

  it('takes a photo of several megabytes, past the JSON body limit', async () => {
    const noisy = await sharp({
      create: {
        width: 1300,
        height: 1000,
        channels: 3,
        background: '#808080',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .png()
      .toBuffer();
    expect(noisy.length).toBeGreaterThan(3 * 1024 * 1024);
    const other = await newListing();
    const response = await upload(other, seller.headers, [{ data: noisy, filename: 'big.png' }]);
    expect(response.statusCode, response.body).toBe(200);
    expect((response.json() as ListingImage[])[0]?.variants.map((variant) => variant.width)).toEqual([
      320, 800,
    ]);
  });

  describe('refuses attacks with a 4xx before decoding them, storing nothing', () => {
    let rowsBefore: number;
    let filesBefore: string[];
    beforeAll(async () => {
      rowsBefore = await rowCount();
      filesBefore = storedFiles();
    });
    const nothingStored = async () => {
      expect(await rowCount()).toBe(rowsBefore);
      expect(storedFiles()).toEqual(filesBefore);
      expect(await imagesOf(listingId)).toHaveLength(3);
    };

    it('a text file named .jpg (415)', async () => {
      const problem = expectProblem(
        await upload(listingId, seller.headers, [{ data: textPretendingToBeJpeg, filename: 'photo.jpg' }]),
        415,
        'unsupported_image',
      );
      expect(problem.detail).toContain('"photo.jpg"');
      await nothingStored();
    });

    it('an SVG with a script, named and typed as a PNG (415)', async () => {
      const response = await upload(listingId, seller.headers, [
        { data: svgWithScript, filename: 'cute.png', type: 'image/png' },
      ]);
      expectProblem(response, 415, 'unsupported_image');
      expect(response.body).not.toContain('<script>');
      await nothingStored();
    });

    it('a PNG declaring 50,000 x 50,000 pixels (413), from its header', async () => {
      const bomb = pngDeclaring(50_000, 50_000);
      expect(bomb.length).toBeLessThan(2000);
      const started = performance.now();
      const problem = expectProblem(
        await upload(listingId, seller.headers, [{ data: bomb, filename: 'bomb.png', type: 'image/png' }]),
        413,
        'image_too_large',
      );
      expect(performance.now() - started).toBeLessThan(1000);
      expect(problem.errors).toEqual([
        {
          path: 'body.files.0',
          message: 'bomb.png: The image is 50000x50000 pixels; the limit is 50 megapixels.',
        },
      ]);
      await nothingStored();
    });

    it('a truncated JPEG (400)', async () => {
      expectProblem(
        await upload(listingId, seller.headers, [{ data: await truncatedJpeg(), filename: 'half.jpg' }]),
        400,
        'invalid_image',
      );
      await nothingStored();
    });

    it('a batch with one bad file among good ones, naming the bad file', async () => {
      const good = await png();
      const problem = expectProblem(
        await upload(listingId, seller.headers, [
          { data: good, filename: 'one.png' },
          { data: await truncatedJpeg(), filename: 'two.jpg' },
          { data: good, filename: 'three.png' },
        ]),
        400,
        'invalid_image',
      );
      expect(problem.detail).toMatch(/^"two\.jpg": /);
      expect(problem.errors).toEqual([
        { path: 'body.files.1', message: expect.stringMatching(/^two\.jpg: /) },
      ]);
      await nothingStored();
    });

    it('a file over 15 MB (413)', async () => {
      const big = Buffer.concat([await png(), Buffer.alloc(15 * 1024 * 1024)]);
      const problem = expectProblem(
        await upload(listingId, seller.headers, [{ data: big, filename: 'huge.png' }]),
        413,
        'image_too_large',
      );
      expect(problem.detail).toContain('huge.png');
      await nothingStored();
    });

    it('an empty file (400), no file (400), another field name (400)', async () => {
      expectProblem(
        await upload(listingId, seller.headers, [{ data: Buffer.alloc(0) }]),
        400,
        'invalid_image',
      );
      expectProblem(await upload(listingId, seller.headers, []), 400, 'no_images');
      expectProblem(
        await upload(listingId, seller.headers, [{ data: await png(), field: 'photo' }]),
        400,
        'no_images',
      );
      await nothingStored();
    });

    it('JSON or raw bytes instead of multipart (415)', async () => {
      expectProblem(
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/listings/${listingId}/images`,
          headers: seller.headers,
          payload: { files: ['data:image/png;base64,AAAA'] },
        }),
        415,
        'unsupported_media_type',
      );
      expectProblem(
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/listings/${listingId}/images`,
          headers: { ...seller.headers, 'content-type': 'image/png' },
          payload: await png(),
        }),
        415,
        'unsupported_media_type',
      );
      await nothingStored();
    });

    it("another member's upload (403), an anonymous one (401), an unknown listing (404)", async () => {
      const files = await pngs(1);
      expectProblem(await upload(listingId, stranger.headers, files), 403, 'forbidden');
      expectProblem(await upload(listingId, {}, files), 401, 'unauthenticated');
      expectProblem(
        await upload('01900000-0000-7000-8000-00000000beef', seller.headers, files),
        404,
        'listing_not_found',
      );
      expectProblem(await upload('not-a-uuid', seller.headers, files), 400, 'validation_failed');
      await nothingStored();
    });
  });

  it('takes 20 images and refuses the 21st, also within one request, all or nothing', async () => {
    const full = await newListing();
    const twenty = await upload(full, seller.headers, await pngs(20));
    expect(twenty.statusCode, twenty.body).toBe(200);
    expect(twenty.json()).toHaveLength(20);
    const rows = await rowCount();
    const files = storedFiles().length;
    expectProblem(await upload(full, seller.headers, await pngs(1)), 409, 'too_many_images');

    const other = await newListing();
    expectProblem(await upload(other, seller.headers, await pngs(21)), 409, 'too_many_images');
    const some = await upload(other, seller.headers, await pngs(15));
    expect(some.statusCode).toBe(200);
    const problem = expectProblem(await upload(other, seller.headers, await pngs(6)), 409, 'too_many_images');
    expect(problem.detail).toContain('room for 5 more');
    expect(await rowCount()).toBe(rows + 15);
    expect(storedFiles()).toHaveLength(files + 15);
  });

  it('refuses changes to a removed listing (409)', async () => {
    const removed = await newListing();
    await setListingStatus(t.platform.database.db, removed, 'removed');
    expectProblem(await upload(removed, seller.headers, await pngs(1)), 409, 'listing_not_editable');
  });

  it('rate limits uploads per client address (429)', async () => {
    const address = '127.9.9.9';
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 21; attempt++) {
      const response = await t.app.inject({
        method: 'POST',
        url: `/api/v1/listings/${listingId}/images`,
        headers: { ...seller.headers, 'content-type': 'application/json' },
        payload: {},
        remoteAddress: address,
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 20).every((status) => status === 415)).toBe(true);
    expect(statuses[20]).toBe(429);
  });
});

describe('arranging the images of a listing', () => {
  let listingId: string;
  let ids: string[];
  beforeAll(async () => {
    listingId = await newListing();
    ids = ((await upload(listingId, seller.headers, await pngs(3))).json() as ListingImage[]).map(
      (image) => image.id,
    );
  });

  it('reorders them, given exactly their ids', async () => {
    const [a, b, c] = ids as [string, string, string];
    const response = await t.call('PUT', `/listings/${listingId}/images`, seller, {
      imageIds: [b, c, a],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(
      (response.json() as ListingImage[]).map((image) => [image.id, image.position, image.primary]),
    ).toEqual([
      [b, 0, false],
      [c, 1, false],
      [a, 2, true],
    ]);
    expect((await imagesOf(listingId)).map((image) => image.id)).toEqual([b, c, a]);

    for (const imageIds of [
      [a, b],
      [a, b, c, a],
      [a, b, '01900000-0000-7000-8000-00000000beef'],
    ]) {
      const problem = expectProblem(
        await t.call('PUT', `/listings/${listingId}/images`, seller, { imageIds }),
        400,
        'reorder_mismatch',
      );
      expect(problem.detail).toContain('all 3 image(s)');
    }
    expectProblem(
      await t.call('PUT', `/listings/${listingId}/images`, seller, { imageIds: [] }),
      400,
      'validation_failed',
    );
    expectProblem(
      await t.call('PUT', `/listings/${listingId}/images`, stranger, { imageIds: [a, b, c] }),
      403,
      'forbidden',
    );
    expect((await imagesOf(listingId)).map((image) => image.id)).toEqual([b, c, a]);
    ids = [b, c, a];
  });

  it('chooses the primary image', async () => {
    const [first] = ids as [string];
    const response = await t.call('POST', `/listings/${listingId}/images/${first}/primary`, seller);
    expect(response.statusCode).toBe(200);
    expect((response.json() as ListingImage[]).map((image) => image.primary)).toEqual([true, false, false]);
    expectProblem(
      await t.call('POST', `/listings/${listingId}/images/${first}/primary`, stranger),
      403,
      'forbidden',
    );
    expectProblem(
      await t.call(
        'POST',
        `/listings/${listingId}/images/01900000-0000-7000-8000-00000000beef/primary`,
        seller,
      ),
      404,
      'image_not_found',
    );
  });

  it('deletes an image and its files; another becomes primary', async () => {
    const [primary, second, third] = ids as [string, string, string];
    const urls = (await imagesOf(listingId))[0]?.variants.map((variant) => variant.url) ?? [];
    expectProblem(
      await t.call('DELETE', `/listings/${listingId}/images/${primary}`, stranger),
      403,
      'forbidden',
    );
    expectProblem(
      await t.call('DELETE', `/listings/${listingId}/images/${primary}`, null),
      401,
      'unauthenticated',
    );

    const response = await t.call('DELETE', `/listings/${listingId}/images/${primary}`, seller);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    for (const url of urls) expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(404);
    expect(filesUnder(join(mediaDir, 'listing-images', primary))).toEqual([]);
    expect((await imagesOf(listingId)).map((image) => [image.id, image.position, image.primary])).toEqual([
      [second, 0, true],
      [third, 1, false],
    ]);
    expectProblem(
      await t.call('DELETE', `/listings/${listingId}/images/${primary}`, seller),
      404,
      'image_not_found',
    );
  });
});

describe('the API document', () => {
  it('describes the image endpoints, the upload as multipart', async () => {
    const document = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/listings/{id}/images',
        '/api/v1/listings/{id}/images/{imageId}/primary',
        '/api/v1/listings/{id}/images/{imageId}',
      ]),
    );
    expect(document.paths['/api/v1/listings/{id}/images'].post.requestBody.content).toHaveProperty(
      'multipart/form-data',
    );
  });
});
