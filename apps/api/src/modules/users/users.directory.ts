import type { Preferences } from '@souk/contracts';
import type { Database, Queryable } from '../../platform/db/database.js';
import type { Storage } from '../../platform/storage/index.js';
import type { UsersRepository } from './users.repository.js';
import type { ProfileRow } from './users.schema.js';

export const defaultPreferences: Preferences = {
  language: 'en',
  currency: 'LKR',
  theme: 'system',
  notifications: {},
};

export type UserCard = { displayName: string; avatarUrl: string | null; memberSince: string };

/**
 * The narrow side of profiles that other modules lean on: create one with an account, and read
 * names and avatars. It reads only this module's tables and needs no other module, so it is
 * built before auth, listings and reviews; the full users service (which needs accounts,
 * ratings and listing counts) is built after them. That order is what keeps users out of the
 * cycles it used to close through lazy wiring (users↔auth, users↔listings, users→reviews→users).
 */
export function createUserDirectory(deps: {
  database: Pick<Database, 'db'>;
  repository: UsersRepository;
  storage: Pick<Storage, 'url'>;
}) {
  const { database, repository, storage } = deps;
  const avatarUrlOf = (profile: Pick<ProfileRow, 'avatarKey'>) =>
    profile.avatarKey ? storage.url(profile.avatarKey) : null;

  return {
    avatarUrlOf,

    /** Called by the auth module inside the transaction that creates the account. */
    async createProfile(tx: Queryable, input: { userId: string; displayName: string }): Promise<void> {
      await repository.insertProfile(tx, {
        userId: input.userId,
        displayName: input.displayName,
        preferences: defaultPreferences,
      });
    },

    /** Display name, avatar and member-since of several users at once (seller cards on listings). */
    async cardsOf(userIds: string[]): Promise<Map<string, UserCard>> {
      const rows = await repository.findProfiles(database.db, [...new Set(userIds)]);
      return new Map(
        rows.map((row) => [
          row.userId,
          {
            displayName: row.displayName,
            avatarUrl: avatarUrlOf(row),
            memberSince: row.createdAt.toISOString(),
          },
        ]),
      );
    },

    async summaryOf(userId: string) {
      const profile = await repository.findProfile(database.db, userId);
      if (!profile) return null;
      return { displayName: profile.displayName, avatarUrl: avatarUrlOf(profile) };
    },

    /** What a notification is addressed with: the display name and the phone (for SMS). */
    async contactOf(userId: string): Promise<{ displayName: string; phone: string | null } | null> {
      const profile = await repository.findProfile(database.db, userId);
      return profile ? { displayName: profile.displayName, phone: profile.phone } : null;
    },
  };
}

export type UserDirectory = ReturnType<typeof createUserDirectory>;
