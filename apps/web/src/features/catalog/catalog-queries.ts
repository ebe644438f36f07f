import type { CategoryDetail, CategoryTree, LocationTree } from '@souk/contracts';
import { useQuery } from '@tanstack/react-query';
import { apiFetch } from '../../api/client';

// The category tree changes only when an operator edits it, so a few minutes of staleness is fine.
const CATALOG_STALE_MS = 5 * 60_000;

export const catalogKeys = {
  all: ['catalog'] as const,
  tree: () => [...catalogKeys.all, 'category-tree'] as const,
  category: (slug: string) => [...catalogKeys.all, 'category', slug] as const,
};

export function useCategoryTree() {
  return useQuery({
    queryKey: catalogKeys.tree(),
    queryFn: ({ signal }) => apiFetch<CategoryTree>('/api/v1/categories', { signal }),
    staleTime: CATALOG_STALE_MS,
  });
}

/** One category with its resolved attribute schema; shared by useCategory and fetchQuery callers. */
export function categoryQuery(slug: string) {
  return {
    queryKey: catalogKeys.category(slug),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      apiFetch<CategoryDetail>(`/api/v1/categories/${encodeURIComponent(slug)}`, { signal }),
    staleTime: CATALOG_STALE_MS,
  };
}

/** An empty slug waits (nothing picked yet). */
export function useCategory(slug: string) {
  return useQuery({ ...categoryQuery(slug), enabled: slug !== '' });
}

export function useLocationTree() {
  return useQuery({
    queryKey: [...catalogKeys.all, 'locations'],
    queryFn: ({ signal }) => apiFetch<LocationTree>('/api/v1/locations', { signal }),
    staleTime: CATALOG_STALE_MS,
  });
}
