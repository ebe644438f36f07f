import type {
  LocationRef,
  Preferences,
  SellerProfile,
  UpdatePreferencesBody,
  UpdateProfileBody,
  UpdateSellerProfileBody,
  UserExport,
  UserProfile,
  UserStats,
} from '@souk/contracts';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from '../../platform/db/database.js';
import { isForeignKeyViolation } from '../../platform/db/errors.js';
import type { RequestContext } from '../../platform/http/context.js';
import type { Storage } from '../../platform/storage/index.js';
import type { AuthService } from '../auth/index.js';
import { assertOwner, createUserAccess } from './users.access.js';
import { toAvatarWebp } from './users.avatar.js';
import { defaultPreferences, type UserDirectory } from './users.directory.js';
import { usersError } from './users.errors.js';
import type { ProfileChanges, UsersRepository } from './users.repository.js';
import { createProfileViews, preferencesOf, sellerOf } from './users.views.js';

export { defaultPreferences };

/** What this module needs of accounts (the auth module's `service.accounts`). */
export type AccountsPort = Pick<
  AuthService['accounts'],
  'get' | 'checkPassword' | 'deactivate' | 'erase' | 'forgetSessions' | 'exportData'
>;

const DELETED_DISPLAY_NAME = 'Deleted user';

export function createUsersService(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: UsersRepository;
  accounts: AccountsPort;
  /** The narrow side of this module (cards, summaries), shared with the service. */
  directory: Pick<UserDirectory, 'avatarUrlOf'>;
  storage: Pick<Storage, 'put' | 'delete' | 'url'>;
  locationOf: (id: string) => Promise<LocationRef | null>;
  /** Image check and re-encoding; swapped only by tests. */
  toAvatar?: (bytes: Buffer) => Promise<Buffer>;
  /** A seller's rating from the reviews module; absent, every profile shows none. */
  sellerRating?: (userId: string) => Promise<{ average: number | null; count: number }>;
  /** A seller's live listings: active, and sold (no orders yet: a sale is a listing marked sold). */
  listingCounts?: (userId: string) => Promise<{ active: number; sold: number }>;
}) {
  const { database, repository, storage } = deps;
  const toAvatar = deps.toAvatar ?? toAvatarWebp;
  const { find, confirmPassword } = createUserAccess(deps);
  const { locationOf, toUserProfile } = createProfileViews(deps);

  const unknownLocation = () =>
    usersError('unknown_location', 'Pick a location from GET /api/v1/locations.', [
      { path: 'body.locationId', message: 'is not a known location' },
    ]);

  const { avatarUrlOf } = deps.directory;

  /** Best effort: an orphaned file is invisible to users, and its key is unguessable. */
  async function deleteFile(key: string | null) {
    if (key) await storage.delete(key).catch(() => {});
  }

  return {
    /** Anyone; `email` and `phone` only for the owner and admins. */
    async getProfile(ctx: RequestContext, id: string): Promise<UserProfile> {
      return toUserProfile(ctx, await find(ctx, id));
    },

    /** Owner or admin. Only the fields of UpdateProfileBody can change; role and status live in auth. */
    async updateProfile(ctx: RequestContext, id: string, input: UpdateProfileBody): Promise<UserProfile> {
      const target = await find(ctx, id);
      assertOwner(ctx, target, { orAdmin: true });
      const changes: ProfileChanges = {};
      if (input.displayName !== undefined) changes.displayName = input.displayName;
      if (input.bio !== undefined) changes.bio = input.bio === '' ? null : input.bio;
      if (input.phone !== undefined) changes.phone = input.phone;
      if (input.locationId !== undefined) {
        if (input.locationId !== null && !(await deps.locationOf(input.locationId))) throw unknownLocation();
        changes.locationId = input.locationId;
      }
      if (Object.keys(changes).length === 0) return toUserProfile(ctx, target);
      try {
        const profile = await database.transaction((tx) => repository.updateProfile(tx, target.id, changes));
        return toUserProfile(ctx, { ...target, profile });
      } catch (error) {
        // The location was removed between the check and the write.
        if (isForeignKeyViolation(error)) throw unknownLocation();
        throw error;
      }
    },

    /** Owner or admin. `readFile` is called only once the caller may change the avatar. */
    async setAvatar(
      ctx: RequestContext,
      id: string,
      readFile: () => Promise<Buffer>,
    ): Promise<{ avatarUrl: string }> {
      const target = await find(ctx, id);
      assertOwner(ctx, target, { orAdmin: true });
      const webp = await toAvatar(await readFile());
      // A new key each time: stored files never change, so caches may keep them forever.
      const key = `avatars/${target.id}/${uuidv7()}.webp`;
      await storage.put(key, webp, 'image/webp');
      let previous: string | null;
      try {
        previous = await database.transaction(async (tx) => {
          const current = await repository.lockProfile(tx, target.id);
          if (!current) throw usersError('user_not_found');
          await repository.updateProfile(tx, target.id, { avatarKey: key });
          return current.avatarKey;
        });
      } catch (error) {
        await deleteFile(key);
        throw error;
      }
      await deleteFile(previous);
      return { avatarUrl: storage.url(key) };
    },

    /** Owner or admin. */
    async removeAvatar(ctx: RequestContext, id: string): Promise<void> {
      const target = await find(ctx, id);
      assertOwner(ctx, target, { orAdmin: true });
      const previous = await database.transaction(async (tx) => {
        const current = await repository.lockProfile(tx, target.id);
        if (!current?.avatarKey) return null;
        await repository.updateProfile(tx, target.id, { avatarKey: null });
        return current.avatarKey;
      });
      await deleteFile(previous);
    },

    /** Anyone. */
    async getSellerProfile(ctx: RequestContext, id: string): Promise<SellerProfile> {
      return sellerOf((await find(ctx, id)).profile);
    },

    /** Owner or admin; replaces the whole seller profile. */
    async updateSellerProfile(
      ctx: RequestContext,
      id: string,
      input: UpdateSellerProfileBody,
    ): Promise<SellerProfile> {
      const target = await find(ctx, id);
      assertOwner(ctx, target, { orAdmin: true });
      const profile = await database.transaction((tx) =>
        repository.updateProfile(tx, target.id, {
          sellerBusinessName: input.businessName,
          sellerDescription: input.description === '' ? null : input.description,
          sellerWebsite: input.website,
          sellerOpeningHours: input.openingHours,
        }),
      );
      return sellerOf(profile);
    },

    /** Owner only. */
    async getPreferences(ctx: RequestContext, id: string): Promise<Preferences> {
      const target = await find(ctx, id);
      assertOwner(ctx, target, { orAdmin: false });
      return preferencesOf(target.profile);
    },

    /** Owner only; merged into what is stored, `notifications` per type. */
    async updatePreferences(
      ctx: RequestContext,
      id: string,
      input: UpdatePreferencesBody,
    ): Promise<Preferences> {
      const target = await find(ctx, id);
      assertOwner(ctx, target, { orAdmin: false });
      return database.transaction(async (tx) => {
        const current = await repository.lockProfile(tx, target.id);
        if (!current) throw usersError('user_not_found');
        const stored = preferencesOf(current);
        const merged: Preferences = {
          language: input.language ?? stored.language,
          currency: input.currency ?? stored.currency,
          theme: input.theme ?? stored.theme,
          notifications: { ...stored.notifications, ...input.notifications },
        };
        await repository.updateProfile(tx, target.id, { preferences: merged });
        return merged;
      });
    },

    /** Anyone. */
    async getStats(ctx: RequestContext, id: string): Promise<UserStats> {
      const target = await find(ctx, id);
      // Listings are the active ones (what the profile lists); sales the listings marked sold, as
      // no orders record a sale yet. No response rate until messaging counts one: none rather
      // than an invented number.
      const [reviews, counts] = await Promise.all([
        deps.sellerRating ? deps.sellerRating(target.id).then((rating) => rating.count) : 0,
        deps.listingCounts ? deps.listingCounts(target.id) : { active: 0, sold: 0 },
      ]);
      return { listings: counts.active, sales: counts.sold, reviews, responseRate: null };
    },

    /** Owner only. Hides the profile and ends every session; signing in again undoes it. */
    async deactivate(
      ctx: RequestContext,
      id: string,
      input: { password?: string | undefined },
    ): Promise<void> {
      const target = await find(ctx, id);
      assertOwner(ctx, target, { orAdmin: false });
      await confirmPassword(target, input.password);
      const { accounts } = deps;
      const revoked = await database.transaction((tx) => accounts.deactivate(tx, target.id));
      await accounts.forgetSessions(revoked);
    },

    /**
     * The owner (with the password) or an admin. Erases personal data: the account's e-mail,
     * password, second factor and linked identities, and every personal field of the profile.
     * Members have no other content yet (listings, messages, reviews); when they do, their
     * modules anonymise it here, in the same transaction, pointing it at "Deleted user".
     */
    async deleteAccount(
      ctx: RequestContext,
      id: string,
      input: { password?: string | undefined },
    ): Promise<void> {
      const target = await find(ctx, id);
      assertOwner(ctx, target, { orAdmin: true });
      if (ctx.actor?.userId === target.id) await confirmPassword(target, input.password);
      const { accounts } = deps;
      const { revoked, avatarKey } = await database.transaction(async (tx) => {
        const current = await repository.lockProfile(tx, target.id);
        // Deactivating first hands back the ids of the sessions it ends, for the cache below.
        const revoked = await accounts.deactivate(tx, target.id);
        await accounts.erase(tx, target.id);
        await repository.updateProfile(tx, target.id, {
          displayName: DELETED_DISPLAY_NAME,
          bio: null,
          avatarKey: null,
          locationId: null,
          phone: null,
          sellerBusinessName: null,
          sellerDescription: null,
          sellerWebsite: null,
          sellerOpeningHours: null,
          preferences: defaultPreferences,
        });
        return { revoked, avatarKey: current?.avatarKey ?? null };
      });
      await accounts.forgetSessions(revoked);
      await deleteFile(avatarKey);
    },

    /** Owner only: everything kept about the account, as one JSON document. */
    async exportData(ctx: RequestContext, id: string): Promise<UserExport> {
      const target = await find(ctx, id);
      assertOwner(ctx, target, { orAdmin: false });
      const { profile } = target;
      const account = await deps.accounts.exportData(target.id);
      return {
        exportedAt: new Date().toISOString(),
        profile: {
          id: target.id,
          displayName: profile.displayName,
          bio: profile.bio,
          avatarUrl: avatarUrlOf(profile),
          location: await locationOf(profile.locationId),
          phone: profile.phone,
          createdAt: profile.createdAt.toISOString(),
          updatedAt: profile.updatedAt.toISOString(),
        },
        seller: sellerOf(profile),
        preferences: preferencesOf(profile),
        account: account.account ?? null,
        linkedIdentities: account.linkedIdentities,
        sessions: account.sessions,
      };
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
