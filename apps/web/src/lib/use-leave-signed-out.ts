import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { markSignedOut } from '../features/auth/session-queries';
import type { RouteNoticeState } from '../shell/route-notice';

/**
 * Goes home, then shows this device as signed out. In that order: signing out first would let a
 * protected page (account settings) see the change and send people to the sign-in page instead.
 */
export function useLeaveSignedOut() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return async (notice?: string) => {
    const state: RouteNoticeState | null = notice ? { notice } : null;
    // Awaited and flushed: the home page is on screen before the session is cleared below.
    await navigate('/', { replace: Boolean(notice), state, flushSync: true });
    markSignedOut(queryClient);
  };
}
