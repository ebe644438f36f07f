import type { RequestContext } from '../../platform/http/context.js';
import { platformError } from '../../platform/http/errors.js';
import type { ListingsService } from '../listings/index.js';
import type { MediaService } from '../media/index.js';
import { archivePathOf } from './imports.archive.js';
import { exportWriter } from './imports.format.js';
import type { ImportFormat } from './imports.schema.js';
import { isAdmin } from './imports.views.js';

/**
 * My listings (admins: everyone's, or one seller's) in the import's format, streamed page by
 * page: importing the export again changes nothing.
 */
export function createListingsExport(deps: {
  listings: Pick<ListingsService, 'exportAttributeKeys' | 'exportListings'>;
  media: Pick<MediaService, 'sourcesOf'>;
  /** Uploaded images are exported as addresses under it. */
  publicOrigin: string;
}) {
  const { listings, media, publicOrigin } = deps;
  // An archive image goes out as the path it came in by; an upload as a full address.
  const exportedName = (name: string) =>
    archivePathOf(name) ?? (name.startsWith('/') ? `${publicOrigin}${name}` : name);

  return async function exportListings(
    ctx: RequestContext,
    query: { format: ImportFormat; sellerId?: string | undefined },
  ): Promise<{ contentType: string; lines: AsyncIterable<string> }> {
    if (!ctx.actor) throw platformError('unauthenticated', 'Sign in to export listings.');
    const sellerId = isAdmin(ctx) ? (query.sellerId ?? null) : ctx.actor.userId;
    if (query.sellerId && query.sellerId !== ctx.actor.userId && !isAdmin(ctx))
      throw platformError('forbidden', 'Only admins export the listings of other sellers.');
    const keys = query.format === 'csv' ? await listings.exportAttributeKeys(ctx, sellerId) : [];
    const writer = exportWriter(query.format, keys);
    const pages = listings.exportListings(ctx, sellerId);
    return {
      contentType: writer.contentType,
      lines: (async function* () {
        yield writer.start();
        for await (const page of pages) {
          const images = await media.sourcesOf(page.map((listing) => listing.id));
          yield page
            .map((listing) => writer.line(listing, (images.get(listing.id) ?? []).map(exportedName)))
            .join('');
        }
      })(),
    };
  };
}
