import { type FormEvent, useEffect, useRef, useState } from 'react';
import { FormattedMessage } from 'react-intl';
import { Link, Navigate, useSearchParams } from 'react-router';
import { useT } from '../../i18n/use-t';
import { safeNext, signInPath } from '../../lib/safe-next';
import { useDocumentTitle } from '../../lib/use-document-title';
import { primaryButton, textLink } from '../../ui/form/buttons';
import { FormAlert } from '../../ui/form/form-alert';
import { type FieldErrors, formErrorsOf, mergeErrors } from '../../ui/form/form-errors';
import { MIN_PASSWORD, NewPasswordField } from '../../ui/form/password-field';
import { SubmitButton } from '../../ui/form/submit-button';
import { TextField } from '../../ui/form/text-field';
import { useErrorFocus } from '../../ui/form/use-error-focus';
import { AuthCard } from './auth-card';
import { useSession, useSignUp } from './auth-queries';
import { DevMailboxHint } from './dev-mailbox-hint';
import { OAuthButtons } from './oauth-buttons';

const FIELDS = ['displayName', 'email', 'password'] as const;

function validate(values: Record<(typeof FIELDS)[number], string>): FieldErrors {
  const errors: FieldErrors = {};
  if (!values.displayName.trim()) errors.displayName = 'enter the name other members will see';
  if (!values.email.trim()) errors.email = 'enter your e-mail address';
  if (values.password.length < MIN_PASSWORD) errors.password = `use at least ${MIN_PASSWORD} characters`;
  return errors;
}

function CheckYourEmail({ email, next }: { email: string; next: string }) {
  const t = useT();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <AuthCard title={t('auth.signUpPage.checkYourEMail')} headingRef={headingRef}>
      <p className="text-stone-700">
        <FormattedMessage
          id="auth.signUpPage.weSentLinkOpen"
          values={{
            email,
            strong: (chunks) => <strong className="font-semibold text-stone-900">{chunks}</strong>,
          }}
        />
      </p>
      <DevMailboxHint />
      <Link to={next} className={`${primaryButton} mt-6 w-full`}>
        <FormattedMessage id="auth.signUpPage.continueSouk" />
      </Link>
    </AuthCard>
  );
}

export function SignUpPage() {
  const t = useT();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const { user } = useSession();
  const signUp = useSignUp();
  const formRef = useRef<HTMLFormElement>(null);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState<object | null>(null);
  useDocumentTitle(signUp.isSuccess ? 'Check your e-mail' : 'Create an account');

  const errors = mergeErrors(
    clientErrors,
    formErrorsOf(signUp.error, FIELDS, {
      email_taken: { field: 'email', message: 'is already used by another account' },
    }),
  );
  useErrorFocus(formRef, signUp.error ?? attempt);

  if (signUp.isSuccess) return <CheckYourEmail email={signUp.data.user.email} next={next} />;
  if (user) return <Navigate to={next} replace />;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const values = {
      displayName: String(data.get('displayName') ?? ''),
      email: String(data.get('email') ?? ''),
      password: String(data.get('password') ?? ''),
    };
    const found = validate(values);
    setClientErrors(found);
    if (Object.keys(found).length > 0) {
      setAttempt({});
      return;
    }
    signUp.mutate(values);
  }

  return (
    <AuthCard
      title={t('auth.signUpPage.createAccount')}
      intro={t('auth.signUpPage.buySellBidSwap')}
      footer={
        <FormattedMessage
          id="auth.signUpPage.alreadyHaveAccountSign"
          values={{
            link: (chunks) => (
              <Link to={next === '/' ? '/sign-in' : signInPath(next)} className={textLink}>
                {chunks}
              </Link>
            ),
          }}
        />
      }
    >
      <form ref={formRef} noValidate onSubmit={submit} className="space-y-5">
        {errors.message && <FormAlert tone="error">{errors.message}</FormAlert>}
        <TextField
          label={t('auth.signUpPage.displayName')}
          name="displayName"
          autoComplete="nickname"
          maxLength={60}
          required
          hint={t('auth.signUpPage.shownYourListingsProfile')}
          error={errors.fields.displayName}
        />
        <TextField
          label={t('auth.signUpPage.eMail')}
          name="email"
          type="email"
          inputMode="email"
          autoComplete="email"
          autoCapitalize="off"
          spellCheck={false}
          maxLength={254}
          required
          error={errors.fields.email}
        />
        <NewPasswordField
          label={t('auth.signUpPage.password')}
          name="password"
          error={errors.fields.password}
        />
        <SubmitButton
          pending={signUp.isPending}
          pendingLabel={t('auth.signUpPage.creatingYourAccount')}
          className={`${primaryButton} w-full`}
        >
          <FormattedMessage id="auth.signUpPage.createAccount2" />
        </SubmitButton>
      </form>
      <OAuthButtons returnTo={next} />
    </AuthCard>
  );
}
