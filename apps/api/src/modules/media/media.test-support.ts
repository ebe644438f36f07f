import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/http/context.js';
import { type ListingStatus, listings } from '../listings/listings.schema.js';
import type { ListingAccess } from './media.service.js';

/*
 * Helpers of the media tests. Until the listings module can create listings, tests insert the
 * rows themselves and stand in for its `listingAccess`.
 */

export function ctxOf(userId: string): RequestContext {
  return { actor: { userId, roles: ['member'] }, requestId: 'test', sessionId: null };
}

export async function insertListing(
  db: Queryable,
  input: { sellerId: string; categoryId: string; status?: ListingStatus },
): Promise<string> {
  const [row] = await db
    .insert(listings)
    .values({
      sellerId: input.sellerId,
      categoryId: input.categoryId,
      kind: 'classified',
      status: input.status ?? 'draft',
      title: 'A listing with photos',
      contact: { messages: true, phone: false, offers: true },
    })
    .returning({ id: listings.id });
  if (!row) throw new Error('no listing inserted');
  return row.id;
}

export async function setListingStatus(db: Queryable, id: string, status: ListingStatus): Promise<void> {
  await db.update(listings).set({ status }).where(eq(listings.id, id));
}

/** What the listings module will answer: seller and status, null for unknown or deleted listings. */
export function listingAccessFrom(db: Queryable): ListingAccess {
  return async (id) => {
    const [row] = await db
      .select({ sellerId: listings.sellerId, status: listings.status, deletedAt: listings.deletedAt })
      .from(listings)
      .where(eq(listings.id, id));
    return row && !row.deletedAt ? { sellerId: row.sellerId, status: row.status } : null;
  };
}

/** Every file under `root`, as paths relative to it. */
export function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

export type MultipartFile = { data: Buffer; filename?: string; type?: string; field?: string };

/** A multipart/form-data body with the given file parts (field `files` unless told). */
export function multipart(files: MultipartFile[]) {
  const boundary = `----souk${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const [index, file] of files.entries()) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'files'}"; filename="${file.filename ?? `photo-${index + 1}.jpg`}"\r\n` +
          `Content-Type: ${file.type ?? 'image/jpeg'}\r\n\r\n`,
      ),
      file.data,
      Buffer.from('\r\n'),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
