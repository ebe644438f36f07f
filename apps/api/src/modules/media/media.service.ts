import { type FieldError, type ListingImage, MESSAGE_MAX_IMAGES, type MessageImage } from '@souk/contracts';
import { v7 as uuidv7 } from 'uuid';
import type { Database, Queryable } from '../../platform/db/database.js';
import { isForeignKeyViolation } from '../../platform/db/errors.js';
import type { RequestContext } from '../../platform/http/context.js';
import { platformError } from '../../platform/http/errors.js';
import {
  type ImageLimits,
  ImageRejectedError,
  type ImageRejection,
  type InspectedImage,
  inspectImage,
  toWebpVariants,
  type VariantOptions,
  type WebpVariants,
} from '../../platform/images/index.js';
import type { Logger } from '../../platform/logger.js';
import type { Storage } from '../../platform/storage/index.js';
import { type MediaErrorCode, mediaError } from './media.errors.js';
import { createMediaImages, variantKey } from './media.images.js';
import type { MediaRepository, NewImageRow } from './media.repository.js';
import type { MediaImageRow } from './media.schema.js';

export const MAX_IMAGES_PER_LISTING = 20;
export const IMAGE_MAX_BYTES = 15 * 1024 * 1024;
/** 50 megapixels: any phone or camera photo passes, a decompression bomb does not. */
export const IMAGE_MAX_PIXELS = 50_000_000;
export const VARIANT_WIDTHS = [320, 800, 1600] as const;
/** An unattached image younger than this may be an upload in progress; older ones are removed. */
export const ORPHAN_AGE_MS = 24 * 60 * 60 * 1000;

const imageOptions: VariantOptions = {
  maxBytes: IMAGE_MAX_BYTES,
  maxPixels: IMAGE_MAX_PIXELS,
  // A 1600 px wide variant of anything longer would pass WebP's 16,383 px limit.
  maxAspectRatio: 8,
  widths: VARIANT_WIDTHS,
  placeholderSize: 20,
};

/**
 * What the media module needs to know of a listing: who sells it and its status, or null when
 * there is no such listing (a deleted one may come back marked `deleted`). The listings module's
 * `ref` provides it.
 */
export type ListingAccess = (
  listingId: string,
) => Promise<{ sellerId: string; status: string; deleted?: boolean } | null>;

/** One uploaded file, as the route read it. */
export type UploadedFile = { filename: string; bytes: Buffer };

const codeOf: Record<ImageRejection, MediaErrorCode> = {
  empty: 'invalid_image',
  too_many_bytes: 'image_too_large',
  unsupported: 'unsupported_image',
  too_many_pixels: 'image_too_large',
  bad_dimensions: 'invalid_image',
  undecodable: 'invalid_image',
};

export function createMediaService(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: MediaRepository;
  storage: Pick<Storage, 'put' | 'delete' | 'url'>;
  listingAccess: ListingAccess;
  logger?: Pick<Logger, 'warn'>;
  /** The image pipeline; swapped only by tests. */
  toVariants?: (bytes: Buffer, inspected: InspectedImage) => Promise<WebpVariants>;
}) {
  const { database, repository, storage } = deps;
  const toVariants =
    deps.toVariants ??
    ((bytes: Buffer, inspected: InspectedImage) => toWebpVariants(bytes, imageOptions, inspected));
  const limits: ImageLimits = imageOptions;

  /** The caller must be the listing's seller, and the listing not removed. */
  async function authorize(ctx: RequestContext, listingId: string): Promise<void> {
    if (!ctx.actor) throw platformError('unauthenticated', 'Sign in first.');
    const listing = await deps.listingAccess(listingId);
    if (!listing || listing.deleted) throw mediaError('listing_not_found');
    if (listing.sellerId !== ctx.actor.userId) {
      throw platformError('forbidden', 'Only the seller may change the images of a listing.');
    }
    if (listing.status === 'removed') throw mediaError('listing_not_editable');
  }

  const images = createMediaImages(deps);
  const { toListingImage, toMessageImage } = images;

  const listOf = async (db: Parameters<MediaRepository['listImages']>[0], listingId: string) =>
    (await repository.listImages(db, listingId)).map(toListingImage);

  /** Removes an image's variants; a missing one is fine, any other failure throws. */
  async function deleteFiles(row: Pick<MediaImageRow, 'storagePrefix' | 'variantWidths'>): Promise<void> {
    await Promise.all(row.variantWidths.map((width) => storage.delete(variantKey(row.storagePrefix, width))));
  }

  /**
   * Best effort, after a failed upload or a delete: files and rows that survive this are
   * unattached rows, which the orphan job removes later.
   */
  async function discard(rows: Pick<MediaImageRow, 'id' | 'storagePrefix' | 'variantWidths'>[]) {
    const removed: string[] = [];
    for (const row of rows) {
      try {
        await deleteFiles(row);
        removed.push(row.id);
      } catch (error) {
        deps.logger?.warn({ err: error, imageId: row.id }, 'image files not removed; the orphan job retries');
      }
    }
    await repository
      .deleteUnattached(database.db, removed)
      .catch((error) => deps.logger?.warn({ err: error }, 'image rows not removed; the orphan job retries'));
  }

  function refused(failures: { index: number; filename: string; error: ImageRejectedError }[]) {
    const [first] = failures;
    if (!first) throw new Error('refused() needs a failure');
    const names = failures.map((failure) => `"${failure.filename}"`).join(', ');
    const detail =
      failures.length === 1
        ? `${names}: ${first.error.message} Nothing was stored.`
        : `${failures.length} files were refused (${names}); nothing was stored. First: ${first.error.message}`;
    const errors: FieldError[] = failures.map((failure) => ({
      path: `body.files.${failure.index}`,
      message: `${failure.filename}: ${failure.error.message}`,
    }));
    return mediaError(codeOf[first.error.reason], detail, errors);
  }

  /** Checks every file's header, then decodes and encodes them; any bad file refuses the batch. */
  async function process(files: UploadedFile[]): Promise<WebpVariants[]> {
    const inspected: InspectedImage[] = [];
    const failures: { index: number; filename: string; error: ImageRejectedError }[] = [];
    for (const [index, file] of files.entries()) {
      try {
        inspected.push(await inspectImage(file.bytes, limits));
      } catch (error) {
        if (!(error instanceof ImageRejectedError)) throw error;
        failures.push({ index, filename: file.filename, error });
      }
    }
    if (failures.length > 0) throw refused(failures);
    const encoded: WebpVariants[] = [];
    // One at a time: decoding is CPU and memory bound, and sharp already uses every core.
    for (const [index, file] of files.entries()) {
      try {
        encoded.push(await toVariants(file.bytes, inspected[index] as InspectedImage));
      } catch (error) {
        if (!(error instanceof ImageRejectedError)) throw error;
        throw refused([{ index, filename: file.filename, error }]);
      }
    }
    return encoded;
  }

  /**
   * Stores encoded images as rows attached to nothing, then their files. Rows first: a crash
   * from here on leaves orphans the scheduled job removes, never a file without a row. A failed
   * file store discards what was stored and throws.
   */
  async function storeUnattached(
    ownerId: string,
    folder: string,
    encoded: WebpVariants[],
    // An import names where each image came from, so a re-run does not fetch it again.
    sources: (string | null)[] = [],
  ): Promise<(NewImageRow & { id: string })[]> {
    const rows: (NewImageRow & { id: string })[] = encoded.map((image, index) => {
      const id = uuidv7();
      return {
        id,
        ownerId,
        listingId: null,
        storagePrefix: `${folder}/${id}`,
        variantWidths: image.variants.map((variant) => variant.width),
        width: image.width,
        height: image.height,
        // What the image costs in storage; the original is not kept.
        bytes: image.variants.reduce((total, variant) => total + variant.data.length, 0),
        placeholder: image.placeholder,
        source: sources[index] ?? null,
      };
    });
    await database.transaction((tx) => repository.insertUnattached(tx, rows));
    try {
      for (const [index, image] of encoded.entries()) {
        const row = rows[index] as (typeof rows)[number];
        for (const variant of image.variants) {
          await storage.put(variantKey(row.storagePrefix, variant.width), variant.data, 'image/webp');
        }
      }
    } catch (error) {
      await discard(rows);
      throw error;
    }
    return rows;
  }

  /** What an import names an image by: where it came from, or its largest variant's address. */
  const identityOf = (row: MediaImageRow) =>
    row.source ?? storage.url(variantKey(row.storagePrefix, Math.max(...row.variantWidths)));

  return {
    /**
     * The seller adds images to a listing, all or none. `readFiles` is called only once the
     * caller may add images, and is told how many more the listing takes. Returns the listing's
     * images in order; the first image a listing gets is its primary.
     */
    async uploadImages(
      ctx: RequestContext,
      listingId: string,
      readFiles: (room: number) => Promise<UploadedFile[]>,
    ): Promise<ListingImage[]> {
      await authorize(ctx, listingId);
      const ownerId = ctx.actor?.userId as string;
      const room = MAX_IMAGES_PER_LISTING - (await repository.countImages(database.db, listingId));
      const tooMany = () =>
        mediaError(
          'too_many_images',
          `The listing has room for ${Math.max(room, 0)} more image(s) of ${MAX_IMAGES_PER_LISTING}; nothing was stored.`,
        );
      if (room <= 0) throw tooMany();
      const files = await readFiles(room);
      if (files.length === 0) throw mediaError('no_images');
      if (files.length > room) throw tooMany();
      const encoded = await process(files);

      const rows = await storeUnattached(ownerId, 'listing-images', encoded);
      try {
        return await database.transaction(async (tx) => {
          await repository.lockListingImages(tx, listingId);
          const current = await repository.listImages(tx, listingId);
          if (current.length + rows.length > MAX_IMAGES_PER_LISTING) {
            throw mediaError(
              'too_many_images',
              `Another upload filled the listing meanwhile; it has room for ${MAX_IMAGES_PER_LISTING - current.length} more image(s). Nothing was stored.`,
            );
          }
          const hasPrimary = current.some((image) => image.isPrimary);
          await repository.attach(tx, {
            listingId,
            imageIds: rows.map((row) => row.id),
            firstPosition: current.length,
            primaryId: hasPrimary ? null : (rows[0]?.id ?? null),
          });
          return listOf(tx, listingId);
        });
      } catch (error) {
        await discard(rows);
        // The listing was deleted for good between the check and the attach.
        if (isForeignKeyViolation(error)) throw mediaError('listing_not_found');
        throw error;
      }
    },

    /** The seller sets the order: `imageIds` lists every image of the listing exactly once. */
    async reorderImages(ctx: RequestContext, listingId: string, imageIds: string[]): Promise<ListingImage[]> {
      await authorize(ctx, listingId);
      return database.transaction(async (tx) => {
        await repository.lockListingImages(tx, listingId);
        const current = await repository.listImages(tx, listingId);
        const known = new Set(current.map((image) => image.id));
        const exact =
          imageIds.length === current.length &&
          new Set(imageIds).size === imageIds.length &&
          imageIds.every((id) => known.has(id));
        if (!exact) {
          throw mediaError(
            'reorder_mismatch',
            `Send the ids of all ${current.length} image(s) of the listing, each once, in the new order.`,
          );
        }
        await repository.setPositions(tx, imageIds);
        return listOf(tx, listingId);
      });
    },

    /** The seller picks the image shown first in lists and cards. */
    async setPrimaryImage(ctx: RequestContext, listingId: string, imageId: string): Promise<ListingImage[]> {
      await authorize(ctx, listingId);
      return database.transaction(async (tx) => {
        await repository.lockListingImages(tx, listingId);
        const current = await repository.listImages(tx, listingId);
        if (!current.some((image) => image.id === imageId)) throw mediaError('image_not_found');
        await repository.setPrimary(tx, listingId, imageId);
        return listOf(tx, listingId);
      });
    },

    /**
     * The seller deletes an image: the others close up, the first of them becomes primary if
     * this one was, and its files are removed once that has committed.
     */
    async deleteImage(ctx: RequestContext, listingId: string, imageId: string): Promise<void> {
      await authorize(ctx, listingId);
      const removed = await database.transaction(async (tx) => {
        await repository.lockListingImages(tx, listingId);
        const current = await repository.listImages(tx, listingId);
        const image = current.find((row) => row.id === imageId);
        if (!image) throw mediaError('image_not_found');
        await repository.detach(tx, imageId);
        const rest = current.filter((row) => row.id !== imageId);
        await repository.setPositions(
          tx,
          rest.map((row) => row.id),
        );
        const first = rest[0];
        if (image.isPrimary && first) await repository.setPrimary(tx, listingId, first.id);
        return image;
      });
      await discard([removed]);
    },

    /**
     * A member uploads photos to send in a message (at most MESSAGE_MAX_IMAGES at once), checked
     * and re-encoded like listing photos. They stay unattached, and are removed as orphans,
     * until {@link attachToMessage} sends them.
     */
    async uploadMessageImages(
      ctx: RequestContext,
      readFiles: (room: number) => Promise<UploadedFile[]>,
    ): Promise<MessageImage[]> {
      if (!ctx.actor) throw platformError('unauthenticated', 'Sign in first.');
      const files = await readFiles(MESSAGE_MAX_IMAGES);
      if (files.length === 0) throw mediaError('no_images');
      if (files.length > MESSAGE_MAX_IMAGES)
        throw mediaError('too_many_images', `Send at most ${MESSAGE_MAX_IMAGES} photos in one message.`);
      const rows = await storeUnattached(ctx.actor.userId, 'message-images', await process(files));
      return rows.map(toMessageImage);
    },

    /**
     * For the messaging module, in its transaction: attaches the owner's unsent uploads to a
     * message, in the order given. False (and nothing attached once the caller rolls back) when
     * any id is not such an upload.
     */
    async attachToMessage(
      tx: Queryable,
      input: { ownerId: string; messageId: string; imageIds: string[] },
    ): Promise<boolean> {
      if (new Set(input.imageIds).size !== input.imageIds.length) return false;
      const attached = await repository.attachToMessage(tx, input);
      return attached === input.imageIds.length;
    },

    /** For the messaging module: each message's photos, in order (every id has an entry). */
    async imagesOfMessages(messageIds: string[]): Promise<Map<string, MessageImage[]>> {
      const unique = [...new Set(messageIds)];
      const images = new Map<string, MessageImage[]>(unique.map((id) => [id, []]));
      for (const row of await repository.imagesOfMessages(database.db, unique)) {
        images.get(row.messageId as string)?.push(toMessageImage(row));
      }
      return images;
    },

    /**
     * For imports and exports: each listing's images in order, named by their source (an
     * imported image) or the address of the largest variant (an upload).
     */
    async sourcesOf(listingIds: string[]): Promise<Map<string, string[]>> {
      const unique = [...new Set(listingIds)];
      const sources = new Map<string, string[]>(unique.map((id) => [id, []]));
      for (const row of await repository.imagesOfListings(database.db, unique)) {
        sources.get(row.listingId as string)?.push(identityOf(row));
      }
      return sources;
    },

    /**
     * An import's images for a listing, checked and encoded exactly like an upload, stored but
     * not yet attached (the listing may not exist yet). `sources` name the images in order; one
     * the listing has already (same source, or its own address) is kept, not fetched again.
     * All or nothing: a bad image throws {@link ImportImagesRefused} naming it, nothing stays.
     */
    async prepareImportImages(input: {
      ownerId: string;
      listingId: string | null;
      sources: { key: string; read: () => Promise<{ filename: string; bytes: Buffer }> }[];
      /** Strips this public origin before comparing, so an exported address matches its image. */
      publicOrigin?: string;
    }): Promise<PreparedImages> {
      if (input.sources.length > MAX_IMAGES_PER_LISTING) {
        throw new ImportImagesRefused([
          { path: 'images', message: `a listing has at most ${MAX_IMAGES_PER_LISTING} images` },
        ]);
      }
      const current = input.listingId ? await repository.listImages(database.db, input.listingId) : [];
      const local = (key: string) =>
        input.publicOrigin && key.startsWith(`${input.publicOrigin}/`)
          ? key.slice(input.publicOrigin.length)
          : key;
      const kept = new Map<string, string>();
      for (const row of current) {
        kept.set(identityOf(row), row.id);
        if (row.source)
          kept.set(storage.url(variantKey(row.storagePrefix, Math.max(...row.variantWidths))), row.id);
      }
      const order: { existingId?: string; index?: number }[] = [];
      const wanted: {
        index: number;
        key: string;
        read: () => Promise<{ filename: string; bytes: Buffer }>;
      }[] = [];
      for (const [index, source] of input.sources.entries()) {
        const existingId = kept.get(local(source.key));
        if (existingId) order.push({ existingId });
        else {
          order.push({ index: wanted.length });
          wanted.push({ index, key: source.key, read: source.read });
        }
      }
      const unchanged =
        wanted.length === 0 &&
        order.length === current.length &&
        order.every((item, position) => item.existingId === current[position]?.id);
      if (unchanged) return { changed: false, order: [], newIds: [] };

      const files: UploadedFile[] = [];
      const failures: FieldError[] = [];
      for (const item of wanted) {
        try {
          files.push(await item.read());
        } catch (error) {
          failures.push({
            path: `images.${item.index}`,
            message: `${item.key}: ${(error as Error).message}`,
          });
        }
      }
      if (failures.length > 0) throw new ImportImagesRefused(failures);
      let encoded: WebpVariants[];
      try {
        encoded = await process(files);
      } catch (error) {
        const refusedFiles = (error as { errors?: FieldError[] }).errors;
        if (!refusedFiles) throw error;
        throw new ImportImagesRefused(
          refusedFiles.map((failure) => {
            const at = Number(failure.path.split('.').at(-1));
            const item = wanted[at];
            return { path: `images.${item?.index ?? at}`, message: failure.message };
          }),
        );
      }
      const rows = await storeUnattached(
        input.ownerId,
        'listing-images',
        encoded,
        wanted.map((item) => item.key),
      );
      return {
        changed: true,
        order: order.map((item) =>
          item.existingId ? item.existingId : (rows[item.index as number] as { id: string }).id,
        ),
        newIds: rows.map((row) => row.id),
      };
    },

    /**
     * Gives a listing exactly the prepared images in order (the first is primary); images it had
     * that are not among them are removed with their files.
     */
    async attachImportImages(listingId: string, prepared: PreparedImages): Promise<void> {
      if (!prepared.changed) return;
      const dropped = await database.transaction(async (tx) => {
        await repository.lockListingImages(tx, listingId);
        const current = await repository.listImages(tx, listingId);
        const keep = new Set(prepared.order);
        const gone = current.filter((row) => !keep.has(row.id));
        for (const row of gone) await repository.detach(tx, row.id);
        await repository.attach(tx, {
          listingId,
          imageIds: prepared.newIds,
          firstPosition: 0,
          primaryId: null,
        });
        await repository.setPositions(tx, prepared.order);
        const first = prepared.order[0];
        if (first) await repository.setPrimary(tx, listingId, first);
        return gone;
      });
      await discard(dropped);
    },

    /** Removes prepared images that will not be attached (their row failed after all). */
    async discardImportImages(prepared: PreparedImages): Promise<void> {
      if (!prepared.changed || prepared.newIds.length === 0) return;
      const rows = await repository.imagesByIds(database.db, prepared.newIds);
      await discard(rows);
    },

    /** For the listings module: built before listings as the module's `images` (media.images.ts). */
    imagesOf: images.imagesOf,

    /**
     * Removes images attached to no listing (failed uploads, deleted images, listings deleted
     * for good) created before `olderThan` ago, files first, in batches. Returns how many went.
     */
    async removeOrphans(
      options: { olderThanMs?: number; batchSize?: number; maxBatches?: number; now?: Date } = {},
    ): Promise<number> {
      const { olderThanMs = ORPHAN_AGE_MS, batchSize = 100, maxBatches = 50, now = new Date() } = options;
      const before = new Date(now.getTime() - olderThanMs);
      let removed = 0;
      for (let batch = 0; batch < maxBatches; batch++) {
        const orphans = await repository.findOrphans(database.db, before, batchSize);
        const done: string[] = [];
        for (const orphan of orphans) {
          try {
            await deleteFiles(orphan);
            done.push(orphan.id);
          } catch (error) {
            deps.logger?.warn({ err: error, imageId: orphan.id }, 'orphaned image files not removed');
          }
        }
        await repository.deleteUnattached(database.db, done);
        removed += done.length;
        // A short batch was the last; a failing one waits for the next run rather than spin.
        if (orphans.length < batchSize || done.length < orphans.length) break;
      }
      return removed;
    },
  };
}

export type MediaService = ReturnType<typeof createMediaService>;

/** An import's images for one listing, stored and waiting to be attached. */
export type PreparedImages = { changed: boolean; order: string[]; newIds: string[] };

/** An import row's images that cannot be used; `errors` name each at `images.<n>`. */
export class ImportImagesRefused extends Error {
  override name = 'ImportImagesRefused';
  constructor(readonly errors: FieldError[]) {
    super(errors.map((error) => error.message).join('; '));
  }
}
