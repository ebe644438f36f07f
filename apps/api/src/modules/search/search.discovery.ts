import type { ListingSummary, Suggestion } from '@souk/contracts';
import type { Database } from '../../platform/db/database.js';
import type { RequestContext } from '../../platform/http/context.js';
import type { SearchEngine } from './search.engine.js';
import { searchError } from './search.errors.js';
import { normalizeText } from './search.facets.js';
import type { SearchRepository } from './search.repository.js';
import {
  buildSuggestionIndex,
  type SuggestionEntry,
  similarEntries,
  trigramPostings,
  trigrams,
} from './search.suggestions.js';

const RECENTLY_VIEWED_KEEP = 50;

type SuggestionIndex = { entries: SuggestionEntry[]; postings: ReturnType<typeof trigramPostings> };

/** Suggestions as one types, similar listings, and a member's recently viewed listings. */
export function createDiscovery(deps: {
  database: Pick<Database, 'db'>;
  repository: Pick<SearchRepository, 'recordView' | 'trimViews' | 'recentViews'>;
  engine: Pick<SearchEngine, 'similar' | 'titles' | 'activeListing'>;
  catalog: Parameters<typeof buildSuggestionIndex>[0];
  listings: {
    cardsOf(ids: string[]): Promise<ListingSummary[]>;
    /** Whether the caller may see the listing (GET /listings/:id's rule). */
    isVisibleTo(ctx: RequestContext, listingId: string): Promise<boolean>;
  };
  requireUser(ctx: RequestContext): string;
}) {
  const { database, repository, engine, listings, requireUser } = deps;

  let suggestionIndex: { at: number; index: Promise<SuggestionIndex> } | null = null;
  const suggestionEntries = () => {
    if (!suggestionIndex || Date.now() - suggestionIndex.at > 60_000) {
      suggestionIndex = {
        at: Date.now(),
        index: buildSuggestionIndex(deps.catalog).then((entries) => ({
          entries,
          postings: trigramPostings(entries),
        })),
      };
      suggestionIndex.index.catch(() => {
        suggestionIndex = null;
      });
    }
    return suggestionIndex.index;
  };

  return {
    /** Categories, makes and models (from the catalog, in memory) then listing titles. */
    async suggestions(
      _ctx: RequestContext,
      query: { q: string; limit: number },
    ): Promise<{ items: Suggestion[] }> {
      const folded = normalizeText(query.q);
      const { entries, postings } = await suggestionEntries();
      // Typos are matched word against word (a make typed alone against "Toyota Corolla").
      const similar = folded.length >= 3 ? similarEntries(trigrams(folded), entries, postings) : null;
      const scored: { entry: SuggestionEntry; score: number }[] = [];
      entries.forEach((entry, index) => {
        let score = 0;
        if (entry.folded.startsWith(folded)) score = 3;
        else if (entry.words.some((word) => word.startsWith(folded))) score = 2;
        else {
          const similarity = similar?.get(index) ?? 0;
          if (similarity >= 0.35) score = similarity;
        }
        if (score > 0) scored.push({ entry, score });
      });
      scored.sort(
        (a, b) =>
          b.score - a.score || a.entry.rank - b.entry.rank || a.entry.label.localeCompare(b.entry.label),
      );
      const fromCatalog = scored.slice(0, Math.ceil(query.limit / 2)).map(({ entry }) => entry.suggestion);
      const titles = await engine.titles(query.q, query.limit - fromCatalog.length);
      return {
        items: [
          ...fromCatalog,
          ...titles.map((title) => ({ type: 'title' as const, label: title, search: { q: title } })),
        ],
      };
    },

    /** Like a listing the caller may see: a draft or a deleted listing is 404 to anyone else. */
    async similar(
      ctx: RequestContext,
      listingId: string,
      limit: number,
    ): Promise<{ items: ListingSummary[] }> {
      if (!(await listings.isVisibleTo(ctx, listingId))) throw searchError('listing_not_found');
      return { items: await listings.cardsOf(await engine.similar(listingId, limit)) };
    },

    async recordView(ctx: RequestContext, listingId: string): Promise<void> {
      const userId = requireUser(ctx);
      if (!(await engine.activeListing(listingId))) throw searchError('listing_not_found');
      await repository.recordView(database.db, userId, listingId);
      await repository.trimViews(database.db, userId, RECENTLY_VIEWED_KEEP);
    },

    async recentlyViewed(ctx: RequestContext, limit: number): Promise<{ items: ListingSummary[] }> {
      const userId = requireUser(ctx);
      const views = await repository.recentViews(database.db, userId, limit);
      const cards = await listings.cardsOf(views.map((view) => view.listingId));
      return { items: cards.filter((card) => card.status === 'active') };
    },
  };
}
