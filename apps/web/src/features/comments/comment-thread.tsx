import { COMMENT_MAX_LENGTH, type Comment } from '@souk/contracts';
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { describeError } from '../../api/client';
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
          {pending ? 'Sending…' : submitLabel}
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel} className={secondaryButton}>
            Cancel
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
  const { comment, children } = node;
  const [mode, setMode] = useState<'view' | 'reply' | 'edit'>('view');
  const [open, setOpen] = useState(comment.depth + 1 < OPEN_DEPTH);
  const mine = userId !== null && comment.author?.id === userId;

  return (
    <li id={`comment-${comment.id}`} data-testid="comment" className="scroll-mt-20">
      <article aria-label={comment.deleted ? 'Deleted comment' : `Comment by ${comment.author?.displayName}`}>
        {comment.deleted ? (
          <p className="py-1 text-sm italic text-stone-500">This comment was deleted.</p>
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
                  {comment.edited ? ' · edited' : ''}
                </span>
              </p>
              {mode === 'edit' ? (
                <div className="mt-2">
                  <CommentForm
                    label="Edit your comment"
                    initial={comment.text ?? ''}
                    submitLabel="Save"
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
                      Reply
                    </button>
                  )}
                  {mine && (
                    <>
                      <button type="button" className={textLink} onClick={() => setMode('edit')}>
                        Edit
                      </button>
                      <button
                        type="button"
                        className="rounded font-medium text-red-700 underline-offset-4 hover:underline"
                        onClick={() => {
                          if (window.confirm('Delete this comment?')) actions.remove.mutate(comment.id);
                        }}
                      >
                        Delete
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
            label={`Reply to ${comment.author?.displayName ?? 'this comment'}`}
            submitLabel="Reply"
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
            Show {children.length === 1 ? '1 reply' : `${children.length} replies`}
          </button>
        ))}
    </li>
  );
}

/** The discussion under a listing: questions, answers and replies to any depth. */
export function CommentThread({ listingId, open }: { listingId: string; open: boolean }) {
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
        Comments{total > 0 ? ` (${total})` : ''}
      </h2>
      {open &&
        (user ? (
          <CommentForm
            label="Ask a question or leave a comment"
            submitLabel="Comment"
            pending={actions.create.isPending}
            error={actions.create.error}
            onSubmit={(text) => actions.create.mutateAsync({ text })}
          />
        ) : (
          <p className="text-sm text-stone-600">
            <Link to={signInPath(pathname)} className={textLink}>
              Sign in
            </Link>{' '}
            to comment.
          </p>
        ))}
      {actions.remove.isError && <FormAlert tone="error">{describeError(actions.remove.error)}</FormAlert>}
      {thread.isPending && <p className="mt-4 text-sm text-stone-500">Loading comments…</p>}
      {thread.isError && <FormAlert tone="error">{describeError(thread.error)}</FormAlert>}
      {thread.data && tree.length === 0 && <p className="mt-4 text-sm text-stone-600">No comments yet.</p>}
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
          {thread.isFetchingNextPage ? 'Loading…' : 'More comments'}
        </button>
      )}
    </section>
  );
}
