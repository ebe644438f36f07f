import type { Database, Queryable } from '../../platform/db/database.js';
import type { UsersRepository } from './users.repository.js';
import type { Preferences } from './users.schema.js';

export const defaultPreferences: Preferences = {
  language: 'en',
  currency: 'LKR',
  theme: 'system',
  notifications: {},
};

export function createUsersService(deps: {
  database: Pick<Database, 'db' | 'transaction'>;
  repository: UsersRepository;
  avatarUrl: (key: string) => string;
}) {
  const { database, repository } = deps;
  return {
    /** Called by the auth module inside the transaction that creates the account. */
    async createProfile(tx: Queryable, input: { userId: string; displayName: string }): Promise<void> {
      await repository.insertProfile(tx, {
        userId: input.userId,
        displayName: input.displayName,
        preferences: defaultPreferences,
      });
    },

    async summaryOf(userId: string) {
      const profile = await repository.findProfile(database.db, userId);
      if (!profile) return null;
      return {
        displayName: profile.displayName,
        avatarUrl: profile.avatarKey ? deps.avatarUrl(profile.avatarKey) : null,
      };
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
