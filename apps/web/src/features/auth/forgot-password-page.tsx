import { type FormEvent, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link } from 'react-router';
import { useT } from '../../i18n/use-t';
import { useDocumentTitle } from '../../lib/use-document-title';
import { primaryButton, textLink } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { type FieldErrors, formErrorsOf, mergeErrors } from '../../ui/form/form-errors';
import { SubmitButton } from '../../ui/form/submit-button';
import { TextField } from '../../ui/form/text-field';
import { useErrorFocus } from '../../ui/form/use-error-focus';
import { AuthCard } from './auth-card';
import { useForgotPassword } from './auth-queries';
import { DevMailboxHint } from './dev-mailbox-hint';

export function ForgotPasswordPage() {
  const t = useT();
  const forgot = useForgotPassword();
  const formRef = useRef<HTMLFormElement>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState<object | null>(null);
  const [email, setEmail] = useState('');
  const errors = mergeErrors(clientErrors, formErrorsOf(forgot.error, ['email']));
  useErrorFocus(formRef, forgot.error ?? attempt);
  useDocumentTitle(forgot.isSuccess ? 'Check your e-mail' : 'Reset your password');

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get('email') ?? '');
    const found: FieldErrors = value.trim() ? {} : { email: 'enter the e-mail address of your account' };
    setClientErrors(found);
    if (found.email) {
      setAttempt({});
      return;
    }
    setEmail(value.trim());
    forgot.mutate({ email: value }, { onSuccess: () => headingRef.current?.focus() });
  }

  if (forgot.isSuccess) {
    return (
      <AuthCard title={t('auth.forgotPasswordPage.checkYourEMail')} headingRef={headingRef}>
        <p className="text-stone-700">
          <FormattedMessage
            id="auth.forgotPasswordPage.ifAccountExistsWe"
            values={{
              email,
              strong: (chunks) => <strong className="font-semibold text-stone-900">{chunks}</strong>,
            }}
          />
        </p>
        <DevMailboxHint />
        <Link to="/sign-in" className={`${primaryButton} mt-6 w-full`}>
          <FormattedMessage id="auth.forgotPasswordPage.backSign" />
        </Link>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title={t('auth.forgotPasswordPage.resetYourPassword')}
      intro={t('auth.forgotPasswordPage.enterEMailAddress')}
      headingRef={headingRef}
      footer={
        <Link to="/sign-in" className={textLink}>
          <FormattedMessage id="auth.forgotPasswordPage.backSign" />
        </Link>
      }
    >
      <form ref={formRef} noValidate onSubmit={submit} className="space-y-5">
        {errors.message && <FormAlert tone="error">{errors.message}</FormAlert>}
        <TextField
          label={t('auth.forgotPasswordPage.eMail')}
          name="email"
          type="email"
          inputMode="email"
          autoComplete="email"
          autoCapitalize="off"
          spellCheck={false}
          required
          error={errors.fields.email}
        />
        <SubmitButton
          pending={forgot.isPending}
          pendingLabel={t('auth.forgotPasswordPage.sending')}
          className={`${primaryButton} w-full`}
        >
          <FormattedMessage id="auth.forgotPasswordPage.sendLink" />
        </SubmitButton>
      </form>
    </AuthCard>
  );
}
