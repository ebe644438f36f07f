import { and, asc, count, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import { preparedStatement } from '../../platform/db/prepared.js';
import { type MediaImageRow, mediaImages } from './media.schema.js';

export type NewImageRow = typeof mediaImages.$inferInsert;

/** The two-key advisory lock space of this module; the second key is the listing's. */
const LISTING_IMAGES_LOCK = 0x6d656469; // "medi"

// Every listing page and card list reads this (platform/db/prepared.ts): one statement for any
// number of listings, the ids as one uuid[] parameter.
const imagesOfListings = preparedStatement('media_images_of_listings', (db, name) =>
  db
    .select()
    .from(mediaImages)
    .where(
      and(
        sql`${mediaImages.listingId} = any(${sql.placeholder('ids')}::uuid[])`,
        isNull(mediaImages.deletedAt),
      ),
    )
    .orderBy(asc(mediaImages.listingId), asc(mediaImages.position), asc(mediaImages.id))
    .prepare(name),
);

/** Every media query; the only file that touches media_images. */
export function createMediaRepository() {
  const attachedTo = (listingId: string) =>
    and(eq(mediaImages.listingId, listingId), isNull(mediaImages.deletedAt));

  return {
    /**
     * Serialises every change of one listing's images until the transaction ends, so two uploads
     * at once cannot pass the 20-image limit together. The listing row itself belongs to the
     * listings module; an advisory lock on its id needs no row.
     */
    async lockListingImages(tx: Queryable, listingId: string): Promise<void> {
      await tx.execute(sql`select pg_advisory_xact_lock(${LISTING_IMAGES_LOCK}, hashtext(${listingId}))`);
    },

    async countImages(db: Queryable, listingId: string): Promise<number> {
      const [row] = await db.select({ total: count() }).from(mediaImages).where(attachedTo(listingId));
      return row?.total ?? 0;
    },

    /** The listing's images in display order. */
    listImages(db: Queryable, listingId: string): Promise<MediaImageRow[]> {
      return db
        .select()
        .from(mediaImages)
        .where(attachedTo(listingId))
        .orderBy(asc(mediaImages.position), asc(mediaImages.id));
    },

    /** The images of many listings at once, each listing's in display order. */
    imagesOfListings(db: Queryable, listingIds: string[]): Promise<MediaImageRow[]> {
      if (listingIds.length === 0) return Promise.resolve([]);
      return imagesOfListings(db, { ids: listingIds });
    },

    /** Rows for files about to be stored, attached to no listing yet: orphans until `attach`. */
    async insertUnattached(db: Queryable, rows: NewImageRow[]): Promise<void> {
      if (rows.length > 0)
        await db.insert(mediaImages).values(rows.map((row) => ({ ...row, listingId: null })));
    },

    /** Attaches unattached images to a listing at `firstPosition` onwards, in the order given. */
    async attach(
      tx: Queryable,
      input: { listingId: string; imageIds: string[]; firstPosition: number; primaryId: string | null },
    ): Promise<void> {
      for (const [index, id] of input.imageIds.entries()) {
        await tx
          .update(mediaImages)
          .set({
            listingId: input.listingId,
            position: input.firstPosition + index,
            isPrimary: id === input.primaryId,
          })
          .where(and(eq(mediaImages.id, id), isNull(mediaImages.listingId)));
      }
    },

    /** Attaches the owner's unattached uploads to a message, in order; returns how many. */
    async attachToMessage(
      tx: Queryable,
      input: { ownerId: string; messageId: string; imageIds: string[] },
    ): Promise<number> {
      let attached = 0;
      for (const [position, id] of input.imageIds.entries()) {
        const rows = await tx
          .update(mediaImages)
          .set({ messageId: input.messageId, position })
          .where(
            and(
              eq(mediaImages.id, id),
              eq(mediaImages.ownerId, input.ownerId),
              isNull(mediaImages.listingId),
              isNull(mediaImages.messageId),
              isNull(mediaImages.deletedAt),
            ),
          )
          .returning({ id: mediaImages.id });
        attached += rows.length;
      }
      return attached;
    },

    imagesOfMessages(db: Queryable, messageIds: string[]): Promise<MediaImageRow[]> {
      if (messageIds.length === 0) return Promise.resolve([]);
      return db
        .select()
        .from(mediaImages)
        .where(and(inArray(mediaImages.messageId, messageIds), isNull(mediaImages.deletedAt)))
        .orderBy(asc(mediaImages.messageId), asc(mediaImages.position));
    },

    async setPositions(tx: Queryable, orderedIds: string[]): Promise<void> {
      for (const [position, id] of orderedIds.entries()) {
        await tx.update(mediaImages).set({ position }).where(eq(mediaImages.id, id));
      }
    },

    /** Makes `imageId` the listing's one primary image. */
    async setPrimary(tx: Queryable, listingId: string, imageId: string): Promise<void> {
      await tx
        .update(mediaImages)
        .set({ isPrimary: sql`${mediaImages.id} = ${imageId}` })
        .where(attachedTo(listingId));
    },

    /**
     * Takes an image off its listing and marks it deleted. The row stays, an orphan, until its
     * files are gone: the caller removes both after commit, or the orphan job does later.
     */
    async detach(tx: Queryable, imageId: string): Promise<void> {
      await tx
        .update(mediaImages)
        .set({ listingId: null, isPrimary: false, deletedAt: new Date() })
        .where(eq(mediaImages.id, imageId));
    },

    /** Unattached images created before `before`, oldest first. */
    findOrphans(db: Queryable, before: Date, limit: number): Promise<MediaImageRow[]> {
      return db
        .select()
        .from(mediaImages)
        .where(
          and(
            isNull(mediaImages.listingId),
            isNull(mediaImages.messageId),
            lt(mediaImages.createdAt, before),
          ),
        )
        .orderBy(asc(mediaImages.createdAt))
        .limit(limit);
    },

    imagesByIds(db: Queryable, ids: string[]): Promise<MediaImageRow[]> {
      if (ids.length === 0) return Promise.resolve([]);
      return db.select().from(mediaImages).where(inArray(mediaImages.id, ids));
    },

    /** Deletes rows that are (still) unattached; an image attached meanwhile is kept. */
    async deleteUnattached(db: Queryable, ids: string[]): Promise<void> {
      if (ids.length === 0) return;
      await db
        .delete(mediaImages)
        .where(
          and(inArray(mediaImages.id, ids), isNull(mediaImages.listingId), isNull(mediaImages.messageId)),
        );
    },
  };
}

export type MediaRepository = ReturnType<typeof createMediaRepository>;
