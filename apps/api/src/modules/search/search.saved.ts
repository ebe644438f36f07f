import type { ListingSummary, SavedSearch } from '@souk/contracts';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/http/context.js';
import type { ListingPublishedPayload, ListingSearchFilter } from '../listings/index.js';
import type { NotifyInput } from '../notifications/index.js';
import type { SearchEngine } from './search.engine.js';
import { searchError } from './search.errors.js';
import { type CatalogPort, resolveSearch } from './search.filters.js';
import type { SearchRepository } from './search.repository.js';
import type { AlertFrequency, SavedSearchRow } from './search.schema.js';

export const MAX_SAVED_SEARCHES = 50;

function toSaved(row: SavedSearchRow): SavedSearch {
  return {
    id: row.id,
    name: row.name,
    query: row.query as SavedSearch['query'],
    alert: row.alert,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function searchUrl(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, String(item));
  }
  return `/search?${params.toString()}`;
}

/** Saved searches, their alerts on a new listing, and the daily and weekly digests. */
export function createSavedSearches(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: SearchRepository;
  engine: Pick<SearchEngine, 'reader' | 'matches' | 'activeListing'>;
  catalog: CatalogPort;
  cardsOf(ids: string[]): Promise<ListingSummary[]>;
  notify(tx: Queryable, input: NotifyInput): Promise<unknown>;
  requireUser(ctx: RequestContext): string;
}) {
  const { database, repository, engine, requireUser } = deps;

  async function ownSaved(ctx: RequestContext, id: string): Promise<SavedSearchRow> {
    const userId = requireUser(ctx);
    const row = await repository.findSaved(database.db, id);
    if (!row || row.userId !== userId) throw searchError('saved_search_not_found');
    return row;
  }

  return {
    async listSaved(ctx: RequestContext): Promise<{ items: SavedSearch[] }> {
      const userId = requireUser(ctx);
      return { items: (await repository.listSaved(database.db, userId)).map(toSaved) };
    },

    async createSaved(
      ctx: RequestContext,
      input: { name: string; query: Record<string, string | string[]>; alert: AlertFrequency },
    ): Promise<SavedSearch> {
      const userId = requireUser(ctx);
      // The same validation as a search: a saved search that could not run is refused now.
      const { stored } = await resolveSearch(deps.catalog, input.query);
      if ((await repository.countSaved(database.db, userId)) >= MAX_SAVED_SEARCHES) {
        throw searchError('too_many_saved_searches', `At most ${MAX_SAVED_SEARCHES} saved searches.`);
      }
      return toSaved(
        await repository.insertSaved(database.db, {
          userId,
          name: input.name,
          query: stored,
          alert: input.alert,
        }),
      );
    },

    async updateSaved(
      ctx: RequestContext,
      id: string,
      input: { name?: string | undefined; alert?: AlertFrequency | undefined },
    ): Promise<SavedSearch> {
      await ownSaved(ctx, id);
      const values: { name?: string; alert?: AlertFrequency } = {};
      if (input.name !== undefined) values.name = input.name;
      if (input.alert !== undefined) values.alert = input.alert;
      const row = await repository.updateSaved(database.db, id, values);
      if (!row) throw searchError('saved_search_not_found');
      return toSaved(row);
    },

    async deleteSaved(ctx: RequestContext, id: string): Promise<void> {
      await ownSaved(ctx, id);
      await repository.deleteSaved(database.db, id);
    },

    /**
     * A listing was published: record it for every saved search with an alert that it matches
     * (never the seller's own), and notify the instant ones now. Safe to run twice: a pair is
     * recorded once, and the notification has a dedupe key. The event names the title; a job
     * queued before events carried it reads the listing instead. Either way the match itself
     * asks for an active listing, so one unpublished since matches nothing.
     */
    async onListingPublished(event: ListingPublishedPayload): Promise<number> {
      const listing =
        event.title !== undefined
          ? { sellerId: event.sellerId, title: event.title }
          : await engine.activeListing(event.listingId);
      if (!listing) return 0;
      const reader = await engine.reader(null);
      let afterId: string | null = null;
      let matched = 0;
      for (;;) {
        const batch = await repository.alerting(database.db, afterId, 200, ['instant', 'daily', 'weekly']);
        if (batch.length === 0) break;
        afterId = (batch.at(-1) as SavedSearchRow).id;
        for (const saved of batch) {
          if (saved.userId === listing.sellerId) continue;
          let filter: ListingSearchFilter;
          try {
            ({ filter } = await resolveSearch(deps.catalog, saved.query));
          } catch {
            continue; // The catalog changed under it (an attribute removed): it matches nothing now.
          }
          filter = await reader.normalize(filter);
          if (!(await engine.matches(filter, event.listingId, saved.userId))) continue;
          const instant = saved.alert === 'instant';
          const recorded = await database.transaction(async (tx) => {
            const fresh = await repository.recordMatch(tx, saved.id, event.listingId, instant);
            if (fresh && instant) {
              await deps.notify(tx, {
                userId: saved.userId,
                type: 'saved_search_alert',
                title: `New for "${saved.name}": ${listing.title}`,
                body: `A new listing matches your saved search "${saved.name}".`,
                url: `/listings/${event.listingId}`,
                data: { savedSearchId: saved.id, listingId: event.listingId },
                dedupeKey: `saved-search:${saved.id}:${event.listingId}`,
                // The user chose "instant": its e-mail goes now, not in the digest of chatty
                // news (daily and weekly alerts are digests of their own already).
                emailNow: true,
              });
            }
            return fresh;
          });
          if (recorded) matched += 1;
        }
      }
      return matched;
    },

    /** Sends each due daily (or weekly) saved search one notification with its pending matches. */
    async sendDigests(frequency: 'daily' | 'weekly', now = new Date()): Promise<number> {
      const period = (frequency === 'daily' ? 1 : 7) * 86_400_000;
      // A little slack, so a cron that fires a minute early still finds yesterday's digest due.
      const due = await repository.dueDigests(
        database.db,
        frequency,
        new Date(now.getTime() - period + 3_600_000),
      );
      let sent = 0;
      for (const saved of due) {
        const pending = await repository.pendingMatches(database.db, saved.id);
        const cards = (await deps.cardsOf(pending.map((match) => match.listingId))).filter(
          (card) => card.status === 'active',
        );
        await database.transaction(async (tx) => {
          await repository.markSent(
            tx,
            saved.id,
            pending.map((match) => match.listingId),
            now,
          );
          await repository.updateSaved(tx, saved.id, { lastDigestAt: now });
          if (cards.length === 0) return;
          await deps.notify(tx, {
            userId: saved.userId,
            type: 'saved_search_alert',
            title: `${cards.length} new for "${saved.name}"`,
            body: cards
              .slice(0, 10)
              .map((card) => `• ${card.title}`)
              .join('\n'),
            url: searchUrl(saved.query),
            data: { savedSearchId: saved.id, listingIds: cards.map((card) => card.id) },
            dedupeKey: `saved-search-digest:${saved.id}:${now.toISOString().slice(0, 10)}`,
          });
          sent += 1;
        });
      }
      return sent;
    },
  };
}
