const AUTH_PAGES = ['/sign-in', '/sign-up'];

/**
 * Where to go after signing in: only a path on this site (never `//evil.example` or a full URL,
 * which would make the sign-in page an open redirect), and never back to a sign-in page.
 */
export function safeNext(raw: string | null | undefined, fallback = '/'): string {
  if (!raw?.startsWith('/') || raw.startsWith('//') || /[\s\\]/.test(raw)) return fallback;
  const path = raw.split(/[?#]/)[0] ?? '';
  if (AUTH_PAGES.includes(path)) return fallback;
  return raw;
}

/** The sign-in page that comes back to `path` afterwards. */
export function signInPath(path: string): string {
  return path === '/' ? '/sign-in' : `/sign-in?${new URLSearchParams({ next: path })}`;
}
