import type { Database } from '../../platform/db/database.js';
import { createUsersRepository } from './users.repository.js';
import { createUsersService } from './users.service.js';

export type { UsersService } from './users.service.js';

/**
 * Profiles: the public face of an account (display name, avatar, bio, location, seller
 * details) and its private settings. Created with the account by the auth module.
 */
export function createUsersModule(deps: { database: Database }) {
  const repository = createUsersRepository();
  const service = createUsersService({
    database: deps.database,
    repository,
    avatarUrl: (key) => `/media/${key}`,
  });
  return { service };
}

export type UsersModule = ReturnType<typeof createUsersModule>;
