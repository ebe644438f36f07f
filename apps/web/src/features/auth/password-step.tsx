import type { LoginResult } from '@souk/contracts';
import { type FormEvent, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { ApiError, describeError } from '../../api/client';
import { useT } from '../../i18n/use-t';
import { primaryButton, secondaryButton, textLink } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { type FieldErrors, formErrorsOf, mergeErrors } from '../../ui/form/form-errors';
import { PasswordField } from '../../ui/form/password-field';
import { SubmitButton } from '../../ui/form/submit-button';
import { TextField } from '../../ui/form/text-field';
import { useErrorFocus } from '../../ui/form/use-error-focus';
import { useRequestUnlock, useSignIn } from './auth-queries';
import { DevMailboxHint } from './dev-mailbox-hint';

const FIELDS = ['email', 'password'];

type PasswordStepProps = {
  notice?: string | null;
  onMfaRequired: (mfaToken: string) => void;
};

export function PasswordStep({ notice, onMfaRequired }: PasswordStepProps) {
  const t = useT();
  const signIn = useSignIn();
  const formRef = useRef<HTMLFormElement>(null);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState<object | null>(null);
  const [email, setEmail] = useState('');
  const limited = signIn.error instanceof ApiError ? signIn.error.code : null;
  const errors = mergeErrors(
    clientErrors,
    formErrorsOf(
      limited === 'account_locked' || limited === 'too_many_attempts' ? null : signIn.error,
      FIELDS,
    ),
  );
  useErrorFocus(formRef, signIn.error ?? attempt);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = String(data.get('email') ?? '');
    setEmail(email);
    const password = String(data.get('password') ?? '');
    const found: FieldErrors = {};
    if (!email.trim()) found.email = 'enter your e-mail address';
    if (!password) found.password = 'enter your password';
    setClientErrors(found);
    if (Object.keys(found).length > 0) {
      setAttempt({});
      return;
    }
    signIn.mutate(
      { email, password },
      {
        onSuccess: (result: LoginResult) => {
          if (result.status === 'mfa_required') onMfaRequired(result.mfaToken);
        },
      },
    );
  }

  return (
    <form ref={formRef} noValidate onSubmit={submit} className="space-y-5">
      {limited === 'account_locked' ? (
        <AccountLocked email={email} />
      ) : limited === 'too_many_attempts' ? (
        <FormAlert tone="error">
          <FormattedMessage
            id="auth.passwordStep.tooManyFailedSign"
            values={{
              link: (chunks) => (
                <Link to="/forgot-password" className={textLink}>
                  {chunks}
                </Link>
              ),
            }}
          />
        </FormAlert>
      ) : errors.message ? (
        <FormAlert tone="error">{errors.message}</FormAlert>
      ) : (
        notice && <FormAlert tone="info">{notice}</FormAlert>
      )}
      <TextField
        label={t('auth.passwordStep.eMail')}
        name="email"
        type="email"
        inputMode="email"
        autoComplete="email"
        autoCapitalize="off"
        spellCheck={false}
        required
        error={errors.fields.email}
      />
      <PasswordField
        label={t('auth.passwordStep.password')}
        name="password"
        autoComplete="current-password"
        required
        error={errors.fields.password}
        aside={
          <Link to="/forgot-password" className={`${textLink} text-sm`}>
            <FormattedMessage id="auth.passwordStep.forgotPassword" />
          </Link>
        }
      />
      <SubmitButton
        pending={signIn.isPending}
        pendingLabel={t('auth.passwordStep.signing')}
        className={`${primaryButton} w-full`}
      >
        <FormattedMessage id="auth.passwordStep.sign" />
      </SubmitButton>
    </form>
  );
}

/**
 * Someone tried many wrong passwords for the account, so new browsers are stopped; a browser the
 * member signed in with before is not. The mailed link makes this browser one of those.
 */
function AccountLocked({ email }: { email: string }) {
  const t = useT();
  const unlock = useRequestUnlock();
  return (
    <FormAlert tone="error">
      <p className="font-semibold">
        <FormattedMessage id="auth.passwordStep.signingAccountPausedNew" />
      </p>
      <p className="mt-1">
        <FormattedMessage id="auth.passwordStep.manyWrongPasswordsWere" />
      </p>
      {unlock.isSuccess ? (
        <>
          <p className="mt-2 font-semibold">
            <FormattedMessage id="auth.passwordStep.ifHasAccountLink" values={{ email }} />
          </p>
          <DevMailboxHint />
        </>
      ) : (
        <>
          {unlock.isError && <p className="mt-2">{describeError(unlock.error)}</p>}
          <button
            type="button"
            onClick={() => unlock.mutate({ email })}
            disabled={unlock.isPending || !email}
            className={`${secondaryButton} mt-3`}
          >
            {unlock.isPending ? t('auth.passwordStep.sending') : t('auth.passwordStep.eMailMeUnlock')}
          </button>
        </>
      )}
    </FormAlert>
  );
}
