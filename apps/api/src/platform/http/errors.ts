import { STATUS_CODES } from 'node:http';
import type { FieldError, Problem, ProblemCode } from '@souk/contracts';

/**
 * An expected failure with a stable machine-readable code. The error handler turns it into an
 * RFC 9457 problem; anything that is not an AppError becomes a 500 that reveals nothing.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ProblemCode,
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? title);
  }
}

/** Each module lists its codes once with their status and title: `<module>.errors.ts`. */
export type ErrorCatalog<Code extends ProblemCode> = Record<Code, { status: number; title: string }>;

/**
 * What every catalog satisfies: its codes must be in the contract's `PROBLEM_CODES` (the union
 * the web app switches on), so a code the server sends and the web app cannot name does not compile.
 */
export type ProblemCatalog = Partial<Record<ProblemCode, { status: number; title: string }>>;

export function errorFactory<Code extends ProblemCode>(catalog: ErrorCatalog<Code>) {
  return (code: Code, detail?: string, errors?: FieldError[]): AppError => {
    const { status, title } = catalog[code];
    return new AppError(code, status, title, detail, errors);
  };
}

export const platformErrors = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  invalid_json: { status: 400, title: 'The body is not valid JSON' },
  bad_request: { status: 400, title: 'Bad request' },
  invalid_cursor: { status: 400, title: 'The cursor is not valid' },
  unauthenticated: { status: 401, title: 'Sign in first' },
  forbidden: { status: 403, title: 'Not allowed' },
  route_not_found: { status: 404, title: 'No such endpoint' },
  body_too_large: { status: 413, title: 'The body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Something went wrong on our side' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
} satisfies ProblemCatalog;

export type PlatformErrorCode = keyof typeof platformErrors;
export const platformError = errorFactory(platformErrors);

export function problemOf(error: AppError, requestId?: string): Problem {
  return {
    type: `urn:souk:problem:${error.code}`,
    title: error.title,
    status: error.status,
    code: error.code,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(requestId ? { requestId } : {}),
    ...(error.errors?.length ? { errors: error.errors } : {}),
  };
}

export function genericTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
