import type { FieldError } from '@souk/contracts';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../../platform/db/database.js';
import {
  type ImageLimits,
  ImageRejectedError,
  type ImageRejection,
  type InspectedImage,
  inspectImage,
  toWebpVariants,
  type WebpVariants,
} from '../../platform/images/index.js';
import type { Logger } from '../../platform/logger.js';
import type { Storage } from '../../platform/storage/index.js';
import { type MediaErrorCode, mediaError } from './media.errors.js';
import { variantKey } from './media.images.js';
import { imageOptions } from './media.limits.js';
import type { MediaRepository, NewImageRow } from './media.repository.js';
import type { MediaImageRow } from './media.schema.js';

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

export type ImageStoreDeps = {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: MediaRepository;
  storage: Pick<Storage, 'put' | 'delete' | 'url'>;
  logger?: Pick<Logger, 'warn'> | undefined;
  /** The image pipeline; swapped only by tests. */
  toVariants?: ((bytes: Buffer, inspected: InspectedImage) => Promise<WebpVariants>) | undefined;
};

/**
 * The way every image comes in, whoever sends it (a seller's upload, a message photo, an
 * import): checked by its bytes, re-encoded as WebP variants, stored as a row attached to
 * nothing and then its files. And the way out: files first, then the row.
 */
export function createImageStore(deps: ImageStoreDeps) {
  const { database, repository, storage } = deps;
  const toVariants =
    deps.toVariants ??
    ((bytes: Buffer, inspected: InspectedImage) => toWebpVariants(bytes, imageOptions, inspected));
  const limits: ImageLimits = imageOptions;

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

  return { process, storeUnattached, discard, deleteFiles };
}

export type ImageStore = ReturnType<typeof createImageStore>;
