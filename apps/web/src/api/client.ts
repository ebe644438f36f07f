import type { Problem } from '@souk/contracts';

type ApiErrorInit = {
  status: number;
  code: string;
  title: string;
  detail?: string | undefined;
  problem?: Problem | undefined;
};

/** A failed call to the Souk API, carrying the problem document's stable `code`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly problem: Problem | undefined;

  constructor(init: ApiErrorInit) {
    super(init.detail ?? init.title);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.problem = init.problem;
  }
}

export type ApiRequestInit = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** JSON-encoded, except FormData (multipart uploads), which goes as is. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
};

const CSRF_PATH = '/api/v1/auth/csrf';
const REFRESH_PATH = '/api/v1/auth/refresh?mode=cookie';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** The codes of an access cookie that expired or is missing; other 401s (a wrong password) are final. */
const SESSION_EXPIRED_CODES = new Set(['unauthenticated', 'invalid_access_token']);

let csrfToken: Promise<string> | null = null;
let refreshing: Promise<boolean> | null = null;
let onSignedOut: (() => void) | null = null;

/** Called when the session ended under us (the refresh failed), so the app can show signed-out state. */
export function setSignedOutHandler(handler: (() => void) | null): void {
  onSignedOut = handler;
}

function fetchCsrfToken(): Promise<string> {
  csrfToken ??= send(CSRF_PATH, {})
    .then(async (response) => {
      if (!response.ok) throw await toApiError(response);
      return ((await response.json()) as { token: string }).token;
    })
    .catch((error: unknown) => {
      csrfToken = null;
      throw error;
    });
  return csrfToken;
}

/** One refresh at a time: every call that got a 401 meanwhile waits for the same answer. */
function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      // An empty object rather than no body: the route's schema refuses a missing body (null).
      const response = await sendWithCsrf(REFRESH_PATH, { method: 'POST', body: {} });
      return response.ok;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

async function send(path: string, init: ApiRequestInit, csrf?: string): Promise<Response> {
  const headers: Record<string, string> = {
    accept: 'application/json, application/problem+json',
    ...init.headers,
  };
  const isForm = init.body instanceof FormData;
  if (init.body !== undefined && !isForm) headers['content-type'] = 'application/json';
  if (csrf) headers['x-csrf-token'] = csrf;
  try {
    return await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? null : isForm ? (init.body as FormData) : JSON.stringify(init.body),
      credentials: 'same-origin',
      signal: init.signal ?? null,
    });
  } catch (error) {
    // TanStack Query cancels stale requests through the signal; it must see the abort as is.
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError({
      status: 0,
      code: 'network_error',
      title: 'Network error',
      detail: 'We could not reach Souk. Check your connection and try again.',
    });
  }
}

async function sendWithCsrf(path: string, init: ApiRequestInit): Promise<Response> {
  if (!UNSAFE_METHODS.has(init.method ?? 'GET')) return send(path, init);
  const response = await send(path, init, await fetchCsrfToken());
  if (response.status !== 403) return response;
  const error = await toApiError(response.clone());
  if (error.code !== 'csrf_token_invalid') return response;
  // The CSRF cookie was cleared or rotated: get a fresh token and try once more.
  csrfToken = null;
  return send(path, init, await fetchCsrfToken());
}

/**
 * Sends a request with the CSRF token on unsafe methods and, when the access cookie has expired,
 * refreshes the session once and retries. Resolves with the successful response; throws ApiError.
 */
export async function apiRequest(path: string, init: ApiRequestInit = {}): Promise<Response> {
  let response = await sendWithCsrf(path, init);
  if (response.status === 401) {
    const error = await toApiError(response.clone());
    if (SESSION_EXPIRED_CODES.has(error.code)) {
      if (await refreshSession()) response = await sendWithCsrf(path, init);
      else onSignedOut?.();
    }
  }
  if (!response.ok) throw await toApiError(response);
  return response;
}

export async function apiFetch<T>(path: string, init: ApiRequestInit = {}): Promise<T> {
  const response = await apiRequest(path, init);
  if (response.status === 204) return undefined as T;

  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError({
      status: response.status,
      code: 'invalid_response',
      title: 'Unexpected response',
      detail: 'The server sent something we could not read.',
    });
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  if (isProblem(body)) {
    return new ApiError({
      status: response.status,
      code: body.code,
      title: body.title,
      detail: body.detail,
      problem: body,
    });
  }
  // Proxies and gateways answer with HTML when the API itself is down, so there is no problem body.
  return new ApiError({
    status: response.status,
    code: 'unexpected_response',
    title: response.statusText || 'Request failed',
    detail: `The server answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`,
  });
}

function isProblem(body: unknown): body is Problem {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as Record<string, unknown>;
  return typeof candidate.code === 'string' && typeof candidate.title === 'string';
}

/** Retrying cannot fix a request the server refused (4xx), only a flaky network or server (5xx). */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status >= 500) return 'Something went wrong on our side. Please try again in a moment.';
    return error.detail ?? error.title;
  }
  return 'Something unexpected happened. Please try again.';
}

/** Field errors of a problem, keyed by field name (`body.password` -> `password`). */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!(error instanceof ApiError)) return result;
  for (const item of error.problem?.errors ?? []) {
    const field = item.path.replace(/^body\.?/, '');
    if (field && !(field in result)) result[field] = item.message;
  }
  return result;
}
