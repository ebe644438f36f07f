import { useEffect, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link, Navigate, useSearchParams } from 'react-router';
import { useT } from '../../i18n/use-t';
import { safeNext } from '../../lib/safe-next';
import { useDocumentTitle } from '../../lib/use-document-title';
import { textLink } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { AuthCard } from './auth-card';
import { useSession } from './auth-queries';
import { OAuthButtons } from './oauth-buttons';
import { oauthErrorMessage } from './oauth-errors';
import { PasswordStep } from './password-step';
import { SecondFactorStep } from './second-factor-step';

export function SignInPage() {
  const t = useT();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const oauthError = params.get('error');
  const { user } = useSession();
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const [expired, setExpired] = useState(false);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const wasCodeStep = useRef(false);
  useDocumentTitle(mfaToken ? 'Two-step verification' : 'Sign in');

  // Back from the code step, focus returns to the top of the form; the code step itself focuses
  // its input, so a phone shows the number pad straight away.
  useEffect(() => {
    if (wasCodeStep.current && !mfaToken) headingRef.current?.focus();
    wasCodeStep.current = Boolean(mfaToken);
  }, [mfaToken]);

  // Signing in fills the session, which brings us here: on to where the member was going.
  if (user) return <Navigate to={next} replace />;

  if (mfaToken) {
    return (
      <AuthCard
        title={t('auth.signInPage.twoStepVerification')}
        intro={t('auth.signInPage.yourAccountProtectedWith')}
        headingRef={headingRef}
        footer={
          <button type="button" onClick={() => setMfaToken(null)} className={textLink}>
            <FormattedMessage id="auth.signInPage.backEMailPassword" />
          </button>
        }
      >
        <SecondFactorStep
          mfaToken={mfaToken}
          onExpired={() => {
            setExpired(true);
            setMfaToken(null);
          }}
        />
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title={t('auth.signInPage.sign')}
      headingRef={headingRef}
      footer={
        <FormattedMessage
          id="auth.signInPage.newSoukCreateAccount"
          values={{
            link: (chunks) => (
              <Link
                to={next === '/' ? '/sign-up' : `/sign-up?${new URLSearchParams({ next })}`}
                className={textLink}
              >
                {chunks}
              </Link>
            ),
          }}
        />
      }
    >
      {oauthError && (
        <div className="mb-5">
          <FormAlert tone="error">{oauthErrorMessage(oauthError)}</FormAlert>
        </div>
      )}
      <PasswordStep
        notice={expired ? 'The verification step timed out. Please sign in again.' : null}
        onMfaRequired={(token) => {
          setExpired(false);
          setMfaToken(token);
        }}
      />
      <OAuthButtons returnTo={next} />
    </AuthCard>
  );
}
