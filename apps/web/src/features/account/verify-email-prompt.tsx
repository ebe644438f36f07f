import { FormattedMessage } from 'react-intl';
import { ApiError, describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { secondaryButton } from '../../ui/form/buttons';
import { useResendVerification, useSession } from '../auth/auth-queries';
import { DevMailboxHint } from '../auth/dev-mailbox-hint';

/** The server's answer when an action needs a confirmed address (publish, first message, review). */
export function isEmailUnverified(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'email_unverified';
}

/**
 * Beside an action that needs a confirmed e-mail address: shown when the server refused it for
 * that reason, or ahead of time when the session says the address is not confirmed yet.
 */
export function VerifyEmailPrompt({ action, error }: { action: string; error?: unknown }) {
  const t = useT();
  const { user } = useSession();
  const resend = useResendVerification();
  if (!isEmailUnverified(error) && (!user || user.emailVerified)) return null;
  return (
    <div
      role={isEmailUnverified(error) ? 'alert' : 'status'}
      className="rounded-2xl border border-amber-200 bg-amber-50 px-5 py-4 text-sm text-amber-950"
    >
      <p className="font-semibold">
        <FormattedMessage id="account.verifyEmailPrompt.confirmYourEMail" values={{ action }} />
      </p>
      <p className="mt-1">
        {user ? (
          <FormattedMessage
            id="account.verifyEmailPrompt.openLinkSentTo"
            values={{ email: user.email, strong: (chunks) => <strong>{chunks}</strong> }}
          />
        ) : (
          <FormattedMessage id="account.verifyEmailPrompt.openLinkSentToYourAddress" />
        )}
      </p>
      {resend.isSuccess ? (
        <>
          <p className="mt-2 font-semibold">
            <FormattedMessage id="account.verifyEmailPrompt.weSentNewLink" />
          </p>
          <DevMailboxHint />
        </>
      ) : (
        <>
          {resend.isError && <p className="mt-2">{describeError(resend.error)}</p>}
          <button
            type="button"
            onClick={() => resend.mutate()}
            disabled={resend.isPending}
            className={`${secondaryButton} mt-3`}
          >
            {resend.isPending
              ? t('account.verifyEmailPrompt.sending')
              : t('account.verifyEmailPrompt.sendNewLink')}
          </button>
        </>
      )}
    </div>
  );
}
