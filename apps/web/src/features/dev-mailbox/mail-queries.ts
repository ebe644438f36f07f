import type { DevMail, DevMailList } from '@souk/contracts';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiFetch } from '../../api/client';

const MAILBOX_PATH = '/api/v1/dev/mailbox';
const PAGE_SIZE = 50;
const REFRESH_MS = 3000;

export const devMailKeys = {
  all: ['dev-mailbox'] as const,
  list: () => [...devMailKeys.all, 'list'] as const,
  mail: (id: string) => [...devMailKeys.all, 'mail', id] as const,
  probe: () => [...devMailKeys.all, 'probe'] as const,
};

/** The API has no mailbox routes when mail goes out through SMTP or in production: a 404. */
export function isMailboxOff(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

/** Kept mail, newest first, refreshed every few seconds while the mailbox is on. */
export function useDevMailbox() {
  return useInfiniteQuery({
    queryKey: devMailKeys.list(),
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
      if (pageParam) query.set('cursor', pageParam);
      return apiFetch<DevMailList>(`${MAILBOX_PATH}?${query}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    staleTime: 0,
    refetchInterval: (query) => (isMailboxOff(query.state.error) ? false : REFRESH_MS),
  });
}

export function useDevMail(id: string | null) {
  return useQuery({
    queryKey: devMailKeys.mail(id ?? ''),
    queryFn: ({ signal }) => apiFetch<DevMail>(`${MAILBOX_PATH}/${encodeURIComponent(id ?? '')}`, { signal }),
    enabled: id !== null,
    // A kept mail never changes; it can only disappear.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useClearDevMailbox() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<void>(MAILBOX_PATH, { method: 'DELETE' }),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: [...devMailKeys.all, 'mail'] });
      await queryClient.invalidateQueries({ queryKey: devMailKeys.list() });
    },
  });
}

/** Whether this server keeps mail in the dev mailbox; asked once per visit, for the footer link. */
export function useDevMailboxEnabled(): boolean {
  const probe = useQuery({
    queryKey: devMailKeys.probe(),
    queryFn: ({ signal }) => apiFetch<DevMailList>(`${MAILBOX_PATH}?limit=1`, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
    refetchOnWindowFocus: false,
  });
  return probe.isSuccess;
}
