import type { LocationRef } from '@souk/contracts';
import type { Database } from '../../platform/db/database.js';
import type { Storage } from '../../platform/storage/index.js';
import type { AuthService } from '../auth/index.js';
import { createUsersRepository } from './users.repository.js';
import { usersRoutes } from './users.routes.js';
import { createUsersService } from './users.service.js';

export type { AccountsPort, UsersService } from './users.service.js';

/**
 * Profiles: the public face of an account (display name, avatar, bio, location, seller
 * details, badges), its private fields (e-mail, phone) and settings (preferences), and the
 * member's own account actions: deactivate, delete (erasure) and export.
 *
 * The auth module creates a profile with each account through {@link UsersService}'s
 * `createProfile` (its `ProfilePort`); this module reaches accounts through auth's
 * `service.accounts`.
 */
export function createUsersModule(deps: {
  database: Database;
  /** The auth module's account operations; a function because the two modules need each other. */
  accounts: () => AuthService['accounts'];
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
  return { service, routes: usersRoutes(service) };
}

export type UsersModule = ReturnType<typeof createUsersModule>;
