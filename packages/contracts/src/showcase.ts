import { z } from 'zod';
import { CursorQuery, Id, IsoDateTime } from './common.js';
import { ListingSummary } from './listings.js';

export const SHOWCASE_TAGS_MAX = 5;
export const SHOWCASE_MAKERS_MAX = 10;

/** A calendar day, YYYY-MM-DD, that exists. */
export const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
  .refine((value) => {
    const parsed = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === value;
  }, 'is not a calendar date');

/** Only http(s) links: a javascript: or data: link would run in the reader's page. */
export const WebLink = z
  .string()
  .trim()
  .max(500)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname.length > 0;
    } catch {
      return false;
    }
  }, 'use a full http:// or https:// address');

const ShowcaseTag = z
  .string()
  .trim()
  .toLowerCase()
  .min(1)
  .max(30)
  .regex(/^[\p{L}\p{N}]+(?:[ -][\p{L}\p{N}]+)*$/u, 'use letters, digits, spaces and hyphens');

export const ShowcaseDetailsBody = z
  .object({
    name: z.string().trim().min(1, 'is required').max(80),
    tagline: z.string().trim().max(140).default(''),
    link: WebLink.nullable().default(null),
    tags: z
      .array(ShowcaseTag)
      .max(SHOWCASE_TAGS_MAX)
      .default([])
      .transform((tags) => [...new Set(tags)]),
    makerIds: z
      .array(Id)
      .max(SHOWCASE_MAKERS_MAX)
      .default([])
      .transform((ids) => [...new Set(ids)])
      .describe('Other members who made it (not the owner)'),
    launchDate: CalendarDate.nullable().default(null),
  })
  .strict()
  .meta({ id: 'ShowcaseDetailsBody' });
export type ShowcaseDetailsBody = z.input<typeof ShowcaseDetailsBody>;

export const ShowcaseMaker = z.object({ id: Id, displayName: z.string(), avatarUrl: z.string().nullable() });
export type ShowcaseMaker = z.infer<typeof ShowcaseMaker>;

export const ShowcasePost = z
  .object({
    listingId: Id,
    ownerId: Id,
    name: z.string(),
    tagline: z.string(),
    link: z.string().nullable(),
    tags: z.array(z.string()),
    makers: z.array(ShowcaseMaker),
    launchDate: z.string().nullable(),
    postedAt: IsoDateTime.nullable(),
    upvotes: z.number().int().describe('Exact number of members who upvoted it'),
    upvoted: z.boolean().describe('Whether the caller upvoted it (false when signed out)'),
  })
  .meta({ id: 'ShowcasePost' });
export type ShowcasePost = z.infer<typeof ShowcasePost>;

export const UpvoteState = z
  .object({ listingId: Id, upvotes: z.number().int(), upvoted: z.boolean() })
  .meta({ id: 'UpvoteState' });
export type UpvoteState = z.infer<typeof UpvoteState>;

export const ShowcaseFeedItem = z
  .object({ rank: z.number().int(), post: ShowcasePost, listing: ListingSummary })
  .meta({ id: 'ShowcaseFeedItem' });
export type ShowcaseFeedItem = z.infer<typeof ShowcaseFeedItem>;

export const ShowcaseFeedPage = z
  .object({ items: z.array(ShowcaseFeedItem), nextCursor: z.string().nullable() })
  .meta({ id: 'ShowcaseFeedPage' });
export type ShowcaseFeedPage = z.infer<typeof ShowcaseFeedPage>;

export const ShowcaseWindow = z.enum(['today', 'week']);
export type ShowcaseWindow = z.infer<typeof ShowcaseWindow>;

export const ShowcaseFeedQuery = CursorQuery.extend({
  window: ShowcaseWindow.default('today').describe('today: the last 24 hours; week: the last 7 days'),
});
export const LeaderboardQuery = CursorQuery.extend({
  date: CalendarDate.optional().describe('The UTC day the posts went live (default: today)'),
});
