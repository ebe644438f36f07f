import type { Conversation, Message, MessageReadEvent, SessionUser, TypingEvent } from '@souk/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link, useParams } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { useRealtimeChannel } from '../../lib/realtime';
import { useDocumentTitle } from '../../lib/use-document-title';
import { NotFoundPage } from '../../shell/not-found-page';
import { RequireAuth } from '../../shell/require-auth';
import { ErrorState } from '../../ui/error-state';
import { UserAvatar } from '../../ui/user-avatar';
import { StatusBadge } from '../listings/listing-badges';
import { listingUrl } from '../listings/listing-card';
import { ListingPhoto, NoPhoto } from '../listings/listing-photo';
import { PriceTag } from '../listings/price-tag';
import { Composer } from './composer';
import { ConversationMenu } from './conversation-menu';
import { MessageBubble } from './message-bubble';
import {
  addToThread,
  markThreadRead,
  messageKeys,
  useConversation,
  useMarkRead,
  useSendMessage,
  useThread,
} from './messages-queries';

/** How long "typing…" stays up after the last signal. */
const TYPING_SHOWN_MS = 5000;

function Header({ conversation }: { conversation: Conversation }) {
  const { listing, otherParty } = conversation;
  return (
    <div className="border-b border-stone-200 bg-white">
      <div className="flex items-center gap-2 p-2">
        <Link
          to="/messages"
          className="flex size-10 shrink-0 items-center justify-center rounded-full text-stone-600 hover:bg-stone-100"
        >
          <svg viewBox="0 0 20 20" aria-hidden="true" className="size-5" fill="currentColor">
            <path d="M12.8 4.2a.75.75 0 0 1 0 1.06L8.06 10l4.74 4.74a.75.75 0 1 1-1.06 1.06l-5.27-5.27a.75.75 0 0 1 0-1.06l5.27-5.27a.75.75 0 0 1 1.06 0Z" />
          </svg>
          <span className="sr-only">
            <FormattedMessage id="messaging.conversationPage.backMessages" />
          </span>
        </Link>
        <UserAvatar name={otherParty.displayName} url={otherParty.avatarUrl} />
        <h1 className="min-w-0 flex-1 truncate font-semibold text-stone-900">
          <Link to={`/u/${otherParty.id}`} className="hover:underline">
            {otherParty.displayName}
          </Link>
        </h1>
        <ConversationMenu conversation={conversation} />
      </div>
      <Link
        to={listingUrl(listing.id)}
        className="flex items-center gap-3 border-t border-stone-100 px-3 py-2 hover:bg-stone-50"
      >
        {listing.primaryImage ? (
          <ListingPhoto
            image={listing.primaryImage}
            alt=""
            sizes="48px"
            className="size-12 shrink-0 rounded-lg"
          />
        ) : (
          <NoPhoto label="" className="size-12 shrink-0 rounded-lg" />
        )}
        <div className="min-w-0 flex-1">
          <p className="truncate text-sm font-medium text-stone-800">{listing.title}</p>
          <PriceTag price={listing.price} />
        </div>
        {listing.status !== 'active' && <StatusBadge status={listing.status} />}
      </Link>
    </div>
  );
}

function Thread({ conversationId, user }: { conversationId: string; user: SessionUser }) {
  const t = useT();
  const queryClient = useQueryClient();
  const conversation = useConversation(conversationId);
  const thread = useThread(conversationId);
  const sendMessage = useSendMessage(conversationId);
  const markRead = useMarkRead(conversationId);
  const [typingUntil, setTypingUntil] = useState(0);
  const [, setNow] = useState(0);
  const scroller = useRef<HTMLDivElement>(null);
  const topSentinel = useRef<HTMLDivElement>(null);
  const nearBottom = useRef(true);
  const lastMarked = useRef<string | null>(null);
  useDocumentTitle(conversation.data ? `${conversation.data.otherParty.displayName} · Messages` : 'Messages');

  useRealtimeChannel(
    `conversation:${conversationId}`,
    (event) => {
      if (event.event === 'message.created') {
        const message = event.data as Message;
        addToThread(queryClient, message);
        if (message.senderId !== user.id) setTypingUntil(0);
        void queryClient.invalidateQueries({ queryKey: messageKeys.conversation(conversationId) });
      } else if (event.event === 'message.read') {
        const receipt = event.data as MessageReadEvent;
        if (receipt.readerId !== user.id) markThreadRead(queryClient, conversationId, receipt.upToMessageId);
      } else if (event.event === 'typing') {
        const typing = event.data as TypingEvent;
        if (typing.userId !== user.id) setTypingUntil(Date.now() + TYPING_SHOWN_MS);
      }
    },
    {
      // Missed events that cannot be replayed: reload the thread from the server.
      onResync: () => {
        void queryClient.invalidateQueries({ queryKey: messageKeys.thread(conversationId) });
        void queryClient.invalidateQueries({ queryKey: messageKeys.conversation(conversationId) });
      },
    },
  );

  // The typing line goes away on its own once the signals stop.
  useEffect(() => {
    if (typingUntil === 0) return;
    const timer = setTimeout(() => setNow(Date.now()), Math.max(0, typingUntil - Date.now()) + 50);
    return () => clearTimeout(timer);
  }, [typingUntil]);

  const messages = (thread.data?.pages.flatMap((page) => page.items) ?? []).toReversed();
  const newest = messages.at(-1);

  // Reading the thread marks it read (the sender sees "Seen"), also as new messages arrive live.
  useEffect(() => {
    if (!newest || newest.senderId === user.id || newest.read || lastMarked.current === newest.id) return;
    if (document.visibilityState !== 'visible') return;
    lastMarked.current = newest.id;
    markRead.mutate(newest.id);
  }, [newest, user.id, markRead]);

  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible' && newest && newest.senderId !== user.id && !newest.read) {
        lastMarked.current = newest.id;
        markRead.mutate(newest.id);
      }
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [newest, user.id, markRead]);

  // New messages scroll into view when the reader is at the bottom; older pages keep the position.
  const previousHeight = useRef(0);
  const previousNewest = useRef<string | undefined>(undefined);
  useLayoutEffect(() => {
    const box = scroller.current;
    if (!box) return;
    const newestChanged = previousNewest.current !== newest?.id;
    if (newestChanged && (nearBottom.current || newest?.senderId === user.id)) {
      box.scrollTop = box.scrollHeight;
    } else if (!newestChanged && previousHeight.current > 0) {
      box.scrollTop += box.scrollHeight - previousHeight.current;
    }
    previousHeight.current = box.scrollHeight;
    previousNewest.current = newest?.id;
  });

  // Scrolling to the top loads older messages.
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = thread;
  useEffect(() => {
    const sentinel = topSentinel.current;
    if (!sentinel || !hasNextPage) return;
    const observer = new IntersectionObserver(
      ([entry]) => {
        if (entry?.isIntersecting && !isFetchingNextPage) void fetchNextPage();
      },
      { root: scroller.current, rootMargin: '200px 0px 0px 0px' },
    );
    observer.observe(sentinel);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const error = conversation.error ?? thread.error;
  if (error) {
    if (error instanceof ApiError && [400, 403, 404].includes(error.status)) {
      return (
        <NotFoundPage
          title={t('messaging.conversationPage.conversationNotFound')}
          message={t('messaging.conversationPage.conversationDoesNotExist')}
        />
      );
    }
    return (
      <ErrorState
        title={t('messaging.conversationPage.weCouldntLoadConversation')}
        message={describeError(error)}
        onRetry={() => {
          void conversation.refetch();
          void thread.refetch();
        }}
      />
    );
  }
  if (!conversation.data || !thread.data) {
    return (
      <p role="status" className="py-10 text-center text-stone-600">
        <FormattedMessage id="messaging.conversationPage.loadingConversation" />
      </p>
    );
  }

  const current = conversation.data;
  const lastSeen = messages.findLast((message) => message.senderId === user.id && message.read);
  const typing = typingUntil > Date.now();
  const blockedNotice = current.blockedByMe
    ? `You blocked ${current.otherParty.displayName}. Unblock them from the menu to write again.`
    : current.blockedMe
      ? `${current.otherParty.displayName} does not accept messages from you.`
      : current.listing.status === 'removed'
        ? 'The listing was removed; this conversation is closed.'
        : null;

  return (
    <div className="-mx-4 -my-6 flex h-[calc(100dvh-11rem)] min-h-[24rem] flex-col overflow-hidden bg-stone-50 sm:mx-auto sm:my-0 sm:h-[calc(100dvh-12rem)] sm:max-w-2xl sm:rounded-2xl sm:border sm:border-stone-200">
      <Header conversation={current} />
      <div
        ref={scroller}
        onScroll={(event) => {
          const box = event.currentTarget;
          nearBottom.current = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
        }}
        className="flex-1 overflow-y-auto px-3 py-3"
        aria-live="polite"
        aria-relevant="additions"
      >
        <div ref={topSentinel} />
        {thread.hasNextPage ? (
          <div className="mb-3 text-center">
            <button
              type="button"
              onClick={() => void fetchNextPage()}
              disabled={isFetchingNextPage}
              className="rounded-full px-3 py-1 text-xs font-semibold text-brand-700 hover:bg-brand-50"
            >
              {isFetchingNextPage
                ? t('messaging.conversationPage.loadingOlderMessages')
                : t('messaging.conversationPage.loadOlderMessages')}
            </button>
          </div>
        ) : (
          <p className="mb-3 text-center text-xs text-stone-500">
            <FormattedMessage
              id="messaging.conversationPage.startYourConversationAbout"
              values={{ title: current.listing.title }}
            />
          </p>
        )}
        <ul className="space-y-2">
          {messages.map((message) => (
            <MessageBubble
              key={message.id}
              message={message}
              mine={message.senderId === user.id}
              seen={message.id === lastSeen?.id}
            />
          ))}
        </ul>
        {typing && (
          <p className="mt-2 text-xs text-stone-500 italic" data-testid="typing">
            <FormattedMessage
              id="messaging.conversationPage.typing"
              values={{ displayName: current.otherParty.displayName }}
            />
          </p>
        )}
      </div>
      {blockedNotice && (
        <p role="status" className="border-t border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-950">
          {blockedNotice}
        </p>
      )}
      <Composer
        conversationId={conversationId}
        disabled={blockedNotice !== null}
        sending={sendMessage.isPending}
        onSend={(body) => sendMessage.mutateAsync(body)}
      />
    </div>
  );
}

export function ConversationPage() {
  const { id = '' } = useParams();
  return <RequireAuth>{(user) => <Thread key={id} conversationId={id} user={user} />}</RequireAuth>;
}
