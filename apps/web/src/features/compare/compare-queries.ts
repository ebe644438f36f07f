import type { CategoryNode, CompareShare, Comparison, SharedComparison } from '@souk/contracts';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { ApiError, apiFetch, describeError } from '../../api/client';
import { useSession } from '../auth/auth-queries';
import { useCategoryTree } from '../catalog/catalog-queries';

const COMPARE = '/api/v1/compare';
export const COMPARE_MAX = 4;
const STORAGE_KEY = 'souk.compare';

export const compareKeys = {
  all: ['compare'] as const,
  mine: (userId: string) => [...compareKeys.all, 'mine', userId] as const,
  view: (ids: string) => [...compareKeys.all, 'view', ids] as const,
  shared: (token: string) => [...compareKeys.all, 'shared', token] as const,
};

/** What a compare toggle knows of a listing: its id and its (leaf) category. */
export type Comparable = { id: string; category: { slug: string } };

// ---------------------------------------------------------------------------------------------
// A guest's comparison lives in this browser (localStorage) and merges into the account on sign-in.
// ---------------------------------------------------------------------------------------------

type GuestItem = { id: string; top: string | null };
const listeners = new Set<() => void>();
let guestCache: { raw: string | null; items: GuestItem[] } = { raw: null, items: [] };

function readGuest(): GuestItem[] {
  let raw: string | null = null;
  try {
    raw = localStorage.getItem(STORAGE_KEY);
  } catch {
    return guestCache.items;
  }
  if (raw === guestCache.raw) return guestCache.items;
  let items: GuestItem[] = [];
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    if (Array.isArray(parsed)) {
      items = parsed
        .filter((item): item is GuestItem => typeof item?.id === 'string')
        .slice(0, COMPARE_MAX)
        .map((item) => ({ id: item.id, top: typeof item.top === 'string' ? item.top : null }));
    }
  } catch {
    items = [];
  }
  guestCache = { raw, items };
  return items;
}

function writeGuest(items: GuestItem[]) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(items));
  } catch {
    // Private mode without storage: the comparison lasts as long as the page.
    guestCache = { raw: JSON.stringify(items), items };
  }
  for (const listener of listeners) listener();
}

function subscribeGuest(listener: () => void) {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

function useGuestItems(): GuestItem[] {
  return useSyncExternalStore(subscribeGuest, readGuest, () => []);
}

// A short message about the last refused change (a fifth listing, another kind of listing).
let notice: string | null = null;
const noticeListeners = new Set<() => void>();
export function setCompareNotice(message: string | null) {
  notice = message;
  for (const listener of noticeListeners) listener();
}
export function useCompareNotice(): string | null {
  return useSyncExternalStore(
    (listener) => {
      noticeListeners.add(listener);
      return () => noticeListeners.delete(listener);
    },
    () => notice,
    () => null,
  );
}

function topSlugOf(tree: CategoryNode[] | undefined, slug: string): string | null {
  const contains = (node: CategoryNode): boolean => node.slug === slug || node.children.some(contains);
  return tree?.find(contains)?.slug ?? null;
}

// ---------------------------------------------------------------------------------------------
// One interface for both: the ids being compared, add, remove, clear.
// ---------------------------------------------------------------------------------------------

function useMyComparison(userId: string | undefined) {
  return useQuery({
    queryKey: compareKeys.mine(userId ?? ''),
    queryFn: ({ signal }) => apiFetch<Comparison>(COMPARE, { signal }),
    enabled: Boolean(userId),
  });
}

export function useCompareIds(): string[] {
  const { user } = useSession();
  const mine = useMyComparison(user?.id);
  const guest = useGuestItems();
  if (user) return mine.data?.listings.map((listing) => listing.id) ?? [];
  return guest.map((item) => item.id);
}

export function useCompareActions() {
  const { user } = useSession();
  const queryClient = useQueryClient();
  const tree = useCategoryTree();
  const key = compareKeys.mine(user?.id ?? '');
  const change = useMutation({
    mutationFn: (request: { method: 'POST' | 'DELETE'; id?: string }) =>
      apiFetch<Comparison | undefined>(
        request.id ? `${COMPARE}/${encodeURIComponent(request.id)}` : COMPARE,
        {
          method: request.method,
        },
      ),
    onSuccess: (comparison) => {
      setCompareNotice(null);
      if (comparison) queryClient.setQueryData(key, comparison);
      else void queryClient.invalidateQueries({ queryKey: key });
    },
    onError: (error) => setCompareNotice(error instanceof ApiError ? describeError(error) : 'Try again.'),
  });

  return {
    pending: change.isPending,
    add(listing: Comparable) {
      if (user) return change.mutate({ method: 'POST', id: listing.id });
      const items = readGuest();
      if (items.some((item) => item.id === listing.id)) return;
      if (items.length >= COMPARE_MAX) {
        return setCompareNotice(
          'You are comparing as many listings as fit side by side (4). Remove one first.',
        );
      }
      const top = topSlugOf(tree.data?.items, listing.category.slug);
      const listTop = items.find((item) => item.top)?.top;
      if (top && listTop && top !== listTop) {
        return setCompareNotice(
          'Only listings of the same kind can be compared. Clear the comparison first.',
        );
      }
      setCompareNotice(null);
      writeGuest([...items, { id: listing.id, top }]);
    },
    remove(id: string) {
      if (user) return change.mutate({ method: 'DELETE', id });
      setCompareNotice(null);
      writeGuest(readGuest().filter((item) => item.id !== id));
    },
    clear() {
      setCompareNotice(null);
      if (user) return change.mutate({ method: 'DELETE' });
      writeGuest([]);
    },
  };
}

/** The table: the account's comparison, or a guest's computed from the ids in this browser. */
export function useComparison() {
  const { user, status } = useSession();
  const mine = useMyComparison(user?.id);
  const guestIds = useGuestItems().map((item) => item.id);
  const joined = guestIds.join(',');
  const guest = useQuery({
    queryKey: compareKeys.view(joined),
    queryFn: ({ signal }) => apiFetch<Comparison>(`${COMPARE}/view?listingIds=${joined}`, { signal }),
    enabled: status === 'signed_out' && guestIds.length > 0,
  });
  if (status === 'loading') return { isPending: true, data: undefined, error: null, refetch: mine.refetch };
  if (user) return mine;
  if (guestIds.length === 0) {
    const empty: Comparison = { topCategory: null, listings: [], rows: [] };
    return { isPending: false, data: empty, error: null, refetch: guest.refetch };
  }
  return guest;
}

/** Once signed in, a guest's list joins the account's (the server skips what does not fit). */
export function useMergeGuestComparison() {
  const { user } = useSession();
  const queryClient = useQueryClient();
  const userId = user?.id;
  useEffect(() => {
    if (!userId) return;
    const items = readGuest();
    if (items.length === 0) return;
    void mergeInto(
      queryClient,
      userId,
      items.map((item) => item.id),
    );
  }, [userId, queryClient]);
}

async function mergeInto(queryClient: QueryClient, userId: string, listingIds: string[]) {
  try {
    const merged = await apiFetch<Comparison>(`${COMPARE}/merge`, { method: 'POST', body: { listingIds } });
    queryClient.setQueryData(compareKeys.mine(userId), merged);
    writeGuest([]);
  } catch {
    // Kept in the browser: the next sign-in (or page load) tries again.
  }
}

export function useShareComparison() {
  return useMutation({
    mutationFn: () => apiFetch<CompareShare>(`${COMPARE}/share`, { method: 'POST' }),
  });
}

export function useSharedComparison(token: string) {
  return useQuery({
    queryKey: compareKeys.shared(token),
    queryFn: ({ signal }) =>
      apiFetch<SharedComparison>(`${COMPARE}/shared/${encodeURIComponent(token)}`, { signal }),
    retry: false,
  });
}
