import type { Database } from '../../platform/db/database.js';
import type { Logger } from '../../platform/logger.js';
import type { Storage } from '../../platform/storage/index.js';
import { createMediaImages } from './media.images.js';
import { createMediaRepository } from './media.repository.js';
import { mediaModuleRoutes } from './media.routes.js';
import { createMediaService, type ListingAccess } from './media.service.js';

export type { MediaImages } from './media.images.js';
export { REMOVE_ORPHANS_QUEUE, registerMediaJobs } from './media.jobs.js';
export { listingHasImages } from './media.search.js';
export {
  IMAGE_MAX_BYTES,
  IMAGE_MAX_PIXELS,
  ImportImagesRefused,
  type ListingAccess,
  MAX_IMAGES_PER_LISTING,
  type MediaService,
  type PreparedImages,
  VARIANT_WIDTHS,
} from './media.service.js';

/**
 * Listing images: upload (checked by their bytes, re-encoded as WebP variants with a blur-up
 * placeholder, metadata stripped), reorder, choose the primary, delete; and an hourly job that
 * removes orphaned files ({@link registerMediaJobs}).
 *
 * The module never reads the listings table: it asks `listingAccess` who sells a listing, so it
 * is built after listings. The listings module reads images through {@link createListingImages},
 * built before it.
 */
export function createMediaModule(deps: {
  database: Database;
  /** Where the variants are stored (local disk or S3). */
  storage: Storage;
  /** The seller and status of a listing, or null when there is none; from the listings module. */
  listingAccess: ListingAccess;
  logger?: Pick<Logger, 'warn'>;
}) {
  const repository = createMediaRepository();
  const service = createMediaService({ ...deps, repository });
  return { service, routes: mediaModuleRoutes(service) };
}

/** A listing's images as the API shows them; needs no other module (media.images.ts). */
export function createListingImages(deps: { database: Database; storage: Storage }) {
  return createMediaImages({ ...deps, repository: createMediaRepository() });
}

export type MediaModule = ReturnType<typeof createMediaModule>;
