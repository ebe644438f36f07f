import type {
  FavoriteCount,
  FavoriteIds,
  FavoritePage,
  FavoriteState,
  SharedWishlist,
  WishlistShare,
} from '@souk/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../api/client';
import { useSession } from '../auth/auth-queries';

const FAVORITES = '/api/v1/favorites';
/** The server's cap on one "which of these are my favorites" call. */
const IDS_PER_CALL = 100;

/** Keyed by the signed-in user, so another account on this device never sees these answers. */
export const favoriteKeys = {
  all: ['favorites'] as const,
  user: (userId: string) => [...favoriteKeys.all, userId] as const,
  state: (userId: string, listingId: string) => [...favoriteKeys.user(userId), 'state', listingId] as const,
  list: (userId: string) => [...favoriteKeys.user(userId), 'list'] as const,
  shares: (userId: string) => [...favoriteKeys.user(userId), 'shares'] as const,
  count: (listingId: string) => [...favoriteKeys.all, 'count', listingId] as const,
  shared: (token: string) => [...favoriteKeys.all, 'shared', token] as const,
};

// Every heart on a page asks for its own state, but the asks made in one render are gathered
// into one call (a page of 24 cards is one request, not 24): a small DataLoader.
type Pending = {
  ids: Set<string>;
  waiters: Map<string, ((saved: boolean) => void)[]>;
  fail: ((e: unknown) => void)[];
};
let pending: Pending | null = null;

async function flush(batch: Pending) {
  const ids = [...batch.ids];
  try {
    const saved = new Set<string>();
    for (let start = 0; start < ids.length; start += IDS_PER_CALL) {
      const chunk = ids.slice(start, start + IDS_PER_CALL);
      const answer = await apiFetch<FavoriteIds>(`${FAVORITES}/ids?listingIds=${chunk.join(',')}`);
      for (const id of answer.ids) saved.add(id);
    }
    for (const [id, waiters] of batch.waiters) for (const resolve of waiters) resolve(saved.has(id));
  } catch (error) {
    for (const reject of batch.fail) reject(error);
  }
}

function isFavorite(listingId: string): Promise<boolean> {
  if (!pending) {
    const batch: Pending = { ids: new Set(), waiters: new Map(), fail: [] };
    pending = batch;
    setTimeout(() => {
      pending = null;
      void flush(batch);
    }, 0);
  }
  const batch = pending;
  return new Promise((resolve, reject) => {
    batch.ids.add(listingId);
    batch.waiters.set(listingId, [...(batch.waiters.get(listingId) ?? []), resolve]);
    batch.fail.push(reject);
  });
}

/** Whether the signed-in member saved this listing; false while signed out. */
export function useIsFavorite(listingId: string) {
  const { user } = useSession();
  const query = useQuery({
    queryKey: favoriteKeys.state(user?.id ?? '', listingId),
    queryFn: () => isFavorite(listingId),
    enabled: Boolean(user),
    staleTime: 5 * 60_000,
  });
  return { favorited: Boolean(user && query.data), ready: !user || query.isSuccess };
}

export function useFavoriteCount(listingId: string) {
  return useQuery({
    queryKey: favoriteKeys.count(listingId),
    queryFn: ({ signal }) =>
      apiFetch<FavoriteCount>(`/api/v1/listings/${encodeURIComponent(listingId)}/favorites/count`, {
        signal,
      }),
  });
}

/** Saves or unsaves at once on screen; the server's answer (or its refusal) settles it. */
export function useToggleFavorite(listingId: string) {
  const queryClient = useQueryClient();
  const { user } = useSession();
  const userId = user?.id ?? '';
  return useMutation({
    mutationFn: (favorite: boolean) =>
      apiFetch<FavoriteState>(`${FAVORITES}/${encodeURIComponent(listingId)}`, {
        method: favorite ? 'POST' : 'DELETE',
      }),
    onMutate: async (favorite) => {
      const key = favoriteKeys.state(userId, listingId);
      await queryClient.cancelQueries({ queryKey: key });
      const before = queryClient.getQueryData<boolean>(key);
      const count = queryClient.getQueryData<FavoriteCount>(favoriteKeys.count(listingId));
      queryClient.setQueryData(key, favorite);
      if (count && before !== favorite) {
        queryClient.setQueryData(favoriteKeys.count(listingId), {
          ...count,
          count: Math.max(0, count.count + (favorite ? 1 : -1)),
        });
      }
      return { before, count };
    },
    onError: (_error, _favorite, context) => {
      queryClient.setQueryData(favoriteKeys.state(userId, listingId), context?.before ?? false);
      if (context?.count) queryClient.setQueryData(favoriteKeys.count(listingId), context.count);
    },
    onSuccess: (state) => {
      queryClient.setQueryData(favoriteKeys.state(userId, listingId), state.favorited);
      queryClient.setQueryData(favoriteKeys.count(listingId), { listingId, count: state.count });
      void queryClient.invalidateQueries({ queryKey: favoriteKeys.list(userId) });
    },
  });
}

export function useFavorites() {
  const { user } = useSession();
  return useInfiniteQuery({
    queryKey: favoriteKeys.list(user?.id ?? ''),
    queryFn: ({ signal, pageParam }) =>
      apiFetch<FavoritePage>(
        `${FAVORITES}?limit=24${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
        {
          signal,
        },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled: Boolean(user),
  });
}

export function useClearFavorites() {
  const queryClient = useQueryClient();
  const { user } = useSession();
  return useMutation({
    mutationFn: () => apiFetch<{ removed: number }>(FAVORITES, { method: 'DELETE' }),
    onSuccess: () => {
      // Every heart of this user reads false again, and the list refetches.
      void queryClient.resetQueries({ queryKey: favoriteKeys.user(user?.id ?? '') });
    },
  });
}

export function useWishlistShares() {
  const { user } = useSession();
  return useQuery({
    queryKey: favoriteKeys.shares(user?.id ?? ''),
    queryFn: ({ signal }) => apiFetch<{ items: WishlistShare[] }>(`${FAVORITES}/shares`, { signal }),
    enabled: Boolean(user),
  });
}

export function useCreateWishlistShare() {
  const queryClient = useQueryClient();
  const { user } = useSession();
  return useMutation({
    mutationFn: (expiresInDays: number) =>
      apiFetch<WishlistShare>(`${FAVORITES}/shares`, { method: 'POST', body: { expiresInDays } }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: favoriteKeys.shares(user?.id ?? '') }),
  });
}

export function useRevokeWishlistShare() {
  const queryClient = useQueryClient();
  const { user } = useSession();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<void>(`${FAVORITES}/shares/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: favoriteKeys.shares(user?.id ?? '') }),
  });
}

export function useSharedWishlist(token: string) {
  return useQuery({
    queryKey: favoriteKeys.shared(token),
    queryFn: ({ signal }) =>
      apiFetch<SharedWishlist>(`${FAVORITES}/shared/${encodeURIComponent(token)}?limit=100`, { signal }),
    retry: false,
  });
}
