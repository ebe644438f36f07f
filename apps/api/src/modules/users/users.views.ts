import type { Badge, LocationRef, Preferences, SellerProfile, UserProfile } from '@souk/contracts';
import type { RequestContext } from '../../platform/http/context.js';
import { isAdmin, type Target } from './users.access.js';
import { defaultPreferences, type UserDirectory } from './users.directory.js';
import type { ProfileRow } from './users.schema.js';

export function sellerOf(profile: ProfileRow): SellerProfile {
  return {
    businessName: profile.sellerBusinessName,
    description: profile.sellerDescription,
    website: profile.sellerWebsite,
    openingHours: profile.sellerOpeningHours ?? [],
  };
}

export const hasSellerProfile = (profile: ProfileRow) =>
  Boolean(
    profile.sellerBusinessName ||
      profile.sellerDescription ||
      profile.sellerWebsite ||
      (profile.sellerOpeningHours && profile.sellerOpeningHours.length > 0),
  );

export function badgesOf(target: Target): Badge[] {
  const badges: Badge[] = [];
  if (target.account.emailVerifiedAt) badges.push('email_verified');
  if (target.profile.phone) badges.push('phone_added');
  if (target.profile.sellerBusinessName) badges.push('seller');
  if (target.account.totpEnabledAt) badges.push('two_factor');
  return badges;
}

/** Stored preferences only ever come from a validated UpdatePreferencesBody over the defaults. */
export const preferencesOf = (profile: ProfileRow): Preferences => ({
  ...defaultPreferences,
  ...(profile.preferences as Partial<Preferences>),
});

/** A profile as the caller may see it: public fields for all, e-mail and phone for the owner and admins. */
export function createProfileViews(deps: {
  directory: Pick<UserDirectory, 'avatarUrlOf'>;
  locationOf: (id: string) => Promise<LocationRef | null>;
  sellerRating?: ((userId: string) => Promise<{ average: number | null; count: number }>) | undefined;
}) {
  const { avatarUrlOf } = deps.directory;

  async function locationOf(locationId: string | null): Promise<LocationRef | null> {
    return locationId ? deps.locationOf(locationId) : null;
  }

  async function toUserProfile(ctx: RequestContext, target: Target): Promise<UserProfile> {
    const { account, profile } = target;
    const seesPrivate = ctx.actor?.userId === target.id || isAdmin(ctx);
    return {
      id: target.id,
      displayName: profile.displayName,
      avatarUrl: avatarUrlOf(profile),
      bio: profile.bio,
      location: await locationOf(profile.locationId),
      memberSince: account.createdAt.toISOString(),
      sellerRating: deps.sellerRating ? await deps.sellerRating(target.id) : { average: null, count: 0 },
      badges: badgesOf(target),
      seller: hasSellerProfile(profile) ? sellerOf(profile) : null,
      // Absent, not null, for everyone else: the keys themselves are private.
      ...(seesPrivate ? { ...(account.email ? { email: account.email } : {}), phone: profile.phone } : {}),
    };
  }

  return { locationOf, toUserProfile };
}
