import type { FollowingPage, FollowState, FollowTarget, ListingPage } from '@souk/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../api/client';

export const followKeys = {
  all: ['follows'] as const,
  state: (type: FollowTarget, id: string) => [...followKeys.all, 'state', type, id] as const,
  feed: () => [...followKeys.all, 'feed'] as const,
  mine: () => [...followKeys.all, 'mine'] as const,
};

const path = (type: FollowTarget, id: string) => `/api/v1/follows/${type}/${encodeURIComponent(id)}`;

export function useFollowState(type: FollowTarget, id: string) {
  return useQuery({
    queryKey: followKeys.state(type, id),
    queryFn: ({ signal }) => apiFetch<FollowState>(path(type, id), { signal }),
  });
}

export function useToggleFollow(type: FollowTarget, id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (follow: boolean) =>
      apiFetch<FollowState>(path(type, id), { method: follow ? 'PUT' : 'DELETE' }),
    onSuccess: (state) => {
      client.setQueryData(followKeys.state(type, id), state);
      void client.invalidateQueries({ queryKey: followKeys.feed() });
      void client.invalidateQueries({ queryKey: followKeys.mine() });
    },
  });
}

export function useFollowingFeed() {
  return useInfiniteQuery({
    queryKey: followKeys.feed(),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      apiFetch<ListingPage>(
        `/api/v1/feed/following?limit=24${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
        { signal },
      ),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useMyFollowing() {
  return useQuery({
    queryKey: followKeys.mine(),
    queryFn: ({ signal }) => apiFetch<FollowingPage>('/api/v1/me/following?limit=100', { signal }),
  });
}
