import type { CurrentSession, SessionUser } from '@souk/contracts';
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { ApiError, apiFetch } from '../../api/client';
import { maybeSignedIn, rememberSession } from '../../lib/session-hint';

// Who is signed in: the part of auth the shell needs on every page, apart from the sign-in, sign-up
// and security hooks (auth-queries.ts), which load with the pages that use them.
export const AUTH = '/api/v1/auth';

export const authKeys = {
  all: ['auth'] as const,
  session: () => [...authKeys.all, 'session'] as const,
  sessions: () => [...authKeys.all, 'sessions'] as const,
  providers: () => [...authKeys.all, 'providers'] as const,
};

/** Queries that belong to whoever is signed in; dropped when that changes. */
export function forgetUserData(queryClient: QueryClient) {
  queryClient.removeQueries({ queryKey: authKeys.sessions() });
  queryClient.removeQueries({ queryKey: ['users'] });
  // The owner sees drafts and exact points on their listings; nobody else may see them from the cache.
  queryClient.removeQueries({ queryKey: ['listings'] });
  queryClient.removeQueries({ queryKey: ['messages'] });
}

export function markSignedOut(queryClient: QueryClient) {
  rememberSession(false);
  queryClient.setQueryData(authKeys.session(), null);
  forgetUserData(queryClient);
}

async function fetchSessionUser(signal: AbortSignal): Promise<SessionUser | null> {
  if (!maybeSignedIn()) return null;
  try {
    const { user } = await apiFetch<CurrentSession>(`${AUTH}/session`, { signal });
    return user;
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) throw error;
    rememberSession(false);
    return null;
  }
}

export type SessionState = {
  user: SessionUser | null;
  status: 'loading' | 'signed_in' | 'signed_out';
};

/** Who is signed in on this device; null while signed out. */
export function useSession(): SessionState {
  const query = useQuery({
    queryKey: authKeys.session(),
    queryFn: ({ signal }) => fetchSessionUser(signal),
    staleTime: 60_000,
  });
  if (query.isPending) return { user: null, status: 'loading' };
  const user = query.data ?? null;
  return { user, status: user ? 'signed_in' : 'signed_out' };
}
