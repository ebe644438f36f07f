import { and, count, desc, eq, gte, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Queryable } from '../../platform/db/database.js';
import type { QueryLogEntry } from './search.query-log.js';
import {
  type AlertFrequency,
  alertMatches,
  recentlyViewed,
  type SavedSearchRow,
  type StoredSearch,
  savedSearches,
  searchBrowseFacets,
  searchQueries,
} from './search.schema.js';

/** The only file that touches the search tables. */
export function createSearchRepository() {
  return {
    /** The stored browse facets of a category, with when they were counted; null if none. */
    async browseFacets(
      db: Queryable,
      categoryId: string,
    ): Promise<{ rows: { facet: string; value: string | null; count: number }[]; refreshedAt: Date } | null> {
      const rows = await db
        .select({
          facet: searchBrowseFacets.facet,
          value: searchBrowseFacets.value,
          count: searchBrowseFacets.count,
          refreshedAt: searchBrowseFacets.refreshedAt,
        })
        .from(searchBrowseFacets)
        .where(eq(searchBrowseFacets.categoryId, categoryId));
      const first = rows[0];
      if (!first) return null;
      return {
        rows: rows.map((row) => ({
          facet: row.facet,
          value: row.value === '' ? null : row.value,
          count: row.count,
        })),
        refreshedAt: first.refreshedAt,
      };
    },

    /** When each category's browse facets were last counted. */
    async browseFacetTimes(db: Queryable): Promise<Map<string, Date>> {
      const rows = await db
        .selectDistinct({
          categoryId: searchBrowseFacets.categoryId,
          refreshedAt: searchBrowseFacets.refreshedAt,
        })
        .from(searchBrowseFacets);
      return new Map(rows.map((row) => [row.categoryId, row.refreshedAt]));
    },

    /** Replaces a category's browse facets (in the caller's transaction). */
    async replaceBrowseFacets(
      tx: Queryable,
      categoryId: string,
      rows: { facet: string; value: string | null; count: number }[],
      refreshedAt: Date,
    ): Promise<void> {
      await tx.delete(searchBrowseFacets).where(eq(searchBrowseFacets.categoryId, categoryId));
      if (rows.length === 0) return;
      await tx.insert(searchBrowseFacets).values(
        rows.map((row) => ({
          categoryId,
          facet: row.facet,
          value: row.value ?? '',
          count: row.count,
          refreshedAt,
        })),
      );
    },

    /** A batch of the query log (see search.query-log.ts), in one statement. */
    async logQueries(db: Queryable, entries: QueryLogEntry[]): Promise<void> {
      if (entries.length > 0) await db.insert(searchQueries).values(entries);
    },

    /** Most searched texts since `since` (non-empty text only), or those that found nothing. */
    async report(db: Queryable, since: Date, limit: number, zeroOnly: boolean) {
      const conditions = [gte(searchQueries.createdAt, since), ne(searchQueries.normalized, '')];
      if (zeroOnly) conditions.push(eq(searchQueries.resultCount, 0));
      return db
        .select({
          text: searchQueries.normalized,
          searches: count(),
          lastSearchedAt: sql<Date>`max(${searchQueries.createdAt})`.mapWith(searchQueries.createdAt),
        })
        .from(searchQueries)
        .where(and(...conditions))
        .groupBy(searchQueries.normalized)
        .orderBy(desc(count()), searchQueries.normalized)
        .limit(limit);
    },

    async insertSaved(
      db: Queryable,
      values: { userId: string; name: string; query: StoredSearch; alert: AlertFrequency },
    ): Promise<SavedSearchRow> {
      const [row] = await db.insert(savedSearches).values(values).returning();
      if (!row) throw new Error('insert returned no row');
      return row;
    },

    async countSaved(db: Queryable, userId: string): Promise<number> {
      const [row] = await db
        .select({ n: count() })
        .from(savedSearches)
        .where(eq(savedSearches.userId, userId));
      return row?.n ?? 0;
    },

    listSaved(db: Queryable, userId: string): Promise<SavedSearchRow[]> {
      return db
        .select()
        .from(savedSearches)
        .where(eq(savedSearches.userId, userId))
        .orderBy(desc(savedSearches.createdAt), desc(savedSearches.id));
    },

    async findSaved(db: Queryable, id: string): Promise<SavedSearchRow | undefined> {
      const [row] = await db.select().from(savedSearches).where(eq(savedSearches.id, id));
      return row;
    },

    async updateSaved(
      db: Queryable,
      id: string,
      values: Partial<Pick<SavedSearchRow, 'name' | 'alert' | 'lastDigestAt'>>,
    ): Promise<SavedSearchRow | undefined> {
      const [row] = await db
        .update(savedSearches)
        .set({ ...values, updatedAt: new Date() })
        .where(eq(savedSearches.id, id))
        .returning();
      return row;
    },

    async deleteSaved(db: Queryable, id: string): Promise<void> {
      await db.delete(savedSearches).where(eq(savedSearches.id, id));
    },

    /** Saved searches with an alert, by id order, one batch after `afterId`. */
    alerting(db: Queryable, afterId: string | null, limit: number, frequencies: AlertFrequency[]) {
      const conditions = [inArray(savedSearches.alert, frequencies), ne(savedSearches.alert, 'off')];
      if (afterId) conditions.push(sql`${savedSearches.id} > ${afterId}`);
      return db
        .select()
        .from(savedSearches)
        .where(and(...conditions))
        .orderBy(savedSearches.id)
        .limit(limit);
    },

    /** Records the match; false when this listing was already matched for this saved search. */
    async recordMatch(
      db: Queryable,
      savedSearchId: string,
      listingId: string,
      sent: boolean,
    ): Promise<boolean> {
      const rows = await db
        .insert(alertMatches)
        .values({ savedSearchId, listingId, sentAt: sent ? new Date() : null })
        .onConflictDoNothing()
        .returning({ listingId: alertMatches.listingId });
      return rows.length > 0;
    },

    pendingMatches(db: Queryable, savedSearchId: string): Promise<{ listingId: string }[]> {
      return db
        .select({ listingId: alertMatches.listingId })
        .from(alertMatches)
        .where(and(eq(alertMatches.savedSearchId, savedSearchId), isNull(alertMatches.sentAt)))
        .orderBy(alertMatches.matchedAt)
        .limit(500);
    },

    async markSent(db: Queryable, savedSearchId: string, listingIds: string[], at: Date): Promise<void> {
      if (listingIds.length === 0) return;
      await db
        .update(alertMatches)
        .set({ sentAt: at })
        .where(
          and(eq(alertMatches.savedSearchId, savedSearchId), inArray(alertMatches.listingId, listingIds)),
        );
    },

    /** Saved searches whose digest is due: never sent, or last sent before `before`. */
    dueDigests(db: Queryable, frequency: 'daily' | 'weekly', before: Date) {
      return db
        .select()
        .from(savedSearches)
        .where(
          and(
            eq(savedSearches.alert, frequency),
            or(isNull(savedSearches.lastDigestAt), lt(savedSearches.lastDigestAt, before)),
          ),
        )
        .orderBy(savedSearches.id)
        .limit(1000);
    },

    async recordView(db: Queryable, userId: string, listingId: string): Promise<void> {
      await db
        .insert(recentlyViewed)
        .values({ userId, listingId })
        .onConflictDoUpdate({
          target: [recentlyViewed.userId, recentlyViewed.listingId],
          set: { viewedAt: sql`now()` },
        });
    },

    recentViews(db: Queryable, userId: string, limit: number): Promise<{ listingId: string }[]> {
      return db
        .select({ listingId: recentlyViewed.listingId })
        .from(recentlyViewed)
        .where(eq(recentlyViewed.userId, userId))
        .orderBy(desc(recentlyViewed.viewedAt))
        .limit(limit);
    },

    /** Keeps a user's most recent `keep` views (the list is short by design). */
    async trimViews(db: Queryable, userId: string, keep: number): Promise<void> {
      await db.execute(sql`
        delete from recently_viewed r where r.user_id = ${userId} and r.listing_id not in (
          select listing_id from recently_viewed where user_id = ${userId} order by viewed_at desc limit ${keep}
        )`);
    },
  };
}

export type SearchRepository = ReturnType<typeof createSearchRepository>;
