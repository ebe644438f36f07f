import { type FormEvent, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/use-document-title';
import type { RouteNoticeState } from '../../shell/route-notice';
import { primaryButton } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { type FieldErrors, formErrorsOf, mergeErrors } from '../../ui/form/form-errors';
import { MIN_PASSWORD, NewPasswordField, PasswordField } from '../../ui/form/password-field';
import { SubmitButton } from '../../ui/form/submit-button';
import { useErrorFocus } from '../../ui/form/use-error-focus';
import { AuthCard } from './auth-card';
import { useResetPassword } from './auth-queries';

function BadLink() {
  const t = useT();
  return (
    <AuthCard title={t('auth.resetPasswordPage.linkDoesNotWork')}>
      <p className="text-stone-700">
        <FormattedMessage id="auth.resetPasswordPage.resetLinkHasExpired" />
      </p>
      <Link to="/forgot-password" className={`${primaryButton} mt-6 w-full`}>
        <FormattedMessage id="auth.resetPasswordPage.sendMeNewLink" />
      </Link>
    </AuthCard>
  );
}

export function ResetPasswordPage() {
  const t = useT();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const navigate = useNavigate();
  const reset = useResetPassword();
  const formRef = useRef<HTMLFormElement>(null);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState<object | null>(null);
  const errors = mergeErrors(clientErrors, formErrorsOf(reset.error, ['newPassword']));
  useErrorFocus(formRef, reset.error ?? attempt);
  useDocumentTitle('Choose a new password');

  const badToken = !token || (reset.error instanceof ApiError && reset.error.code === 'invalid_token');
  if (badToken) return <BadLink />;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const newPassword = String(data.get('newPassword') ?? '');
    const repeat = String(data.get('repeatPassword') ?? '');
    const found: FieldErrors = {};
    if (newPassword.length < MIN_PASSWORD) found.newPassword = `use at least ${MIN_PASSWORD} characters`;
    else if (repeat !== newPassword) found.repeatPassword = 'does not match the new password';
    setClientErrors(found);
    if (Object.keys(found).length > 0) {
      setAttempt({});
      return;
    }
    reset.mutate(
      { token, newPassword },
      {
        onSuccess: () => {
          const state: RouteNoticeState = {
            notice:
              'Your password has been changed, and every device signed in to your account was signed out. Sign in with your new password.',
          };
          navigate('/sign-in', { replace: true, state });
        },
      },
    );
  }

  return (
    <AuthCard title={t('auth.resetPasswordPage.chooseNewPassword')}>
      <form ref={formRef} noValidate onSubmit={submit} className="space-y-5">
        {errors.message && <FormAlert tone="error">{errors.message}</FormAlert>}
        <NewPasswordField
          label={t('auth.resetPasswordPage.newPassword')}
          name="newPassword"
          error={errors.fields.newPassword}
        />
        <PasswordField
          label={t('auth.resetPasswordPage.repeatNewPassword')}
          name="repeatPassword"
          autoComplete="new-password"
          maxLength={128}
          required
          error={errors.fields.repeatPassword}
        />
        <SubmitButton
          pending={reset.isPending}
          pendingLabel={t('auth.resetPasswordPage.saving')}
          className={`${primaryButton} w-full`}
        >
          <FormattedMessage id="auth.resetPasswordPage.saveNewPassword" />
        </SubmitButton>
      </form>
    </AuthCard>
  );
}
