import type { Database } from '../../platform/db/database.js';
import { createCompareRepository } from './compare.repository.js';
import { compareRoutes } from './compare.routes.js';
import { type ComparePorts, createCompareService } from './compare.service.js';

export type { ComparePorts, CompareService } from './compare.service.js';

/**
 * Comparison: up to four listings of the same top category side by side, kept per signed-in
 * member (guests keep theirs in the browser and merge it on sign-in). Rows are aligned from the
 * categories' attribute schemas, each with a `differs` flag, after price, condition, location
 * and category. A shared link stores the ids; opening it recomputes the rows from current data.
 */
export function createCompareModule(deps: { database: Database; ports: ComparePorts }) {
  const repository = createCompareRepository();
  const service = createCompareService({ ...deps, repository });
  return { service, routes: compareRoutes(service) };
}

export type CompareModule = ReturnType<typeof createCompareModule>;
