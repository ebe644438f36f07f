import type { SessionInfo } from '@souk/contracts';
import { describeError } from '../../api/client';
import { formatDateTime } from '../../lib/format';
import { describeDevice } from '../../lib/user-agent';
import { secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { useRevokeOtherSessions, useRevokeSession, useSessions } from '../auth/auth-queries';
import { AccountSection, SectionLoading } from './account-section';

const stepLabels: Record<string, string> = {
  password: 'password',
  totp: 'authenticator code',
  recovery_code: 'recovery code',
};

/** `password+totp` -> "password and authenticator code"; `oidc:google` -> "Google". */
function describeMethod(method: string): string {
  return method
    .split('+')
    .map((step) => {
      const provider = /^(?:oidc|oauth):(.+)$/.exec(step)?.[1];
      if (provider) return provider.charAt(0).toUpperCase() + provider.slice(1);
      return stepLabels[step] ?? step;
    })
    .join(' and ');
}

function SessionRow({ session }: { session: SessionInfo }) {
  const revoke = useRevokeSession();
  const device = describeDevice(session.userAgent);
  return (
    <li className="flex flex-col gap-3 py-4 sm:flex-row sm:items-center sm:justify-between">
      <div className="min-w-0">
        <p className="flex flex-wrap items-center gap-2 font-medium text-stone-900">
          {device}
          {session.current && (
            <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-800">
              This device
            </span>
          )}
        </p>
        <p className="mt-0.5 text-sm text-stone-600">
          {session.ipAddress ?? 'Unknown address'} · last used {formatDateTime(session.lastUsedAt)}
        </p>
        <p className="text-xs text-stone-500">
          Signed in {formatDateTime(session.createdAt)} with {describeMethod(session.method)}
        </p>
        {session.userAgent && (
          <p className="mt-1 truncate text-xs text-stone-400" title={session.userAgent}>
            {session.userAgent}
          </p>
        )}
        {revoke.isError && (
          <p role="alert" className="mt-1 text-sm text-red-700">
            {describeError(revoke.error)}
          </p>
        )}
      </div>
      {!session.current && (
        <button
          type="button"
          onClick={() => revoke.mutate(session.id)}
          disabled={revoke.isPending}
          className={`${secondaryButton} shrink-0`}
        >
          {revoke.isPending ? 'Signing out…' : 'Sign out'}
          <span className="sr-only"> {device}</span>
        </button>
      )}
    </li>
  );
}

export function SessionsSection() {
  const sessions = useSessions();
  const revokeOthers = useRevokeOtherSessions();
  const others = sessions.data?.filter((session) => !session.current).length ?? 0;
  return (
    <AccountSection
      id="sessions"
      title="Where you are signed in"
      description="Sign out any device you do not recognise, then change your password."
    >
      {sessions.isPending && <SectionLoading label="Loading your sessions…" />}
      {sessions.isError && <FormAlert tone="error">{describeError(sessions.error)}</FormAlert>}
      {sessions.data && (
        <>
          <ul className="divide-y divide-stone-200">
            {sessions.data.map((session) => (
              <SessionRow key={session.id} session={session} />
            ))}
          </ul>
          <div className="mt-4 space-y-3 border-t border-stone-200 pt-4">
            {revokeOthers.isError && <FormAlert tone="error">{describeError(revokeOthers.error)}</FormAlert>}
            {revokeOthers.isSuccess && (
              <FormAlert tone="success">
                Signed out of {revokeOthers.data.revoked} other{' '}
                {revokeOthers.data.revoked === 1 ? 'session' : 'sessions'}.
              </FormAlert>
            )}
            <button
              type="button"
              onClick={() => revokeOthers.mutate()}
              disabled={revokeOthers.isPending || others === 0}
              className={secondaryButton}
            >
              {revokeOthers.isPending ? 'Signing out…' : 'Sign out everywhere else'}
            </button>
          </div>
        </>
      )}
    </AccountSection>
  );
}
