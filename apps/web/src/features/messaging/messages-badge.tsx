import type { UnreadTotal } from '@souk/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useT } from '../../i18n/use-t';
import { useRealtimeChannel } from '../../lib/realtime';
import { HeaderCountLink } from '../../shell/header-count-link';
import { useSession } from '../auth/auth-queries';
import { messageKeys, useUnreadTotal } from './messages-queries';

/** The header's Messages link with the unread total, kept live over the user's own channel. */
export function MessagesBadge() {
  const t = useT();
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
      label={t('messaging.messagesBadge.messages')}
      iconPath="M7.5 8.25h9m-9 3H12m-9.75 1.51c0 1.6 1.12 2.99 2.7 3.23 1.09.16 2.19.28 3.3.37V21l4.08-4.08a1.18 1.18 0 0 1 .82-.34 48.4 48.4 0 0 0 5.64-.55c1.58-.23 2.71-1.62 2.71-3.23V6.74c0-1.6-1.13-2.99-2.71-3.23A48.4 48.4 0 0 0 12 3c-2.39 0-4.74.18-7.04.51C3.38 3.75 2.25 5.14 2.25 6.74v6.02Z"
      count={count}
      testId="messages-link"
      countTestId="messages-unread"
    />
  );
}
