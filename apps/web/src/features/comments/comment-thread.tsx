import { COMMENT_MAX_LENGTH, type Comment } from '@souk/contracts';
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link, useLocation } from 'react-router';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { formatDateTime } from '../../lib/format';
import { signInPath } from '../../lib/safe-next';
import { primaryButton, secondaryButton, textLink } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { LinkifiedText } from '../../ui/linkified-text';
import { UserAvatar } from '../../ui/user-avatar';
import { useSession } from '../auth/auth-queries';
import { useCommentActions, useCommentThread } from './comments-queries';

/** Replies deeper than this start collapsed behind "Show replies". */
const OPEN_DEPTH = 3;

type Node = { comment: Comment; children: Node[] };

/** The server sends threads depth-first; this hangs each comment under its parent. */
function buildTree(comments: readonly Comment[]): Node[] {
  const nodes = new Map<string, Node>();
  const roots: Node[] = [];
  for (const comment of comments) {
    const node = { comment, children: [] };
    nodes.set(comment.id, node);
    const parent = comment.parentId ? nodes.get(comment.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

type Actions = ReturnType<typeof useCommentActions>;

function CommentForm({
  label,
  initial = '',
  submitLabel,
  onSubmit,
  onCancel,
  pending,
  error,
}: {
  label: string;
  initial?: string;
  submitLabel: string;
  onSubmit: (text: string) => Promise<unknown>;
  onCancel?: () => void;
  pending: boolean;
  error: unknown;
}) {
  const t = useT();
  const [text, setText] = useState(initial);
  const id = useId();
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) return;
    try {
      await onSubmit(text);
      setText('');
    } catch {
      // Shown below from the mutation's error.
    }
  }
  return (
    <form onSubmit={(event) => void submit(event)} className="space-y-2">
      <label htmlFor={id} className="sr-only">
        {label}
      </label>
      <textarea
        id={id}
        value={text}
        onChange={(event) => setText(event.target.value)}
        maxLength={COMMENT_MAX_LENGTH}
        rows={3}
        placeholder={label}
        className="block w-full rounded-xl border border-stone-300 px-3 py-2 text-sm focus:border-brand-500 focus:outline-none"
      />
      {error ? <FormAlert tone="error">{describeError(error)}</FormAlert> : null}
      <div className="flex gap-2">
        <button type="submit" disabled={pending || !text.trim()} className={primaryButton}>
          {pending ? t('comments.commentThread.sending') : submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel} className={secondaryButton}>
            <FormattedMessage id="comments.commentThread.cancel" />
          </button>
        )}
      </div>
    </form>
  );
}

function CommentItem({
  node,
  actions,
  userId,
  canReply,
}: {
  node: Node;
  actions: Actions;
  userId: string | null;
  canReply: boolean;
}) {
  const t = useT();
  const { comment, children } = node;
  const [mode, setMode] = useState<'view' | 'reply' | 'edit'>('view');
  const [open, setOpen] = useState(comment.depth + 1 < OPEN_DEPTH);
  const mine = userId !== null && comment.author?.id === userId;

  return (
    <li id={`comment-${comment.id}`} data-testid="comment" className="scroll-mt-20">
      <article
        aria-label={
          comment.deleted
            ? t('comments.commentThread.deletedComment')
            : t('comments.commentThread.commentBy', { displayName: comment.author?.displayName })
        }
      >
        {comment.deleted ? (
          <p className="py-1 text-sm italic text-stone-500">
            <FormattedMessage id="comments.commentThread.commentWasDeleted" />
          </p>
        ) : (
          <div className="flex gap-3">
            <UserAvatar name={comment.author?.displayName ?? '?'} url={comment.author?.avatarUrl ?? null} />
            <div className="min-w-0 flex-1">
              <p className="text-sm">
                <Link
                  to={`/u/${comment.author?.id}`}
                  className="font-semibold text-stone-900 hover:underline"
                >
                  {comment.author?.displayName}
                </Link>{' '}
                <span className="text-stone-500">
                  · {formatDateTime(comment.createdAt)}
                  {comment.edited ? t('comments.commentThread.edited') : ''}
                </span>
              </p>
              {mode === 'edit' ? (
                <div className="mt-2">
                  <CommentForm
                    label={t('comments.commentThread.editYourComment')}
                    initial={comment.text ?? ''}
                    submitLabel={t('comments.commentThread.save')}
                    pending={actions.edit.isPending}
                    error={actions.edit.error}
                    onCancel={() => setMode('view')}
                    onSubmit={async (text) => {
                      await actions.edit.mutateAsync({ id: comment.id, text });
                      setMode('view');
                    }}
                  />
                </div>
              ) : (
                <LinkifiedText
                  text={comment.text ?? ''}
                  className="mt-1 whitespace-pre-line break-words text-stone-800"
                />
              )}
              {mode === 'view' && (
                <p className="mt-1 flex gap-3 text-sm">
                  {userId && canReply && (
                    <button type="button" className={textLink} onClick={() => setMode('reply')}>
                      <FormattedMessage id="comments.commentThread.reply" />
                    </button>
                  )}
                  {mine && (
                    <>
                      <button type="button" className={textLink} onClick={() => setMode('edit')}>
                        <FormattedMessage id="comments.commentThread.edit" />
                      </button>
                      <button
                        type="button"
                        className="rounded font-medium text-red-700 underline-offset-4 hover:underline"
                        onClick={() => {
                          if (window.confirm('Delete this comment?')) actions.remove.mutate(comment.id);
                        }}
                      >
                        <FormattedMessage id="comments.commentThread.delete" />
                      </button>
                    </>
                  )}
                </p>
              )}
            </div>
          </div>
        )}
      </article>
      {mode === 'reply' && (
        <div className="mt-2 ml-11">
          <CommentForm
            label={t('comments.commentThread.reply2', {
              value: comment.author?.displayName ?? 'this comment',
            })}
            submitLabel={t('comments.commentThread.reply')}
            pending={actions.create.isPending}
            error={actions.create.error}
            onCancel={() => setMode('view')}
            onSubmit={async (text) => {
              await actions.create.mutateAsync({ text, parentId: comment.id });
              setMode('view');
              setOpen(true);
            }}
          />
        </div>
      )}
      {children.length > 0 &&
        (open ? (
          <ul className="mt-3 space-y-3 border-l-2 border-stone-100 pl-4 sm:ml-4">
            {children.map((child) => (
              <CommentItem
                key={child.comment.id}
                node={child}
                actions={actions}
                userId={userId}
                canReply={canReply}
              />
            ))}
          </ul>
        ) : (
          <button type="button" className={`${textLink} mt-2 ml-11 text-sm`} onClick={() => setOpen(true)}>
            <FormattedMessage id="comments.commentThread.showReplies" values={{ count: children.length }} />
          </button>
        ))}
    </li>
  );
}

/** The discussion under a listing: questions, answers and replies to any depth. */
export function CommentThread({ listingId, open }: { listingId: string; open: boolean }) {
  const t = useT();
  const thread = useCommentThread(listingId);
  const actions = useCommentActions(listingId);
  const { user } = useSession();
  const { pathname, hash } = useLocation();
  const comments = useMemo(() => thread.data?.pages.flatMap((page) => page.items) ?? [], [thread.data]);
  const tree = useMemo(() => buildTree(comments), [comments]);
  const total = thread.data?.pages[0]?.total ?? 0;
  // A notification links to /listings/…#comment-<id>: once the thread is in, go to that comment.
  const loaded = thread.data !== undefined;
  useEffect(() => {
    if (loaded && hash.startsWith('#comment-')) document.getElementById(hash.slice(1))?.scrollIntoView();
  }, [loaded, hash]);

  return (
    <section aria-labelledby="comments-heading" className="mt-8 max-w-3xl">
      <h2 id="comments-heading" className="mb-3 text-lg font-semibold text-stone-900">
        <FormattedMessage id="comments.commentThread.comments" />
        {total > 0 ? ` (${total})` : ''}
      </h2>
      {open &&
        (user ? (
          <CommentForm
            label={t('comments.commentThread.askQuestionOrLeave')}
            submitLabel={t('comments.commentThread.comment')}
            pending={actions.create.isPending}
            error={actions.create.error}
            onSubmit={(text) => actions.create.mutateAsync({ text })}
          />
        ) : (
          <p className="text-sm text-stone-600">
            <FormattedMessage
              id="comments.commentThread.signComment"
              values={{
                link: (chunks) => (
                  <Link to={signInPath(pathname)} className={textLink}>
                    {chunks}
                  </Link>
                ),
              }}
            />
          </p>
        ))}
      {actions.remove.isError && <FormAlert tone="error">{describeError(actions.remove.error)}</FormAlert>}
      {thread.isPending && (
        <p className="mt-4 text-sm text-stone-500">
          <FormattedMessage id="comments.commentThread.loadingComments" />
        </p>
      )}
      {thread.isError && <FormAlert tone="error">{describeError(thread.error)}</FormAlert>}
      {thread.data && tree.length === 0 && (
        <p className="mt-4 text-sm text-stone-600">
          <FormattedMessage id="comments.commentThread.noCommentsYet" />
        </p>
      )}
      <ul className="mt-5 space-y-5">
        {tree.map((node) => (
          <CommentItem
            key={node.comment.id}
            node={node}
            actions={actions}
            userId={user?.id ?? null}
            canReply={open}
          />
        ))}
      </ul>
      {thread.hasNextPage && (
        <button
          type="button"
          className={`${secondaryButton} mt-4`}
          disabled={thread.isFetchingNextPage}
          onClick={() => void thread.fetchNextPage()}
        >
          {thread.isFetchingNextPage ? t('common.loading') : t('comments.commentThread.moreComments')}
        </button>
      )}
    </section>
  );
}
