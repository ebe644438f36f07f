import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ListingImage } from '@souk/contracts';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemContext } from '../../platform/http/context.js';
import type { AppError } from '../../platform/http/errors.js';
import { pngDeclaring, textPretendingToBeJpeg, twoTonePhoto } from '../../platform/images/test-images.js';
import type { JobHandler } from '../../platform/jobs.js';
import { createLocalStorage, type LocalStorage, type Storage } from '../../platform/storage/index.js';
import { createTestApp, type TestApp, type TestUser } from '../../test-support/test-app.js';
import { listings } from '../listings/listings.schema.js';
import { registerMediaJobs } from './media.jobs.js';
import { createMediaRepository } from './media.repository.js';
import { mediaImages } from './media.schema.js';
import { createMediaService, type MediaService, type UploadedFile } from './media.service.js';
import {
  ctxOf,
  filesUnder,
  insertListing,
  listingAccessFrom,
  setListingStatus,
} from './media.test-support.js';

let t: TestApp;
let seller: TestUser;
let stranger: TestUser;
let categoryId: string;
const mediaDir = mkdtempSync(join(tmpdir(), 'souk-media-service-'));
let disk: LocalStorage;
/** Tests make the storage fail by setting these. */
let failPut: ((key: string, calls: number) => boolean) | null = null;
let failDelete = false;
let puts = 0;
let service: MediaService;

beforeAll(async () => {
  t = await createTestApp();
  seller = await t.signUp();
  stranger = await t.signUp();
  categoryId = (
    await t.app.modules.catalog.service.createCategory(systemContext(), {
      slug: 'media-tests',
      name: 'Media tests',
    })
  ).id;
  disk = createLocalStorage({ rootDir: mediaDir });
  const storage: Storage = {
    kind: 'local',
    async put(key, bytes, contentType) {
      puts += 1;
      if (failPut?.(key, puts)) throw new Error('the disk is full');
      await disk.put(key, bytes, contentType);
    },
    async delete(key) {
      if (failDelete) throw new Error('the disk is read-only');
      await disk.delete(key);
    },
    url: (key) => disk.url(key),
  };
  service = createMediaService({
    database: t.platform.database,
    repository: createMediaRepository(),
    storage,
    listingAccess: listingAccessFrom(t.platform.database.db),
  });
});
afterAll(async () => {
  await t?.close();
  rmSync(mediaDir, { recursive: true, force: true });
});
beforeEach(() => {
  failPut = null;
  failDelete = false;
  puts = 0;
});

const db = () => t.platform.database.db;
const newListing = (sellerId = seller.userId) => insertListing(db(), { sellerId, categoryId });
const allRows = () => db().select().from(mediaImages);
const png = (width = 400, height = 300) => twoTonePhoto(width, height).png().toBuffer();
const files = async (count: number, width = 400): Promise<UploadedFile[]> =>
  Promise.all(
    Array.from({ length: count }, async (_, index) => ({
      filename: `photo-${index + 1}.png`,
      bytes: await png(width, 300),
    })),
  );
const upload = (listingId: string, uploads: UploadedFile[], userId = seller.userId) =>
  service.uploadImages(ctxOf(userId), listingId, async () => uploads);

async function failure(work: Promise<unknown>): Promise<AppError> {
  const error = await work.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toMatchObject({ name: 'AppError' });
  return error as AppError;
}

/** Rows and files are exactly those of the images the listings show. */
async function expectNothingElseStored(visible: ListingImage[]) {
  const rows = await allRows();
  expect(rows.map((row) => row.id).sort()).toEqual(visible.map((image) => image.id).sort());
  const expected = visible.flatMap((image) =>
    image.variants.map((variant) => variant.url.replace(/^\/media\//, '')),
  );
  expect(filesUnder(mediaDir)).toEqual(expected.sort());
}

describe('uploading', () => {
  it('stores the images in order, the first of a listing primary, and answers them with variant URLs', async () => {
    const listingId = await newListing();
    const first = await upload(listingId, [
      { filename: 'wide.png', bytes: await png(2000, 1500) },
      { filename: 'small.png', bytes: await png(300, 200) },
    ]);
    expect(
      first.map(({ position, primary, width, height }) => ({ position, primary, width, height })),
    ).toEqual([
      { position: 0, primary: true, width: 2000, height: 1500 },
      { position: 1, primary: false, width: 300, height: 200 },
    ]);
    const [wide, small] = first as [ListingImage, ListingImage];
    expect(wide.variants).toEqual(
      [320, 800, 1600].map((width) => ({ width, url: `/media/listing-images/${wide.id}/${width}.webp` })),
    );
    expect(small.variants).toEqual([{ width: 300, url: `/media/listing-images/${small.id}/300.webp` }]);
    expect(wide.placeholder).toMatch(/^data:image\/webp;base64,/);

    const second = await upload(listingId, await files(1));
    expect(second.map((image) => [image.position, image.primary])).toEqual([
      [0, true],
      [1, false],
      [2, false],
    ]);
    expect(second.slice(0, 2)).toEqual(first);
    const [row] = await allRows().then((rows) => rows.filter((r) => r.id === wide.id));
    expect(row).toMatchObject({ ownerId: seller.userId, listingId, variantWidths: [320, 800, 1600] });
    expect(row?.bytes).toBeGreaterThan(0);
    await expectNothingElseStored(second);
  });

  it('refuses the whole batch when one file is bad, naming every bad file, and stores nothing', async () => {
    const listingId = await newListing();
    expect((await service.imagesOf([])).size).toBe(0);
    const rowsBefore = (await allRows()).length;
    const filesBefore = filesUnder(mediaDir);
    const error = await failure(
      upload(listingId, [
        { filename: 'good.png', bytes: await png() },
        { filename: 'notes.jpg', bytes: textPretendingToBeJpeg },
        { filename: 'bomb.png', bytes: pngDeclaring(50_000, 50_000) },
      ]),
    );
    expect(error).toMatchObject({ code: 'unsupported_image', status: 415 });
    expect(error.detail).toContain('"notes.jpg"');
    expect(error.detail).toContain('"bomb.png"');
    expect(error.errors).toEqual([
      { path: 'body.files.1', message: expect.stringMatching(/^notes\.jpg: .*not a JPEG, PNG/) },
      {
        path: 'body.files.2',
        message: 'bomb.png: The image is 50000x50000 pixels; the limit is 50 megapixels.',
      },
    ]);
    expect((await service.imagesOf([listingId])).get(listingId)).toEqual([]);
    expect(puts).toBe(0);
    expect((await allRows()).length).toBe(rowsBefore);
    expect(filesUnder(mediaDir)).toEqual(filesBefore);
  });

  it('asks for no more files than the listing has room for, and refuses a batch that would pass 20', async () => {
    const listingId = await newListing();
    await upload(listingId, await files(18, 64));
    let room = -1;
    const error = await failure(
      service.uploadImages(ctxOf(seller.userId), listingId, async (offered) => {
        room = offered;
        return files(3, 64);
      }),
    );
    expect(room).toBe(2);
    expect(error).toMatchObject({ code: 'too_many_images', status: 409 });
    expect(await upload(listingId, await files(2, 64))).toHaveLength(20);
    let asked = false;
    const full = await failure(
      service.uploadImages(ctxOf(seller.userId), listingId, async () => {
        asked = true;
        return files(1, 64);
      }),
    );
    expect(full.code).toBe('too_many_images');
    expect(asked).toBe(false);
  });

  it('lets only one of two uploads that race for the last places through', async () => {
    const listingId = await newListing();
    const [a, b] = await Promise.allSettled([
      upload(listingId, await files(12, 64)),
      upload(listingId, await files(12, 64)),
    ]);
    const outcomes = [a, b].map((result) => result.status).sort();
    expect(outcomes).toEqual(['fulfilled', 'rejected']);
    const rejected = [a, b].find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({
      code: 'too_many_images',
      detail: expect.stringContaining('Another upload'),
    });
    const images = (await service.imagesOf([listingId])).get(listingId) ?? [];
    expect(images).toHaveLength(12);
    expect(images.map((image) => image.position)).toEqual([...Array(12).keys()]);
    expect(images.filter((image) => image.primary)).toHaveLength(1);
    // The loser's rows and files are gone again.
    const rows = await db().select().from(mediaImages).where(sql`${mediaImages.listingId} is null`);
    expect(rows).toEqual([]);
  });

  it('leaves nothing behind when the storage fails halfway', async () => {
    const listingId = await newListing();
    const rowsBefore = (await allRows()).length;
    const filesBefore = filesUnder(mediaDir).length;
    failPut = (_key, calls) => calls === 3;
    await expect(upload(listingId, await files(2, 900))).rejects.toThrow('the disk is full');
    expect((await allRows()).length).toBe(rowsBefore);
    expect(filesUnder(mediaDir).length).toBe(filesBefore);
  });

  it('lets only the seller add images, and only to a listing that exists and was not removed', async () => {
    const listingId = await newListing();
    let read = false;
    const readFiles = async () => {
      read = true;
      return files(1);
    };
    expect(await failure(service.uploadImages(ctxOf(stranger.userId), listingId, readFiles))).toMatchObject({
      code: 'forbidden',
      status: 403,
    });
    const unknown = '01900000-0000-7000-8000-00000000abcd';
    expect(await failure(service.uploadImages(ctxOf(seller.userId), unknown, readFiles))).toMatchObject({
      code: 'listing_not_found',
      status: 404,
    });
    const anonymous = { ...ctxOf(seller.userId), actor: null };
    expect((await failure(service.uploadImages(anonymous, listingId, readFiles))).status).toBe(401);
    await setListingStatus(db(), listingId, 'removed');
    expect((await failure(service.uploadImages(ctxOf(seller.userId), listingId, readFiles))).code).toBe(
      'listing_not_editable',
    );
    expect(read).toBe(false);
  });
});

describe('arranging', () => {
  let listingId: string;
  let ids: string[];
  beforeAll(async () => {
    listingId = await newListing();
    ids = (await upload(listingId, await files(3, 64))).map((image) => image.id);
  });

  it('reorders the images, given every id exactly once', async () => {
    const [a, b, c] = ids as [string, string, string];
    const reordered = await service.reorderImages(ctxOf(seller.userId), listingId, [c, a, b]);
    expect(reordered.map((image) => [image.id, image.position])).toEqual([
      [c, 0],
      [a, 1],
      [b, 2],
    ]);
    // The primary stays the image it was, wherever it moved.
    expect(reordered.find((image) => image.primary)?.id).toBe(a);
    const other = (await upload(await newListing(), await files(1, 64)))[0]?.id as string;
    for (const wrong of [
      [a, b],
      [a, b, c, c],
      [a, b, b],
      [a, b, other],
      [c, a, b, other],
    ]) {
      const error = await failure(service.reorderImages(ctxOf(seller.userId), listingId, wrong));
      expect(error).toMatchObject({ code: 'reorder_mismatch', status: 400 });
    }
    expect((await failure(service.reorderImages(ctxOf(stranger.userId), listingId, [a, b, c]))).code).toBe(
      'forbidden',
    );
    ids = [c, a, b];
  });

  it('makes exactly one image primary', async () => {
    const [, , last] = ids as [string, string, string];
    const images = await service.setPrimaryImage(ctxOf(seller.userId), listingId, last);
    expect(images.map((image) => image.primary)).toEqual([false, false, true]);
    const elsewhere = (await upload(await newListing(), await files(1, 64)))[0]?.id as string;
    expect((await failure(service.setPrimaryImage(ctxOf(seller.userId), listingId, elsewhere))).code).toBe(
      'image_not_found',
    );
    expect((await failure(service.setPrimaryImage(ctxOf(stranger.userId), listingId, last))).code).toBe(
      'forbidden',
    );
  });

  it('deletes an image and its files; the rest close up and a new primary is chosen', async () => {
    const [first, second, primary] = ids as [string, string, string];
    const primaryFiles = filesUnder(join(mediaDir, 'listing-images', primary));
    expect(primaryFiles.length).toBeGreaterThan(0);
    await service.deleteImage(ctxOf(seller.userId), listingId, primary);
    expect(filesUnder(join(mediaDir, 'listing-images', primary))).toEqual([]);
    expect(await db().select().from(mediaImages).where(eq(mediaImages.id, primary))).toEqual([]);
    const images = (await service.imagesOf([listingId])).get(listingId) ?? [];
    expect(images.map((image) => [image.id, image.position, image.primary])).toEqual([
      [first, 0, true],
      [second, 1, false],
    ]);

    await service.deleteImage(ctxOf(seller.userId), listingId, first);
    const left = (await service.imagesOf([listingId])).get(listingId) ?? [];
    expect(left.map((image) => [image.id, image.position, image.primary])).toEqual([[second, 0, true]]);
    expect((await failure(service.deleteImage(ctxOf(seller.userId), listingId, first))).code).toBe(
      'image_not_found',
    );
    expect((await failure(service.deleteImage(ctxOf(stranger.userId), listingId, second))).code).toBe(
      'forbidden',
    );
  });

  it('keeps a deleted image’s row for the orphan job when its files cannot be removed yet', async () => {
    const [image] = await upload(await newListing(), await files(1, 64));
    const id = image?.id as string;
    failDelete = true;
    const listingId2 = (await db().select().from(mediaImages).where(eq(mediaImages.id, id)))[0]
      ?.listingId as string;
    await service.deleteImage(ctxOf(seller.userId), listingId2, id);
    const [row] = await db().select().from(mediaImages).where(eq(mediaImages.id, id));
    expect(row).toMatchObject({ listingId: null, isPrimary: false });
    expect(row?.deletedAt).toBeInstanceOf(Date);
    expect((await service.imagesOf([listingId2])).get(listingId2)).toEqual([]);
    expect(filesUnder(join(mediaDir, 'listing-images', id))).toEqual(['64.webp']);
  });
});

describe('imagesOf', () => {
  it('answers each listing asked for with its images in order, primary flagged', async () => {
    const withImages = await newListing();
    const without = await newListing();
    const uploaded = await upload(withImages, await files(2, 64));
    await service.reorderImages(
      ctxOf(seller.userId),
      withImages,
      uploaded.map((image) => image.id).reverse(),
    );
    const map = await service.imagesOf([withImages, without, withImages]);
    expect([...map.keys()]).toEqual([withImages, without]);
    expect(map.get(without)).toEqual([]);
    expect(map.get(withImages)?.map((image) => [image.id, image.position, image.primary])).toEqual([
      [uploaded[1]?.id, 0, false],
      [uploaded[0]?.id, 1, true],
    ]);
  });
});

describe('the orphan job', () => {
  it('is scheduled hourly and removes unattached images older than a day, files first, in batches', async () => {
    const defined = new Map<string, JobHandler<object>>();
    const schedules: [string, string][] = [];
    registerMediaJobs(
      {
        define: (queue, handler) => defined.set(queue, handler as JobHandler<object>),
        schedule: (queue, cron) => schedules.push([queue, cron]),
      },
      service,
    );
    expect(schedules).toEqual([['media.remove_orphans', '17 * * * *']]);
    const handler = defined.get('media.remove_orphans');
    if (!handler) throw new Error('the job is not defined');

    // Clean slate: earlier tests left a detached row whose files could not be removed.
    await handler({}, { id: 'warm-up', queue: 'media.remove_orphans', retryCount: 0 });

    const kept = await newListing();
    const keptImages = await upload(kept, await files(1, 64));
    // A listing deleted for good takes its images off (ON DELETE SET NULL): they are orphans.
    const gone = await newListing();
    const goneImages = await upload(gone, await files(3, 64));
    await db().delete(listings).where(eq(listings.id, gone));
    // One deleted by its seller while the storage was down.
    const deletedLater = await newListing();
    const [stuck] = await upload(deletedLater, await files(1, 64));
    failDelete = true;
    await service.deleteImage(ctxOf(seller.userId), deletedLater, stuck?.id as string);
    failDelete = false;
    // A fresh unattached one may be an upload in progress: it stays.
    const fresh = await newListing();
    const [young] = await upload(fresh, await files(1, 64));
    await db().delete(listings).where(eq(listings.id, fresh));

    const aged = [...goneImages.map((image) => image.id), stuck?.id as string];
    await db()
      .update(mediaImages)
      .set({ createdAt: new Date(Date.now() - 25 * 60 * 60 * 1000) })
      .where(inArray(mediaImages.id, aged));
    expect(filesUnder(join(mediaDir, 'listing-images', stuck?.id as string))).toHaveLength(1);

    // Batches of two: three batches, and the job goes on until none is left.
    expect(await service.removeOrphans({ batchSize: 2 })).toBe(4);
    const left = await allRows();
    expect(left.map((row) => row.id)).toEqual(expect.arrayContaining([keptImages[0]?.id, young?.id]));
    expect(left.map((row) => row.id)).not.toEqual(expect.arrayContaining([aged[0]]));
    for (const id of aged) {
      expect(left.some((row) => row.id === id)).toBe(false);
      expect(filesUnder(join(mediaDir, 'listing-images', id))).toEqual([]);
    }
    expect(filesUnder(join(mediaDir, 'listing-images', young?.id as string))).toHaveLength(1);

    // Through the job's handler, a day later the young one goes too.
    await db()
      .update(mediaImages)
      .set({ createdAt: new Date(Date.now() - 25 * 60 * 60 * 1000) })
      .where(eq(mediaImages.id, young?.id as string));
    await handler({}, { id: 'job-1', queue: 'media.remove_orphans', retryCount: 0 });
    expect((await allRows()).some((row) => row.id === young?.id)).toBe(false);
    expect(filesUnder(join(mediaDir, 'listing-images', young?.id as string))).toEqual([]);
    expect((await service.imagesOf([kept])).get(kept)).toEqual(keptImages);
  });

  it('keeps rows whose files it could not remove, for the next run', async () => {
    const listingId = await newListing();
    const [image] = await upload(listingId, await files(1, 64));
    await db().delete(listings).where(eq(listings.id, listingId));
    await db()
      .update(mediaImages)
      .set({ createdAt: new Date(Date.now() - 48 * 60 * 60 * 1000) })
      .where(eq(mediaImages.id, image?.id as string));
    failDelete = true;
    expect(await service.removeOrphans()).toBe(0);
    expect((await allRows()).some((row) => row.id === image?.id)).toBe(true);
    failDelete = false;
    expect(await service.removeOrphans()).toBe(1);
    expect((await allRows()).some((row) => row.id === image?.id)).toBe(false);
  });
});
