import type { Comment, CommentThreadPage } from '@souk/contracts';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { Database, Queryable } from '../../platform/db/database.js';
import { type RequestContext, requireUser } from '../../platform/http/context.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { platformError } from '../../platform/http/errors.js';
import { commentError } from './comments.errors.js';
import type { CommentsRepository } from './comments.repository.js';
import type { CommentRow } from './comments.schema.js';

const SIGN_IN = 'Sign in to comment.';

/** What comments need from other modules, each reached through its service. */
export type CommentsPorts = {
  listing: (id: string) => Promise<{
    id: string;
    sellerId: string;
    status: 'draft' | 'active' | 'sold' | 'expired' | 'removed';
    title: string;
  } | null>;
  users: (ids: string[]) => Promise<Map<string, { displayName: string; avatarUrl: string | null }>>;
  /** The notification service's notify, inside the comment's transaction. */
  notify: (
    tx: Queryable,
    input: {
      userId: string;
      type: 'listing_commented' | 'comment_replied';
      title: string;
      body: string;
      url: string;
      data: Record<string, unknown>;
      dedupeKey: string;
    },
  ) => Promise<unknown>;
  /** Plain text kept plain: the listings module's description cleaner. */
  cleanText: (text: string) => string;
};

/** Deep enough for any real discussion; bounds the `path` column (37 characters a level). */
export const COMMENT_MAX_DEPTH = 100;
const PREVIEW_LENGTH = 140;
/** Statuses whose listing page the public sees, and so its comments. */
const PUBLIC = new Set(['active', 'sold', 'expired']);

/** A thread page's position: the last root comment shown (roots page by id, oldest first). */
const ThreadPosition = z.object({ after: z.literal('root'), id: z.guid() });

const preview = (text: string) =>
  text.length > PREVIEW_LENGTH ? `${text.slice(0, PREVIEW_LENGTH - 1)}…` : text;

export function createCommentsService(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: CommentsRepository;
  ports: CommentsPorts;
}) {
  const { database, repository, ports } = deps;
  const db = database.db;

  const isAdmin = (ctx: RequestContext) => ctx.actor?.roles.includes('admin') ?? false;

  /** The listing if the caller may see it: drafts and removed ones are their owner's alone. */
  async function visibleListing(ctx: RequestContext, listingId: string) {
    const listing = await ports.listing(listingId);
    if (!listing) throw commentError('listing_not_found');
    const owner = ctx.actor?.userId === listing.sellerId;
    if (!PUBLIC.has(listing.status) && !(owner && listing.status === 'draft') && !isAdmin(ctx))
      throw commentError('listing_not_found');
    return listing;
  }

  function cleaned(text: string): string {
    const body = ports.cleanText(text);
    if (!body)
      throw commentError('empty_comment', 'Write something.', [
        { path: 'body.text', message: 'write something' },
      ]);
    return body;
  }

  async function toComments(rows: CommentRow[]): Promise<Comment[]> {
    const users = await ports.users([
      ...new Set(rows.filter((row) => !row.deletedAt).map((row) => row.authorId)),
    ]);
    return rows.map((row) => {
      const deleted = row.deletedAt !== null;
      const author = users.get(row.authorId);
      return {
        id: row.id,
        listingId: row.listingId,
        parentId: row.parentId,
        depth: row.depth,
        author: deleted
          ? null
          : {
              id: row.authorId,
              displayName: author?.displayName ?? 'Deleted user',
              avatarUrl: author?.avatarUrl ?? null,
            },
        text: deleted ? null : row.body,
        deleted,
        edited: !deleted && row.editedAt !== null,
        replyCount: row.replyCount,
        createdAt: row.createdAt.toISOString(),
        editedAt: deleted ? null : (row.editedAt?.toISOString() ?? null),
      };
    });
  }

  /** The caller's own live comment, locked: anyone else's is refused, a gone one is 404. */
  async function lockOwn(ctx: RequestContext, tx: Queryable, id: string): Promise<CommentRow> {
    const userId = requireUser(ctx, SIGN_IN);
    const row = await repository.lock(tx, id);
    if (!row || row.deletedAt) throw commentError('comment_not_found');
    if (row.authorId !== userId) throw platformError('forbidden', 'Only its author can change a comment.');
    return row;
  }

  return {
    /**
     * One page of a listing's discussion: `limit` top-level comments, oldest first, each followed
     * by all its replies depth-first, so a client renders the tree in one pass.
     */
    async thread(
      ctx: RequestContext,
      listingId: string,
      query: { limit: number; cursor?: string | undefined },
    ): Promise<CommentThreadPage> {
      await visibleListing(ctx, listingId);
      const after = decodeCursor(query.cursor, ThreadPosition)?.id ?? null;
      const roots = await repository.roots(db, listingId, after, query.limit + 1);
      const page = roots.slice(0, query.limit);
      const [rows, total] = await Promise.all([
        repository.threads(
          db,
          page.map((root) => root.id),
        ),
        repository.countVisible(db, listingId),
      ]);
      const last = page.at(-1);
      return {
        items: await toComments(rows),
        nextCursor: roots.length > query.limit && last ? encodeCursor({ after: 'root', id: last.id }) : null,
        total,
      };
    },

    async create(
      ctx: RequestContext,
      listingId: string,
      input: { text: string; parentId?: string | undefined },
    ): Promise<Comment> {
      const userId = requireUser(ctx, SIGN_IN);
      const listing = await visibleListing(ctx, listingId);
      if (listing.status !== 'active')
        throw commentError('listing_not_open', 'Only live listings take comments.');
      const body = cleaned(input.text);
      const row = await database.transaction(async (tx) => {
        const id = uuidv7();
        let parent: CommentRow | undefined;
        if (input.parentId) {
          // Locked so a delete of the parent waits, and sees this reply.
          parent = await repository.lock(tx, input.parentId);
          if (!parent)
            throw commentError('parent_not_found', undefined, [
              { path: 'body.parentId', message: 'no such comment' },
            ]);
          if (parent.listingId !== listingId)
            throw commentError('parent_on_other_listing', undefined, [
              { path: 'body.parentId', message: 'is on another listing' },
            ]);
          if (parent.deletedAt) throw commentError('parent_deleted');
          if (parent.depth + 1 > COMMENT_MAX_DEPTH) throw commentError('thread_too_deep');
          await repository.addReplies(tx, parent.id, 1);
        }
        const created = await repository.insert(tx, {
          id,
          listingId,
          parentId: parent?.id ?? null,
          rootId: parent?.rootId ?? id,
          path: parent ? `${parent.path}/${id}` : id,
          depth: parent ? parent.depth + 1 : 0,
          authorId: userId,
          body,
        });
        const url = `/listings/${listingId}#comment-${id}`;
        const data = { listingId, commentId: id };
        // The parent's author hears of a reply; the owner of the listing of any other comment.
        const replyTo = parent && parent.authorId !== userId ? parent.authorId : null;
        if (replyTo) {
          await ports.notify(tx, {
            userId: replyTo,
            type: 'comment_replied',
            title: `New reply on "${listing.title}"`,
            body: preview(body),
            url,
            data,
            dedupeKey: `comment:${id}`,
          });
        }
        if (listing.sellerId !== userId && listing.sellerId !== replyTo) {
          await ports.notify(tx, {
            userId: listing.sellerId,
            type: 'listing_commented',
            title: `New comment on "${listing.title}"`,
            body: preview(body),
            url,
            data,
            dedupeKey: `comment:${id}`,
          });
        }
        return created;
      });
      return (await toComments([row]))[0] as Comment;
    },

    async edit(ctx: RequestContext, id: string, text: string): Promise<Comment> {
      const body = cleaned(text);
      const row = await database.transaction(async (tx) => {
        const current = await lockOwn(ctx, tx, id);
        return current.body === body ? current : repository.edit(tx, id, body);
      });
      return (await toComments([row]))[0] as Comment;
    },

    /**
     * Deletes the caller's comment. With replies it stays as a placeholder without author or
     * text; without, it goes, and so does each placeholder above it left with no replies.
     */
    async remove(ctx: RequestContext, id: string): Promise<void> {
      await database.transaction(async (tx) => {
        const current = await lockOwn(ctx, tx, id);
        if (current.replyCount > 0) {
          await repository.markDeleted(tx, id);
          return;
        }
        await repository.remove(tx, id);
        for (let parentId = current.parentId; parentId; ) {
          const parent = await repository.addReplies(tx, parentId, -1);
          if (!parent?.deletedAt || parent.replyCount > 0) break;
          await repository.remove(tx, parent.id);
          parentId = parent.parentId;
        }
      });
    },
  };
}

export type CommentsService = ReturnType<typeof createCommentsService>;
