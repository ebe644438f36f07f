import type { LocationRef } from '@souk/contracts';
import type { Database } from '../../platform/db/database.js';
import type { Storage } from '../../platform/storage/index.js';
import type { AuthService } from '../auth/index.js';
import type { UserDirectory } from './users.directory.js';
import { createUserDirectory } from './users.directory.js';
import { createUsersRepository } from './users.repository.js';
import { usersRoutes } from './users.routes.js';
import { createUsersService } from './users.service.js';

export type { UserCard, UserDirectory } from './users.directory.js';
export type { AccountsPort, UsersService } from './users.service.js';

/**
 * The narrow side of profiles (create one with an account; names, avatars, contacts), built
 * before the modules the full users module depends on: auth, listings and reviews take it, so
 * none of them needs the users module itself.
 */
export function createUsersDirectory(deps: { database: Database; storage: Storage }) {
  return createUserDirectory({ ...deps, repository: createUsersRepository() });
}

/**
 * Profiles: the public face of an account (display name, avatar, bio, location, seller
 * details, badges), its private fields (e-mail, phone) and settings (preferences), and the
 * member's own account actions: deactivate, delete (erasure) and export.
 *
 * The auth module creates a profile with each account through {@link createUsersDirectory}
 * (its `ProfilePort`); this module reaches accounts through auth's `service.accounts`, so it is
 * built after auth, reviews and listings.
 */
export function createUsersModule(deps: {
  database: Database;
  /** The auth module's account operations. */
  accounts: AuthService['accounts'];
  /** This module's narrow side, built first ({@link createUsersDirectory}). */
  directory: UserDirectory;
  /** Where avatars are stored. */
  storage: Storage;
  /** A location by id (name and country), or null when there is none; from the catalog. */
  locationOf: (id: string) => Promise<LocationRef | null>;
  /** A seller's rating (average and count), from the reviews module. */
  sellerRating?: (userId: string) => Promise<{ average: number | null; count: number }>;
  /** A seller's active and sold listings, from the listings module. */
  listingCounts?: (userId: string) => Promise<{ active: number; sold: number }>;
}) {
  const repository = createUsersRepository();
  const service = createUsersService({ ...deps, repository });
  return { service, directory: deps.directory, routes: usersRoutes(service) };
}

export type UsersModule = ReturnType<typeof createUsersModule>;
