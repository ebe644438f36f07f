import type {
  Notification,
  NotificationCreatedEvent,
  NotificationPage,
  NotificationPreferences,
  UnreadCount,
  UnsubscribeResult,
  UpdateNotificationPreferencesBody,
} from '@souk/contracts';
import {
  type InfiniteData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { apiFetch } from '../../api/client';

const BASE = '/api/v1/notifications';
const PAGE_SIZE = 20;

export const notificationKeys = {
  all: ['notifications'] as const,
  list: () => [...notificationKeys.all, 'list'] as const,
  unread: () => [...notificationKeys.all, 'unread'] as const,
  preferences: () => [...notificationKeys.all, 'preferences'] as const,
};

export function useNotifications() {
  return useInfiniteQuery({
    queryKey: notificationKeys.list(),
    queryFn: ({ signal, pageParam }) =>
      apiFetch<NotificationPage>(
        `${BASE}?limit=${PAGE_SIZE}${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`,
        { signal },
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

export function useUnreadNotifications(enabled: boolean) {
  return useQuery({
    queryKey: notificationKeys.unread(),
    queryFn: ({ signal }) => apiFetch<UnreadCount>(`${BASE}/unread-count`, { signal }),
    select: (data) => data.count,
    enabled,
  });
}

/** What a `notification.created` event on `user:<me>` changes in the cache: the count and the list. */
export function useApplyNotificationEvent() {
  const queryClient = useQueryClient();
  return (event: NotificationCreatedEvent) => {
    queryClient.setQueryData<UnreadCount>(notificationKeys.unread(), { count: event.unread });
    queryClient.setQueryData<InfiniteData<NotificationPage>>(notificationKeys.list(), (data) => {
      if (!data) return data;
      const [first, ...rest] = data.pages;
      if (!first || first.items.some((item) => item.id === event.notification.id)) return data;
      return { ...data, pages: [{ ...first, items: [event.notification, ...first.items] }, ...rest] };
    });
  };
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<Notification>(`${BASE}/${encodeURIComponent(id)}/read`, { method: 'POST', body: {} }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useMarkAllRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<{ marked: number }>(`${BASE}/read-all`, { method: 'POST', body: {} }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: notificationKeys.all }),
  });
}

export function useNotificationPreferences() {
  return useQuery({
    queryKey: notificationKeys.preferences(),
    queryFn: ({ signal }) => apiFetch<NotificationPreferences>(`${BASE}/preferences`, { signal }),
  });
}

export function useUpdateNotificationPreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateNotificationPreferencesBody) =>
      apiFetch<NotificationPreferences>(`${BASE}/preferences`, { method: 'PUT', body }),
    // The switch flips at once; a refusal puts it back.
    onMutate: async (body) => {
      await queryClient.cancelQueries({ queryKey: notificationKeys.preferences() });
      const previous = queryClient.getQueryData<NotificationPreferences>(notificationKeys.preferences());
      if (previous) {
        const matrix = { ...previous.matrix };
        for (const [type, row] of Object.entries(body.matrix ?? {})) {
          matrix[type as keyof typeof matrix] = { ...matrix[type as keyof typeof matrix], ...row };
        }
        queryClient.setQueryData(notificationKeys.preferences(), {
          ...previous,
          matrix,
          digest: body.digest ?? previous.digest,
        });
      }
      return { previous };
    },
    onError: (_error, _body, context) => {
      if (context?.previous) queryClient.setQueryData(notificationKeys.preferences(), context.previous);
    },
    onSuccess: (data) => queryClient.setQueryData(notificationKeys.preferences(), data),
  });
}

export function useUnsubscribe() {
  return useMutation({
    mutationFn: (token: string) =>
      apiFetch<UnsubscribeResult>(`${BASE}/unsubscribe`, { method: 'POST', body: { token } }),
  });
}

export const pushApi = {
  publicKey: () => apiFetch<{ publicKey: string }>(`${BASE}/push/public-key`),
  subscribe: (subscription: PushSubscriptionJSON) =>
    apiFetch<{ id: string }>(`${BASE}/push/subscriptions`, { method: 'POST', body: subscription }),
  unsubscribe: (endpoint: string) =>
    apiFetch<void>(`${BASE}/push/unsubscribe`, { method: 'POST', body: { endpoint } }),
};
