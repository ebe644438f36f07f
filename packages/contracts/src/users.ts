import { z } from 'zod';
import { DisplayName, SessionInfo } from './auth.js';
import { CountryCode } from './catalog.js';
import { Id, IsoDateTime } from './common.js';
import { CurrencyCode } from './money.js';

/** `:id` is a user id, or `me` for the signed-in user. */
export const UserIdParams = z.object({ id: z.union([z.literal('me'), Id]) });

export const Badge = z.enum(['email_verified', 'phone_added', 'seller', 'two_factor']);
export type Badge = z.infer<typeof Badge>;

export const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'use HH:MM, 24-hour');

export const OpeningHours = z
  .array(
    z
      .object({ day: Weekday, opens: ClockTime, closes: ClockTime })
      // HH:MM compares correctly as text; a range past midnight is two ranges on two days.
      .refine((range) => range.closes > range.opens, {
        path: ['closes'],
        message: 'must be later than opens',
      }),
  )
  .max(21)
  .describe('Several ranges per day are allowed (a lunch break); a range past midnight is split in two');

export const SellerProfile = z
  .object({
    businessName: z.string().nullable(),
    description: z.string().nullable(),
    website: z.string().nullable(),
    openingHours: OpeningHours,
  })
  .meta({ id: 'SellerProfile' });
export type SellerProfile = z.infer<typeof SellerProfile>;

export const UpdateSellerProfileBody = z
  .object({
    businessName: z.string().trim().min(1).max(120).nullable(),
    description: z.string().trim().max(2000).nullable(),
    website: z
      .url({ protocol: /^https?$/, error: 'use an http(s) address' })
      .max(300)
      .nullable(),
    openingHours: OpeningHours,
  })
  .strict();
export type UpdateSellerProfileBody = z.infer<typeof UpdateSellerProfileBody>;

export const UserStats = z
  .object({
    listings: z.number().int(),
    sales: z.number().int(),
    reviews: z.number().int(),
    /** Share of conversations answered, 0..1; null until messaging exists or with no conversations. */
    responseRate: z.number().min(0).max(1).nullable(),
  })
  .meta({ id: 'UserStats' });
export type UserStats = z.infer<typeof UserStats>;

export const LocationRef = z.object({ id: Id, name: z.string(), countryCode: CountryCode });
export type LocationRef = z.infer<typeof LocationRef>;

export const UserProfile = z
  .object({
    id: Id,
    displayName: z.string(),
    avatarUrl: z.string().nullable(),
    bio: z.string().nullable(),
    location: LocationRef.nullable(),
    memberSince: IsoDateTime,
    /** Placeholder until reviews exist: average null, count 0. */
    sellerRating: z.object({ average: z.number().nullable(), count: z.number().int() }),
    badges: z.array(Badge),
    seller: SellerProfile.nullable(),
    /** Private: only the owner and admins receive these two. */
    email: z.string().optional(),
    phone: z.string().nullable().optional(),
  })
  .meta({ id: 'UserProfile' });
export type UserProfile = z.infer<typeof UserProfile>;

export const UpdateProfileBody = z
  .object({
    displayName: DisplayName,
    bio: z.string().trim().max(1000).nullable(),
    locationId: Id.nullable(),
    phone: z
      .string()
      .trim()
      .regex(/^\+[1-9]\d{6,14}$/, 'use the international format, e.g. +94771234567')
      .nullable(),
  })
  .partial()
  .strip()
  .describe('Unknown fields (role, emailVerified...) are ignored');
export type UpdateProfileBody = z.infer<typeof UpdateProfileBody>;

export const NotificationChannel = z.enum(['in_app', 'email', 'push']);
export const NotificationType = z.enum([
  'messages',
  'offers',
  'orders',
  'saved_searches',
  'price_drops',
  'reviews',
  'marketing',
]);
export const Preferences = z
  .object({
    language: z.enum(['en', 'si', 'ta', 'ar']),
    currency: CurrencyCode,
    theme: z.enum(['system', 'light', 'dark']),
    /** A type left out uses the platform default; an empty list turns that type off. */
    notifications: z.partialRecord(
      NotificationType,
      z
        .array(NotificationChannel)
        .max(3)
        .refine((channels) => new Set(channels).size === channels.length, 'lists a channel twice'),
    ),
  })
  .meta({ id: 'Preferences' });
export type Preferences = z.infer<typeof Preferences>;
export const UpdatePreferencesBody = Preferences.partial()
  .strict()
  .describe('Merged into the stored preferences; `notifications` is merged per type');
export type UpdatePreferencesBody = z.infer<typeof UpdatePreferencesBody>;

export const AvatarResult = z.object({ avatarUrl: z.string() });
export const ConfirmPasswordBody = z.object({
  password: z.string().min(1).max(128).optional().describe('Required when the account has a password'),
});
export type ConfirmPasswordBody = z.infer<typeof ConfirmPasswordBody>;

/** Everything Souk keeps about a member, for `GET /users/{id}/export` (GDPR access/portability). */
export const UserExport = z
  .object({
    exportedAt: IsoDateTime,
    profile: z.object({
      id: Id,
      displayName: z.string(),
      bio: z.string().nullable(),
      avatarUrl: z.string().nullable(),
      location: LocationRef.nullable(),
      phone: z.string().nullable(),
      createdAt: IsoDateTime,
      updatedAt: IsoDateTime,
    }),
    seller: SellerProfile,
    preferences: Preferences,
    account: z
      .object({
        id: Id,
        email: z.string().nullable(),
        role: z.string(),
        status: z.string(),
        emailVerifiedAt: IsoDateTime.nullable(),
        twoFactorEnabled: z.boolean(),
        createdAt: IsoDateTime,
      })
      .nullable(),
    linkedIdentities: z.array(
      z.object({ provider: z.string(), email: z.string().nullable(), linkedAt: IsoDateTime }),
    ),
    sessions: z.array(SessionInfo),
  })
  .meta({ id: 'UserExport' });
export type UserExport = z.infer<typeof UserExport>;
