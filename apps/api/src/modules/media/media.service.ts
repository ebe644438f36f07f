import { type ListingImage, MESSAGE_MAX_IMAGES, type MessageImage } from '@souk/contracts';
import type { Database, Queryable } from '../../platform/db/database.js';
import { isForeignKeyViolation } from '../../platform/db/errors.js';
import type { RequestContext } from '../../platform/http/context.js';
import { platformError } from '../../platform/http/errors.js';
import type { InspectedImage, WebpVariants } from '../../platform/images/index.js';
import type { Logger } from '../../platform/logger.js';
import type { Storage } from '../../platform/storage/index.js';
import { mediaError } from './media.errors.js';
import { createMediaImages } from './media.images.js';
import { createImportImages } from './media.import.js';
import { MAX_IMAGES_PER_LISTING, ORPHAN_AGE_MS } from './media.limits.js';
import type { MediaRepository } from './media.repository.js';
import { createImageStore, type UploadedFile } from './media.store.js';

export { ImportImagesRefused, type PreparedImages } from './media.import.js';
export {
  IMAGE_MAX_BYTES,
  IMAGE_MAX_PIXELS,
  MAX_IMAGES_PER_LISTING,
  ORPHAN_AGE_MS,
  VARIANT_WIDTHS,
} from './media.limits.js';
export type { UploadedFile } from './media.store.js';

/**
 * What the media module needs to know of a listing: who sells it and its status, or null when
 * there is no such listing (a deleted one may come back marked `deleted`). The listings module's
 * `ref` provides it.
 */
export type ListingAccess = (
  listingId: string,
) => Promise<{ sellerId: string; status: string; deleted?: boolean } | null>;

/**
 * Media put together: the way images come in and go (media.store.ts), a listing's images as the
 * API shows them (media.images.ts), imports' images (media.import.ts), and here the seller's and
 * the messaging member's operations and the orphan sweep.
 */
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

  const store = createImageStore(deps);
  const { process, storeUnattached, discard, deleteFiles } = store;
  const importImages = createImportImages({ database, repository, storage, store });

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

    ...importImages,

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
