import type { Problem, ProblemCode } from '@souk/contracts';

/**
 * What an ApiError's `code` can be: a problem code of the API (the contract's union, which the
 * server's catalogs are compiled against) or one of the client's own for answers that never came.
 */
export type ApiErrorCode = ProblemCode | 'network_error' | 'invalid_response' | 'unexpected_response';

type ApiErrorInit = {
  status: number;
  code: ApiErrorCode;
  title: string;
  detail?: string | undefined;
  problem?: Problem | undefined;
};

/** A failed call to the Souk API, carrying the problem document's stable `code`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ApiErrorCode;
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

const REFRESH_LOCK = 'souk-session-refresh';
const SESSION_PATH = '/api/v1/auth/session';

async function postRefresh(): Promise<boolean> {
  // An empty object rather than no body: the route's schema refuses a missing body (null).
  const response = await sendWithCsrf(REFRESH_PATH, { method: 'POST', body: {} });
  return response.ok;
}

/** Whether the access cookie works now: another tab may have refreshed while this one waited. */
async function sessionWorks(): Promise<boolean> {
  return (await send(SESSION_PATH, {})).ok;
}

/**
 * Refreshes the session once for every tab of this browser: the tabs share one refresh cookie,
 * and the server treats a rotated refresh token presented again (after its short grace window)
 * as stolen and ends the session. A Web Lock lets one tab at a time in; inside it, a tab first
 * asks whether the cookies already work (the browser's cookie store is shared at once, unlike
 * localStorage or BroadcastChannel), and refreshes only if not.
 */
export async function refreshAcrossTabs(
  refresh: () => Promise<boolean> = postRefresh,
  alreadyFresh: () => Promise<boolean> = sessionWorks,
): Promise<boolean> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (!locks) return refresh();
  return locks.request(REFRESH_LOCK, async () => (await alreadyFresh()) || refresh());
}

/** One refresh at a time: every call that got a 401 meanwhile waits for the same answer. */
function refreshSession(): Promise<boolean> {
  refreshing ??= (async () => {
    try {
      return await refreshAcrossTabs();
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
  return problemError(response.status, response.statusText, body);
}

function problemError(status: number, statusText: string, body: unknown): ApiError {
  if (isProblem(body)) {
    // The server sends only the contract's codes (its catalogs are compiled against PROBLEM_CODES).
    return new ApiError({
      status,
      code: body.code as ProblemCode,
      title: body.title,
      detail: body.detail,
      problem: body,
    });
  }
  // Proxies and gateways answer with HTML when the API itself is down, so there is no problem body.
  return new ApiError({
    status,
    code: 'unexpected_response',
    title: statusText || 'Request failed',
    detail: `The server answered ${status}${statusText ? ` ${statusText}` : ''}.`,
  });
}

export type UploadProgress = { loaded: number; total: number };

type UploadInit = {
  method?: 'POST' | 'PUT';
  onProgress?: (progress: UploadProgress) => void;
  signal?: AbortSignal | undefined;
};

type XhrResult = { status: number; statusText: string; body: unknown; text: string };

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/** One multipart request through XMLHttpRequest, the only browser API that reports upload progress. */
function sendXhr(path: string, body: FormData, csrf: string, init: UploadInit): Promise<XhrResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(init.method ?? 'POST', path);
    xhr.setRequestHeader('accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) init.onProgress?.({ loaded: event.loaded, total: event.total });
    };
    xhr.onload = () =>
      resolve({
        status: xhr.status,
        statusText: xhr.statusText,
        text: xhr.responseText,
        body: parseJson(xhr.responseText),
      });
    xhr.onerror = () =>
      reject(
        new ApiError({
          status: 0,
          code: 'network_error',
          title: 'Network error',
          detail: 'The upload did not reach Souk. Check your connection and try again.',
        }),
      );
    xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
    if (init.signal?.aborted) {
      reject(new DOMException('The upload was cancelled.', 'AbortError'));
      return;
    }
    init.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}

/**
 * Uploads a multipart form with progress events, with the same CSRF token, CSRF retry and session
 * refresh as apiRequest. Resolves with the parsed JSON body; throws ApiError (or an AbortError).
 */
export async function apiUpload<T>(path: string, body: FormData, init: UploadInit = {}): Promise<T> {
  const attempt = async () => {
    let result = await sendXhr(path, body, await fetchCsrfToken(), init);
    if (result.status === 403 && isProblem(result.body) && result.body.code === 'csrf_token_invalid') {
      csrfToken = null;
      result = await sendXhr(path, body, await fetchCsrfToken(), init);
    }
    return result;
  };
  let result = await attempt();
  if (result.status === 401 && isProblem(result.body) && SESSION_EXPIRED_CODES.has(result.body.code)) {
    if (await refreshSession()) result = await attempt();
    else onSignedOut?.();
  }
  if (result.status < 200 || result.status >= 300) {
    throw problemError(result.status, result.statusText, result.body);
  }
  if (result.status === 204) return undefined as T;
  if (result.body === undefined) {
    throw new ApiError({
      status: result.status,
      code: 'invalid_response',
      title: 'Unexpected response',
      detail: 'The server sent something we could not read.',
    });
  }
  return result.body as T;
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
