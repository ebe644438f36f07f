import type { SessionUser } from '@souk/contracts';
import { MessagesBadge } from '../features/messaging/messages-badge';
import { NotificationBell } from '../features/notifications/notification-bell';
import { UserMenu } from './user-menu';

/**
 * The header's controls for a signed-in member: unread messages, notifications and the account
 * menu. They bring the realtime client and the messaging and notification queries, so they are
 * their own chunk (site-header.tsx loads it lazily) rather than code every visitor downloads first.
 */
export function SignedInControls({ user }: { user: SessionUser }) {
  return (
    <>
      <MessagesBadge />
      <NotificationBell />
      <UserMenu user={user} />
    </>
  );
}
