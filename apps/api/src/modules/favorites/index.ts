import type { Database } from '../../platform/db/database.js';
import { createFavoritesRepository } from './favorites.repository.js';
import { favoritesRoutes } from './favorites.routes.js';
import { createFavoritesService, type FavoritesPorts } from './favorites.service.js';

export type { FavoritesPorts, FavoritesService } from './favorites.service.js';
export { isPriceDrop, MAX_OPEN_SHARES } from './favorites.service.js';

/**
 * Favorites: members save active listings, list them newest first, ask which of a page of cards
 * they saved in one call, and share the list as a read-only link that expires. Savers are
 * notified when a listing's price drops or it is sold, expires or is removed: app.ts subscribes
 * {@link FavoritesService.onPriceChanged} and {@link FavoritesService.onListingEnded} to the
 * listings module's events; the notifications' dedupe key makes a retried event notify once.
 */
export function createFavoritesModule(deps: { database: Database; ports: FavoritesPorts }) {
  const repository = createFavoritesRepository();
  const service = createFavoritesService({ ...deps, repository });
  return { service, routes: favoritesRoutes(service) };
}

export type FavoritesModule = ReturnType<typeof createFavoritesModule>;
