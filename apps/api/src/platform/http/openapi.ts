import { Problem } from '@souk/contracts';

/** The problem+json answers a route can give, for its response schema and the OpenAPI document. */
export function problemResponses<const S extends number>(...statuses: S[]): Record<S, typeof Problem> {
  return Object.fromEntries(statuses.map((status) => [status, Problem])) as Record<S, typeof Problem>;
}
