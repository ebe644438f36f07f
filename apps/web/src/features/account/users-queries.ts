import type {
  Preferences,
  SellerProfile,
  UpdatePreferencesBody,
  UpdateProfileBody,
  UpdateSellerProfileBody,
  UserProfile,
  UserStats,
} from '@souk/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiFetch, apiRequest } from '../../api/client';
import { authKeys } from '../auth/auth-queries';

const USERS = '/api/v1/users';

/** `id` is a user id, or `me`. */
export const userKeys = {
  all: ['users'] as const,
  profile: (id: string) => [...userKeys.all, id, 'profile'] as const,
  seller: (id: string) => [...userKeys.all, id, 'seller'] as const,
  stats: (id: string) => [...userKeys.all, id, 'stats'] as const,
  preferences: () => [...userKeys.all, 'me', 'preferences'] as const,
};

const userPath = (id: string, rest = '') => `${USERS}/${encodeURIComponent(id)}${rest}`;

export function useUserProfile(id: string) {
  return useQuery({
    queryKey: userKeys.profile(id),
    queryFn: ({ signal }) => apiFetch<UserProfile>(userPath(id), { signal }),
  });
}

export function useUserStats(id: string) {
  return useQuery({
    queryKey: userKeys.stats(id),
    queryFn: ({ signal }) => apiFetch<UserStats>(userPath(id, '/stats'), { signal }),
  });
}

export function useSellerProfile() {
  return useQuery({
    queryKey: userKeys.seller('me'),
    queryFn: ({ signal }) => apiFetch<SellerProfile>(userPath('me', '/seller'), { signal }),
  });
}

export function usePreferences(enabled = true) {
  return useQuery({
    queryKey: userKeys.preferences(),
    queryFn: ({ signal }) => apiFetch<Preferences>(userPath('me', '/preferences'), { signal }),
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** A change to my profile shows on public pages and in the header, so all of those refresh. */
function useProfileChange<Input, Output>(fn: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: userKeys.all }),
        queryClient.invalidateQueries({ queryKey: authKeys.session() }),
      ]);
    },
  });
}

export function useUpdateProfile() {
  return useProfileChange((body: UpdateProfileBody) =>
    apiFetch<UserProfile>(userPath('me'), { method: 'PATCH', body }),
  );
}

export function useUploadAvatar() {
  return useProfileChange((file: File) => {
    const body = new FormData();
    body.append('file', file);
    return apiFetch<{ avatarUrl: string }>(userPath('me', '/avatar'), { method: 'POST', body });
  });
}

export function useRemoveAvatar() {
  return useProfileChange(() => apiFetch<void>(userPath('me', '/avatar'), { method: 'DELETE' }));
}

export function useUpdateSellerProfile() {
  return useProfileChange((body: UpdateSellerProfileBody) =>
    apiFetch<SellerProfile>(userPath('me', '/seller'), { method: 'PUT', body }),
  );
}

export function useUpdatePreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdatePreferencesBody) =>
      apiFetch<Preferences>(userPath('me', '/preferences'), { method: 'PUT', body }),
    onSuccess: (saved) => queryClient.setQueryData(userKeys.preferences(), saved),
  });
}

/** Both end every session: the caller goes home signed out on success (useLeaveSignedOut). */
function useAccountEnd(method: 'POST' | 'DELETE', rest: string) {
  return useMutation({
    mutationFn: (password: string | null) =>
      apiFetch<void>(userPath('me', rest), { method, body: password === null ? {} : { password } }),
  });
}

export function useDeactivateAccount() {
  return useAccountEnd('POST', '/deactivate');
}

export function useDeleteAccount() {
  return useAccountEnd('DELETE', '');
}

/** Fetches my data export and hands it to the browser as a download. */
export async function downloadMyData(): Promise<void> {
  const response = await apiRequest(userPath('me', '/export'));
  const blob = await response.blob();
  const disposition = response.headers.get('content-disposition') ?? '';
  const named = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1];
  const filename = named
    ? decodeURIComponent(named)
    : `souk-data-${new Date().toISOString().slice(0, 10)}.json`;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Some browsers read the blob after click() returns; give them a moment before letting go.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
