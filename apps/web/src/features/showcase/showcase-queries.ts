import type {
  ShowcaseDetailsBody,
  ShowcaseFeedPage,
  ShowcasePost,
  ShowcaseWindow,
  UpvoteState,
} from '@souk/contracts';
import {
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { apiFetch } from '../../api/client';
import { listingPath } from '../listings/listings-queries';

const PAGE_SIZE = 20;

export const showcaseKeys = {
  all: ['showcase'] as const,
  post: (id: string) => [...showcaseKeys.all, 'post', id] as const,
  feeds: () => [...showcaseKeys.all, 'feed'] as const,
  feed: (window: ShowcaseWindow) => [...showcaseKeys.feeds(), window] as const,
  leaderboard: (date: string) => [...showcaseKeys.feeds(), 'leaderboard', date] as const,
};

export function useShowcasePost(listingId: string, enabled = true) {
  return useQuery({
    queryKey: showcaseKeys.post(listingId),
    queryFn: ({ signal }) => apiFetch<ShowcasePost>(listingPath(listingId, '/showcase'), { signal }),
    enabled,
  });
}

export function useSaveShowcase() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ listingId, body }: { listingId: string; body: ShowcaseDetailsBody }) =>
      apiFetch<ShowcasePost>(listingPath(listingId, '/showcase'), { method: 'PUT', body }),
    onSuccess: (post) => {
      queryClient.setQueryData(showcaseKeys.post(post.listingId), post);
      void queryClient.invalidateQueries({ queryKey: showcaseKeys.feeds() });
    },
  });
}

function feedQuery(path: string) {
  return ({ signal, pageParam }: { signal: AbortSignal; pageParam: string | null }) =>
    apiFetch<ShowcaseFeedPage>(
      `${path}${path.includes('?') ? '&' : '?'}limit=${PAGE_SIZE}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
      { signal },
    );
}

export function useShowcaseFeed(window: ShowcaseWindow) {
  return useInfiniteQuery({
    queryKey: showcaseKeys.feed(window),
    queryFn: feedQuery(`/api/v1/showcase/feed?window=${window}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useLeaderboard(date: string) {
  return useInfiniteQuery({
    queryKey: showcaseKeys.leaderboard(date),
    queryFn: feedQuery(`/api/v1/showcase/leaderboard?date=${encodeURIComponent(date)}`),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Puts a vote count into every cached place that shows this post. */
export function setUpvoteState(
  queryClient: QueryClient,
  state: { listingId: string; upvotes: number; upvoted?: boolean },
) {
  const patch = (post: ShowcasePost): ShowcasePost =>
    post.listingId === state.listingId
      ? { ...post, upvotes: state.upvotes, upvoted: state.upvoted ?? post.upvoted }
      : post;
  queryClient.setQueryData<ShowcasePost>(showcaseKeys.post(state.listingId), (post) =>
    post ? patch(post) : post,
  );
  queryClient.setQueriesData<{ pages: ShowcaseFeedPage[]; pageParams: unknown[] }>(
    { queryKey: showcaseKeys.feeds() },
    (data) =>
      data && {
        ...data,
        pages: data.pages.map((page) => ({
          ...page,
          items: page.items.map((item) => ({ ...item, post: patch(item.post) })),
        })),
      },
  );
}

/**
 * Upvote or take it back: the count moves at once (optimistic), then settles on the server's
 * exact count; a refused vote puts the old state back.
 */
export function useUpvote() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ listingId, up }: { listingId: string; up: boolean; upvotes: number }) =>
      apiFetch<UpvoteState>(listingPath(listingId, '/upvote'), { method: up ? 'PUT' : 'DELETE' }),
    onMutate: ({ listingId, up, upvotes }) => {
      const before = { listingId, upvotes, upvoted: !up };
      setUpvoteState(queryClient, { listingId, upvotes: Math.max(0, upvotes + (up ? 1 : -1)), upvoted: up });
      return { before };
    },
    onError: (_error, _input, context) => {
      if (context) setUpvoteState(queryClient, context.before);
    },
    onSuccess: (state) => setUpvoteState(queryClient, state),
  });
}
