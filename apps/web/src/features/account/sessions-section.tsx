import type { SessionInfo } from '@souk/contracts';
import { FormattedMessage } from 'react-intl';
import { describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
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
  const t = useT();
  const revoke = useRevokeSession();
  const device = describeDevice(session.userAgent);
  return (
    <li className="flex flex-col gap-3 py-4 sm:flex-row sm:items-center sm:justify-between">
      <div className="min-w-0">
        <p className="flex flex-wrap items-center gap-2 font-medium text-stone-900">
          {device}
          {session.current && (
            <span className="rounded-full bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-800">
              <FormattedMessage id="account.sessionsSection.device" />
            </span>
          )}
        </p>
        <p className="mt-0.5 text-sm text-stone-600">
          {session.ipAddress ?? t('account.sessionsSection.unknownAddress')}{' '}
          <FormattedMessage
            id="account.sessionsSection.lastUsed"
            values={{ lastUsedAt: formatDateTime(session.lastUsedAt) }}
          />
        </p>
        <p className="text-xs text-stone-500">
          <FormattedMessage
            id="account.sessionsSection.signedWith"
            values={{ createdAt: formatDateTime(session.createdAt), method: describeMethod(session.method) }}
          />
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
          {revoke.isPending ? t('account.sessionsSection.signingOut') : t('account.sessionsSection.signOut')}
          <span className="sr-only"> {device}</span>
        </button>
      )}
    </li>
  );
}

export function SessionsSection() {
  const t = useT();
  const sessions = useSessions();
  const revokeOthers = useRevokeOtherSessions();
  const others = sessions.data?.filter((session) => !session.current).length ?? 0;
  return (
    <AccountSection
      id="sessions"
      title={t('account.sessionsSection.whereYouSigned')}
      description={t('account.sessionsSection.signOutAnyDevice')}
    >
      {sessions.isPending && <SectionLoading label={t('account.sessionsSection.loadingYourSessions')} />}
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
                <FormattedMessage
                  id="account.sessionsSection.signedOutOtherSessions"
                  values={{ revoked: revokeOthers.data.revoked }}
                />
              </FormAlert>
            )}
            <button
              type="button"
              onClick={() => revokeOthers.mutate()}
              disabled={revokeOthers.isPending || others === 0}
              className={secondaryButton}
            >
              {revokeOthers.isPending
                ? t('account.sessionsSection.signingOut')
                : t('account.sessionsSection.signOutEverywhereElse')}
            </button>
          </div>
        </>
      )}
    </AccountSection>
  );
}
