import type { NotificationCreatedEvent, NotificationReadEvent, UnreadCount } from '@souk/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useSession } from '../api/auth';
import { notificationKeys, useApplyNotificationEvent, useUnreadNotifications } from '../api/notifications';
import { useRealtimeChannel } from '../lib/realtime';
import { HeaderCountLink } from './header-count-link';

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
    <HeaderCountLink
      to="/notifications"
      label="Notifications"
      iconPath="notification-bell"
      count={count}
      testId="notification-bell"
      countTestId="notifications-unread"
    />
  );
}
