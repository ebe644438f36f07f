import { FormattedMessage } from 'react-intl';
import { Link, useSearchParams } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/use-document-title';
import { primaryButton, secondaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { AuthCard } from './auth-card';
import { useUnlockAccount } from './auth-queries';

/** Where the mailed unlock link lands: this browser can sign in to the account again. */
export function UnlockAccountPage() {
  const t = useT();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const unlock = useUnlockAccount(token);
  const failed = !token || unlock.isError;
  useDocumentTitle(failed ? 'Link not valid' : 'Sign in again');

  if (failed) {
    const linkProblem = !token || (unlock.error instanceof ApiError && unlock.error.code === 'invalid_token');
    return (
      <AuthCard title={t('auth.unlockAccountPage.linkDoesNotWork')}>
        <p className="text-stone-700">
          {linkProblem ? t('auth.unlockAccountPage.unlockLinkHasExpired') : describeError(unlock.error)}
        </p>
        <Link to="/sign-in" className={`${primaryButton} mt-6 w-full`}>
          <FormattedMessage id="auth.unlockAccountPage.goSign" />
        </Link>
      </AuthCard>
    );
  }

  if (unlock.isPending) {
    return (
      <AuthCard title={t('auth.unlockAccountPage.signAgain')}>
        <p role="status" className="text-stone-700">
          <FormattedMessage id="auth.unlockAccountPage.unlockingSignBrowser" />
        </p>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('auth.unlockAccountPage.browserCanSignAgain')}>
      <FormAlert tone="success">
        <FormattedMessage id="auth.unlockAccountPage.signWithYourPassword" />
      </FormAlert>
      <div className="mt-6 flex flex-col gap-3">
        <Link to="/sign-in" className={`${primaryButton} w-full`}>
          <FormattedMessage id="auth.unlockAccountPage.sign" />
        </Link>
        <Link to="/forgot-password" className={`${secondaryButton} w-full`}>
          <FormattedMessage id="auth.unlockAccountPage.resetMyPasswordInstead" />
        </Link>
      </div>
    </AuthCard>
  );
}
