import type {
  AlertFrequency,
  CreateSavedSearchBody,
  SavedSearch,
  SearchResult,
  Suggestion,
} from '@souk/contracts';
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { apiFetch } from '../../api/client';

const SEARCH = '/api/v1/search';

export const searchKeys = {
  all: ['search'] as const,
  results: (params: string) => [...searchKeys.all, 'results', params] as const,
  suggestions: (q: string) => [...searchKeys.all, 'suggestions', q] as const,
  saved: () => [...searchKeys.all, 'saved'] as const,
};

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

export function useSuggestions(q: string) {
  const trimmed = q.trim();
  return useQuery({
    queryKey: searchKeys.suggestions(trimmed.toLowerCase()),
    queryFn: ({ signal }) =>
      apiFetch<{ items: Suggestion[] }>(`${SEARCH}/suggestions?${new URLSearchParams({ q: trimmed })}`, {
        signal,
      }),
    enabled: trimmed.length > 0,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

/** The search page address a suggestion leads to. */
export function suggestionPath(suggestion: Suggestion): string {
  const params = new URLSearchParams();
  if (suggestion.search.q) params.set('q', suggestion.search.q);
  if (suggestion.search.category) params.set('category', suggestion.search.category);
  for (const [key, value] of Object.entries(suggestion.search.attributes ?? {}))
    params.set(`attr.${key}`, value);
  return `/search?${params}`;
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
