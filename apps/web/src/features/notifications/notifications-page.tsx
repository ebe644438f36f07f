import type { Notification } from '@souk/contracts';
import { Link } from 'react-router';
import { describeError } from '../../api/client';
import { formatDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/use-document-title';
import { RequireAuth } from '../../shell/require-auth';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { secondaryButton, textLink } from '../../ui/form/buttons';
import { useMarkAllRead, useMarkRead, useNotifications } from './notifications-queries';

function NotificationRow({ notification }: { notification: Notification }) {
  const markRead = useMarkRead();
  const unread = notification.readAt === null;
  const open = () => {
    if (unread) markRead.mutate(notification.id);
  };
  const content = (
    <>
      <span className="flex items-start justify-between gap-3">
        <span className={`text-sm ${unread ? 'font-semibold text-stone-900' : 'text-stone-800'}`}>
          {notification.title}
        </span>
        {unread && (
          <span className="mt-1.5 size-2 shrink-0 rounded-full bg-brand-600">
            <span className="sr-only">Unread</span>
          </span>
        )}
      </span>
      <span className="mt-1 line-clamp-2 block text-sm text-stone-600">{notification.body}</span>
      <time dateTime={notification.createdAt} className="mt-1 block text-xs text-stone-500">
        {formatDateTime(notification.createdAt)}
      </time>
    </>
  );
  const className = `block rounded-2xl border px-4 py-3 ${unread ? 'border-brand-200 bg-brand-50' : 'border-stone-200 bg-white'}`;
  return (
    <li data-testid="notification">
      {notification.url ? (
        <Link to={notification.url} onClick={open} className={`${className} hover:border-brand-500`}>
          {content}
        </Link>
      ) : (
        <div className={className}>
          {content}
          {unread && (
            <button type="button" onClick={open} className={`${textLink} mt-2 text-sm`}>
              Mark read
            </button>
          )}
        </div>
      )}
    </li>
  );
}

function NotificationList() {
  const notifications = useNotifications();
  const markAll = useMarkAllRead();
  const items = notifications.data?.pages.flatMap((page) => page.items) ?? [];
  const anyUnread = items.some((item) => item.readAt === null);
  return (
    <div className="mx-auto max-w-2xl">
      <div className="flex items-center justify-between gap-4">
        <h1 className="text-2xl font-bold tracking-tight text-stone-900 sm:text-3xl">Notifications</h1>
        <button
          type="button"
          className={secondaryButton}
          disabled={!anyUnread || markAll.isPending}
          onClick={() => markAll.mutate()}
        >
          Mark all read
        </button>
      </div>
      <p className="mt-1 text-sm text-stone-600">
        Choose what reaches you, and how, in your{' '}
        <Link to="/account#notifications" className={textLink}>
          notification settings
        </Link>
        .
      </p>
      <div className="mt-6">
        {notifications.isPending && (
          <p role="status" className="text-stone-600">
            Loading your notifications…
          </p>
        )}
        {notifications.isError && (
          <ErrorState
            title="Could not load your notifications"
            message={describeError(notifications.error)}
            onRetry={() => void notifications.refetch()}
          />
        )}
        {notifications.isSuccess && items.length === 0 && (
          <EmptyState title="Nothing new">
            News about your messages, listings and searches shows up here.
          </EmptyState>
        )}
        {items.length > 0 && (
          <ul className="space-y-2">
            {items.map((notification) => (
              <NotificationRow key={notification.id} notification={notification} />
            ))}
          </ul>
        )}
        {notifications.hasNextPage && (
          <button
            type="button"
            className={`${secondaryButton} mt-4 w-full`}
            disabled={notifications.isFetchingNextPage}
            onClick={() => void notifications.fetchNextPage()}
          >
            {notifications.isFetchingNextPage ? 'Loading…' : 'Show older'}
          </button>
        )}
      </div>
    </div>
  );
}

export function NotificationsPage() {
  useDocumentTitle('Notifications');
  return <RequireAuth>{() => <NotificationList />}</RequireAuth>;
}
