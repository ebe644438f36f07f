import type { AlertFrequency, CreateSavedSearchBody, SavedSearch, SearchResult } from '@souk/contracts';
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { apiFetch } from '../../api/client';

import { SEARCH, searchKeys } from './suggestions-queries';

export { searchKeys, suggestionPath, useSuggestions } from './suggestions-queries';

/** Parameters of the search page that are the search itself (not paging). */
export function searchParamsOf(params: URLSearchParams): URLSearchParams {
  const copy = new URLSearchParams(params);
  copy.delete('cursor');
  copy.delete('limit');
  copy.delete('facets');
  return copy;
}

/** One search, a page at a time; facets come with the first page. */
export function useSearch(params: URLSearchParams) {
  const query = searchParamsOf(params).toString();
  return useInfiniteQuery({
    queryKey: searchKeys.results(query),
    queryFn: ({ signal, pageParam }) => {
      const page = new URLSearchParams(query);
      if (pageParam) {
        page.set('cursor', pageParam);
        page.set('facets', 'false');
      }
      return apiFetch<SearchResult>(`${SEARCH}?${page}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });
}

export function useSavedSearches(enabled = true) {
  return useQuery({
    queryKey: searchKeys.saved(),
    queryFn: ({ signal }) => apiFetch<{ items: SavedSearch[] }>(`${SEARCH}/saved`, { signal }),
    enabled,
  });
}

export function useSaveSearch() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateSavedSearchBody) =>
      apiFetch<SavedSearch>(`${SEARCH}/saved`, { method: 'POST', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: searchKeys.saved() }),
  });
}

export function useUpdateSavedSearch() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; name?: string; alert?: AlertFrequency }) =>
      apiFetch<SavedSearch>(`${SEARCH}/saved/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
    onSuccess: () => client.invalidateQueries({ queryKey: searchKeys.saved() }),
  });
}

export function useDeleteSavedSearch() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<null>(`${SEARCH}/saved/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => client.invalidateQueries({ queryKey: searchKeys.saved() }),
  });
}

/** The query of a search page as a saved search stores it. */
export function storedQuery(params: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of searchParamsOf(params)) if (key !== 'sort') query[key] = value;
  return query;
}

const GUEST_VIEWED_KEY = 'souk.recentlyViewed';

/**
 * Remembers a viewed listing: on the server for a signed-in member, in this browser's storage
 * (the last 20 ids) for a guest.
 */
export function rememberViewed(listingId: string, signedIn: boolean): void {
  if (signedIn) {
    apiFetch<null>(`${SEARCH}/recently-viewed`, { method: 'POST', body: { listingId } }).catch(() => {});
    return;
  }
  try {
    const previous = JSON.parse(localStorage.getItem(GUEST_VIEWED_KEY) ?? '[]') as string[];
    const next = [listingId, ...previous.filter((id) => id !== listingId)].slice(0, 20);
    localStorage.setItem(GUEST_VIEWED_KEY, JSON.stringify(next));
  } catch {
    // Storage full or blocked: nothing to remember then.
  }
}
