import type { ListingImage, MessageImage } from '@souk/contracts';
import type { Database } from '../../platform/db/database.js';
import type { Storage } from '../../platform/storage/index.js';
import type { MediaRepository } from './media.repository.js';
import type { MediaImageRow } from './media.schema.js';

export const variantKey = (prefix: string, width: number) => `${prefix}/${width}.webp`;

/**
 * The read side of media that the listings module leans on: a listing's images as the API shows
 * them. It needs no other module, so it is built before listings; the media service (which asks
 * listings who sells a listing) is built after. That order replaces the lazy wiring that hid a
 * listings↔media cycle.
 */
export function createMediaImages(deps: {
  database: Pick<Database, 'db'>;
  repository: Pick<MediaRepository, 'imagesOfListings'>;
  storage: Pick<Storage, 'url'>;
}) {
  const { database, repository, storage } = deps;
  const variantsOf = (row: Pick<MediaImageRow, 'variantWidths' | 'storagePrefix'>) =>
    row.variantWidths.map((width) => ({ width, url: storage.url(variantKey(row.storagePrefix, width)) }));

  function toListingImage(row: MediaImageRow): ListingImage {
    return {
      id: row.id,
      position: row.position,
      primary: row.isPrimary,
      width: row.width,
      height: row.height,
      placeholder: row.placeholder,
      variants: variantsOf(row),
    };
  }

  function toMessageImage(
    row: Pick<MediaImageRow, 'id' | 'width' | 'height' | 'placeholder' | 'variantWidths' | 'storagePrefix'>,
  ): MessageImage {
    return {
      id: row.id,
      width: row.width,
      height: row.height,
      placeholder: row.placeholder,
      variants: variantsOf(row),
    };
  }

  return {
    toListingImage,
    toMessageImage,
    /**
     * For the listings module: each listing's images, in order, primary flagged. Every id asked
     * for has an entry (an empty list when the listing has no images).
     */
    async imagesOf(listingIds: string[]): Promise<Map<string, ListingImage[]>> {
      const unique = [...new Set(listingIds)];
      const images = new Map<string, ListingImage[]>(unique.map((id) => [id, []]));
      for (const row of await repository.imagesOfListings(database.db, unique)) {
        images.get(row.listingId as string)?.push(toListingImage(row));
      }
      return images;
    },
  };
}

export type MediaImages = ReturnType<typeof createMediaImages>;
