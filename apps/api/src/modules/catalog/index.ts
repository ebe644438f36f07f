import type { Cache } from '../../platform/cache.js';
import type { Database } from '../../platform/db/database.js';
import type { EventPublisher } from '../../platform/events.js';
import type { CatalogEvents } from './catalog.events.js';
import { createCatalogRepository } from './catalog.repository.js';
import { catalogRoutes } from './catalog.routes.js';
import { seedDemoCatalog } from './catalog.seed.js';
import { type CatalogService, createCatalogService } from './catalog.service.js';

export type { CatalogEvents } from './catalog.events.js';
export type { CatalogService } from './catalog.service.js';

/**
 * The catalog: the category tree with typed attribute schemas, and the location tree.
 *
 * Other modules read categories and resolved attribute schemas through {@link CatalogService};
 * they never query its tables.
 */
export function createCatalogModule(deps: {
  database: Database;
  events: EventPublisher<CatalogEvents>;
  cache: Cache;
}) {
  const repository = createCatalogRepository();
  const service: CatalogService = createCatalogService({ ...deps, repository });
  return {
    service,
    routes: catalogRoutes(service),
    /** Loads the demo taxonomy and locations; rows that exist already (by slug) are left alone. */
    seedDemoData: () =>
      seedDemoCatalog({ database: deps.database, repository, invalidate: service.invalidate }),
  };
}

export type CatalogModule = ReturnType<typeof createCatalogModule>;
