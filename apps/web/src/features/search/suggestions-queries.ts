import type { Suggestion } from '@souk/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { apiFetch } from '../../api/client';

// What the header's search box needs on every page; the search page's own queries are in
// search-queries.ts, which loads with it.
export const SEARCH = '/api/v1/search';

export const searchKeys = {
  all: ['search'] as const,
  results: (params: string) => [...searchKeys.all, 'results', params] as const,
  suggestions: (q: string) => [...searchKeys.all, 'suggestions', q] as const,
  saved: () => [...searchKeys.all, 'saved'] as const,
};

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
