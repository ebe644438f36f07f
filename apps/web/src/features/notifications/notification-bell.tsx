import type { NotificationCreatedEvent, NotificationReadEvent, UnreadCount } from '@souk/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useT } from '../../i18n/use-t';
import { useRealtimeChannel } from '../../lib/realtime';
import { HeaderCountLink } from '../../shell/header-count-link';
import { useSession } from '../auth/auth-queries';
import { notificationKeys, useApplyNotificationEvent, useUnreadNotifications } from './notifications-queries';

/** The header's bell with the unread count, kept live over the user's own channel. */
export function NotificationBell() {
  const t = useT();
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
      label={t('notifications.notificationBell.notifications')}
      iconPath="M14.86 17.08a23.85 23.85 0 0 0 5.45-1.31A8.97 8.97 0 0 1 18 9.75V9A6 6 0 0 0 6 9v.75a8.97 8.97 0 0 1-2.31 6.02c1.73.64 3.56 1.09 5.45 1.31m5.72 0a24.26 24.26 0 0 1-5.72 0m5.72 0a3 3 0 1 1-5.72 0"
      count={count}
      testId="notification-bell"
      countTestId="notifications-unread"
    />
  );
}
