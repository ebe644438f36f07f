import { useSearchParams } from 'react-router';

/** Sets (or with null removes) search parameters. */
export type UpdateFilters = (changes: Record<string, string | null>) => void;

/**
 * The filters of a results page live in its URL, so a filtered page can be shared, saved and
 * reached again with Back. Any change starts again from the first page of results.
 */
export function useFilterParams(): { params: URLSearchParams; update: UpdateFilters } {
  const [params, setParams] = useSearchParams();
  function update(changes: Record<string, string | null>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === null || value === '') next.delete(key);
      else next.set(key, value);
    }
    next.delete('cursor');
    setParams(next);
  }
  return { params, update };
}

/** The `attr.<key>` parameter that filters by an attribute. */
export const attributeParam = (key: string) => `attr.${key}`;
