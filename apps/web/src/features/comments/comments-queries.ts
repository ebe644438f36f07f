import type { Comment, CommentThreadPage } from '@souk/contracts';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../api/client';
import { listingPath } from '../listings/listings-queries';

export const commentKeys = {
  thread: (listingId: string) => ['comments', listingId] as const,
};

export function useCommentThread(listingId: string) {
  return useInfiniteQuery({
    queryKey: commentKeys.thread(listingId),
    queryFn: ({ signal, pageParam }) =>
      apiFetch<CommentThreadPage>(
        listingPath(
          listingId,
          `/comments?limit=20${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
        ),
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Writes refetch the thread: placement in the tree and placeholders are the server's call. */
export function useCommentActions(listingId: string) {
  const queryClient = useQueryClient();
  const settle = () => queryClient.invalidateQueries({ queryKey: commentKeys.thread(listingId) });
  const create = useMutation({
    mutationFn: (body: { text: string; parentId?: string }) =>
      apiFetch<Comment>(listingPath(listingId, '/comments'), { method: 'POST', body }),
    onSuccess: settle,
  });
  const edit = useMutation({
    mutationFn: ({ id, text }: { id: string; text: string }) =>
      apiFetch<Comment>(`/api/v1/comments/${encodeURIComponent(id)}`, { method: 'PATCH', body: { text } }),
    onSuccess: settle,
  });
  const remove = useMutation({
    mutationFn: (id: string) =>
      apiFetch<void>(`/api/v1/comments/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: settle,
  });
  return { create, edit, remove };
}
