import type {
  BlockedUser,
  Conversation,
  ConversationPage,
  Message,
  MessagePage,
  MessageSearchPage,
  QuickReply,
  SendMessageBody,
  SentMessage,
  UnreadTotal,
  UploadedMessageImages,
} from '@souk/contracts';
import {
  type InfiniteData,
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { apiFetch, apiUpload } from '../../api/client';

const CONVERSATIONS = '/api/v1/conversations';
const PAGE_SIZE = 30;

export const messageKeys = {
  all: ['messages'] as const,
  inbox: () => [...messageKeys.all, 'inbox'] as const,
  unread: () => [...messageKeys.all, 'unread'] as const,
  conversation: (id: string) => [...messageKeys.all, 'conversation', id] as const,
  thread: (id: string) => [...messageKeys.all, 'thread', id] as const,
  quickReplies: () => [...messageKeys.all, 'quick-replies'] as const,
  blocks: () => [...messageKeys.all, 'blocks'] as const,
  search: (q: string) => [...messageKeys.all, 'search', q] as const,
};

const conversationPath = (id: string, rest = '') => `${CONVERSATIONS}/${encodeURIComponent(id)}${rest}`;
const withCursor = (path: string, cursor: string | null) =>
  `${path}?limit=${PAGE_SIZE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;

/** A fresh id per send: a retried request (flaky network) stores the message once. */
export const newClientMessageId = () => crypto.randomUUID();

export function useConversations(enabled = true) {
  return useInfiniteQuery({
    queryKey: messageKeys.inbox(),
    queryFn: ({ signal, pageParam }) =>
      apiFetch<ConversationPage>(withCursor(CONVERSATIONS, pageParam), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

export function useConversation(id: string) {
  return useQuery({
    queryKey: messageKeys.conversation(id),
    queryFn: ({ signal }) => apiFetch<Conversation>(conversationPath(id), { signal }),
  });
}

/** Pages newest first; the thread shows them reversed, older pages loading above. */
export function useThread(id: string) {
  return useInfiniteQuery({
    queryKey: messageKeys.thread(id),
    queryFn: ({ signal, pageParam }) =>
      apiFetch<MessagePage>(withCursor(conversationPath(id, '/messages'), pageParam), { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // Live events keep it current; a refetch of every page would only cost.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useUnreadTotal(enabled: boolean) {
  return useQuery({
    queryKey: messageKeys.unread(),
    queryFn: ({ signal }) => apiFetch<UnreadTotal>(`${CONVERSATIONS}/unread`, { signal }),
    select: (data) => data.total,
    enabled,
  });
}

type Thread = InfiniteData<MessagePage, string | null>;

/** Puts a message into a cached thread (newest first), once, replacing an older copy. */
export function addToThread(queryClient: QueryClient, message: Message) {
  queryClient.setQueryData<Thread>(messageKeys.thread(message.conversationId), (thread) => {
    if (!thread) return thread;
    const known = thread.pages.some((page) => page.items.some((item) => item.id === message.id));
    if (known) {
      return {
        ...thread,
        pages: thread.pages.map((page) => ({
          ...page,
          items: page.items.map((item) => (item.id === message.id ? message : item)),
        })),
      };
    }
    const [first, ...rest] = thread.pages;
    if (!first) return thread;
    return { ...thread, pages: [{ ...first, items: [message, ...first.items] }, ...rest] };
  });
}

/** A read receipt: my messages up to `upToMessageId` (and everything older) are read. */
export function markThreadRead(queryClient: QueryClient, conversationId: string, upToMessageId: string) {
  queryClient.setQueryData<Thread>(messageKeys.thread(conversationId), (thread) => {
    if (!thread) return thread;
    let reached = false;
    return {
      ...thread,
      pages: thread.pages.map((page) => ({
        ...page,
        items: page.items.map((item) => {
          if (item.id === upToMessageId) reached = true;
          return reached && !item.read ? { ...item, read: true } : item;
        }),
      })),
    };
  });
}

function sent(queryClient: QueryClient, result: SentMessage) {
  queryClient.setQueryData(messageKeys.conversation(result.conversation.id), result.conversation);
  addToThread(queryClient, result.message);
  void queryClient.invalidateQueries({ queryKey: messageKeys.inbox() });
}

export function useSendMessage(conversationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SendMessageBody) =>
      apiFetch<SentMessage>(conversationPath(conversationId, '/messages'), {
        method: 'POST',
        body: { clientMessageId: newClientMessageId(), ...body },
      }),
    onSuccess: (result) => sent(queryClient, result),
  });
}

/** The buyer's message from a listing page: starts the conversation or continues it. */
export function useMessageSeller(listingId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SendMessageBody) =>
      apiFetch<SentMessage>(`/api/v1/listings/${encodeURIComponent(listingId)}/messages`, {
        method: 'POST',
        body: { clientMessageId: newClientMessageId(), ...body },
      }),
    onSuccess: (result) => sent(queryClient, result),
  });
}

export function useMarkRead(conversationId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (upToMessageId?: string) =>
      apiFetch<UnreadTotal>(conversationPath(conversationId, '/read'), {
        method: 'POST',
        body: upToMessageId ? { upToMessageId } : {},
      }),
    onSuccess: (result) => {
      queryClient.setQueryData<UnreadTotal>(messageKeys.unread(), result);
      queryClient.setQueryData<Conversation>(messageKeys.conversation(conversationId), (conversation) =>
        conversation ? { ...conversation, unreadCount: 0 } : conversation,
      );
      void queryClient.invalidateQueries({ queryKey: messageKeys.inbox() });
    },
  });
}

/** "Typing…": fire and forget; a refusal (rate limit) changes nothing the user needs to see. */
export function sendTyping(conversationId: string): void {
  apiFetch<void>(conversationPath(conversationId, '/typing'), { method: 'POST' }).catch(() => {});
}

export function uploadMessageImages(files: readonly File[]) {
  const body = new FormData();
  for (const file of files) body.append('files', file, file.name);
  return apiUpload<UploadedMessageImages>('/api/v1/messages/images', body);
}

export function useDeleteConversation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<void>(conversationPath(id), { method: 'DELETE' }),
    onSuccess: (_, id) => {
      queryClient.removeQueries({ queryKey: messageKeys.thread(id) });
      void queryClient.invalidateQueries({ queryKey: messageKeys.all });
    },
  });
}

export function useReportConversation(id: string) {
  return useMutation({
    mutationFn: (body: {
      reason: 'spam' | 'scam' | 'harassment' | 'inappropriate' | 'other';
      text: string;
    }) => apiFetch<unknown>(conversationPath(id, '/report'), { method: 'POST', body }),
  });
}

export function useBlockUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, block }: { userId: string; block: boolean }) =>
      apiFetch<void>(`/api/v1/users/${encodeURIComponent(userId)}/block`, {
        method: block ? 'POST' : 'DELETE',
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: messageKeys.all }),
  });
}

export function useBlockedUsers() {
  return useQuery({
    queryKey: messageKeys.blocks(),
    queryFn: ({ signal }) =>
      apiFetch<{ items: BlockedUser[]; nextCursor: string | null }>('/api/v1/users/me/blocks?limit=100', {
        signal,
      }),
    select: (data) => data.items,
  });
}

export function useQuickReplies(enabled: boolean) {
  return useQuery({
    queryKey: messageKeys.quickReplies(),
    queryFn: ({ signal }) => apiFetch<{ items: QuickReply[] }>('/api/v1/quick-replies', { signal }),
    select: (data) => data.items,
    enabled,
  });
}

export function useQuickReplyChanges() {
  const queryClient = useQueryClient();
  const settle = () => queryClient.invalidateQueries({ queryKey: messageKeys.quickReplies() });
  const create = useMutation({
    mutationFn: (text: string) =>
      apiFetch<QuickReply>('/api/v1/quick-replies', { method: 'POST', body: { text } }),
    onSuccess: settle,
  });
  const remove = useMutation({
    mutationFn: (id: string) =>
      apiFetch<void>(`/api/v1/quick-replies/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: settle,
  });
  return { create, remove };
}

/** Full-text search of my messages; words match as prefixes. Needs 2 characters. */
export function useMessageSearch(q: string) {
  const query = q.trim();
  return useQuery({
    queryKey: messageKeys.search(query),
    queryFn: ({ signal }) =>
      apiFetch<MessageSearchPage>(`/api/v1/messages/search?limit=30&q=${encodeURIComponent(query)}`, {
        signal,
      }),
    enabled: query.length >= 2,
    select: (data) => data.items,
  });
}
