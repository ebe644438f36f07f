import type { NotificationCreatedEvent, NotificationReadEvent, UnreadCount } from '@souk/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { useSession } from '../api/auth';
import { notificationKeys, useApplyNotificationEvent, useUnreadNotifications } from '../api/notifications';
import { useRealtimeChannel } from '../lib/realtime';

/** The header's bell with the unread count, kept live over the user's own channel. */
export function NotificationBell() {
  const { user } = useSession();
  const unread = useUnreadNotifications(user !== null);
  const apply = useApplyNotificationEvent();
  const queryClient = useQueryClient();
  useRealtimeChannel(user ? `user:${user.id}` : null, (event) => {
    if (event.event === 'notification.created') apply(event.data as NotificationCreatedEvent);
    if (event.event === 'notification.read') {
      queryClient.setQueryData<UnreadCount>(notificationKeys.unread(), {
        count: (event.data as NotificationReadEvent).unread,
      });
      void queryClient.invalidateQueries({ queryKey: notificationKeys.list() });
    }
  });
  if (!user) return null;
  const count = unread.data ?? 0;
  return (
    <Link
      to="/notifications"
      data-testid="notification-bell"
      className="relative flex size-10 shrink-0 items-center justify-center rounded-full border border-stone-300 text-stone-700 hover:border-brand-500 hover:text-brand-700"
    >
      <svg
        viewBox="0 0 24 24"
        aria-hidden="true"
        className="size-5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
      >
        <path
          strokeLinecap="round"
          strokeLinejoin="round"
          d="M14.86 17.08a23.85 23.85 0 0 0 5.45-1.31A8.97 8.97 0 0 1 18 9.75V9A6 6 0 0 0 6 9v.75a8.97 8.97 0 0 1-2.31 6.02c1.73.64 3.56 1.09 5.45 1.31m5.72 0a24.26 24.26 0 0 1-5.72 0m5.72 0a3 3 0 1 1-5.72 0"
        />
      </svg>
      <span className="sr-only">Notifications{count > 0 ? `, ${count} unread` : ''}</span>
      {count > 0 && (
        <span
          aria-hidden="true"
          data-testid="notifications-unread"
          className="absolute -top-1 -right-1 min-w-5 rounded-full bg-red-600 px-1.5 text-center text-xs leading-5 font-bold text-white"
        >
          {count > 99 ? '99+' : count}
        </span>
      )}
    </Link>
  );
}
