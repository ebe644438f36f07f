import type { UnreadTotal } from '@souk/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useSession } from '../api/auth';
import { messageKeys, useUnreadTotal } from '../api/messages';
import { useRealtimeChannel } from '../lib/realtime';
import { HeaderCountLink } from './header-count-link';

/** The header's Messages link with the unread total, kept live over the user's own channel. */
export function MessagesBadge() {
  const { user } = useSession();
  const queryClient = useQueryClient();
  const total = useUnreadTotal(user !== null);
  useRealtimeChannel(
    user ? `user:${user.id}` : null,
    (event) => {
      if (event.event !== 'unread.changed') return;
      queryClient.setQueryData<UnreadTotal>(messageKeys.unread(), event.data as UnreadTotal);
      // Someone wrote: the inbox order and counts changed too.
      void queryClient.invalidateQueries({ queryKey: messageKeys.inbox() });
    },
    {
      // Missed events that cannot be replayed: ask again.
      onResync: () => void queryClient.invalidateQueries({ queryKey: messageKeys.unread() }),
    },
  );
  if (!user) return null;
  const count = total.data ?? 0;
  return (
    <HeaderCountLink
      to="/messages"
      label="Messages"
      iconPath="messages-link"
      count={count}
      testId="messages-link"
      countTestId="messages-unread"
    />
  );
}
