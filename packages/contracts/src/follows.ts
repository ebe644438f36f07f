import { z } from 'zod';
import { CursorQuery, Id, IsoDateTime, pageOf } from './common.js';

/** Members and categories one member may follow, each. */
export const FOLLOWS_MAX = 1000;

export const FollowTarget = z.enum(['member', 'category']);
export type FollowTarget = z.infer<typeof FollowTarget>;

export const FollowParams = z.object({ type: FollowTarget, id: Id });

export const FollowState = z
  .object({
    type: FollowTarget,
    id: Id,
    following: z.boolean().describe('Whether the caller follows it (false when signed out)'),
    followers: z.number().int().min(0),
  })
  .meta({ id: 'FollowState' });
export type FollowState = z.infer<typeof FollowState>;

export const FollowedItem = z
  .object({
    type: FollowTarget,
    id: Id,
    /** A member's display name or a category's name. */
    name: z.string(),
    /** A category's slug (for its page); null for a member. */
    slug: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    followedAt: IsoDateTime,
  })
  .meta({ id: 'FollowedItem' });
export type FollowedItem = z.infer<typeof FollowedItem>;

export const FollowingPage = pageOf(FollowedItem).meta({ id: 'FollowingPage' });
export type FollowingPage = z.infer<typeof FollowingPage>;

export const FollowingQuery = CursorQuery.extend({ type: FollowTarget.optional() });
export type FollowingQuery = z.input<typeof FollowingQuery>;
