import type {
  LoginBody,
  LoginResult,
  RegisterBody,
  SessionList,
  SessionUser,
  SignedIn,
} from '@souk/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch } from '../../api/client';
import { rememberSession } from '../../lib/session-hint';
import { AUTH, authKeys, forgetUserData, markSignedOut } from './session-queries';

export type TotpEnrolment = { secret: string; otpauthUri: string };
export type RecoveryCodes = { recoveryCodes: string[] };
export type OAuthProvider = { id: string; name: string };
export type MfaBody = { mfaToken: string; code?: string; recoveryCode?: string };

export { authKeys, forgetUserData, markSignedOut, type SessionState, useSession } from './session-queries';

function useSignedIn() {
  const queryClient = useQueryClient();
  return (user: SessionUser) => {
    rememberSession(true);
    forgetUserData(queryClient);
    queryClient.setQueryData(authKeys.session(), user);
  };
}

export function useSignUp() {
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: (body: RegisterBody) =>
      apiFetch<SignedIn>(`${AUTH}/register?mode=cookie`, { method: 'POST', body }),
    onSuccess: (result) => signedIn(result.user),
  });
}

export function useSignIn() {
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: (body: LoginBody) =>
      apiFetch<LoginResult>(`${AUTH}/login?mode=cookie`, { method: 'POST', body }),
    onSuccess: (result) => {
      if (result.status === 'signed_in') signedIn(result.user);
    },
  });
}

export function useSignInWithSecondFactor() {
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: (body: MfaBody) =>
      apiFetch<SignedIn>(`${AUTH}/login/mfa?mode=cookie`, { method: 'POST', body }),
    onSuccess: (result) => signedIn(result.user),
  });
}

/** The caller shows the signed-out state when it settles (see useLeaveSignedOut). */
export function useSignOut() {
  return useMutation({
    mutationFn: () => apiFetch<void>(`${AUTH}/logout`, { method: 'POST' }),
  });
}

export function useOAuthProviders() {
  return useQuery({
    queryKey: authKeys.providers(),
    queryFn: ({ signal }) => apiFetch<{ items: OAuthProvider[] }>(`${AUTH}/oauth/providers`, { signal }),
    staleTime: Number.POSITIVE_INFINITY,
    select: (data) => data.items,
  });
}

export function useVerifyEmail(token: string) {
  const queryClient = useQueryClient();
  // A query rather than a mutation so the token is sent once, however often the page renders.
  return useQuery({
    queryKey: [...authKeys.all, 'verify-email', token],
    queryFn: async () => {
      await apiFetch<void>(`${AUTH}/verify-email`, { method: 'POST', body: { token } });
      await queryClient.invalidateQueries({ queryKey: authKeys.session() });
      return true;
    },
    enabled: token.length > 0,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
}

export function useResendVerification() {
  return useMutation({
    mutationFn: () => apiFetch<{ status: 'accepted' }>(`${AUTH}/verify-email/resend`, { method: 'POST' }),
  });
}

/** After many wrong passwords for an account: mails a link that lets this browser sign in again. */
export function useRequestUnlock() {
  return useMutation({
    mutationFn: (body: { email: string }) =>
      apiFetch<{ status: 'accepted' }>(`${AUTH}/unlock/request`, { method: 'POST', body }),
  });
}

/** Uses the mailed unlock link (a query, like verification: the one-time token is sent once). */
export function useUnlockAccount(token: string) {
  return useQuery({
    queryKey: [...authKeys.all, 'unlock', token],
    queryFn: async () => {
      await apiFetch<void>(`${AUTH}/unlock`, { method: 'POST', body: { token } });
      return true;
    },
    enabled: token.length > 0,
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
  });
}

export function useForgotPassword() {
  return useMutation({
    mutationFn: (body: { email: string }) =>
      apiFetch<{ status: 'accepted' }>(`${AUTH}/password/forgot`, { method: 'POST', body }),
  });
}

export function useResetPassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { token: string; newPassword: string }) =>
      apiFetch<void>(`${AUTH}/password/reset`, { method: 'POST', body }),
    // Resetting ends every session, this device's too.
    onSuccess: () => markSignedOut(queryClient),
  });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) =>
      apiFetch<void>(`${AUTH}/password/change`, { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: authKeys.sessions() }),
  });
}

export function useSessions() {
  return useQuery({
    queryKey: authKeys.sessions(),
    queryFn: ({ signal }) => apiFetch<SessionList>(`${AUTH}/sessions`, { signal }),
    select: (data) => data.items,
  });
}

export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<void>(`${AUTH}/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: authKeys.sessions() }),
  });
}

export function useRevokeOtherSessions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<{ revoked: number }>(`${AUTH}/sessions/revoke-others`, { method: 'POST' }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: authKeys.sessions() }),
  });
}

export function useStartTotp() {
  return useMutation({
    mutationFn: () => apiFetch<TotpEnrolment>(`${AUTH}/two-factor/totp`, { method: 'POST' }),
  });
}

function useTwoFactorChange<Input, Output>(fn: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: authKeys.session() }),
  });
}

export function useConfirmTotp() {
  return useTwoFactorChange((body: { code: string }) =>
    apiFetch<RecoveryCodes>(`${AUTH}/two-factor/totp/confirm`, { method: 'POST', body }),
  );
}

export function useDisableTotp() {
  return useTwoFactorChange((body: { password: string } | { code: string }) =>
    apiFetch<void>(`${AUTH}/two-factor/totp/disable`, { method: 'POST', body }),
  );
}

export function useRegenerateRecoveryCodes() {
  return useMutation({
    mutationFn: (body: { password: string } | { code: string }) =>
      apiFetch<RecoveryCodes>(`${AUTH}/two-factor/recovery-codes`, { method: 'POST', body }),
  });
}
