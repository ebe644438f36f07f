import type { FieldError } from '@souk/contracts';
import type { Database } from '../../platform/db/database.js';
import type { WebpVariants } from '../../platform/images/index.js';
import type { Storage } from '../../platform/storage/index.js';
import { variantKey } from './media.images.js';
import { MAX_IMAGES_PER_LISTING } from './media.limits.js';
import type { MediaRepository } from './media.repository.js';
import type { MediaImageRow } from './media.schema.js';
import type { ImageStore, UploadedFile } from './media.store.js';

/** An import's images for one listing, stored and waiting to be attached. */
export type PreparedImages = { changed: boolean; order: string[]; newIds: string[] };

/** An import row's images that cannot be used; `errors` name each at `images.<n>`. */
export class ImportImagesRefused extends Error {
  override name = 'ImportImagesRefused';
  constructor(readonly errors: FieldError[]) {
    super(errors.map((error) => error.message).join('; '));
  }
}

/**
 * What imports and exports ask of media: a listing's images named as a file names them, and an
 * import's images prepared (checked and stored like an upload) before its listing is written,
 * then attached or discarded.
 */
export function createImportImages(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: MediaRepository;
  storage: Pick<Storage, 'url'>;
  store: Pick<ImageStore, 'process' | 'storeUnattached' | 'discard'>;
}) {
  const { database, repository, storage, store } = deps;

  /** What an import names an image by: where it came from, or its largest variant's address. */
  const identityOf = (row: MediaImageRow) =>
    row.source ?? storage.url(variantKey(row.storagePrefix, Math.max(...row.variantWidths)));

  return {
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
        encoded = await store.process(files);
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
      const rows = await store.storeUnattached(
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
      await store.discard(dropped);
    },

    /** Removes prepared images that will not be attached (their row failed after all). */
    async discardImportImages(prepared: PreparedImages): Promise<void> {
      if (!prepared.changed || prepared.newIds.length === 0) return;
      const rows = await repository.imagesByIds(database.db, prepared.newIds);
      await store.discard(rows);
    },
  };
}
