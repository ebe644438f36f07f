import { z } from 'zod';
import { CursorQuery, Id, IsoDateTime } from './common.js';

export const COMMENT_MAX_LENGTH = 5000;

const CommentText = z
  .string()
  .max(COMMENT_MAX_LENGTH, `use at most ${COMMENT_MAX_LENGTH} characters`)
  .refine((text) => text.trim().length > 0, 'write something');

export const CreateCommentBody = z
  .object({
    text: CommentText,
    parentId: Id.optional().describe('The comment this replies to, on the same listing'),
  })
  .strict()
  .meta({ id: 'CreateCommentBody' });
export type CreateCommentBody = z.infer<typeof CreateCommentBody>;

export const UpdateCommentBody = z.object({ text: CommentText }).strict().meta({ id: 'UpdateCommentBody' });
export type UpdateCommentBody = z.infer<typeof UpdateCommentBody>;

export const CommentIdParams = z.object({ id: Id });

export const Comment = z
  .object({
    id: Id,
    listingId: Id,
    parentId: Id.nullable(),
    depth: z.number().int().describe('0 for a top-level comment'),
    author: z
      .object({ id: Id, displayName: z.string(), avatarUrl: z.string().nullable() })
      .nullable()
      .describe('null on a deleted placeholder'),
    text: z.string().nullable().describe('Plain text; null on a deleted placeholder'),
    deleted: z.boolean(),
    edited: z.boolean(),
    replyCount: z.number().int().describe('Direct replies'),
    createdAt: IsoDateTime,
    editedAt: IsoDateTime.nullable(),
  })
  .meta({ id: 'Comment' });
export type Comment = z.infer<typeof Comment>;

export const CommentThreadPage = z
  .object({
    items: z
      .array(Comment)
      .describe('Whole threads, each top-level comment followed by its replies depth-first'),
    nextCursor: z.string().nullable(),
    total: z.number().int().describe('Comments on the listing, placeholders excluded'),
  })
  .meta({ id: 'CommentThreadPage' });
export type CommentThreadPage = z.infer<typeof CommentThreadPage>;

export const CommentThreadQuery = CursorQuery.extend({
  limit: z.coerce.number().int().min(1).max(50).default(20).describe('Top-level comments per page'),
});
