import { FormattedMessage } from 'react-intl';
import { Link, useSearchParams } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/use-document-title';
import { primaryButton, secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { AuthCard } from './auth-card';
import { useResendVerification, useSession, useVerifyEmail } from './auth-queries';
import { DevMailboxHint } from './dev-mailbox-hint';

function ResendLink() {
  const t = useT();
  const { user, status } = useSession();
  const resend = useResendVerification();
  if (status === 'loading') return null;
  if (!user) {
    return (
      <Link to="/sign-in?next=%2Faccount" className={`${primaryButton} mt-6 w-full`}>
        <FormattedMessage id="auth.verifyEmailPage.signGetNewLink" />
      </Link>
    );
  }
  if (user.emailVerified) {
    return (
      <>
        <p className="mt-4 text-stone-700">
          <FormattedMessage id="auth.verifyEmailPage.goodNewsYourAddress" />
        </p>
        <Link to="/" className={`${primaryButton} mt-6 w-full`}>
          <FormattedMessage id="auth.verifyEmailPage.continueSouk" />
        </Link>
      </>
    );
  }
  if (resend.isSuccess) {
    return (
      <div className="mt-6">
        <FormAlert tone="success">
          <FormattedMessage
            id="auth.verifyEmailPage.weSentNewLink"
            values={{ email: user.email, strong: (chunks) => <strong>{chunks}</strong> }}
          />
        </FormAlert>
        <DevMailboxHint />
      </div>
    );
  }
  return (
    <div className="mt-6 space-y-4">
      {resend.isError && <FormAlert tone="error">{describeError(resend.error)}</FormAlert>}
      <button
        type="button"
        onClick={() => resend.mutate()}
        disabled={resend.isPending}
        className={`${primaryButton} w-full`}
      >
        {resend.isPending ? t('auth.verifyEmailPage.sending') : t('auth.verifyEmailPage.sendNewLink')}
      </button>
    </div>
  );
}

export function VerifyEmailPage() {
  const t = useT();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const verification = useVerifyEmail(token);
  const { user } = useSession();
  const failed = !token || verification.isError;
  useDocumentTitle(failed ? 'Link not valid' : 'Confirm your e-mail');

  if (failed) {
    const linkProblem =
      !token || (verification.error instanceof ApiError && verification.error.code === 'invalid_token');
    return (
      <AuthCard title={t('auth.verifyEmailPage.linkDoesNotWork')}>
        <p className="text-stone-700">
          {linkProblem
            ? t('auth.verifyEmailPage.confirmationLinkHasExpired')
            : describeError(verification.error)}
        </p>
        <ResendLink />
      </AuthCard>
    );
  }

  if (verification.isPending) {
    return (
      <AuthCard title={t('auth.verifyEmailPage.confirmYourEMail')}>
        <p role="status" className="text-stone-700">
          <FormattedMessage id="auth.verifyEmailPage.confirmingYourEMail" />
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('auth.verifyEmailPage.yourEMailConfirmed')}>
      <FormAlert tone="success">
        <FormattedMessage id="auth.verifyEmailPage.thankYouYourE" />
      </FormAlert>
      <div className="mt-6 flex flex-col gap-3">
        {user ? (
          <Link to="/" className={`${primaryButton} w-full`}>
            <FormattedMessage id="auth.verifyEmailPage.continueSouk" />
          </Link>
        ) : (
          <>
            <Link to="/sign-in" className={`${primaryButton} w-full`}>
              <FormattedMessage id="auth.verifyEmailPage.sign" />
            </Link>
            <Link to="/" className={`${secondaryButton} w-full`}>
              <FormattedMessage id="auth.verifyEmailPage.goHomePage" />
            </Link>
          </>
        )}
      </div>
    </AuthCard>
  );
}
