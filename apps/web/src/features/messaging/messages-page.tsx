import type { Conversation, SessionUser } from '@souk/contracts';
import { useDeferredValue, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/use-document-title';
import { RequireAuth } from '../../shell/require-auth';
import { EmptyState } from '../../ui/empty-state';
import { ErrorState } from '../../ui/error-state';
import { secondaryButton, textLink } from '../../ui/form/buttons';
import { UserAvatar } from '../../ui/user-avatar';
import { ListingPhoto, NoPhoto } from '../listings/listing-photo';
import { messageTime } from './message-time';
import { useBlockedUsers, useBlockUser, useConversations, useMessageSearch } from './messages-queries';

function preview(conversation: Conversation, me: string): string {
  const last = conversation.lastMessage;
  if (!last) return '';
  const text = last.text || (last.images.length > 0 ? '📷 Photo' : '');
  return last.senderId === me ? `You: ${text}` : text;
}

function ConversationRow({ conversation, me }: { conversation: Conversation; me: string }) {
  const unread = conversation.unreadCount > 0;
  return (
    <li>
      <Link
        to={`/messages/${conversation.id}`}
        data-testid="conversation-row"
        className="flex items-center gap-3 rounded-2xl border border-stone-200 bg-white p-3 hover:border-brand-400"
      >
        <div className="relative shrink-0">
          {conversation.listing.primaryImage ? (
            <ListingPhoto
              image={conversation.listing.primaryImage}
              alt=""
              sizes="56px"
              className="size-14 rounded-xl"
            />
          ) : (
            <NoPhoto label="" className="size-14 rounded-xl" />
          )}
          <UserAvatar
            name={conversation.otherParty.displayName}
            url={conversation.otherParty.avatarUrl}
            className="absolute -right-1.5 -bottom-1.5 ring-2 ring-white"
          />
        </div>
        <div className="min-w-0 flex-1">
          <div className="flex items-baseline gap-2">
            <p
              className={`truncate text-sm ${unread ? 'font-bold text-stone-900' : 'font-semibold text-stone-800'}`}
            >
              {conversation.otherParty.displayName}
            </p>
            <span className="ml-auto shrink-0 text-xs text-stone-500">
              {messageTime(conversation.lastMessageAt)}
            </span>
          </div>
          <p className="truncate text-xs text-stone-500">{conversation.listing.title}</p>
          <div className="flex items-center gap-2">
            <p className={`truncate text-sm ${unread ? 'font-semibold text-stone-900' : 'text-stone-600'}`}>
              {preview(conversation, me)}
            </p>
            {unread && (
              <span
                data-testid="conversation-unread"
                className="ml-auto min-w-5 shrink-0 rounded-full bg-brand-600 px-1.5 text-center text-xs leading-5 font-bold text-white"
              >
                {conversation.unreadCount}
                <span className="sr-only">
                  {' '}
                  <FormattedMessage id="messaging.messagesPage.unread" />
                </span>
              </span>
            )}
          </div>
        </div>
      </Link>
    </li>
  );
}

function Inbox({ user }: { user: SessionUser }) {
  const t = useT();
  const conversations = useConversations();
  if (conversations.isPending) {
    return (
      <p role="status" className="py-10 text-center text-stone-600">
        <FormattedMessage id="messaging.messagesPage.loadingYourMessages" />
      </p>
    );
  }
  if (conversations.isError) {
    return (
      <ErrorState
        title={t('messaging.messagesPage.weCouldntLoadYour')}
        message={describeError(conversations.error)}
        onRetry={() => void conversations.refetch()}
        retrying={conversations.isFetching}
      />
    );
  }
  const items = conversations.data.pages.flatMap((page) => page.items);
  if (items.length === 0) {
    return (
      <EmptyState title={t('messaging.messagesPage.noMessagesYet')}>
        <FormattedMessage
          id="messaging.messagesPage.whenYouMessageSeller"
          values={{
            link: (chunks) => (
              <Link to="/" className={textLink}>
                {chunks}
              </Link>
            ),
          }}
        />
      </EmptyState>
    );
  }
  return (
    <>
      <ul className="space-y-2">
        {items.map((conversation) => (
          <ConversationRow key={conversation.id} conversation={conversation} me={user.id} />
        ))}
      </ul>
      {conversations.hasNextPage && (
        <div className="mt-4 text-center">
          <button
            type="button"
            className={secondaryButton}
            disabled={conversations.isFetchingNextPage}
            onClick={() => void conversations.fetchNextPage()}
          >
            {conversations.isFetchingNextPage ? t('common.loading') : t('messaging.messagesPage.loadMore')}
          </button>
        </div>
      )}
    </>
  );
}

function SearchResults({ q }: { q: string }) {
  const t = useT();
  const hits = useMessageSearch(q);
  if (q.trim().length < 2)
    return (
      <p className="text-sm text-stone-500">
        <FormattedMessage id="messaging.messagesPage.typeAtLeastTwo" />
      </p>
    );
  if (hits.isPending)
    return (
      <p role="status" className="text-sm text-stone-500">
        <FormattedMessage id="messaging.messagesPage.searching" />
      </p>
    );
  if (hits.isError) return <p className="text-sm text-red-700">{describeError(hits.error)}</p>;
  if (hits.data.length === 0) return <EmptyState title={t('messaging.messagesPage.noMessagesMatch')} />;
  return (
    <ul className="space-y-2">
      {hits.data.map((hit) => (
        <li key={hit.message.id}>
          <Link
            to={`/messages/${hit.conversationId}`}
            className="block rounded-2xl border border-stone-200 bg-white p-3 hover:border-brand-400"
          >
            <p className="flex gap-2 text-xs text-stone-500">
              <span className="truncate">
                {hit.otherParty.displayName} · {hit.listingTitle}
              </span>
              <span className="ml-auto shrink-0">{messageTime(hit.message.createdAt)}</span>
            </p>
            <p className="mt-1 line-clamp-2 text-sm text-stone-800">{hit.message.text}</p>
          </Link>
        </li>
      ))}
    </ul>
  );
}

function BlockedUsers() {
  const blocked = useBlockedUsers();
  const unblock = useBlockUser();
  if (!blocked.data || blocked.data.length === 0) return null;
  return (
    <details className="mt-8 rounded-2xl border border-stone-200 bg-white p-3">
      <summary className="cursor-pointer text-sm font-semibold text-stone-800">
        <FormattedMessage id="messaging.messagesPage.blockedUsers" values={{ count: blocked.data.length }} />
      </summary>
      <ul className="mt-2 space-y-2">
        {blocked.data.map(({ user }) => (
          <li key={user.id} className="flex items-center gap-3">
            <UserAvatar name={user.displayName} url={user.avatarUrl} />
            <span className="min-w-0 flex-1 truncate text-sm">{user.displayName}</span>
            <button
              type="button"
              disabled={unblock.isPending}
              onClick={() => unblock.mutate({ userId: user.id, block: false })}
              className={secondaryButton}
            >
              <FormattedMessage id="messaging.messagesPage.unblock" />
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}

export function MessagesPage() {
  const t = useT();
  useDocumentTitle('Messages');
  const [q, setQ] = useState('');
  const deferred = useDeferredValue(q);
  return (
    <div className="mx-auto max-w-2xl">
      <h1 className="mb-4 text-2xl font-bold tracking-tight text-stone-900">
        <FormattedMessage id="messaging.messagesPage.messages" />
      </h1>
      <RequireAuth>
        {(user) => (
          <>
            <label htmlFor="message-search" className="sr-only">
              <FormattedMessage id="messaging.messagesPage.searchMessages" />
            </label>
            <input
              id="message-search"
              type="search"
              value={q}
              maxLength={200}
              onChange={(event) => setQ(event.target.value)}
              placeholder={t('messaging.messagesPage.searchMessages')}
              className="mb-4 w-full rounded-full border border-stone-300 bg-white px-4 py-2.5 text-base sm:text-sm"
            />
            {q.trim() ? <SearchResults q={deferred} /> : <Inbox user={user} />}
            <BlockedUsers />
          </>
        )}
      </RequireAuth>
    </div>
  );
}
