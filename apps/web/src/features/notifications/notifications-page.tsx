import type { Notification } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
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
            <span className="sr-only">
              <FormattedMessage id="notifications.notificationsPage.unread" />
            </span>
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
              <FormattedMessage id="notifications.notificationsPage.markRead" />
            </button>
          )}
        </div>
      )}
    </li>
  );
}

function NotificationList() {
  const t = useT();
  const notifications = useNotifications();
  const markAll = useMarkAllRead();
  const items = notifications.data?.pages.flatMap((page) => page.items) ?? [];
  const anyUnread = items.some((item) => item.readAt === null);
  return (
    <div className="mx-auto max-w-2xl">
      <div className="flex items-center justify-between gap-4">
        <h1 className="text-2xl font-bold tracking-tight text-stone-900 sm:text-3xl">
          <FormattedMessage id="notifications.notificationsPage.notifications" />
        </h1>
        <button
          type="button"
          className={secondaryButton}
          disabled={!anyUnread || markAll.isPending}
          onClick={() => markAll.mutate()}
        >
          <FormattedMessage id="notifications.notificationsPage.markAllRead" />
        </button>
      </div>
      <p className="mt-1 text-sm text-stone-600">
        <FormattedMessage
          id="notifications.notificationsPage.chooseWhatReachesYou"
          values={{
            link: (chunks) => (
              <Link to="/account#notifications" className={textLink}>
                {chunks}
              </Link>
            ),
          }}
        />
      </p>
      <div className="mt-6">
        {notifications.isPending && (
          <p role="status" className="text-stone-600">
            <FormattedMessage id="notifications.notificationsPage.loadingYourNotifications" />
          </p>
        )}
        {notifications.isError && (
          <ErrorState
            title={t('notifications.notificationsPage.couldNotLoadYour')}
            message={describeError(notifications.error)}
            onRetry={() => void notifications.refetch()}
          />
        )}
        {notifications.isSuccess && items.length === 0 && (
          <EmptyState title={t('notifications.notificationsPage.nothingNew')}>
            <FormattedMessage id="notifications.notificationsPage.newsAboutYourMessages" />
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
            {notifications.isFetchingNextPage
              ? t('common.loading')
              : t('notifications.notificationsPage.showOlder')}
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
